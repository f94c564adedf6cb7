"""Plain values that go in and out of the store next to the core types."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from core import Author, CursorUpdate, FlagName, MemberUpdated, Message, MessageDeleted


class SaveStatus(StrEnum):
    """What `Store.ingest` did with one message or edit."""

    INSERTED = "inserted"
    UPDATED = "updated"  # an edit replaced the text of a known message: classify it again
    DUPLICATE = "duplicate"  # already stored as given (redelivery), or an edit older than stored


@dataclass(frozen=True)
class SaveOutcome:
    """The fate of one message or edit of a batch.

    Attributes:
        platform: Platform of the message.
        external_id: The platform's id of the message.
        status: Inserted, updated or duplicate.
        message_id: The store's id of the message (also for duplicates).
        revision: The message's text revision after this write (1 for a first version); pass it
            back to `Store.save_classifications` to refuse a classification of an older text.
    """

    platform: str
    external_id: str
    status: SaveStatus
    message_id: int
    revision: int = 1


@dataclass(frozen=True)
class DeadLetter:
    """A payload that could not be handled.

    Attributes:
        source: Connector or component that received it.
        location: Where in the source (file and line, chat id, ...).
        reason: Why it was refused, in words an operator understands.
        payload: The payload as received, already redacted by the caller.
        received_at: When it arrived (aware).
    """

    source: str
    location: str
    reason: str
    payload: str
    received_at: datetime


@dataclass(frozen=True)
class IngestBatch:
    """Everything one pipeline batch writes, in one transaction.

    Attributes:
        messages: New messages: inserted, or duplicate when (platform, external_id) exists.
        edits: New versions: replace text, raw, redactions, attachments and edited_at (the old
            text is kept as a revision), or inserted when the message is unknown.
        deletions: Deletions to record; a known message is marked deleted, never removed.
        members: Member sightings to upsert.
        dead_letters: Payloads that could not be handled.
        cursors: Connector positions to upsert in the same transaction, so that a crash either
            keeps both the events and the position or neither.
    """

    messages: Sequence[Message] = ()
    edits: Sequence[Message] = ()
    deletions: Sequence[MessageDeleted] = ()
    members: Sequence[MemberUpdated] = ()
    dead_letters: Sequence[DeadLetter] = ()
    cursors: Sequence[CursorUpdate] = ()


@dataclass(frozen=True)
class StoreCounts:
    """Totals for ``watchdesk status`` and the dashboard.

    Attributes:
        messages: Stored messages (deleted ones included).
        classified: Messages that have a classification.
        flagged: Classified messages per flag that is set.
        dead_letters: Rows in the dead-letter table.
        deleted: Stored messages marked deleted.
        deletions: Recorded deletions, including those of messages never seen.
        unclassified: Messages waiting for a classification of their current text.
    """

    messages: int
    classified: int
    flagged: Mapping[FlagName, int]
    dead_letters: int
    deleted: int
    deletions: int = 0
    unclassified: int = 0


@dataclass(frozen=True)
class Member:
    """A member as last seen on a platform.

    Attributes:
        platform: The platform.
        author: Id, handle, display name and staff/bot marks.
        previous_name: The name before the last change, when the platform said.
        updated_at: When the store last wrote this member.
    """

    platform: str
    author: Author
    previous_name: str | None
    updated_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log.

    Attributes:
        at: When it happened.
        actor: Who acted (a moderator, ``bot``, ``cli``).
        action: What they did.
        subject: What it was done to.
        detail: Anything else worth keeping.
    """

    at: datetime
    actor: str
    action: str
    subject: str
    detail: Mapping[str, Any] = field(default_factory=dict)
