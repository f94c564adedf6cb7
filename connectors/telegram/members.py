"""What the connector remembers about members: their last seen names, and recent joins.

Telegram sends no update when a user renames themselves, yet renaming to "Support Admin" after
joining is the impersonator's classic move. The connector therefore remembers the name each
author was last seen with and reports a change as ``MemberUpdated`` with ``previous_name``.
A join may also arrive twice (the ``chat_member`` update and the ``new_chat_members`` service
message); the second one inside a short window is dropped. Both memories are bounded and live
only as long as the connector: after a restart, the first sighting of a user is not a change.
"""

from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta

from core import (
    Author,
    Channel,
    InboundEvent,
    MemberUpdated,
    MessageEdited,
    MessageReceived,
    UserCommand,
)

_Platform = "telegram"


class MemberMemory:
    """Bounded memory of names and joins.

    Args:
        clock: Source of "now".
        max_users: Users remembered before the least recently seen is forgotten.
        join_window: A second join of the same user to the same chat within this window is a
            duplicate.
    """

    def __init__(
        self,
        clock: Callable[[], datetime],
        max_users: int = 50_000,
        join_window: timedelta = timedelta(minutes=2),
    ) -> None:
        self._clock = clock
        self._max = max_users
        self._window = join_window
        self._names: OrderedDict[str, tuple[str, str]] = OrderedDict()
        self._joins: OrderedDict[tuple[str, str], datetime] = OrderedDict()

    def process(self, events: tuple[InboundEvent, ...]) -> tuple[InboundEvent, ...]:
        """Return ``events`` with duplicate joins dropped and name changes inserted.

        A name change is reported just before the message that revealed it.
        """
        out: list[InboundEvent] = []
        for event in events:
            if isinstance(event, MemberUpdated):
                if self._is_new_join(event):
                    self._remember(event.author)
                    out.append(event)
                continue
            if isinstance(event, MessageReceived | MessageEdited | UserCommand):
                change = self._name_change(event.message.author, event.message.channel)
                if change is not None:
                    out.append(change)
            out.append(event)
        return tuple(out)

    def _is_new_join(self, event: MemberUpdated) -> bool:
        key = (event.channel.id if event.channel else "", event.author.id)
        now = self._clock()
        seen = self._joins.get(key)
        self._joins[key] = now
        self._joins.move_to_end(key)
        while len(self._joins) > self._max:
            self._joins.popitem(last=False)
        return seen is None or now - seen > self._window

    def _name_change(self, author: Author, channel: Channel) -> MemberUpdated | None:
        previous = self._names.get(author.id)
        self._remember(author)
        if previous is None or previous == (author.display_name, author.handle):
            return None
        old_name, old_handle = previous
        if old_name != author.display_name:
            shown = old_name
        else:
            shown = f"@{old_handle}" if old_handle else "(no username)"
        return MemberUpdated(
            platform=_Platform, author=author, channel=channel, previous_name=shown
        )

    def _remember(self, author: Author) -> None:
        self._names[author.id] = (author.display_name, author.handle)
        self._names.move_to_end(author.id)
        while len(self._names) > self._max:
            self._names.popitem(last=False)
