"""The responder's tables on SQLite and PostgreSQL: migration matches the models, claims, CAS."""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import OperationalError

from store import ResponderStore, downgrade, head_revision, make_engine, schema_diff, upgrade

PG_ADMIN = os.environ.get(
    "WATCHDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'r.db'}"
        return
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"watchdesk_test_responder_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        reason = f"PostgreSQL is not reachable: {exc.orig}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true requires PostgreSQL for the responder store tests. {reason}")
        pytest.skip(reason)
    yield admin.url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migration_0002_matches_the_models_and_claims_are_unique(url: str) -> None:
    upgrade(url)
    engine = make_engine(url)
    try:
        assert head_revision() == "0002"
        assert schema_diff(engine) == []
        rstore = ResponderStore(engine)
        assert rstore.claim("telegram", "-1:5")
        assert not rstore.claim("telegram", "-1:5")
        assert rstore.claim("discord", "-1:5")
    finally:
        engine.dispose()


def test_downgrade_to_0001_drops_only_the_responder_tables(url: str) -> None:
    upgrade(url)
    downgrade(url, "0001")
    engine = make_engine(url)
    try:
        names = set(inspect(engine).get_table_names())
        assert "tickets" not in names
        assert "messages" in names
    finally:
        engine.dispose()
