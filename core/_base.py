"""Shared configuration of the immutable domain models."""

from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """Immutable, strictly shaped pydantic model: the base of every core type."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)


def to_utc(value: datetime) -> datetime:
    """Return an aware datetime in UTC.

    Args:
        value: An aware datetime; naive ones are refused because their zone is unknowable.

    Raises:
        ValueError: If ``value`` is naive.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("datetime must carry a UTC offset (naive datetimes are ambiguous)")
    return value.astimezone(UTC)


def utc_now() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)
