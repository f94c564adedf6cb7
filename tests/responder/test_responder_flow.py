"""The responder on the replay connector's recording outbox: every action, stored and audited."""

import asyncio
from dataclasses import dataclass
from datetime import timedelta

import pytest
from responder_testkit import (
    GROUP,
    STAFF_ID,
    FakeClock,
    RecordingModChat,
    build_desk,
    classification,
    message,
)

from connectors.replay.outbox import RecordedAction, RecordingOutbox
from core import (
    DecisionAction,
    DetectionKind,
    MessageDeleted,
    ModeratorDecision,
    Outcome,
    UserCommand,
)
from core import OutcomeStatus as S
from responder.approvals import DraftError
from responder.config import ResponderConfig
from responder.desk import Desk
from responder.faq import SHIPPED_FAQ
from responder.policy import Policy
from responder.service import Responder
from store import IngestBatch, Store


@dataclass
class BlockedOutbox(RecordingOutbox):
    """The user blocked the bot: every DM is refused."""

    async def send_dm(self, user_id: str, text: str) -> Outcome:
        self.actions.append(RecordedAction("dm_refused", user_id, text))
        return Outcome(status=S.FORBIDDEN, detail="Forbidden: bot was blocked by the user")


def setup(
    store: Store,
    clock: FakeClock,
    outbox: RecordingOutbox | None = None,
    config: ResponderConfig | None = None,
) -> tuple[Responder, RecordingOutbox, RecordingModChat, Desk]:
    outbox = outbox or RecordingOutbox()
    mods = RecordingModChat()
    desk = build_desk(store, {"replay": outbox}, {"replay": mods}, clock, config)
    return Responder(desk, Policy(), None), outbox, mods, desk


def decision(draft_id: int, action: DecisionAction, who: str = STAFF_ID) -> ModeratorDecision:
    return ModeratorDecision(platform="replay", moderator_id=who, draft_id=draft_id, action=action)


async def test_secret_in_public_is_deleted_dm_ticket_and_notice(
    store: Store, clock: FakeClock
) -> None:
    responder, outbox, _, desk = setup(store, clock)
    msg = message("my phrase is [redacted]", external_id="10")
    await responder.handle_message(
        msg, classification("urgent", "security", detections=[DetectionKind.SEED_PHRASE])
    )

    kinds = [a.action for a in outbox.actions]
    assert kinds == ["delete", "dm", "reply"]
    dm, notice = outbox.actions[1].text, outbox.actions[2].text
    assert "Move your funds to a NEW wallet" in dm
    assert "#1" in dm
    assert "never ask" in notice
    assert "[redacted]" not in notice
    ticket = desk.rstore.ticket(1)
    assert ticket is not None
    assert (ticket.priority, ticket.kind) == ("urgent", "security")
    assert ticket.status == "waiting_on_user"
    assert ticket.first_response_at is None  # the automatic DM is not a person's answer
    rows = desk.rstore.outbound(caused_by="replay:10")
    assert [(r.kind, r.status) for r in rows] == [
        ("delete", "sent"),
        ("dm", "sent"),
        ("post", "sent"),
    ]
    (audit,) = [e for e in store.audit_log() if e.action == "policy"]
    assert [a["action"] for a in audit.detail["actions"]] == [
        "DeleteMessage",
        "OpenTicket",
        "SendDM",
        "PostNotice",
    ]


async def test_complaint_ticket_dm_and_draft_approved_by_staff_only(
    store: Store, clock: FakeClock
) -> None:
    responder, outbox, mods, _desk = setup(store, clock)
    msg = message(
        "withdrawal stuck, support ignores me", external_id="11", permalink="https://t.me/c/1/11"
    )
    await responder.handle_message(msg, classification("complaint"))

    assert [a.action for a in outbox.actions] == ["dm"]
    assert "#1" in outbox.actions[0].text
    assert "transaction hash" in outbox.actions[0].text
    (post, buttons) = mods.posts[0]
    assert "https://t.me/c/1/11" in post
    assert "DM from our verified account" in post
    assert [b.action for b in buttons] == [DecisionAction.APPROVE, DecisionAction.REJECT]
    draft_id = buttons[0].draft_id

    refused = await responder.approvals.handle(decision(draft_id, DecisionAction.APPROVE, "666"))
    assert refused == "Sorry, only staff can do this."
    assert len(outbox.actions) == 1

    answer = await responder.approvals.handle(decision(draft_id, DecisionAction.APPROVE))
    assert answer == f"Draft #{draft_id} approved and posted."
    reply = outbox.actions[-1]
    assert (reply.action, reply.target) == ("reply", f"{GROUP}/11")
    again = await responder.approvals.handle(decision(draft_id, DecisionAction.APPROVE))
    assert again == f"draft #{draft_id} is already sent"
    assert len(outbox.actions) == 2
    actions = [e.action for e in store.audit_log()]
    assert "refused_decision" in actions
    assert "approve_draft" in actions


async def test_the_same_message_twice_gets_one_answer(store: Store, clock: FakeClock) -> None:
    responder, outbox, mods, _ = setup(store, clock)
    msg = message("app keeps crashing, worst wallet", external_id="12")
    for _ in range(2):
        await responder.handle_message(msg, classification("complaint"))
    assert [a.action for a in outbox.actions] == ["dm"]
    assert len(mods.posts) == 1


async def test_edit_checks_and_audit(store: Store, clock: FakeClock) -> None:
    config = ResponderConfig(enabled=True, max_edit_length=40)
    responder, outbox, mods, _ = setup(store, clock, config=config)
    await responder.handle_message(
        message("fees are a robbery", external_id="13"), classification("complaint")
    )
    draft_id = mods.posts[0][1][0].draft_id
    with pytest.raises(DraftError, match="empty"):
        await responder.approvals.approve(draft_id, "cli", "   ")
    with pytest.raises(DraftError, match="the limit is 40"):
        await responder.approvals.approve(draft_id, "cli", "x" * 41)
    decided = await responder.approvals.approve(draft_id, "cli", "We DMed you.")
    assert "edited and approved" in decided.message
    assert outbox.actions[-1].text == "We DMed you."
    (entry,) = [e for e in store.audit_log() if e.action == "edit_draft"]
    assert entry.actor == "cli"
    assert entry.detail["after"] == "We DMed you."
    assert "verified account" in entry.detail["before"]


async def test_reject_needs_a_reason(store: Store, clock: FakeClock) -> None:
    responder, _, mods, desk = setup(store, clock)
    await responder.handle_message(
        message("support is useless", external_id="14"), classification("complaint")
    )
    draft_id = mods.posts[0][1][0].draft_id
    with pytest.raises(DraftError, match="reason"):
        await responder.approvals.reject(draft_id, "cli", " ")
    await responder.approvals.reject(draft_id, "cli", "tone")
    draft = desk.rstore.draft(draft_id)
    assert draft is not None
    assert (draft.status, draft.decision_reason) == ("rejected", "tone")


async def test_deleted_original_cancels_the_draft(store: Store, clock: FakeClock) -> None:
    responder, _outbox, mods, desk = setup(store, clock)
    msg = message("worst app ever", external_id="15")
    store.ingest(IngestBatch(messages=[msg]))
    await responder.handle_message(msg, classification("complaint"))
    draft_id = mods.posts[0][1][0].draft_id
    store.ingest(IngestBatch(deletions=[MessageDeleted(platform="replay", external_id="15")]))
    answer = await responder.approvals.handle(decision(draft_id, DecisionAction.APPROVE))
    assert answer == f"draft #{draft_id} is cancelled: the original message was deleted"
    draft = desk.rstore.draft(draft_id)
    assert draft is not None
    assert draft.status == "cancelled"
    assert draft.decision_reason == "the original message was deleted"


async def test_deletion_event_cancels_pending_drafts(store: Store, clock: FakeClock) -> None:
    responder, _, mods, _desk = setup(store, clock)
    await responder.handle_message(
        message("terrible support", external_id="16"), classification("complaint")
    )
    draft_id = mods.posts[0][1][0].draft_id
    assert await responder.approvals.cancel_for("replay", "16") == [draft_id]


async def test_unknown_and_expired_drafts_answer_so(store: Store, clock: FakeClock) -> None:
    responder, _, mods, _ = setup(store, clock)
    assert (
        await responder.approvals.handle(decision(999, DecisionAction.APPROVE))
        == "there is no draft #999"
    )
    await responder.handle_message(
        message("fees too high!!", external_id="17"), classification("complaint")
    )
    draft_id = mods.posts[0][1][0].draft_id
    clock.advance(timedelta(hours=7).total_seconds())
    answer = await responder.approvals.handle(decision(draft_id, DecisionAction.APPROVE))
    assert answer == f"draft #{draft_id} has expired"


async def test_blocked_dm_gets_the_public_fallback_and_a_ticket_note(
    store: Store, clock: FakeClock
) -> None:
    responder, outbox, mods, desk = setup(store, clock, outbox=BlockedOutbox())
    await responder.handle_message(
        message("funds missing!!", external_id="18"), classification("urgent")
    )
    assert [a.action for a in outbox.actions] == ["dm_refused", "reply"]
    assert "/ticket 1" in outbox.actions[1].text
    assert mods.posts == []
    ticket = desk.rstore.ticket(1)
    assert ticket is not None
    assert ticket.dm_blocked
    assert "dm_blocked" in [e.kind for e in desk.rstore.ticket_events(1)]
    forbidden = [r for r in desk.rstore.outbound() if r.kind == "dm"]
    assert forbidden[0].status == "forbidden"


async def test_phishing_alert_and_one_tap_actions(store: Store, clock: FakeClock) -> None:
    responder, outbox, mods, _desk = setup(store, clock)
    msg = message("claim airdrop at n0vawallet.io", external_id="19", author_id="66")
    await responder.handle_message(
        msg, classification("security", detections=[DetectionKind.PHISHING_URL])
    )
    text, buttons = mods.posts[0]
    assert "phishing_url" in text
    assert [b.action for b in buttons] == [
        DecisionAction.REMOVE,
        DecisionAction.BAN,
        DecisionAction.WARN,
    ]
    alert = buttons[0].draft_id
    for action in (DecisionAction.REMOVE, DecisionAction.BAN, DecisionAction.WARN):
        answer = await responder.approvals.handle(decision(alert, action))
        assert answer.endswith("done.")
    assert [(a.action, a.target) for a in outbox.actions] == [
        ("delete", f"{GROUP}/19"),
        ("ban", f"{GROUP}/66"),
        ("reply", f"{GROUP}/19"),
    ]
    assert "scam" in outbox.actions[2].text


async def test_user_dm_joins_ticket_resolution_survey_and_reopen(
    store: Store, clock: FakeClock
) -> None:
    responder, outbox, _, desk = setup(store, clock)
    await responder.handle_message(message("tx stuck", external_id="20"), classification("urgent"))
    ticket = desk.rstore.ticket(1)
    assert ticket is not None
    assert ticket.status == "waiting_on_user"
    await responder.handle_message(
        message("hash 0xabc", external_id="21", is_dm=True), classification()
    )
    ticket = desk.rstore.ticket(1)
    assert ticket is not None
    assert ticket.status == "in_progress"
    assert [e.kind for e in desk.rstore.ticket_events(1)][-2:] == ["user_message", "status"]

    await desk.resolve(1, "cli")
    assert "1 (bad) to 5" in outbox.actions[-1].text
    await responder.handle_message(
        message("5 thanks a lot", external_id="22", is_dm=True), classification()
    )
    ticket = desk.rstore.ticket(1)
    assert ticket is not None
    assert (ticket.csat_score, ticket.csat_comment) == (5, "thanks a lot")
    await responder.handle_message(
        message("it happened again", external_id="23", is_dm=True), classification()
    )
    ticket = desk.rstore.ticket(1)
    assert ticket is not None
    assert ticket.status == "in_progress"
    assert "reopened" in [e.kind for e in desk.rstore.ticket_events(1)]


async def test_sweep_records_breaches_and_follows_up_once(store: Store, clock: FakeClock) -> None:
    responder, outbox, _, desk = setup(store, clock)
    await responder.handle_message(
        message("funds gone", external_id="24"), classification("urgent")
    )
    await responder.handle_message(
        message("my wallet was drained", external_id="25", author_id="44"), classification("urgent")
    )
    clock.advance(60)
    assert (await desk.reply_to_user(2, "We are on it.", "cli")).ok
    clock.advance(timedelta(hours=25).total_seconds())
    await responder.sweep()
    await responder.sweep()
    ticket = desk.rstore.ticket(1)
    assert ticket is not None
    assert ticket.resolution_breached
    assert ticket.first_response_breached  # nobody answered within 15 minutes
    answered = desk.rstore.ticket(2)
    assert answered is not None
    assert not answered.first_response_breached
    assert answered.first_response_at == answered.created_at + timedelta(seconds=60)
    follow_ups = [a for a in outbox.actions if "still waiting" in a.text]
    assert len(follow_ups) == 2  # one per ticket, not one per sweep


async def test_staff_and_bot_messages_are_never_answered(store: Store, clock: FakeClock) -> None:
    responder, outbox, mods, _ = setup(store, clock)
    await responder.handle_message(message("urgent!", author_id=STAFF_ID), classification("urgent"))
    await responder.handle_message(
        message("urgent!", external_id="2", author_id="7000001"), classification("urgent")
    )
    assert outbox.actions == []
    assert mods.posts == []


async def test_two_moderators_at_once_post_once(store: Store, clock: FakeClock) -> None:
    responder, outbox, mods, _ = setup(store, clock)
    await responder.handle_message(
        message("support never answers", external_id="30"), classification("complaint")
    )
    draft_id = mods.posts[0][1][0].draft_id
    answers = await asyncio.gather(
        responder.approvals.handle(decision(draft_id, DecisionAction.APPROVE)),
        responder.approvals.handle(decision(draft_id, DecisionAction.APPROVE)),
    )
    assert sum(a.endswith("approved and posted.") for a in answers) == 1
    assert [a.action for a in outbox.actions].count("reply") == 1


async def test_faq_answer_is_auto_sent_when_allowed(store: Store, clock: FakeClock) -> None:
    from responder_testkit import HashEmbedder

    from responder.faq import FaqIndex, load_faq

    config = ResponderConfig(
        enabled=True, auto_send_faq=True, faq_min_score=0.5, min_confidence=0.9
    )
    outbox = RecordingOutbox()
    desk = build_desk(store, {"replay": outbox}, {"replay": RecordingModChat()}, clock, config)
    faq = FaqIndex(load_faq(SHIPPED_FAQ), HashEmbedder())
    responder = Responder(desk, Policy(), faq)
    await responder.handle_message(
        message("how do I add a custom token?", external_id="31"), classification()
    )
    (reply,) = outbox.actions
    assert reply.action == "reply"
    assert reply.text.startswith("Open the token list")
    (draft,) = desk.rstore.drafts(status="sent")
    assert (draft.faq_id, draft.decided_by) == ("add-custom-token", "bot:auto-send")


async def test_an_edit_that_exposes_a_secret_is_acted_on_once(
    store: Store, clock: FakeClock
) -> None:
    responder, outbox, _, _ = setup(store, clock)
    first = message("gm", external_id="40")
    await responder.handle_message(first, classification())
    leaked = message("gm [redacted]", external_id="40", redacted=True)
    await responder.handle_message(leaked, classification(), edited=True)
    await responder.handle_message(leaked, classification(), edited=True)
    await responder.handle_message(
        message("gm!!", external_id="40"), classification("urgent"), edited=True
    )
    assert [a.action for a in outbox.actions] == ["delete", "dm", "reply"]


async def test_ticket_and_status_commands(store: Store, clock: FakeClock) -> None:
    responder, outbox, _, desk = setup(store, clock)
    dm = message("/status", external_id="50", is_dm=True)
    await responder.desk_command(UserCommand(name="status", message=dm))
    assert "no open ticket" in outbox.actions[-1].text
    opened = message("/ticket my swap failed", external_id="51", is_dm=True)
    await responder.desk_command(
        UserCommand(name="ticket", args=("my", "swap", "failed"), message=opened)
    )
    assert "ticket #1" in outbox.actions[-1].text
    ticket = desk.rstore.ticket(1)
    assert ticket is not None
    assert ticket.summary == "my swap failed"
    again = message("/status", external_id="52", is_dm=True)
    await responder.desk_command(UserCommand(name="status", message=again))
    assert outbox.actions[-1].text == "Ticket #1: open."
    await responder.desk_command(UserCommand(name="status", message=again))  # redelivered
    assert len(outbox.actions) == 3
