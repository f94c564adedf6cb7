"""Shapes of the Discord payloads watchdesk reads, validated with pydantic.

Only the fields watchdesk uses are declared; everything else is ignored. Optional fields
accept both an absent key and ``null``. Snowflakes are strings of digits (integers are
accepted too); nothing else is coerced, so a number where Discord sends text is an error.
"""

from collections.abc import Mapping
from typing import Annotated, TypeVar

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from core import PayloadError

_SNOWFLAKE = r"^[0-9]{1,20}$"


def _id_text(value: object) -> object:
    # Discord sends snowflakes as strings; integers are accepted too, nothing else is.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Snowflake = Annotated[str, BeforeValidator(_id_text), Field(pattern=_SNOWFLAKE)]


class In(BaseModel):
    """Base of the payload shapes: unknown keys are ignored."""

    model_config = ConfigDict(extra="ignore")


class UserIn(In):
    """User object (or a webhook's stand-in author)."""

    id: Snowflake
    username: str = ""
    global_name: str | None = None
    bot: bool | None = None


class MemberIn(In):
    """Partial guild member sent with a server message."""

    nick: str | None = None


class AttachmentIn(In):
    """Attachment object (metadata only)."""

    id: Snowflake
    filename: str = ""
    content_type: str | None = None
    size: int | None = None
    url: str | None = None


class ReferenceIn(In):
    """Message reference (replies, crossposts, forwards)."""

    message_id: Snowflake | None = None


class MessageIn(In):
    """Message object with the MESSAGE_CREATE extras ``guild_id`` and ``member``."""

    id: Snowflake
    channel_id: Snowflake
    guild_id: Snowflake | None = None
    author: UserIn
    member: MemberIn | None = None
    content: str
    timestamp: AwareDatetime
    edited_timestamp: AwareDatetime | None = None
    type: int = 0
    mentions: list[UserIn] | None = None
    attachments: list[AttachmentIn] | None = None
    message_reference: ReferenceIn | None = None
    webhook_id: Snowflake | None = None


class DeleteIn(In):
    """MESSAGE_DELETE fields."""

    id: Snowflake
    channel_id: Snowflake


class DeleteBulkIn(In):
    """MESSAGE_DELETE_BULK fields."""

    ids: list[Snowflake]
    channel_id: Snowflake


class GuildMemberIn(In):
    """GUILD_MEMBER_ADD / GUILD_MEMBER_UPDATE fields."""

    guild_id: Snowflake
    user: UserIn
    nick: str | None = None


_M = TypeVar("_M", bound=In)


def validate(model: type[_M], data: object, what: str) -> _M:
    """Validate ``data`` as ``model``.

    Raises:
        PayloadError: Naming ``what`` and the first fields that are wrong.
    """
    if not isinstance(data, Mapping):
        raise PayloadError(f"{what} is a {type(data).__name__}, not an object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise PayloadError(f"{what}: {describe(exc)}") from None


def describe(exc: ValidationError) -> str:
    """Summarise a validation error as ``field: problem`` (values are never included)."""
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(p) for p in error["loc"]) or "payload"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)
