"""Small SQL helpers shared by the write and read paths."""

from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

from sqlalchemy import ColumnElement, Connection, Table, tuple_
from sqlalchemy.dialects import postgresql, sqlite

T = TypeVar("T")

# Bound parameters per IN list: far below SQLite's limit (32766) and PostgreSQL's (65535).
IN_CHUNK = 500

Key = tuple[str, str]
"""(platform, external id)."""


def dialect_insert(conn: Connection, table: Table) -> sqlite.Insert | postgresql.Insert:
    """Return the backend's ``INSERT`` construct, the one that knows ``ON CONFLICT``.

    Raises:
        ValueError: For a backend other than SQLite or PostgreSQL.
    """
    name = conn.dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise ValueError(f"the store supports sqlite and postgresql, not {name}")


def chunked(items: Iterable[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    """Yield lists of at most ``size`` items, in order."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def key_in(table: Table, keys: Sequence[Key]) -> ColumnElement[bool]:
    """Return ``(platform, external_id) IN (...)`` for ``table``."""
    return tuple_(table.c.platform, table.c.external_id).in_(keys)
