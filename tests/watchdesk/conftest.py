import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from mnemonic import Mnemonic

from classifier.baseline import KeywordClassifier
from classifier.secrets import SecretRedactor
from store import Store, make_engine, upgrade
from watchdesk.pipeline import Pipeline, PipelineOptions

START = datetime(2026, 11, 20, 9, tzinfo=UTC)


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


def record(n: int, text: str, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "platform": "telegram",
        "external_id": f"-100:{n}",
        "channel": {"id": "-100", "name": "NovaWallet Community", "kind": "group"},
        "author": {"id": f"{n}", "handle": f"user{n}", "display_name": f"User {n}"},
        "text": text,
        "created_at": (START + timedelta(seconds=n)).isoformat(),
    }
    data.update(extra)
    return data


def write_feed(path: Path, items: list[dict[str, Any] | str]) -> Path:
    lines = [
        item if isinstance(item, str) else json.dumps(item, ensure_ascii=False) for item in items
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
