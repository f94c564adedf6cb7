"""The sender: one outbound queue per platform, budgets, retries, and a stored record of each.

`Sender.send` queues a request on its platform's queue (urgent first, then in order) and waits
for the outcome. A worker per platform dispatches requests into one lane per chat; a lane waits
for the budgets (its chat's, its group's per minute, the platform's), calls the platform through
its ``Outbox`` (or ``ModeratorChat``), retries failures that may pass (``failed``,
``rate_limited``) with doubling delays, and stores how each call ended.
"""

import asyncio
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import structlog

from core import Button, ModeratorChat, Outbox, Outcome, OutcomeStatus
from responder.budget import Budgets, Clock, Sleep
from responder.config import ResponderConfig
from store import ResponderStore

log = structlog.get_logger(__name__)

RETRYABLE = frozenset({OutcomeStatus.FAILED, OutcomeStatus.RATE_LIMITED})
MESSAGES = frozenset({"reply", "dm", "post", "mod_post"})


@runtime_checkable
class ChannelPoster(Protocol):
    """An outbox that can also post to a channel without replying to a message."""

    async def post(self, channel_id: str, text: str) -> Outcome:
        """Post ``text`` in ``channel_id``."""
        ...


@dataclass(frozen=True)
class OutboundRequest:
    """One thing to do on a platform.

    Attributes:
        platform: Which outbox.
        kind: ``reply``, ``dm``, ``post``, ``delete``, ``ban`` or ``mod_post``.
        target: Channel id (user id for ``dm``; empty for ``mod_post``).
        message_id: The message replied to or deleted.
        text: What is sent (a ban's reason).
        caused_by: ``platform:external_id`` of the message that caused it.
        reason: Why, from the policy or the moderator.
        draft_id: The draft it sends, if any.
        ticket_id: The ticket it belongs to, if any.
        buttons: For ``mod_post``.
        urgent: Goes ahead of the others in the platform's queue.
        user_id: For ``ban``.
    """

    platform: str
    kind: str
    target: str
    text: str = ""
    message_id: str = ""
    caused_by: str = ""
    reason: str = ""
    draft_id: int | None = None
    ticket_id: int | None = None
    buttons: Sequence[Button] = ()
    urgent: bool = False
    user_id: str = ""


@dataclass(order=True)
class _Item:
    rank: tuple[int, int]
    request: OutboundRequest = field(compare=False)
    done: "asyncio.Future[Outcome]" = field(compare=False)


class Sender:
    """Sends through the platforms' outboxes within their budgets.

    Args:
        outboxes: Outbox per platform name.
        mod_chats: Moderators' chat per platform name (may be empty).
        store: Where every outbound call is recorded.
        config: Budgets and retry settings.
        now: Wall clock for the records.
        monotonic: Clock of the budgets.
        sleep: How to wait (budgets and retry delays).
    """

    def __init__(
        self,
        outboxes: Mapping[str, Outbox],
        mod_chats: Mapping[str, ModeratorChat],
        store: ResponderStore,
        config: ResponderConfig,
        *,
        now: Callable[[], datetime],
        monotonic: Clock,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._outboxes = outboxes
        self._mod_chats = mod_chats
        self._store = store
        self._config = config
        self._now = now
        self._sleep = sleep
        self._budgets = {p: Budgets(config.budget(p), monotonic, sleep) for p in outboxes}
        self._queues: dict[str, asyncio.PriorityQueue[_Item]] = {}
        self._seq = itertools.count()
        self._running = False

    async def run(self) -> None:
        """Serve every platform's queue until cancelled."""
        self._running = True
        try:
            async with asyncio.TaskGroup() as group:
                for platform in self._outboxes:
                    group.create_task(self._worker(platform), name=f"sender:{platform}")
        finally:
            self._running = False

    async def send(self, request: OutboundRequest) -> Outcome:
        """Queue ``request`` on its platform and wait for how it ended."""
        if request.platform not in self._outboxes:
            detail = f"no outbox for platform {request.platform!r}"
            failed = Outcome(status=OutcomeStatus.FAILED, detail=detail)
            return await self._record_only(request, failed)
        if not self._running:
            # A one-shot process (the CLI) has no workers: send in place, same budgets.
            return await self.deliver(request)
        done: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        rank = (0 if request.urgent else 1, next(self._seq))
        await self._queue(request.platform).put(_Item(rank, request, done))
        return await done

    def _queue(self, platform: str) -> "asyncio.PriorityQueue[_Item]":
        if platform not in self._queues:
            self._queues[platform] = asyncio.PriorityQueue()
        return self._queues[platform]

    async def _worker(self, platform: str) -> None:
        """Dispatch the platform's queue into one lane per chat.

        A lane waits for its chat's budget without holding up the other chats, so an urgent
        DM is never stuck behind a group whose per-minute budget is spent; within a chat,
        urgent requests still go first. Removals and bans need no message budget and run at
        once.
        """
        queue = self._queue(platform)
        lanes: dict[str, asyncio.PriorityQueue[_Item]] = {}
        async with asyncio.TaskGroup() as group:
            while True:
                item = await queue.get()
                queue.task_done()
                request = item.request
                if request.kind not in MESSAGES:
                    group.create_task(self._serve(item))
                    continue
                key = request.target or f"mod:{platform}"
                lane = lanes.get(key)
                if lane is None:
                    lane = lanes[key] = asyncio.PriorityQueue()
                    group.create_task(self._lane(key, lane, lanes))
                lane.put_nowait(item)

    async def _lane(
        self, key: str, lane: "asyncio.PriorityQueue[_Item]", lanes: dict[str, Any]
    ) -> None:
        while True:
            await self._serve(lane.get_nowait())
            if lane.empty():
                # No await between the check and the removal: the dispatcher cannot slip an
                # item into a lane that is about to end.
                del lanes[key]
                return

    async def _serve(self, item: _Item) -> None:
        try:
            outcome = await self.deliver(item.request)
        except Exception as exc:  # noqa: BLE001 - one bad request must not stop the queue
            log.error("sender_failed", platform=item.request.platform, error=type(exc).__name__)
            outcome = Outcome(status=OutcomeStatus.FAILED, detail=type(exc).__name__)
        if not item.done.done():
            item.done.set_result(outcome)

    async def deliver(self, request: OutboundRequest) -> Outcome:
        """Send one request now (budgets and retries included) and record it."""
        record = await asyncio.to_thread(self._store.add_outbound, self._row(request))
        budget = self._config.budget(request.platform)
        attempts = 0
        while True:
            attempts += 1
            if request.kind in MESSAGES:
                chat = request.target or f"mod:{request.platform}"
                await self._budgets[request.platform].acquire(chat, group=request.kind != "dm")
            outcome = await self._call(request)
            if outcome.status not in RETRYABLE or attempts >= budget.max_attempts:
                break
            await self._sleep(budget.retry_delay_s * 2 ** (attempts - 1))
        values = {
            "status": outcome.status.value,
            "external_id": outcome.external_id,
            "detail": outcome.detail,
            "attempts": attempts,
            "sent_at": self._now() if outcome.ok else None,
        }
        await asyncio.to_thread(self._store.update_outbound, record.id, values)
        return outcome

    async def _call(self, request: OutboundRequest) -> Outcome:
        outbox = self._outboxes[request.platform]
        kind = request.kind
        if kind == "reply":
            return await outbox.reply(request.target, request.message_id, request.text)
        if kind == "dm":
            return await outbox.send_dm(request.target, request.text)
        if kind == "delete":
            return await outbox.delete(request.target, request.message_id)
        if kind == "ban":
            return await outbox.ban(request.target, request.user_id, request.reason)
        if kind == "post":
            if isinstance(outbox, ChannelPoster):
                return await outbox.post(request.target, request.text)
            return await outbox.reply(request.target, request.message_id, request.text)
        if kind == "mod_post":
            chat = self._mod_chats.get(request.platform)
            if chat is None:
                detail = f"no moderators' chat configured for {request.platform}"
                return Outcome(status=OutcomeStatus.NOT_FOUND, detail=detail)
            return await chat.post_for_review(request.text, request.buttons)
        raise ValueError(f"unknown outbound kind {kind!r}")

    async def _record_only(self, request: OutboundRequest, outcome: Outcome) -> Outcome:
        row = {**self._row(request), "status": outcome.status.value, "detail": outcome.detail}
        await asyncio.to_thread(self._store.add_outbound, row)
        return outcome

    def _row(self, request: OutboundRequest) -> dict[str, object]:
        target = request.target
        if request.message_id:
            target = f"{target}/{request.message_id}"
        if request.user_id:
            target = f"{target}/{request.user_id}"
        return {
            "platform": request.platform,
            "kind": request.kind,
            "target": target,
            "text": request.text,
            "status": "queued",
            "external_id": None,
            "detail": "",
            "attempts": 0,
            "caused_by": request.caused_by,
            "reason": request.reason,
            "draft_id": request.draft_id,
            "ticket_id": request.ticket_id,
            "created_at": self._now(),
            "sent_at": None,
        }
