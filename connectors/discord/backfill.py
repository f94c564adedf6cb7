"""Catching up on a channel's history after a (re)connect.

``GET /channels/{id}/messages?after=X&limit=N`` returns (newest first) the N messages that
follow X. Pages are walked forward until the channel is exhausted or ``limit`` messages were
read; the result is oldest first so cursors move forward as messages are emitted.
"""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

PAGE_SIZE = 100  # Discord's maximum for this endpoint

PageFetcher = Callable[[str, int, int], Awaitable[list[Any]]]
"""(channel id, after message id, limit) -> the page as Discord returned it."""


@dataclass(frozen=True)
class Backlog:
    """Messages missed while disconnected.

    Attributes:
        items: Message payloads, oldest first; unreadable items (no numeric id) come last.
        truncated: True when more messages followed than ``limit`` allowed.
    """

    items: list[Any]
    truncated: bool


async def fetch_since(fetch: PageFetcher, channel_id: str, after: int, limit: int) -> Backlog:
    """Read up to ``limit`` messages of a channel newer than ``after``.

    Args:
        fetch: Calls the REST endpoint.
        channel_id: Channel (or thread) to read.
        after: Last message already seen.
        limit: Most messages to return (settings ``backfill_limit``).
    """
    readable: list[Mapping[str, Any]] = []
    unreadable: list[Any] = []
    position = after
    while len(readable) < limit:
        want = min(PAGE_SIZE, limit - len(readable))
        page = await fetch(channel_id, position, want)
        good = sorted((m for m in page if _message_id(m) is not None), key=_sort_key)
        unreadable.extend(m for m in page if _message_id(m) is None)
        readable.extend(good)
        if len(page) < want or not good:
            return Backlog(items=[*readable, *unreadable], truncated=False)
        position = _sort_key(good[-1])
    # The limit was reached on a full page: look whether anything is left behind.
    more = await fetch(channel_id, position, 1) if limit > 0 else []
    return Backlog(items=[*readable, *unreadable], truncated=bool(more))


def _message_id(item: object) -> int | None:
    if not isinstance(item, Mapping):
        return None
    value = str(item.get("id", ""))
    return int(value) if value.isdigit() else None


def _sort_key(item: Mapping[str, Any]) -> int:
    return int(str(item["id"]))
