"""Column types that behave the same on SQLite and PostgreSQL.

Two differences between the backends matter to watchdesk:

* Datetimes. PostgreSQL has ``timestamptz``; SQLite stores text without an offset. ``UTCDateTime``
  stores UTC on both and always hands back an aware UTC datetime.
* Characters PostgreSQL refuses. Python strings may hold NUL (U+0000) and lone surrogates
  (U+D800 to U+DFFF); PostgreSQL rejects NUL in ``text``/``json`` and neither backend can encode a
  lone surrogate as UTF-8. The caller is expected to strip them, but one odd post must not fail a
  whole batch, so every text and JSON column replaces each of them with U+FFFD REPLACEMENT
  CHARACTER, on both backends alike. The replacement is one code point for one code point, so the
  offsets of redactions, entities and detections into the text stay valid.
"""

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, String, Text
from sqlalchemy.types import TypeDecorator

REPLACEMENT = "\ufffd"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def clean_text(value: str) -> str:
    """Return ``value`` with NUL and lone surrogates replaced by U+FFFD.

    Args:
        value: Any Python string.

    Returns:
        The same string when it holds nothing unstorable (the common case, checked cheaply).
    """
    if value.isascii():
        # ASCII cannot hold a surrogate; only NUL needs a look.
        return value.replace("\x00", REPLACEMENT) if "\x00" in value else value
    return _UNSTORABLE.sub(REPLACEMENT, value)


def clean_json(value: Any) -> Any:
    """Return a JSON-ready value with every string (keys included) passed through `clean_text`.

    Args:
        value: Nested dicts, lists, tuples, strings, numbers, booleans and ``None``.
    """
    # repr() is implemented in C and escapes both NUL and surrogates, so it is a cheap test that
    # spares the recursive walk for almost every payload; a false positive only costs the walk.
    text = repr(value)
    if "\\x00" not in text and "\\ud" not in text:
        return value
    return _clean_json_walk(value)


def _clean_json_walk(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {_clean_json_walk(k): _clean_json_walk(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean_json_walk(v) for v in value]
    return value


class CleanText(TypeDecorator[str]):
    """Unbounded text; NUL and lone surrogates become U+FFFD (see the module docstring)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        """Clean the string on its way into the database."""
        return None if value is None else clean_text(value)


class CleanString(TypeDecorator[str]):
    """``VARCHAR`` (optionally bounded) with the same cleaning as `CleanText`."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        """Clean the string on its way into the database."""
        return None if value is None else clean_text(value)


class CleanJSON(TypeDecorator[Any]):
    """A JSON document whose strings are cleaned like `CleanText`.

    Plain ``json`` (not ``jsonb``) on PostgreSQL: it keeps the document exactly as serialised, so
    big numbers and key order round-trip; watchdesk never queries inside these documents.
    """

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        """Clean every string of the document on its way into the database."""
        return None if value is None else clean_json(value)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored in UTC; read back as an aware UTC datetime on every backend.

    Naive datetimes are refused: their zone is unknowable, and guessing would shift data.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert to UTC; drop the offset where the backend cannot store it (SQLite).

        Raises:
            ValueError: If ``value`` is naive.
        """
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} cannot be stored; give it a zone")
        utc = value.astimezone(UTC)
        return utc if dialect.name == "postgresql" else utc.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
