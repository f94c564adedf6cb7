"""Alembic, run programmatically: ``watchdesk db upgrade`` calls `upgrade`.

The migration scripts live inside the package (``store/migrations``) and are found from this
file's location, so upgrading works from an installed wheel and from any working directory; no
``alembic.ini`` is needed (``store/alembic.ini`` exists only for developers' ``alembic`` command).
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from store.engine import make_engine, write_transaction
from store.models import Base

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    """Return an Alembic config pointing at the packaged migrations (no ini file)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at ``url`` up to ``revision``, in one transaction.

    Args:
        url: The database URL, as for `make_engine` (the SQLite file's directory is created).
        revision: Target revision; ``head`` is the newest.
    """
    engine = make_engine(url)
    try:
        upgrade_engine(engine, revision)
    finally:
        engine.dispose()


def upgrade_engine(engine: Engine, revision: str = "head") -> None:
    """Migrate the database behind ``engine``; for engines that must live on (``sqlite://``).

    Args:
        engine: An engine from `make_engine`.
        revision: Target revision; ``head`` is the newest.
    """
    _run(engine, lambda config: command.upgrade(config, revision))


def downgrade(url: str, revision: str) -> None:
    """Migrate the database at ``url`` down to ``revision`` (``base`` drops every table)."""
    engine = make_engine(url)
    try:
        _run(engine, lambda config: command.downgrade(config, revision))
    finally:
        engine.dispose()


def head_revision() -> str | None:
    """Return the newest revision of the packaged migrations."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """Return the revision the database is at, or ``None`` if it was never migrated."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def schema_diff(engine: Engine) -> list[Any]:
    """Return Alembic's differences between the database and the ORM models (empty when equal)."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff: list[Any] = compare_metadata(context, Base.metadata)
        return diff


def _run(engine: Engine, action: Callable[[Config], None]) -> None:
    with write_transaction(engine) as conn:
        config = alembic_config()
        # env.py runs on this connection and its transaction instead of opening its own.
        config.attributes["connection"] = conn
        action(config)
