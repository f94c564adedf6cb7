"""Resume positions per channel and the in-process memory that keeps events unique."""

from collections import OrderedDict
from typing import Generic, TypeVar

from core import CursorReader, CursorUpdate

_V = TypeVar("_V")


class CursorBook:
    """The newest message id per channel, saved with the events that carry it.

    Positions only move forward (snowflakes grow with time). Each (re)connect starts an
    *epoch*: the position a channel had when the epoch began is where its backfill starts,
    even if live messages moved it on before the backfill ran, so nothing in between is
    skipped.

    Args:
        reader: Saved positions from earlier runs.
        connector: Connector name the positions are saved under.
    """

    def __init__(self, reader: CursorReader, connector: str) -> None:
        self._reader = reader
        self._connector = connector
        self._positions: dict[str, int | None] = {}
        self._epoch_start: dict[str, int | None] = {}

    def current(self, channel_id: str) -> int | None:
        """Return the position of a channel (loading the saved one the first time)."""
        if channel_id not in self._positions:
            saved = self._reader.get_cursor(self._connector, channel_id)
            self._positions[channel_id] = int(saved) if saved and saved.isdigit() else None
        return self._positions[channel_id]

    def begin_epoch(self) -> None:
        """Mark a (re)connect: backfills of this epoch start from the positions as of now."""
        self._epoch_start.clear()

    def resume_point(self, channel_id: str) -> int | None:
        """Where this epoch's backfill of a channel starts (``None``: never seen)."""
        if channel_id in self._epoch_start:
            return self._epoch_start[channel_id]
        return self.current(channel_id)

    def advance(self, channel_id: str, message_id: str) -> CursorUpdate:
        """Move a channel's position to ``message_id`` unless it is already further."""
        before = self.current(channel_id)
        self._epoch_start.setdefault(channel_id, before)
        position = max(before or 0, int(message_id))
        self._positions[channel_id] = position
        return CursorUpdate(connector=self._connector, key=channel_id, value=str(position))

    def update(self, channel_id: str) -> CursorUpdate | None:
        """The channel's current position as a ``CursorUpdate`` (``None`` if it has none)."""
        position = self.current(channel_id)
        if position is None:
            return None
        return CursorUpdate(connector=self._connector, key=channel_id, value=str(position))


class Recent(Generic[_V]):
    """A bounded map that forgets its oldest entries first.

    Args:
        capacity: Most entries kept.
    """

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._items: OrderedDict[str, _V] = OrderedDict()

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: str) -> _V | None:
        """Return the value for ``key`` if still remembered."""
        return self._items.get(key)

    def put(self, key: str, value: _V) -> None:
        """Remember ``value`` under ``key`` as the newest entry."""
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self._capacity:
            self._items.popitem(last=False)

    def add(self, key: str, value: _V) -> bool:
        """Remember ``key`` if new; return False when it was already there."""
        if key in self._items:
            return False
        self.put(key, value)
        return True
