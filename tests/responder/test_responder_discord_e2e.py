"""End to end: fake Discord -> discord.py -> connector -> Pipeline -> Responder -> Discord."""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio
from discord_testkit import (
    ALICE,
    BOB,
    FAST,
    GENERAL,
    GUILD,
    MALLORY,
    STAFF,
    SUPPORT,
    eventually,
    make_config,
    nova_guild,
)
from discord_testkit import other_guild as _other_guild
from fake_discord import FakeDiscord
from mnemonic import Mnemonic

from classifier.baseline import KeywordClassifier
from classifier.secrets import SecretRedactor
from connectors.base import ConnectorDeps, ConnectorHealth
from connectors.discord import build
from core._base import utc_now
from responder.config import ResponderConfig
from responder.desk import Desk, Identity
from responder.policy import Policy
from responder.sender import Sender
from responder.service import Responder
from store import ResponderStore, Store
from watchdesk.pipeline import Pipeline, PipelineOptions


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    server.add_guild(nova_guild(server.bot))
    server.add_guild(_other_guild(server.bot))
    server.blocked_dm_users.add(BOB["id"])
    try:
        yield server
    finally:
        await server.stop()


@contextlib.asynccontextmanager
async def live(fake: FakeDiscord, store: Store) -> AsyncIterator[Responder]:
    bundle = build(
        make_config(fake, mod_channel_id=int(GENERAL)),
        ConnectorDeps(cursors=store, health=ConnectorHealth("discord")),
        policy=FAST,
    )
    assert bundle.outbox is not None
    config = ResponderConfig(enabled=True)
    rstore = ResponderStore(store.engine)
    mods = {"discord": bundle.outbox}
    sender = Sender(
        mods,
        mods,
        rstore,
        config,
        now=utc_now,
        monotonic=time.monotonic,  # type: ignore[arg-type]
    )
    identity = Identity(
        staff_ids={"discord": frozenset({STAFF["id"]})}, mod_chats={"discord": GENERAL}
    )
    desk = Desk(store, rstore, sender=sender, config=config, identity=identity, clock=utc_now)
    responder = Responder(desk, Policy(), None)
    bundle.connector.on_decision(responder.approvals.handle)  # type: ignore[attr-defined]
    options = PipelineOptions(batch_size=16, flush_interval_s=0.005, retry_delays_s=(0.01,))
    pipeline = Pipeline(
        store, SecretRedactor.default(), KeywordClassifier(), options, observers=[responder.observe]
    )
    fake.identified.clear()
    tasks = [
        asyncio.create_task(t)
        for t in (pipeline.run(), responder.run(), bundle.connector.run(pipeline))
    ]
    try:
        async with asyncio.timeout(5):
            await fake.identified.wait()
        yield responder
    finally:
        for task in reversed(tasks):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def dm_texts(fake: FakeDiscord, user_id: str) -> list[str]:
    channels = [c for c, u in fake.dm_channels.items() if u == user_id]
    return [
        r.body["content"] for c in channels for r in fake.calls("POST", f"/channels/{c}/messages")
    ]


async def test_discord_seed_phrase_deleted_dm_ticket_and_complaint_ticket(
    fake: FakeDiscord, store: Store
) -> None:
    phrase = str(Mnemonic("english").to_mnemonic(bytes(range(16))))
    async with live(fake, store) as responder:
        leak = await fake.post(SUPPORT, ALICE, f"help my wallet is empty!! my phrase is {phrase}")
        pushed = time.monotonic()
        await eventually(lambda: bool(dm_texts(fake, ALICE["id"])), 10)
        print(f"discord secret -> DM latency: {(time.monotonic() - pushed) * 1000:.0f} ms")
        assert fake.calls("DELETE", f"/channels/{SUPPORT}/messages/{leak['id']}")
        assert "Move your funds to a NEW wallet" in dm_texts(fake, ALICE["id"])[0]

        complaint = await fake.post(
            SUPPORT, ALICE, "withdrawal stuck for 6 hours, support never replies, worst app"
        )
        await eventually(lambda: len(dm_texts(fake, ALICE["id"])) >= 2, 10)
        await responder.drain()
        # Bob does not accept DMs: the public fallback under his post names his ticket.
        blocked = await fake.post(
            SUPPORT, BOB, "my funds are missing after the update!! urgent help"
        )
        await eventually(
            lambda: any(
                str(r.body.get("message_reference", {}).get("message_id")) == blocked["id"]
                for r in fake.calls("POST", f"/channels/{SUPPORT}/messages")
            ),
            10,
        )
        await responder.drain()

    rstore = responder.desk.rstore
    kinds = [(r.kind, r.status) for r in rstore.outbound(caused_by=f"discord:{leak['id']}")]
    assert kinds == [("delete", "sent"), ("dm", "sent"), ("post", "sent")]
    security = rstore.ticket(1)
    assert security is not None
    assert (security.priority, security.kind, security.user_id) == (
        "urgent",
        "security",
        ALICE["id"],
    )
    second = rstore.ticket(1)  # Alice's complaint joins her open ticket
    assert second is not None
    assert "user_message" in [e.kind for e in rstore.ticket_events(1)]
    (draft,) = [d for d in rstore.drafts() if d.message_external_id == complaint["id"]]
    assert draft.status == "pending"
    bob_ticket = rstore.latest_ticket_of("discord", BOB["id"])
    assert bob_ticket is not None
    assert bob_ticket.dm_blocked


def tap(fake: FakeDiscord, who: dict[str, Any], custom_id: str, n: int) -> dict[str, Any]:
    return {
        "id": str(1500000000000000000 + n),
        "application_id": fake.bot["id"],
        "type": 3,
        "token": f"token-{n}",
        "version": 1,
        "guild_id": GUILD,
        "channel_id": GENERAL,
        "member": {
            "user": who,
            "roles": [],
            "joined_at": "2025-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "permissions": "0",
        },
        "data": {"custom_id": custom_id, "component_type": 2},
    }


def answers(fake: FakeDiscord) -> list[str]:
    return [
        r.body["data"]["content"]
        for r in fake.requests
        if r.method == "POST" and r.path.startswith("/interactions/")
    ]


async def test_discord_draft_buttons_staff_approve_and_refusal(
    fake: FakeDiscord, store: Store
) -> None:
    async with live(fake, store):
        complaint = await fake.post(
            SUPPORT, ALICE, "withdrawal stuck for 6 hours, support never replies, worst app"
        )
        reviews = lambda: fake.calls("POST", f"/channels/{GENERAL}/messages")  # noqa: E731
        await eventually(lambda: bool(reviews()), 10)
        body = reviews()[0].body
        assert body["allowed_mentions"] == {"parse": []}
        row = body["components"][0]["components"]
        assert [b["label"] for b in row] == ["Approve", "Reject"]
        approve = row[0]["custom_id"]

        await fake.dispatch("INTERACTION_CREATE", tap(fake, MALLORY, approve, 1))
        await eventually(lambda: len(answers(fake)) == 1, 10)
        assert answers(fake)[0] == "Sorry, only staff can do this."

        await fake.dispatch("INTERACTION_CREATE", tap(fake, STAFF, approve, 2))
        await eventually(lambda: len(answers(fake)) == 2, 10)
        assert answers(fake)[1].endswith("approved and posted.")
        replies = [
            r.body
            for r in fake.calls("POST", f"/channels/{SUPPORT}/messages")
            if r.body.get("message_reference")
        ]
        assert str(replies[-1]["message_reference"]["message_id"]) == complaint["id"]
        assert "verified account" in replies[-1]["content"]
        flags = [
            r.body["data"]["flags"] for r in fake.requests if r.path.startswith("/interactions/")
        ]
        assert flags == [64, 64]  # only the moderator who tapped sees the answer
