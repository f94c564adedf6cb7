"""An outbox for replayed messages: it records what the bot would have done.

Replayed messages come from a file, not a platform, so there is nobody to answer; recording
the actions lets the demo and the tests show every one of them.
"""

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

from core import Outcome, OutcomeStatus


@dataclass(frozen=True)
class RecordedAction:
    """One action the bot took on a replayed message."""

    action: str
    target: str
    text: str = ""
    detail: str = ""


@dataclass
class RecordingOutbox:
    """Implements ``core.Outbox`` by keeping the actions in memory."""

    platform: str = "replay"
    actions: list[RecordedAction] = field(default_factory=list)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def _record(self, action: str, target: str, text: str = "", detail: str = "") -> Outcome:
        self.actions.append(RecordedAction(action, target, text, detail))
        return Outcome(status=OutcomeStatus.SENT, external_id=f"replay-out-{next(self._ids)}")

    async def reply(self, channel_id: str, message_id: str, text: str) -> Outcome:
        """Record a public threaded reply."""
        return self._record("reply", f"{channel_id}/{message_id}", text)

    async def send_dm(self, user_id: str, text: str) -> Outcome:
        """Record a private message."""
        return self._record("dm", user_id, text)

    async def delete(self, channel_id: str, message_id: str) -> Outcome:
        """Record a removal."""
        return self._record("delete", f"{channel_id}/{message_id}")

    async def ban(self, channel_id: str, user_id: str, reason: str) -> Outcome:
        """Record a ban."""
        return self._record("ban", f"{channel_id}/{user_id}", detail=reason)

    async def kick(self, channel_id: str, user_id: str, reason: str) -> Outcome:
        """Record a kick."""
        return self._record("kick", f"{channel_id}/{user_id}", detail=reason)

    async def timeout(self, channel_id: str, user_id: str, seconds: int, reason: str) -> Outcome:
        """Record a timeout."""
        return self._record("timeout", f"{channel_id}/{user_id}", detail=f"{seconds}s: {reason}")
