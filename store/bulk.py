"""Multi-row ``INSERT ... RETURNING`` that is fast on both backends.

SQLite: SQLAlchemy's "insertmanyvalues" turns the rows into a few multi-row ``VALUES`` statements.

PostgreSQL: the same statements would carry thousands of placeholders, and psycopg re-parses
such a long statement in Python on every call (it caches only short ones), which costs more than
the insert itself. Instead each column travels as one array and the server unnests them:
``INSERT INTO t (a, b) SELECT unnest(:a), unnest(:b)``, one short statement per batch that psycopg
caches and PostgreSQL prepares.
"""

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Text, bindparam, cast, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.sql.dml import ReturningInsert

from store.models import Base
from store.sql import dialect_insert
from store.types import CleanJSON, clean_json


def insert_returning(
    conn: Connection,
    table_name: str,
    rows: Sequence[Mapping[str, Any]],
    returning: Sequence[str],
    *,
    skip_conflicts_on: Sequence[str] = (),
) -> list[Row[Any]]:
    """Insert ``rows`` (all with the same keys) and return ``returning`` of the inserted ones.

    Args:
        conn: A connection inside the caller's transaction.
        table_name: The table.
        rows: Column values per row.
        returning: Columns to return; rows come back in no particular order.
        skip_conflicts_on: A unique key: rows that collide with it are skipped, not returned.
    """
    if not rows:
        return []
    names = tuple(rows[0])
    if conn.dialect.name == "postgresql":
        stmt = _unnest_insert(table_name, names, tuple(returning), tuple(skip_conflicts_on))
        return list(conn.execute(stmt, _arrays(table_name, names, rows)))
    table = Base.metadata.tables[table_name]
    insert = dialect_insert(conn, table)
    if skip_conflicts_on:
        insert = insert.on_conflict_do_nothing(index_elements=list(skip_conflicts_on))
    return list(conn.execute(insert.returning(*(table.c[n] for n in returning)), list(rows)))


@lru_cache(maxsize=32)
def _unnest_insert(
    table_name: str, names: tuple[str, ...], returning: tuple[str, ...], conflict: tuple[str, ...]
) -> ReturningInsert[Any]:
    table = Base.metadata.tables[table_name]
    columns: list[ColumnElement[Any]] = []
    for name in names:
        column = table.c[name]
        if isinstance(column.type, CleanJSON):
            # psycopg cannot send a list of documents as json[]: they go as text, cast back.
            texts = bindparam(f"u_{name}", type_=ARRAY(Text))
            columns.append(cast(func.unnest(texts), column.type))
        else:
            columns.append(func.unnest(bindparam(f"u_{name}", type_=ARRAY(column.type))))
    stmt = pg_insert(table).from_select(list(names), select(*columns))
    if conflict:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(conflict))
    return stmt.returning(*(table.c[n] for n in returning))


def _arrays(
    table_name: str, names: Sequence[str], rows: Sequence[Mapping[str, Any]]
) -> dict[str, list[Any]]:
    table = Base.metadata.tables[table_name]
    arrays: dict[str, list[Any]] = {}
    for name in names:
        if isinstance(table.c[name].type, CleanJSON):
            arrays[f"u_{name}"] = [json.dumps(clean_json(row[name])) for row in rows]
        else:
            arrays[f"u_{name}"] = [row[name] for row in rows]
    return arrays
