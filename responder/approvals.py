"""The approval queue: moderators approve, edit then approve, or reject drafts, and act on alerts.

From the CLI (trusted: whoever can run it is an operator) and from the moderators' chat, where
only staff ids from settings may act. Every decision is audited with who, when, and the text
before and after. Decisions are compare-and-set on the draft's status, so a draft is sent once.
"""

import asyncio
from dataclasses import dataclass, replace

from core import DecisionAction, ModeratorDecision, Outcome
from responder.desk import Desk
from responder.sender import OutboundRequest
from store import DraftRecord

PENDING = "pending"


class DraftError(ValueError):
    """A decision that cannot be carried out; the message says why, for the moderator."""


@dataclass(frozen=True)
class Decided:
    """How a decision ended."""

    draft: DraftRecord
    message: str
    outcome: Outcome | None = None


class Approvals:
    """Carries out moderators' decisions.

    Args:
        desk: The shared desk operations.
    """

    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    async def handle(self, decision: ModeratorDecision, *, edited_text: str | None = None) -> str:
        """Implements ``core.DecisionHandler``: check the moderator, act, say what happened.

        Args:
            decision: The tap (or reply) of a moderator.
            edited_text: For an approval: the moderator's new text (edit, then approve).
        """
        if not self._desk.identity.is_staff(decision.platform, decision.moderator_id):
            await self._desk.audit(
                f"{decision.platform}:{decision.moderator_id}",
                "refused_decision",
                f"draft:{decision.draft_id}",
                {"action": decision.action.value},
            )
            return "Sorry, only staff can do this."
        actor = f"{decision.platform}:{decision.moderator_name or decision.moderator_id}"
        try:
            if decision.action is DecisionAction.APPROVE:
                return (await self.approve(decision.draft_id, actor, edited_text)).message
            if decision.action is DecisionAction.REJECT:
                reason = decision.reason or "rejected from the moderators' chat"
                return (await self.reject(decision.draft_id, actor, reason)).message
            return (await self.act_on_alert(decision.draft_id, decision.action, actor)).message
        except DraftError as exc:
            return str(exc)

    async def approve(self, draft_id: int, actor: str, text: str | None = None) -> Decided:
        """Approve a draft (with ``text``: edit then approve) and post it.

        Raises:
            DraftError: Unknown, decided, expired or cancelled draft; empty or over-long text.
        """
        draft = await self._pending(draft_id)
        new_text = draft.text if text is None else self._checked_edit(text)
        values = {
            "status": "approved",
            "text": new_text,
            "decided_at": self._desk.clock(),
            "decided_by": actor,
        }
        if not await asyncio.to_thread(
            self._desk.rstore.update_draft, draft_id, values, expect_status=PENDING
        ):
            raise DraftError(f"draft #{draft_id} was decided by someone else just now")
        action = "approve_draft" if new_text == draft.text else "edit_draft"
        detail = {"before": draft.text, "after": new_text, "kind": draft.kind}
        await self._desk.audit(actor, action, f"draft:{draft_id}", detail)
        approved = await self._get(draft_id)
        outcome = await self._desk.publish(approved, actor)
        verb = "edited and approved" if action == "edit_draft" else "approved"
        if outcome.ok:
            return Decided(approved, f"Draft #{draft_id} {verb} and posted.", outcome)
        shown = f"{outcome.status.value}: {outcome.detail}".strip()
        return Decided(approved, f"Draft #{draft_id} {verb} but posting failed ({shown}).", outcome)

    async def reject(self, draft_id: int, actor: str, reason: str) -> Decided:
        """Reject a draft with a reason.

        Raises:
            DraftError: Unknown or already decided draft, or no reason.
        """
        if not reason.strip():
            raise DraftError("give a reason for the rejection")
        draft = await self._pending(draft_id)
        values = {
            "status": "rejected",
            "decided_at": self._desk.clock(),
            "decided_by": actor,
            "decision_reason": reason.strip(),
        }
        if not await asyncio.to_thread(
            self._desk.rstore.update_draft, draft_id, values, expect_status=PENDING
        ):
            raise DraftError(f"draft #{draft_id} was decided by someone else just now")
        detail = {"before": draft.text, "after": None, "reason": reason.strip()}
        await self._desk.audit(actor, "reject_draft", f"draft:{draft_id}", detail)
        return Decided(await self._get(draft_id), f"Draft #{draft_id} rejected.")

    async def act_on_alert(self, draft_id: int, action: DecisionAction, actor: str) -> Decided:
        """Remove the flagged post, ban its author, or warn publicly under it.

        Raises:
            DraftError: Unknown alert or a draft that is not an alert.
        """
        draft = await self._get(draft_id)
        if draft.kind != "alert":
            raise DraftError(f"#{draft_id} is a draft, not an alert; approve or reject it")
        base = OutboundRequest(
            platform=draft.platform,
            kind="delete",
            target=draft.channel_id,
            message_id=draft.message_external_id,
            caused_by=f"{draft.platform}:{draft.message_external_id}",
            reason=f"{action.value} by {actor} on alert #{draft_id}",
            draft_id=draft_id,
        )
        if action is DecisionAction.REMOVE:
            request = base
        elif action is DecisionAction.BAN:
            request = replace(base, kind="ban", message_id="", user_id=draft.author_id)
        else:
            text = self._desk.text("scam_warning", draft.language)
            request = replace(base, kind="reply", text=text)
        outcome = await self._desk.sender.send(request)
        values = {"status": "handled", "decided_at": self._desk.clock(), "decided_by": actor}
        await asyncio.to_thread(self._desk.rstore.update_draft, draft_id, values)
        detail = {"action": action.value, "outcome": outcome.status.value}
        await self._desk.audit(actor, f"alert_{action.value}", f"draft:{draft_id}", detail)
        verb = {"remove": "removed", "ban": "banned", "warn": "warned"}[action.value]
        done = "done" if outcome.ok else f"failed ({outcome.status.value}: {outcome.detail})"
        return Decided(draft, f"Alert #{draft_id}: {verb}, {done}.", outcome)

    async def expire(self) -> list[int]:
        """Mark pending drafts past their time as expired; return their ids."""
        now = self._desk.clock()
        pending = await asyncio.to_thread(self._desk.rstore.drafts, status=PENDING)
        expired = []
        for draft in pending:
            if draft.expires_at <= now and await self._close(draft, "expired", "draft expired"):
                expired.append(draft.id)
        return expired

    async def cancel_for(self, platform: str, external_id: str) -> list[int]:
        """Cancel the pending drafts answering a message that was deleted."""
        pending = await asyncio.to_thread(self._desk.rstore.drafts, status=PENDING)
        cancelled = []
        for draft in pending:
            if (draft.platform, draft.message_external_id) != (platform, external_id):
                continue
            if await self._close(draft, "cancelled", "the original message was deleted"):
                cancelled.append(draft.id)
        return cancelled

    async def _close(self, draft: DraftRecord, status: str, reason: str) -> bool:
        values = {"status": status, "decided_at": self._desk.clock(), "decision_reason": reason}
        changed = await asyncio.to_thread(
            self._desk.rstore.update_draft, draft.id, values, expect_status=PENDING
        )
        if changed:
            detail = {"before": draft.text, "after": None, "reason": reason}
            await self._desk.audit("bot", f"{status}_draft", f"draft:{draft.id}", detail)
        return changed

    async def _get(self, draft_id: int) -> DraftRecord:
        draft = await asyncio.to_thread(self._desk.rstore.draft, draft_id)
        if draft is None:
            raise DraftError(f"there is no draft #{draft_id}")
        return draft

    async def _pending(self, draft_id: int) -> DraftRecord:
        draft = await self._get(draft_id)
        if draft.kind == "alert":
            raise DraftError(f"#{draft_id} is an alert; use remove, ban or warn")
        if draft.status == PENDING and draft.expires_at <= self._desk.clock():
            await self._close(draft, "expired", "draft expired")
            raise DraftError(f"draft #{draft_id} has expired")
        if draft.status != PENDING:
            why = f": {draft.decision_reason}" if draft.decision_reason else ""
            raise DraftError(f"draft #{draft_id} is already {draft.status}{why}")
        deleted = await asyncio.to_thread(
            self._desk.store.deleted_at, draft.platform, draft.message_external_id
        )
        if deleted is not None:
            await self._close(draft, "cancelled", "the original message was deleted")
            raise DraftError(f"draft #{draft_id} is cancelled: the original message was deleted")
        return draft

    def _checked_edit(self, text: str) -> str:
        cleaned = text.strip()
        if not cleaned:
            raise DraftError("the edited text is empty; write the answer or reject the draft")
        limit = self._desk.config.max_edit_length
        if len(cleaned) > limit:
            raise DraftError(
                f"the edited text is {len(cleaned)} characters long; the limit is {limit}"
            )
        return cleaned
