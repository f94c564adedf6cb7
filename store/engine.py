"""Engines for SQLite and PostgreSQL, configured the way the store relies on."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from core import ConfigError

DEFAULT_URL = "sqlite:///var/watchdesk.db"
"""The embedded default: a SQLite file under ``./var/`` of the working directory."""

SQLITE_BUSY_TIMEOUT_MS = 10_000
_WRITE_OPTION = "watchdesk_write"


def make_engine(url: str = DEFAULT_URL) -> Engine:
    """Create the engine for ``database.url``.

    SQLite gets WAL, ``synchronous=NORMAL``, foreign keys and a busy timeout on every connection,
    and the directory of its file is created. ``postgresql://`` means psycopg 3; every PostgreSQL
    session runs in UTC so that timestamps at the edges of the datetime range can be read back.

    Args:
        url: A SQLAlchemy URL, e.g. ``sqlite:///var/watchdesk.db`` or
            ``postgresql+psycopg://user@host/db``.

    Raises:
        ConfigError: If the URL cannot be parsed or names another backend.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(
            "database.url is not a valid URL; use e.g. sqlite:///var/watchdesk.db "
            "or postgresql+psycopg://user@host/dbname"
        ) from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed)
    if backend == "postgresql":
        return _postgresql_engine(parsed)
    raise ConfigError(
        f"database.url: backend {backend!r} is not supported; use sqlite:/// or postgresql+psycopg://"
    )


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    kwargs: dict[str, Any] = {}
    if database in ("", ":memory:"):
        # One shared connection, or every pooled connection would see its own empty database.
        kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    elif not database.startswith("file:"):
        # Resolved now: a relative path must not follow later changes of the working directory.
        path = Path(database).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        url = url.set(database=str(path))
    engine = create_engine(url, **kwargs)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    # sqlite3's own transaction handling defers BEGIN until the first write, so a read-then-write
    # batch would not be one transaction; _sqlite_on_begin takes over (SQLAlchemy's recipe).
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "foreign_keys=ON",
        f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    # A writer takes the write lock up front: waiting for it honours busy_timeout, whereas
    # upgrading a read transaction to a write one fails at once with SQLITE_BUSY under WAL.
    write = conn.get_execution_options().get(_WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _postgresql_engine(url: URL) -> Engine:
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    engine = create_engine(url, pool_pre_ping=True)
    event.listen(engine, "connect", _postgresql_on_connect)
    return engine


def _postgresql_on_connect(dbapi_conn: Any, _record: Any) -> None:
    # In a session zone east or west of UTC, 9999-12-31 or 0001-01-01 fall outside Python's range.
    with dbapi_conn.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'UTC'")
    dbapi_conn.commit()


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """Open a connection and one transaction for a write; commit on success, roll back on error.

    Args:
        engine: An engine from `make_engine`.

    Yields:
        The connection, inside its transaction.
    """
    with engine.connect() as conn:
        conn.execution_options(**{_WRITE_OPTION: True})
        with conn.begin():
            yield conn


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """Open a connection and one transaction for reads (SQLite: a consistent snapshot).

    Args:
        engine: An engine from `make_engine`.

    Yields:
        The connection, inside its transaction.
    """
    with engine.connect() as conn, conn.begin():
        yield conn
