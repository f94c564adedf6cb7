"""Support-desk types shared by the responder and the connectors that carry moderators' taps.

A moderator's tap on a button in the moderators' chat becomes a `ModeratorDecision`; the
connector hands it to a `DecisionHandler` (the responder) and shows the returned answer to the
moderator. Posting a draft with buttons goes through a `ModeratorChat`.
"""

from collections.abc import Sequence
from enum import StrEnum
from typing import Protocol

from pydantic import Field

from core._base import Frozen
from core.outbound import Outcome


class DecisionAction(StrEnum):
    """What a moderator can do from a button."""

    APPROVE = "approve"
    REJECT = "reject"
    REMOVE = "remove"
    BAN = "ban"
    WARN = "warn"


class ModeratorDecision(Frozen):
    """A moderator's tap on a button under a draft or an alert.

    Attributes:
        platform: Where the tap happened.
        moderator_id: The platform id of who tapped.
        moderator_name: Their handle, for the audit log.
        draft_id: The draft (or alert) the button belongs to.
        action: What was asked.
        reason: Optional reason (rejections).
    """

    platform: str
    moderator_id: str = Field(min_length=1)
    moderator_name: str = ""
    draft_id: int
    action: DecisionAction
    reason: str = ""


class Button(Frozen):
    """One button under a post in the moderators' chat.

    Attributes:
        label: What the moderator sees.
        action: What a tap means.
        draft_id: The draft or alert it acts on.
    """

    label: str
    action: DecisionAction
    draft_id: int

    @property
    def data(self) -> str:
        """Compact callback payload (Telegram allows 64 bytes): ``wd:<action>:<id>``."""
        return f"wd:{self.action.value}:{self.draft_id}"


def parse_button_data(data: str) -> tuple[DecisionAction, int] | None:
    """Parse a ``wd:<action>:<id>`` payload; ``None`` when it is not one of ours."""
    prefix, _, rest = data.partition(":")
    action, _, number = rest.partition(":")
    if prefix != "wd" or not number.isdigit():
        return None
    try:
        return DecisionAction(action), int(number)
    except ValueError:
        return None


class DecisionHandler(Protocol):
    """Receives moderators' taps; returns the short answer shown to the moderator."""

    async def __call__(self, decision: ModeratorDecision) -> str:
        """Act on one tap (or refuse it) and say what happened."""
        ...


class ModeratorChat(Protocol):
    """Posts into the moderators' chat of one platform."""

    platform: str

    async def post_for_review(self, text: str, buttons: Sequence[Button]) -> Outcome:
        """Post ``text`` with one row of ``buttons`` under it."""
        ...
