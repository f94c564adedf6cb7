"""Fixtures of the responder tests: a migrated SQLite store, a fake clock."""

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from responder_testkit import FakeClock

from store import Store, make_engine, upgrade

# The fake Telegram and Discord servers of the connector tests are reused by the end-to-end
# tests here.
for _platform in ("telegram", "discord"):
    _helpers = str(Path(__file__).resolve().parents[1] / "connectors" / _platform)
    if _helpers not in sys.path:
        sys.path.insert(0, _helpers)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("responder") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(template_db: Path, tmp_path: Path, clock: FakeClock) -> Iterator[Store]:
    path = tmp_path / "watchdesk.db"
    path.write_bytes(template_db.read_bytes())
    engine = make_engine(f"sqlite:///{path}")
    yield Store(engine, clock=clock)
    engine.dispose()
