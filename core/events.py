"""Events that connectors emit into the pipeline."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from core._base import Frozen, utc_now
from core.message import Author, Channel, Message


class CursorUpdate(Frozen):
    """A connector's resume position, saved in the same transaction as the event it follows.

    Attributes:
        connector: Name of the connector instance (e.g. ``replay``).
        key: Which stream of that connector (a channel id, ``updates``, a file name).
        value: The position, opaque to everyone but the connector.
    """

    connector: str
    key: str
    value: str


class _Event(Frozen):
    cursor: CursorUpdate | None = None


class MessageReceived(_Event):
    """A new message."""

    type: Literal["message"] = "message"
    message: Message


class MessageEdited(_Event):
    """A new version of a message already seen (or not: then it is stored as new)."""

    type: Literal["edit"] = "edit"
    message: Message


class MessageDeleted(_Event):
    """A message was deleted on the platform; the record is kept and marked."""

    type: Literal["delete"] = "delete"
    platform: str
    external_id: str
    channel_id: str = ""
    deleted_at: datetime = Field(default_factory=utc_now)


class MemberUpdated(_Event):
    """A member joined or changed their name (input of the impersonation check)."""

    type: Literal["member"] = "member"
    platform: str
    author: Author
    channel: Channel | None = None
    previous_name: str | None = None


class InvalidPayload(_Event):
    """A payload that could not be translated: it goes to the dead-letter table.

    ``payload`` is the raw text as received; the pipeline redacts it before writing.
    """

    type: Literal["invalid"] = "invalid"
    source: str
    reason: str
    payload: str
    location: str = ""


class UserCommand(_Event):
    """A user's command to the bot (``/ticket``, ``/status``, ``/report``).

    Attributes:
        name: The command without its slash, lower case.
        args: The words after it.
        message: The message that carried the command.
        target_external_id: For ``/report``: the message it replies to.
    """

    type: Literal["command"] = "command"
    name: str
    args: tuple[str, ...] = ()
    message: Message
    target_external_id: str | None = None


InboundEvent = Annotated[
    MessageReceived | MessageEdited | MessageDeleted | MemberUpdated | InvalidPayload | UserCommand,
    Field(discriminator="type"),
]
