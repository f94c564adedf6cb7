"""End to end: fake Telegram Bot API -> connector -> Pipeline -> Responder -> Bot API again."""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from fake_bot_api import FakeBotApi
from mnemonic import Mnemonic
from telegram_testkit import make_config, wait_until

from classifier.baseline import KeywordClassifier
from classifier.secrets import SecretRedactor
from connectors.base import ConnectorDeps, ConnectorHealth
from connectors.telegram import build
from core._base import utc_now
from responder.config import ResponderConfig
from responder.desk import Desk, Identity
from responder.policy import Policy
from responder.sender import Sender
from responder.service import Responder
from store import ResponderStore, Store
from watchdesk.pipeline import Pipeline, PipelineOptions

GROUP = -1001987654321
MODS = -1001000000009
STAFF = 900


@dataclass
class World:
    api: FakeBotApi
    store: Store
    responder: Responder
    group: dict[str, Any]

    def sent_to(self, chat_id: int) -> list[dict[str, Any]]:
        return [s for s in self.api.recorded.sent if s["chat_id"] == chat_id]

    def user(self, user_id: int, name: str, *, started_bot: bool = True) -> dict[str, Any]:
        user = self.api.user(user_id, name, name.lower())
        if started_bot:  # Telegram: a bot may only DM users who started it
            self.api.chats[user_id] = self.api.private_chat(user)
        return user


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotApi]:
    api = FakeBotApi()
    await api.start()
    yield api
    await api.stop()


@contextlib.asynccontextmanager
async def running(store: Store, api: FakeBotApi) -> AsyncIterator[World]:
    config = make_config(api, staff_ids=[STAFF], mod_chat_id=MODS)
    bundle = build(config, ConnectorDeps(cursors=store, health=ConnectorHealth("telegram")))
    assert bundle.outbox is not None
    responder_config = ResponderConfig(enabled=True)
    rstore = ResponderStore(store.engine)
    outboxes = {"telegram": bundle.outbox}
    sender = Sender(
        outboxes,
        {"telegram": bundle.outbox},
        rstore,
        responder_config,  # type: ignore[dict-item]
        now=utc_now,
        monotonic=time.monotonic,
    )
    identity = Identity(
        staff_ids={"telegram": frozenset({str(STAFF)})}, mod_chats={"telegram": str(MODS)}
    )
    desk = Desk(
        store, rstore, sender=sender, config=responder_config, identity=identity, clock=utc_now
    )
    responder = Responder(desk, Policy(), None)
    bundle.connector.on_decision(responder.approvals.handle)  # type: ignore[attr-defined]
    options = PipelineOptions(batch_size=16, flush_interval_s=0.005, retry_delays_s=(0.01,))
    pipeline = Pipeline(
        store, SecretRedactor.default(), KeywordClassifier(), options, observers=[responder.observe]
    )
    api.supergroup(MODS, "Mods")
    group = api.supergroup(GROUP, "NovaWallet Help")
    tasks = [
        asyncio.create_task(t)
        for t in (pipeline.run(), responder.run(), bundle.connector.run(pipeline))
    ]
    try:
        yield World(api, store, responder, group)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def test_seed_phrase_in_group_is_deleted_author_dmed_ticket_opened(
    store: Store, fake_api: FakeBotApi
) -> None:
    phrase = str(Mnemonic("english").to_mnemonic(bytes(range(16))))
    async with running(store, fake_api) as world:
        alice = world.user(555001, "Alice")
        leak = fake_api.message(
            world.group, alice, f"help my wallet is empty!! my phrase is {phrase}"
        )
        pushed = time.monotonic()
        fake_api.push("message", leak)
        await wait_until(lambda: bool(world.sent_to(555001)) and bool(world.sent_to(GROUP)), 10)
        dm_call = next(
            c for c in fake_api.calls_to("sendMessage") if str(c.params.get("chat_id")) == "555001"
        )
        latency = dm_call.at - pushed
        print(f"secret -> DM latency: {latency * 1000:.0f} ms")
        assert latency < 5.0

    assert fake_api.recorded.deleted == [(GROUP, leak["message_id"])]
    (dm,) = world.sent_to(555001)
    assert "Move your funds to a NEW wallet" in dm["text"]
    (notice,) = world.sent_to(GROUP)
    assert phrase.split()[0] not in notice["text"].split()
    assert "never ask" in notice["text"]
    ticket = world.responder.desk.rstore.ticket(1)
    assert ticket is not None
    assert (ticket.priority, ticket.kind, ticket.user_id) == ("urgent", "security", "555001")


async def test_complaint_ticket_dm_draft_buttons_approve_and_refusal(
    store: Store, fake_api: FakeBotApi
) -> None:
    async with running(store, fake_api) as world:
        bob = world.user(555002, "Bob")
        carol = world.user(555003, "Carol")
        staff = world.user(STAFF, "Mod")
        complaint = fake_api.message(
            world.group, bob, "withdrawal stuck for 6 hours, support never replies, worst app"
        )
        fake_api.push("message", complaint)
        fake_api.push("message", complaint)  # delivered twice: answered once
        await wait_until(lambda: bool(world.sent_to(MODS)), 10)
        (dm,) = world.sent_to(555002)
        assert "ticket #1" in dm["text"]
        assert "transaction hash" in dm["text"]
        (review,) = world.sent_to(MODS)
        assert f"Original: https://t.me/c/1987654321/{complaint['message_id']}" in review["text"]
        assert "Message: withdrawal stuck for 6 hours" in review["text"]
        row = review["reply_markup"]["inline_keyboard"][0]
        assert [b["text"] for b in row] == ["Approve", "Reject"]
        approve = row[0]["callback_data"]

        posted = fake_api.sent_message(review)
        fake_api.push("callback_query", fake_api.callback_query(carol, posted, approve))
        await wait_until(lambda: len(fake_api.recorded.callback_answers) == 1, 10)
        assert fake_api.recorded.callback_answers[0]["text"] == "Sorry, only staff can do this."
        assert world.sent_to(GROUP) == []

        fake_api.push("callback_query", fake_api.callback_query(staff, posted, approve))
        await wait_until(lambda: len(fake_api.recorded.callback_answers) == 2, 10)
        assert fake_api.recorded.callback_answers[1]["text"].endswith("approved and posted.")
        (reply,) = world.sent_to(GROUP)
        assert reply["reply_parameters"]["message_id"] == complaint["message_id"]
        assert "verified account" in reply["text"]

        fake_api.push("callback_query", fake_api.callback_query(staff, posted, "wd:approve:999"))
        await wait_until(lambda: len(fake_api.recorded.callback_answers) == 3, 10)
        assert fake_api.recorded.callback_answers[2]["text"] == "there is no draft #999"
        assert len(world.sent_to(555002)) == 1


async def test_user_who_never_started_the_bot_gets_the_public_fallback(
    store: Store, fake_api: FakeBotApi
) -> None:
    async with running(store, fake_api) as world:
        dave = world.user(555004, "Dave", started_bot=False)
        msg = fake_api.message(
            world.group, dave, "my funds are missing after the update!! urgent help"
        )
        fake_api.push("message", msg)
        await wait_until(lambda: bool(world.sent_to(GROUP)), 10)
        (fallback,) = world.sent_to(GROUP)
        assert "/ticket 1" in fallback["text"]
        ticket = world.responder.desk.rstore.ticket(1)
        assert ticket is not None
        assert ticket.dm_blocked


async def test_a_moderator_reply_to_the_draft_edits_and_approves_it(
    store: Store, fake_api: FakeBotApi
) -> None:
    async with running(store, fake_api) as world:
        erin = world.user(555005, "Erin")
        carol = world.user(555003, "Carol")
        staff = world.user(STAFF, "Mod")
        complaint = fake_api.message(world.group, erin, "fees are too high, worst app, fix it")
        fake_api.push("message", complaint)
        await wait_until(lambda: bool(world.sent_to(MODS)), 10)
        posted = fake_api.sent_message(world.sent_to(MODS)[0])
        mods = fake_api.chats[MODS]

        fake_api.push("message", fake_api.message(mods, carol, "lol", reply_to_message=posted))
        await wait_until(lambda: len(world.sent_to(MODS)) == 2, 10)
        assert world.sent_to(MODS)[1]["text"] == "Sorry, only staff can do this."

        edited = "Sorry about the fees: we sent you a DM from our verified account."
        fake_api.push("message", fake_api.message(mods, staff, "   ", reply_to_message=posted))
        await wait_until(lambda: len(world.sent_to(MODS)) == 3, 10)
        assert "the edited text is empty" in world.sent_to(MODS)[2]["text"]
        fake_api.push("message", fake_api.message(mods, staff, edited, reply_to_message=posted))
        await wait_until(lambda: bool(world.sent_to(GROUP)), 10)
        (reply,) = world.sent_to(GROUP)
        assert reply["text"] == edited
        assert reply["reply_parameters"]["message_id"] == complaint["message_id"]
        await wait_until(lambda: len(world.sent_to(MODS)) == 4, 10)
        assert world.sent_to(MODS)[3]["text"].endswith("edited and approved and posted.")
    (entry,) = [e for e in store.audit_log() if e.action == "edit_draft"]
    assert entry.detail["after"] == edited
    assert entry.actor == "telegram:mod"
