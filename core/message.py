"""The common message every platform's post is translated into."""

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field, field_validator

from core._base import Frozen, to_utc, utc_now


class ChannelKind(StrEnum):
    """Where a message was posted."""

    GROUP = "group"
    DM = "dm"
    TIMELINE = "timeline"
    SUBREDDIT = "subreddit"
    THREAD = "thread"


class Channel(Frozen):
    """A chat, server channel, timeline, subreddit or thread."""

    id: str = Field(min_length=1)
    name: str = ""
    kind: ChannelKind


class Author(Frozen):
    """The person (or bot) who wrote a message, as the platform knows them."""

    id: str = Field(min_length=1)
    handle: str = ""
    display_name: str = ""
    is_staff: bool = False
    is_bot: bool = False


class Attachment(Frozen):
    """Metadata of an attached file; the content itself is never kept."""

    kind: str
    name: str = ""
    mime_type: str = ""
    size: int | None = None
    url: str | None = None


class Redaction(Frozen):
    """A secret that was cut out of the text before anything was stored.

    Attributes:
        kind: ``seed_phrase`` or ``private_key``.
        detail: Human description of what was cut, e.g. ``"12 words, english"``.
        start: Offset of the marker in the redacted text.
        end: End offset (exclusive) of the marker in the redacted text.
        marker: The marker that replaced the secret.
    """

    kind: str
    detail: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    marker: str


class Message(Frozen):
    """One post, comment, reply or DM from any platform.

    The text and the raw payload are already redacted when a ``Message`` leaves the redaction
    step; only connectors hold unredacted messages, for the short time before that.
    """

    platform: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9_]*$")
    external_id: str = Field(min_length=1, max_length=256)
    channel: Channel
    author: Author
    text: str
    created_at: datetime
    received_at: datetime = Field(default_factory=utc_now)
    reply_to: str | None = None
    thread_id: str | None = None
    permalink: str | None = None
    is_dm: bool = False
    edited_at: datetime | None = None
    mentions_bot: bool = False
    attachments: tuple[Attachment, ...] = ()
    raw: Mapping[str, Any] = Field(default_factory=dict)
    redactions: tuple[Redaction, ...] = ()

    @field_validator("created_at", "received_at", "edited_at")
    @classmethod
    def _aware_utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else to_utc(value)

    @property
    def key(self) -> tuple[str, str]:
        """The identity of the message: (platform, external id)."""
        return (self.platform, self.external_id)
