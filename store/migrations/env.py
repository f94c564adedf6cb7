"""Alembic environment: runs on the caller's connection, or opens one from a URL.

`store.migrate.upgrade` passes its connection in ``config.attributes["connection"]``. The
developers' ``alembic -c store/alembic.ini ...`` opens its own, from ``-x url=...`` or the ini.
"""

from logging.config import fileConfig
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection
from sqlalchemy.types import TypeDecorator

from store.engine import DEFAULT_URL, make_engine
from store.models import Base


def _render_item(kind: str, item: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render store.types decorators as their plain SQLAlchemy type in new revisions.

    A revision must keep working when the Python types change later, so it never imports them.
    """
    if kind == "type" and isinstance(item, TypeDecorator):
        autogen_context.imports.add("import sqlalchemy as sa")
        return f"sa.{item.impl_instance!r}"
    return False


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=Base.metadata, compare_type=True, render_item=_render_item, **kwargs
    )


def _run_on(connection: Connection) -> None:
    # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    given = context.get_x_argument(as_dictionary=True).get("url")
    return given or context.config.get_main_option("sqlalchemy.url") or DEFAULT_URL


def main() -> None:
    """Run the migrations Alembic was asked for."""
    config = context.config
    if config.config_file_name is not None and config.attributes.get("configure_logger", True):
        # Only for the alembic command line: a program calling upgrade() keeps its own logging.
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    if context.is_offline_mode():
        _configure(url=_url(), literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_on(connection)
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as own:
            _run_on(own)
    finally:
        engine.dispose()


main()
