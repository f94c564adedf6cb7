"""Carries out the policy's actions for one message, and answers users' commands."""

import asyncio
from dataclasses import dataclass
from datetime import datetime

from core import Classification, Message, Outcome, OutcomeStatus, UserCommand
from responder.actions import (
    Action,
    AlertModerators,
    DeleteMessage,
    DmKind,
    DraftKind,
    DraftReply,
    OpenTicket,
    PostNotice,
    SendDM,
)
from responder.approvals import Approvals
from responder.desk import Desk
from responder.sender import OutboundRequest
from responder.texts import reply_language
from store import DraftRecord, TicketRecord


@dataclass
class _State:
    ticket: TicketRecord | None = None
    dm: Outcome | None = None

    @property
    def dm_forbidden(self) -> bool:
        return self.dm is not None and self.dm.status is OutcomeStatus.FORBIDDEN


class Executor:
    """Executes actions in order through the desk.

    Args:
        desk: Shared operations.
        approvals: For drafts that may be sent without waiting.
    """

    def __init__(self, desk: Desk, approvals: Approvals) -> None:
        self._desk = desk
        self._approvals = approvals

    async def execute(
        self, message: Message, classification: Classification, actions: list[Action]
    ) -> None:
        """Run ``actions`` in order, then audit what was done and why."""
        language = reply_language(classification.language, message.text)
        state = _State()
        done: list[dict[str, str]] = []
        for action in actions:
            result = await self._one(action, message, language, state)
            name = type(action).__name__
            done.append({"action": name, "reason": action.reason, "result": result})
        subject = f"{message.platform}:{message.external_id}"
        await self._desk.audit("bot", "policy", subject, {"actions": done})

    async def _one(self, action: Action, message: Message, language: str, state: _State) -> str:
        caused_by = f"{message.platform}:{message.external_id}"
        if isinstance(action, DeleteMessage):
            outcome = await self._send(message, "delete", action.reason, urgent=True)
            return outcome.status.value
        if isinstance(action, OpenTicket):
            ticket, new = await asyncio.to_thread(
                self._desk.tickets.open_for,
                message,
                action.kind,
                action.priority.value,
                language,
                action.reason,
            )
            state.ticket = ticket
            return f"ticket #{ticket.id} {'opened' if new else 'reused'}"
        if isinstance(action, SendDM):
            return await self._dm(action, message, language, state, caused_by)
        if isinstance(action, PostNotice):
            text = self._desk.text("secret_notice", language)
            outcome = await self._send(message, "post", action.reason, text=text, urgent=True)
            return outcome.status.value
        if isinstance(action, AlertModerators):
            draft = await self._draft(message, "alert", "", language, action.reason, None)
            await self._desk.post_for_review(draft, "\n".join(action.evidence))
            return f"alert #{draft.id}"
        return await self._reply_draft(action, message, state)

    async def _dm(
        self, action: SendDM, message: Message, language: str, state: _State, caused_by: str
    ) -> str:
        ticket = state.ticket
        if ticket is None:
            return "skipped: no ticket"
        key = "secret_warning" if action.kind is DmKind.SECRET_WARNING else "ticket_opened"
        text = self._desk.text(key, language, ticket=ticket.id)
        urgent = action.kind is DmKind.SECRET_WARNING
        state.dm = await self._desk.dm(
            ticket, text, caused_by=caused_by, reason=action.reason, urgent=urgent
        )
        if state.dm_forbidden and not message.is_dm and action.kind is DmKind.SECRET_WARNING:
            # The user cannot be reached privately: the public fallback names only the ticket.
            fallback = self._desk.text("ticket_reply_no_dm", language, ticket=ticket.id)
            await self._send(message, "post", "DM refused: public fallback", text=fallback)
        return state.dm.status.value

    async def _reply_draft(self, action: DraftReply, message: Message, state: _State) -> str:
        ticket = state.ticket
        ticket_id = ticket.id if ticket is not None else None
        if action.kind is DraftKind.TICKET_REPLY and state.dm_forbidden:
            text = self._desk.text("ticket_reply_no_dm", action.language, ticket=ticket_id)
            outcome = await self._send(message, "reply", "DM refused: public fallback", text=text)
            return f"fallback {outcome.status.value}"
        text = action.text or self._desk.text("ticket_reply", action.language, ticket=ticket_id)
        draft = await self._draft(
            message, action.kind.value, text, action.language, action.reason, ticket_id, action
        )
        if action.auto_send:
            decided = await self._approvals.approve(draft.id, "bot:auto-send")
            return f"draft #{draft.id} auto-sent: {decided.message}"
        await self._desk.post_for_review(draft)
        return f"draft #{draft.id} waits for approval"

    async def _draft(  # noqa: PLR0917 - the draft's columns, all needed
        self,
        message: Message,
        kind: str,
        text: str,
        language: str,
        reason: str,
        ticket_id: int | None,
        action: DraftReply | None = None,
    ) -> DraftRecord:
        now: datetime = self._desk.clock()
        values = {
            "platform": message.platform,
            "kind": kind,
            "status": "pending",
            "channel_id": message.channel.id,
            "message_external_id": message.external_id,
            "author_id": message.author.id,
            "permalink": message.permalink,
            "language": language,
            "original_text": text,
            "text": text,
            "reason": reason,
            "faq_id": action.faq_id if action else None,
            "score": action.score if action else None,
            "ticket_id": ticket_id,
            "created_at": now,
            "expires_at": now + self._desk.config.draft_ttl,
            "decided_at": None,
            "decided_by": None,
            "decision_reason": None,
            "mod_post_id": None,
            "sent_external_id": None,
        }
        draft = await asyncio.to_thread(self._desk.rstore.add_draft, values)
        await self._desk.audit("bot", f"create_{kind}", f"draft:{draft.id}", {"reason": reason})
        return draft

    async def _send(
        self, message: Message, kind: str, reason: str, *, text: str = "", urgent: bool = False
    ) -> Outcome:
        request = OutboundRequest(
            platform=message.platform,
            kind=kind,
            target=message.channel.id,
            message_id=message.external_id,
            text=text,
            caused_by=f"{message.platform}:{message.external_id}",
            reason=reason,
            urgent=urgent,
        )
        return await self._desk.sender.send(request)

    async def command(self, command: UserCommand) -> None:
        """Answer ``/ticket``, ``/status`` and ``/report`` where they were written."""
        message = command.message
        rstore = self._desk.rstore
        if not await asyncio.to_thread(rstore.claim, message.platform, message.external_id):
            return
        language = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in message.text) else "en"
        if command.name == "report":
            text = await self._report(command, language)
        else:
            text = await self._ticket_status(command, language)
        await self._send(message, "reply", f"answer to /{command.name}", text=text)

    async def _ticket_status(self, command: UserCommand, language: str) -> str:
        message = command.message
        ticket = await asyncio.to_thread(
            self._desk.rstore.latest_ticket_of, message.platform, message.author.id
        )
        if ticket is None and command.name == "ticket":
            reason = " ".join(command.args) or "opened with /ticket"
            opened, _ = await asyncio.to_thread(
                self._desk.tickets.open_for, message, "request", "normal", language, reason
            )
            return self._desk.text("ticket_opened", language, ticket=opened.id)
        if ticket is None:
            return self._desk.text("no_ticket", language)
        status = ticket.status.replace("_", " ")
        return self._desk.text("status", language, ticket=ticket.id, status=status)

    async def _report(self, command: UserCommand, language: str) -> str:
        target = command.target_external_id
        if not target:
            return "Reply to the message you want to report with /report."
        message = command.message
        stored = await asyncio.to_thread(self._desk.store.get_message, message.platform, target)
        author = stored[0].author.id if stored else ""
        who = message.author.model_copy(update={"id": author or message.author.id})
        reported = message.model_copy(update={"external_id": target, "author": who})
        reason = f"reported by user {message.author.id}"
        draft = await self._draft(reported, "alert", "", language, reason, None)
        await self._desk.post_for_review(draft, "reported with /report")
        return "Thanks, the moderators have been notified."
