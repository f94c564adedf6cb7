"""`Responder`: a pipeline observer that only enqueues, and the task that acts.

``observe`` runs on the event loop inside the pipeline, so it only puts work on a queue.
``run`` consumes it: decides with the pure `Policy`, executes the actions through the sender,
and keeps the drafts, tickets, outbound messages and audit entries in the store. It also sweeps
periodically: expired drafts, SLA breaches, follow-ups, closing old tickets.
"""

import asyncio
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import structlog

from core import (
    Classification,
    DecisionAction,
    Message,
    MessageDeleted,
    ModeratorDecision,
    UserCommand,
)
from responder.actions import Action
from responder.approvals import Approvals
from responder.desk import Desk
from responder.executor import Executor
from responder.faq import FaqIndex
from responder.policy import SECRETS, Policy, PolicyContext
from responder.sender import OutboundRequest
from responder.texts import is_question
from store import SaveStatus, TicketRecord

log = structlog.get_logger(__name__)

_REJECT = re.compile(r"^(?:/reject|reject:)\s*(.*)$", re.IGNORECASE | re.DOTALL)
_RATING = re.compile(r"^\s*([1-5])(?:\s*/\s*5)?\b\s*(.*)$", re.DOTALL)


class ProcessedLike(Protocol):
    """What the responder reads of the pipeline's ``Processed``."""

    @property
    def message(self) -> Message:
        """The stored message."""
        ...

    @property
    def status(self) -> SaveStatus:
        """Inserted, updated or duplicate."""
        ...

    @property
    def classification(self) -> Classification | None:
        """Its classification, when there is one."""
        ...


class BatchLike(Protocol):
    """What the responder reads of the pipeline's ``BatchResult``."""

    @property
    def processed(self) -> Sequence[ProcessedLike]:
        """Messages of the batch."""
        ...

    @property
    def deletions(self) -> Sequence[MessageDeleted]:
        """Deletions seen in the batch."""
        ...

    @property
    def commands(self) -> Sequence[UserCommand]:
        """User commands of the batch."""
        ...


@dataclass(frozen=True)
class _Work:
    message: Message | None = None
    classification: Classification | None = None
    deletion: MessageDeleted | None = None
    command: UserCommand | None = None
    edited: bool = False


class Responder:
    """Decides and acts on every classified message.

    Args:
        desk: Shared operations (stores, sender, tickets, identity, clock).
        policy: The policy.
        faq: The FAQ index, or ``None`` to draft no FAQ answers.
        sweep_interval_s: How often to look for expired drafts, breaches and follow-ups.
        monotonic: Clock used to measure how long handling took.
    """

    def __init__(
        self,
        desk: Desk,
        policy: Policy,
        faq: FaqIndex | None,
        *,
        sweep_interval_s: float = 30.0,
        monotonic: Callable[[], float] | None = None,
    ) -> None:
        self._desk = desk
        self._policy = policy
        self._faq = faq
        self._sweep_interval_s = sweep_interval_s
        self.approvals = Approvals(desk)
        self._executor = Executor(desk, self.approvals)
        self._queue: asyncio.Queue[_Work] = asyncio.Queue()

    @property
    def desk(self) -> Desk:
        """The shared desk (stores, sender, tickets)."""
        return self._desk

    def observe(self, result: BatchLike) -> None:
        """Pipeline observer: queue new classified messages, deletions and commands."""
        for item in result.processed:
            if item.classification is None:
                continue
            if item.status is SaveStatus.INSERTED:
                self._queue.put_nowait(_Work(item.message, item.classification))
            elif item.status is SaveStatus.UPDATED and _has_secret(
                item.message, item.classification
            ):
                # An edit is not answered again, except when it exposes a secret.
                work = _Work(item.message, item.classification, edited=True)
                self._queue.put_nowait(work)
        for deletion in result.deletions:
            self._queue.put_nowait(_Work(deletion=deletion))
        for command in result.commands:
            self._queue.put_nowait(_Work(command=command))

    async def run(self) -> None:
        """Act on the queue, serve the sender's queues and sweep, until cancelled."""
        async with asyncio.TaskGroup() as group:
            group.create_task(self._desk.sender.run(), name="responder:sender")
            group.create_task(self._consume(), name="responder:consume")
            group.create_task(self._sweeper(), name="responder:sweep")

    async def desk_command(self, command: UserCommand) -> None:
        """Answer one user command (``/ticket``, ``/status``, ``/report``) now."""
        await self._executor.command(command)

    async def drain(self) -> None:
        """Wait until everything observed so far has been acted on."""
        await self._queue.join()

    async def _consume(self) -> None:
        while True:
            work = await self._queue.get()
            try:
                await self._handle(work)
            except Exception as exc:  # noqa: BLE001 - one message's failure must not stop the rest
                log.error("responder_failed", error=type(exc).__name__, detail=str(exc)[:200])
            finally:
                self._queue.task_done()

    async def _handle(self, work: _Work) -> None:
        if work.message is not None and work.classification is not None:
            await self.handle_message(work.message, work.classification, edited=work.edited)
        elif work.deletion is not None:
            d = work.deletion
            await self.approvals.cancel_for(d.platform, d.external_id)
        elif work.command is not None:
            await self._executor.command(work.command)

    async def handle_message(
        self, message: Message, classification: Classification, *, edited: bool = False
    ) -> list[Action]:
        """Decide and act on one message; returns the actions taken (empty: none).

        Args:
            message: The stored (redacted) message.
            classification: Its classification.
            edited: An edit of a message seen before: acted on only when it exposes a secret
                (once per message, whatever the number of edits).
        """
        if self._desk.identity.mod_chats.get(message.platform) == message.channel.id:
            if not edited:
                await self._moderators_reply(message)
            return []
        if self._from_staff_or_bot(message):
            return []
        secret = _has_secret(message, classification)
        if edited and not secret:
            return []
        if message.is_dm and not secret and await self._continue_ticket(message):
            return []
        key = f"{message.external_id}#edit-secret" if edited else message.external_id
        claimed = await asyncio.to_thread(self._desk.rstore.claim, message.platform, key)
        if not claimed:
            return []  # handled before: a redelivery or a second worker
        context = await self._context(message, classification)
        actions = self._policy.decide(message, classification, context)
        if actions:
            await self._executor.execute(message, classification, actions)
        return actions

    async def _moderators_reply(self, message: Message) -> None:
        """A reply to a draft's review post: its text replaces the draft, which is approved.

        ``/reject <reason>`` (or ``reject: <reason>``) rejects it instead. Only staff may.
        """
        rstore = self._desk.rstore
        if message.reply_to is None or message.author.is_bot:
            return
        draft = await asyncio.to_thread(
            rstore.draft_by_mod_post, message.platform, message.reply_to
        )
        if draft is None or draft.kind == "alert":
            return
        if not await asyncio.to_thread(rstore.claim, message.platform, message.external_id):
            return
        decision = ModeratorDecision(
            platform=message.platform,
            moderator_id=message.author.id,
            moderator_name=message.author.handle,
            draft_id=draft.id,
            action=DecisionAction.APPROVE,
        )
        text = message.text.strip()
        rejection = _REJECT.match(text)
        if rejection is not None:
            decision = decision.model_copy(
                update={"action": DecisionAction.REJECT, "reason": rejection[1].strip()}
            )
        answer = await self.approvals.handle(decision, edited_text=None if rejection else text)
        request = OutboundRequest(
            platform=message.platform,
            kind="reply",
            target=message.channel.id,
            message_id=message.external_id,
            text=answer,
            caused_by=f"{message.platform}:{message.external_id}",
            reason="answer to a moderator",
            draft_id=draft.id,
        )
        await self._desk.sender.send(request)

    def _from_staff_or_bot(self, message: Message) -> bool:
        ident = self._desk.identity
        author = message.author
        bots = ident.bot_ids.get(message.platform, frozenset())
        return (
            author.is_bot
            or author.is_staff
            or ident.is_staff(message.platform, author.id)
            or (author.id in bots)
        )

    async def _context(self, message: Message, classification: Classification) -> PolicyContext:
        config = self._desk.config
        match = None
        wanted = not classification.flagged and not classification.detections
        if self._faq is not None and wanted and is_question(message.text):
            match = await asyncio.to_thread(self._faq.match, message.text)
        platforms = config.auto_send_platforms
        auto_send = config.auto_send_faq and (not platforms or message.platform in platforms)
        channels = config.auto_remove_channels.get(message.platform, [])
        return PolicyContext(
            staff_ids=self._desk.identity.staff_ids.get(message.platform, frozenset()),
            bot_ids=self._desk.identity.bot_ids.get(message.platform, frozenset()),
            faq=match,
            faq_min_score=config.faq_min_score,
            auto_send_faq=auto_send,
            min_confidence=config.min_confidence,
            auto_remove=message.channel.id in channels,
        )

    async def _continue_ticket(self, message: Message) -> bool:
        """A user's DM goes to their ticket (or its survey); True when it was taken there."""
        rstore = self._desk.rstore
        author = message.author.id
        ticket = await asyncio.to_thread(rstore.latest_ticket_of, message.platform, author)
        if ticket is None:
            return False
        if not await asyncio.to_thread(rstore.claim, message.platform, message.external_id):
            return True
        if await self._rating(ticket, message):
            return True
        updated = await asyncio.to_thread(self._desk.tickets.user_wrote, ticket, message)
        await self._desk.audit(
            "bot", "ticket_user_message", f"ticket:{ticket.id}", {"status": updated.status}
        )
        return True

    async def _rating(self, ticket: TicketRecord, message: Message) -> bool:
        match = _RATING.match(message.text)
        if ticket.status != "resolved" or ticket.csat_score is not None or match is None:
            return False
        score, comment = int(match[1]), match[2].strip()
        await asyncio.to_thread(self._desk.tickets.record_csat, ticket.id, score, comment)
        text = self._desk.text("survey_thanks", ticket.language, ticket=ticket.id)
        await self._desk.dm(
            ticket,
            text,
            caused_by=f"{message.platform}:{message.external_id}",
            reason="thanks for the rating",
        )
        return True

    async def _sweeper(self) -> None:
        while True:
            await asyncio.sleep(self._sweep_interval_s)
            try:
                await self.sweep()
            except Exception as exc:  # noqa: BLE001 - the next sweep tries again
                log.error("responder_sweep_failed", error=type(exc).__name__)

    async def sweep(self) -> None:
        """Expire drafts, record SLA breaches, send due follow-ups, close old tickets."""
        await self.approvals.expire()
        result = await asyncio.to_thread(self._desk.tickets.sweep)
        for ticket in result.follow_ups:
            if ticket.dm_blocked:
                continue
            text = self._desk.text("follow_up", ticket.language, ticket=ticket.id)
            await self._desk.dm(ticket, text, caused_by=f"ticket:{ticket.id}", reason="follow-up")


def _has_secret(message: Message, classification: Classification) -> bool:
    detected = any(d.kind in SECRETS for d in classification.detections)
    return detected or any(r.kind in SECRETS for r in message.redactions)
