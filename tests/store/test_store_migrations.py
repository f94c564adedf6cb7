"""Alembic: from an empty database to head, matching the ORM models, on both backends."""

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from store import current_revision, downgrade, head_revision, make_engine, schema_diff, upgrade
from store.models import Base

TABLES = {
    "messages",
    "message_revisions",
    "deletions",
    "classifications",
    "detections",
    "entities",
    "members",
    "cursors",
    "dead_letters",
    "audit_log",
    "response_claims",
    "tickets",
    "ticket_events",
    "drafts",
    "outbound_messages",
}


def test_upgrade_from_empty_to_head_matches_models(empty_db_url: str) -> None:
    engine = make_engine(empty_db_url)
    try:
        assert current_revision(engine) is None
        upgrade(empty_db_url)
        assert current_revision(engine) == head_revision()
        assert set(inspect(engine).get_table_names()) == TABLES | {"alembic_version"}
        assert {t.name for t in Base.metadata.sorted_tables} == TABLES
        assert schema_diff(engine) == []
    finally:
        engine.dispose()


def test_upgrade_twice_is_harmless(empty_db_url: str) -> None:
    upgrade(empty_db_url)
    upgrade(empty_db_url)
    engine = make_engine(empty_db_url)
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_downgrade_to_base_and_back(empty_db_url: str) -> None:
    upgrade(empty_db_url)
    downgrade(empty_db_url, "base")
    engine = make_engine(empty_db_url)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(empty_db_url)
        assert schema_diff(engine) == []
    finally:
        engine.dispose()


def test_schema_diff_notices_a_difference(empty_db_url: str) -> None:
    # Guards the check above against passing vacuously.
    upgrade(empty_db_url)
    engine = make_engine(empty_db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP INDEX ix_messages_created_at"))
        diff = schema_diff(engine)
        assert [d[0] for d in diff] == ["add_index"]
    finally:
        engine.dispose()


def test_upgrade_from_another_working_directory(
    tmp_path: Path, backend: str, empty_db_url: str
) -> None:
    # The installed package finds its migrations without alembic.ini or the repository as cwd;
    # the default SQLite URL is relative to the working directory and gets its ./var/ created.
    url = "sqlite:///var/watchdesk.db" if backend == "sqlite" else empty_db_url
    code = "import sys, store; store.upgrade(sys.argv[1]); print('ok')"
    result = subprocess.run(
        [sys.executable, "-c", code, url],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
    if backend == "sqlite":
        assert (tmp_path / "var" / "watchdesk.db").is_file()


def test_migration_scripts_ship_inside_the_package() -> None:
    import store.migrate

    versions = Path(store.migrate.MIGRATIONS_DIR) / "versions"
    assert (Path(store.migrate.MIGRATIONS_DIR) / "env.py").is_file()
    scripts = sorted(p.name for p in versions.glob("0*.py"))
    assert scripts[0].startswith("0001")
    assert scripts[-1].startswith(head_revision())  # the newest script is the head


@pytest.mark.parametrize("bad", ["not a url", "mysql://u:secret@h/db"])
def test_bad_database_url_is_a_config_error(bad: str) -> None:
    from core import ConfigError

    with pytest.raises(ConfigError, match=r"database\.url") as info:
        make_engine(bad)
    assert "secret" not in str(info.value)


async def test_upgrade_engine_keeps_the_engine_usable(backend: str, empty_db_url: str) -> None:
    # An in-memory SQLite database lives only as long as its engine: migrate it in place. Its
    # one shared connection must also serve the threads of asyncio.to_thread.
    import asyncio

    from store import IngestBatch, Store, upgrade_engine

    engine = make_engine("sqlite://" if backend == "sqlite" else empty_db_url)
    try:
        upgrade_engine(engine)
        assert schema_diff(engine) == []
        store = Store(engine)
        await asyncio.to_thread(store.ingest, IngestBatch())
        assert await asyncio.to_thread(store.counts) == store.counts()
    finally:
        engine.dispose()


def test_relative_sqlite_path_is_fixed_at_engine_creation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    engine = make_engine("sqlite:///var/rel.db")
    try:
        assert engine.url.database == str(tmp_path.resolve() / "var" / "rel.db")
        assert (tmp_path / "var").is_dir()
    finally:
        engine.dispose()
