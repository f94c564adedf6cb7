"""What the policy asks for: typed, immutable actions, each with the reason it was chosen."""

from dataclasses import dataclass
from enum import StrEnum


class DmKind(StrEnum):
    """Private messages the bot may send first (only to a user who posted about a problem)."""

    SECRET_WARNING = "secret_warning"  # noqa: S105 - a kind of message, not a secret
    TICKET_OPENED = "ticket_opened"


class DraftKind(StrEnum):
    """Public answers that wait for a moderator."""

    TICKET_REPLY = "ticket_reply"
    FAQ = "faq"


class Priority(StrEnum):
    """Ticket priority, from the flags."""

    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"


@dataclass(frozen=True)
class DeleteMessage:
    """Remove the message where the bot may."""

    reason: str


@dataclass(frozen=True)
class SendDM:
    """Write to the author privately."""

    kind: DmKind
    reason: str


@dataclass(frozen=True)
class OpenTicket:
    """Open (or reuse) a private ticket for the author."""

    kind: str
    priority: Priority
    reason: str


@dataclass(frozen=True)
class PostNotice:
    """Post a short public notice under the message at once (it repeats nothing of it)."""

    reason: str


@dataclass(frozen=True)
class AlertModerators:
    """Alert the moderators' chat with the evidence and one-tap actions."""

    evidence: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class DraftReply:
    """Draft a public answer; ``auto_send`` sends it without waiting for approval."""

    kind: DraftKind
    text: str
    language: str
    reason: str
    faq_id: str | None = None
    score: float | None = None
    auto_send: bool = False


Action = DeleteMessage | SendDM | OpenTicket | PostNotice | AlertModerators | DraftReply
