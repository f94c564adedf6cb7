from collections.abc import Iterator
from pathlib import Path

import pytest
from mnemonic import Mnemonic

from classifier.baseline import KeywordClassifier
from classifier.secrets import SecretRedactor
from store import Store, make_engine, upgrade
from watchdesk.pipeline import Pipeline, PipelineOptions


@pytest.fixture(scope="session")
def redactor() -> SecretRedactor:
    return SecretRedactor.default()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path / 'watchdesk.db'}"
    upgrade(url)
    engine = make_engine(url)
    yield Store(engine)
    engine.dispose()


@pytest.fixture
def pipeline(store: Store, redactor: SecretRedactor) -> Pipeline:
    options = PipelineOptions(batch_size=16, flush_interval_s=0.01, retry_delays_s=(0.01,))
    return Pipeline(store, redactor, KeywordClassifier(), options)


@pytest.fixture(scope="session")
def seed_phrase() -> str:
    return str(Mnemonic("english").to_mnemonic(bytes(range(16))))
