"""The support desk's shared operations: DMs with ticket bookkeeping, drafts out, resolutions.

Used by the responder (automatic actions), the approvals (moderators' decisions) and the CLI.
Store calls are synchronous and go through ``asyncio.to_thread``.
"""

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core import Button, DecisionAction, Outcome, OutcomeStatus
from responder.config import ResponderConfig
from responder.sender import OutboundRequest, Sender
from responder.texts import render
from responder.tickets import TicketError, Tickets
from store import DraftRecord, ResponderStore, Store, TicketRecord


@dataclass(frozen=True)
class Identity:
    """Who is who on each platform.

    Attributes:
        brand: The brand's name, used in the bot's texts.
        staff_ids: Staff user ids per platform: never answered, the only ones who may decide.
        bot_ids: The bot's own ids per platform: never answered.
        mod_chats: The moderators' chat (channel id) per platform: never answered; staff
            replies there to a draft's review post edit and approve it.
    """

    brand: str = "NovaWallet"
    staff_ids: Mapping[str, frozenset[str]] = field(default_factory=dict)
    bot_ids: Mapping[str, frozenset[str]] = field(default_factory=dict)
    mod_chats: Mapping[str, str] = field(default_factory=dict)

    def is_staff(self, platform: str, user_id: str) -> bool:
        """True when ``user_id`` is staff on ``platform``."""
        return user_id in self.staff_ids.get(platform, frozenset())


class Desk:
    """Operations shared by the responder, the approvals and the CLI.

    Args:
        store: Messages and the audit log.
        rstore: Tickets, drafts, outbound messages.
        sender: The outbound queues.
        config: The responder's settings.
        identity: Brand, staff and bot ids.
        clock: Source of "now".
    """

    def __init__(
        self,
        store: Store,
        rstore: ResponderStore,
        *,
        sender: Sender,
        config: ResponderConfig,
        identity: Identity,
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.rstore = rstore
        self.sender = sender
        self.config = config
        self.identity = identity
        self.clock = clock
        self.tickets = Tickets(rstore, config, clock)

    def text(self, key: str, language: str, **values: object) -> str:
        """Render one of the bot's texts with the brand filled in."""
        return render(key, language, brand=self.identity.brand, **values)

    async def audit(self, actor: str, action: str, subject: str, detail: Mapping[str, Any]) -> None:
        """Append to the audit log (off the event loop)."""
        await asyncio.to_thread(self.store.audit, actor, action, subject, detail)

    async def dm(
        self,
        ticket: TicketRecord,
        text: str,
        *,
        caused_by: str,
        reason: str,
        urgent: bool = False,
        by_person: bool = False,
    ) -> Outcome:
        """DM the ticket's user; record that it was answered, or that the user blocked the bot.

        Args:
            ticket: Whose user to write to.
            text: The message.
            caused_by: What caused it, for the outbound record.
            reason: Why, for the outbound record.
            urgent: Ahead of the platform's queue.
            by_person: Written by staff (counts as the SLA's first response), not automatic.
        """
        request = OutboundRequest(
            platform=ticket.platform,
            kind="dm",
            target=ticket.user_id,
            text=text,
            caused_by=caused_by,
            reason=reason,
            ticket_id=ticket.id,
            urgent=urgent,
        )
        outcome = await self.sender.send(request)
        if outcome.ok:
            mark = self.tickets.responded if by_person else self.tickets.acknowledged
            await asyncio.to_thread(mark, ticket.id)
        elif outcome.status is OutcomeStatus.FORBIDDEN:
            await asyncio.to_thread(self.tickets.dm_blocked, ticket.id, outcome.detail)
        return outcome

    async def publish(self, draft: DraftRecord, actor: str) -> Outcome:
        """Post an approved draft as a threaded reply and record how it went."""
        request = OutboundRequest(
            platform=draft.platform,
            kind="reply",
            target=draft.channel_id,
            message_id=draft.message_external_id,
            text=draft.text,
            caused_by=f"{draft.platform}:{draft.message_external_id}",
            reason=f"draft #{draft.id} approved by {actor}",
            draft_id=draft.id,
            ticket_id=draft.ticket_id,
        )
        outcome = await self.sender.send(request)
        status = "sent" if outcome.ok else "failed"
        values = {"status": status, "sent_external_id": outcome.external_id}
        if not outcome.ok:
            values["decision_reason"] = f"sending failed: {outcome.status.value} {outcome.detail}"
        await asyncio.to_thread(self.rstore.update_draft, draft.id, values)
        if outcome.ok and draft.ticket_id is not None:
            await asyncio.to_thread(self.tickets.responded, draft.ticket_id)
        return outcome

    async def post_for_review(self, draft: DraftRecord, evidence: str = "") -> Outcome:
        """Post a draft or an alert to the moderators' chat with its buttons."""
        if draft.kind == "alert":
            buttons = [
                Button(label="Remove", action=DecisionAction.REMOVE, draft_id=draft.id),
                Button(label="Ban", action=DecisionAction.BAN, draft_id=draft.id),
                Button(label="Warn publicly", action=DecisionAction.WARN, draft_id=draft.id),
            ]
            head = f"Alert #{draft.id}: {draft.reason}\n{evidence}"
        else:
            buttons = [
                Button(label="Approve", action=DecisionAction.APPROVE, draft_id=draft.id),
                Button(label="Reject", action=DecisionAction.REJECT, draft_id=draft.id),
            ]
            head = f"Draft #{draft.id} ({draft.kind}, {draft.reason})\n\n{draft.text}"
        link = draft.permalink or f"{draft.platform}:{draft.message_external_id}"
        found = await asyncio.to_thread(
            self.store.get_message, draft.platform, draft.message_external_id
        )
        if found is not None:  # stored texts are redacted: safe to show moderators
            quoted = found[0].text if len(found[0].text) <= 300 else found[0].text[:299] + "…"
            link = f"{link}\nMessage: {quoted}"
        request = OutboundRequest(
            platform=draft.platform,
            kind="mod_post",
            target="",
            text=f"{head}\n\nOriginal: {link}",
            caused_by=f"{draft.platform}:{draft.message_external_id}",
            reason=f"review of draft #{draft.id}",
            draft_id=draft.id,
            ticket_id=draft.ticket_id,
            buttons=tuple(buttons),
        )
        outcome = await self.sender.send(request)
        if outcome.ok:
            values = {"mod_post_id": outcome.external_id}
            await asyncio.to_thread(self.rstore.update_draft, draft.id, values)
        return outcome

    async def reply_to_user(self, number: int, text: str, actor: str) -> Outcome:
        """Staff write to a ticket's user privately (the ticket's first response, if it is).

        Raises:
            TicketError: When there is no such ticket or the text is empty.
        """
        ticket = await asyncio.to_thread(self.tickets.get, number)
        if not text.strip():
            raise TicketError("the reply is empty")
        outcome = await self.dm(
            ticket,
            text.strip(),
            caused_by=f"ticket:{number}",
            reason=f"reply by {actor}",
            by_person=True,
        )
        detail = {"text": text.strip(), "outcome": outcome.status.value}
        await asyncio.to_thread(
            self.rstore.add_ticket_event, number, "staff_reply", actor, text.strip(), detail
        )
        await self.audit(actor, "reply_ticket", f"ticket:{number}", detail)
        return outcome

    async def resolve(self, number: int, actor: str) -> TicketRecord:
        """Resolve a ticket and, when settings say so, ask the user for a rating.

        Raises:
            TicketError: When there is no such ticket.
        """
        ticket = await asyncio.to_thread(self.tickets.set_status, number, "resolved", actor)
        await self.audit(actor, "resolve_ticket", f"ticket:{number}", {"status": ticket.status})
        if self.config.survey and not ticket.dm_blocked:
            text = self.text("survey", ticket.language, ticket=number)
            await self.dm(ticket, text, caused_by=f"ticket:{number}", reason="satisfaction survey")
        return ticket
