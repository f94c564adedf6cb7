"""Pure translation of interchange-format lines into core messages.

The interchange format is one JSON object per line with ``platform``, ``external_id``,
``channel`` (``id``, ``name``, ``kind``), ``author`` (``id``, ``handle``, ``display_name``),
``text``, ``created_at`` (ISO 8601 with offset) and optionally ``reply_to``, ``thread_id``,
``is_dm``, ``url``. Other keys (such as the classification fields ``watchdesk export`` adds)
are ignored so that an export can be replayed.
"""

import json
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core import Author, Channel, ChannelKind, Message, PayloadError
from core.text import clean_text

# A clock can be a few hours off; a date further ahead is a broken producer, not a message.
FUTURE_TOLERANCE = timedelta(days=1)


class _ChannelIn(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)
    id: str = Field(min_length=1)
    name: str = ""
    kind: ChannelKind


class _AuthorIn(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)
    id: str = Field(min_length=1)
    handle: str = ""
    display_name: str = ""


class _LineIn(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)
    platform: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9_]*$")
    external_id: str = Field(min_length=1, max_length=256)
    channel: _ChannelIn
    author: _AuthorIn
    text: str
    created_at: datetime
    reply_to: str | None = None
    thread_id: str | None = None
    is_dm: bool = False
    url: str | None = None

    @field_validator("created_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("created_at has no UTC offset (e.g. add +00:00)")
        return value


def decode_line(data: bytes) -> str:
    """Decode one line of the file as UTF-8.

    Raises:
        PayloadError: With the byte position when the line is not valid UTF-8.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PayloadError(f"invalid UTF-8 at byte {exc.start}: {exc.reason}") from None


def parse_line(
    line: str, *, received_at: datetime, staff_ids: frozenset[str], max_text_chars: int
) -> Message:
    """Turn one interchange line into a ``Message``.

    Args:
        line: The decoded line.
        received_at: When the line was read (aware UTC).
        staff_ids: Staff authors as ``platform:author_id``.
        max_text_chars: Longer texts are refused.

    Raises:
        PayloadError: Naming the field and what is wrong.
    """
    try:
        data: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        raise PayloadError(f"not JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(data, dict):
        raise PayloadError(f"expected a JSON object, got {type(data).__name__}")
    try:
        item = _LineIn.model_validate(data)
    except ValidationError as exc:
        raise PayloadError(_describe(exc)) from None
    if len(item.text) > max_text_chars:
        raise PayloadError(f"text has {len(item.text)} characters, over the {max_text_chars} limit")
    if item.created_at > received_at + FUTURE_TOLERANCE:
        raise PayloadError(f"created_at {item.created_at.isoformat()} is in the future")
    return _to_message(item, data, received_at, staff_ids)


def _to_message(
    item: _LineIn, raw: dict[str, Any], received_at: datetime, staff_ids: frozenset[str]
) -> Message:
    is_dm = item.is_dm or item.channel.kind is ChannelKind.DM
    return Message(
        platform=item.platform,
        external_id=item.external_id,
        channel=Channel(id=item.channel.id, name=item.channel.name, kind=item.channel.kind),
        author=Author(
            id=item.author.id,
            handle=item.author.handle,
            display_name=clean_text(item.author.display_name),
            is_staff=f"{item.platform}:{item.author.id}" in staff_ids,
        ),
        text=clean_text(item.text),
        created_at=item.created_at,
        received_at=received_at,
        reply_to=item.reply_to,
        thread_id=item.thread_id,
        permalink=item.url,
        is_dm=is_dm,
        raw=raw,
    )


def _describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(p) for p in error["loc"]) or "line"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)
