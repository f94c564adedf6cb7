from collections.abc import Iterator
from pathlib import Path

import pytest
from mnemonic import Mnemonic

from classifier.baseline import KeywordClassifier
from classifier.secrets import SecretRedactor
from store import Store
from store.testing import sqlite_store
from watchdesk.pipeline import Pipeline, PipelineOptions


@pytest.fixture(scope="session")
def redactor() -> SecretRedactor:
    return SecretRedactor.default()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with sqlite_store(tmp_path) as opened:
        yield opened


@pytest.fixture
def pipeline(store: Store, redactor: SecretRedactor) -> Pipeline:
    options = PipelineOptions(batch_size=16, flush_interval_s=0.01, retry_delays_s=(0.01,))
    return Pipeline(store, redactor, KeywordClassifier(), options)


@pytest.fixture(scope="session")
def seed_phrase() -> str:
    return str(Mnemonic("english").to_mnemonic(bytes(range(16))))
