"""What the responder may ask of a platform: the outbound half of a connector."""

from enum import StrEnum
from typing import Protocol

from core._base import Frozen


class OutcomeStatus(StrEnum):
    """How an outbound call ended, in terms the caller can act on."""

    SENT = "sent"
    FORBIDDEN = "forbidden"  # the bot lacks the right, or the user blocked it
    NOT_FOUND = "not_found"  # chat, user or message is gone
    RATE_LIMITED = "rate_limited"  # gave up after waiting as told
    TOO_LONG = "too_long"  # refused rather than cut
    FAILED = "failed"  # anything else, after bounded retries


class Outcome(Frozen):
    """Result of one outbound call.

    Attributes:
        status: How it ended.
        external_id: Id of the message the platform created, when one was created.
        detail: What happened, for the audit log and the operator.
    """

    status: OutcomeStatus
    external_id: str | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        """True when the platform did what was asked."""
        return self.status is OutcomeStatus.SENT


class Outbox(Protocol):
    """Actions on one platform.

    Every method returns an ``Outcome`` and never raises for a refusal by the platform; only
    programming errors raise.
    """

    platform: str

    async def reply(self, channel_id: str, message_id: str, text: str) -> Outcome:
        """Post ``text`` publicly as a threaded reply to a message (no pings, no previews)."""
        ...

    async def send_dm(self, user_id: str, text: str) -> Outcome:
        """Send ``text`` privately to a user."""
        ...

    async def delete(self, channel_id: str, message_id: str) -> Outcome:
        """Remove a message."""
        ...

    async def ban(self, channel_id: str, user_id: str, reason: str) -> Outcome:
        """Ban a user from the chat or server that holds ``channel_id``."""
        ...

    async def kick(self, channel_id: str, user_id: str, reason: str) -> Outcome:
        """Remove a user who may come back."""
        ...

    async def timeout(self, channel_id: str, user_id: str, seconds: int, reason: str) -> Outcome:
        """Mute a user for ``seconds``."""
        ...
