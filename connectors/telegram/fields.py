"""Checked access to the fields of a Bot API JSON object.

Telegram leaves optional keys out rather than sending ``null``; these helpers accept both, and
turn a missing required key or a value of the wrong type into a ``PayloadError`` that names the
field, so a malformed update becomes a readable dead letter.
"""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from core import PayloadError

JSON = Mapping[str, Any]


def is_int(value: object) -> bool:
    """True for a JSON integer (``bool`` is an ``int`` in Python but not in JSON)."""
    return isinstance(value, int) and not isinstance(value, bool)


def obj(data: JSON, key: str, where: str) -> JSON:
    """Return the required object ``data[key]``.

    Raises:
        PayloadError: If it is missing or not an object.
    """
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise PayloadError(f"{where}.{key} is missing or not an object")
    return value


def opt_obj(data: JSON, key: str, where: str) -> JSON | None:
    """Return the optional object ``data[key]``, or ``None`` when absent.

    Raises:
        PayloadError: If it is present but not an object.
    """
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise PayloadError(f"{where}.{key} is not an object")
    return value


def req_int(data: JSON, key: str, where: str) -> int:
    """Return the required integer ``data[key]``.

    Raises:
        PayloadError: If it is missing or not an integer.
    """
    value = opt_int(data, key)
    if value is None:
        raise PayloadError(f"{where}.{key} is missing or not an integer")
    return value


def opt_int(data: JSON, key: str) -> int | None:
    """Return ``data[key]`` when it is an integer, else ``None``."""
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def req_str(data: JSON, key: str, where: str) -> str:
    """Return the required string ``data[key]``.

    Raises:
        PayloadError: If it is missing or not a string.
    """
    value = data.get(key)
    if not isinstance(value, str):
        raise PayloadError(f"{where}.{key} is missing or not a string")
    return value


def opt_str(data: JSON, key: str, where: str) -> str | None:
    """Return the optional string ``data[key]``, or ``None`` when absent.

    Raises:
        PayloadError: If it is present but not a string.
    """
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    raise PayloadError(f"{where}.{key} is not a string")


def obj_list(data: JSON, key: str, where: str) -> list[JSON]:
    """Return the optional list of objects ``data[key]`` (empty when absent).

    Raises:
        PayloadError: If it is present but not a list of objects.
    """
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise PayloadError(f"{where}.{key} is not a list of objects")
    return list(value)


def timestamp(data: JSON, key: str, where: str) -> datetime:
    """Return the required Unix time ``data[key]`` as an aware UTC datetime.

    Raises:
        PayloadError: If it is missing, not an integer or out of range.
    """
    seconds = req_int(data, key, where)
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise PayloadError(f"{where}.{key} is not a valid Unix time: {seconds}") from None


def full_name(data: JSON) -> str:
    """Join ``first_name`` and ``last_name`` of a user or private chat, skipping absent parts."""
    parts = (data.get("first_name"), data.get("last_name"))
    return " ".join(p for p in parts if isinstance(p, str) and p)
