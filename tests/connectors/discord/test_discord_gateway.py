"""The real discord.py client against the fake gateway: receiving, edits, deletions, members."""

import asyncio
import json

import pytest
from discord_testkit import (
    ALICE,
    BOB,
    FORUM_POST,
    GENERAL,
    GUILD,
    OTHER_CHAT,
    STAFF,
    SUPPORT,
    THREAD,
    make_harness,
    running,
    settle,
)
from fake_discord import FakeDiscord
from fake_discord_world import member

from connectors.base import HealthState
from connectors.discord import INTENT_HELP
from core import ChannelKind, ConfigError


async def test_messages_in_become_events(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h):
        sent = await fake.post(SUPPORT, ALICE, "my funds are gone, help")
        events = await sink.wait_count("message", 1)
        assert h.health.state is HealthState.HEALTHY
    assert h.health.state is HealthState.STOPPED
    event = events[0]
    assert event.message.external_id == sent["id"]
    assert event.message.channel.kind is ChannelKind.GROUP
    assert event.message.channel.name == "support"
    assert event.message.author.display_name == "Alice"
    assert event.message.permalink == f"https://discord.com/channels/{GUILD}/{SUPPORT}/{sent['id']}"
    assert event.cursor.connector == "discord"
    assert (event.cursor.key, event.cursor.value) == (SUPPORT, sent["id"])
    _path, query = fake.gateway_queries[0]
    assert query == {"v": "10", "encoding": "json", "compress": "zlib-stream"}


async def test_threads_forum_posts_and_dms(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h):
        in_thread = await fake.post(THREAD, ALICE, "still stuck", position=3)
        in_forum = await fake.post(FORUM_POST, ALICE, "swap failed on v2.3")
        dm_channel = "1500000000000000001"
        fake.history[dm_channel] = []
        in_dm = await fake.post(dm_channel, ALICE, "hello bot")
        events = await sink.wait_count("message", 3)
    by_id = {e.message.external_id: e.message for e in events}
    thread_msg, forum_msg, dm_msg = (
        by_id[in_thread["id"]],
        by_id[in_forum["id"]],
        by_id[in_dm["id"]],
    )
    assert thread_msg.channel.kind is ChannelKind.THREAD
    assert thread_msg.thread_id == THREAD
    assert thread_msg.channel.name == "Wallet stuck"
    assert forum_msg.channel.kind is ChannelKind.THREAD
    assert forum_msg.thread_id == FORUM_POST
    assert dm_msg.channel.kind is ChannelKind.DM
    assert dm_msg.is_dm
    assert dm_msg.permalink == f"https://discord.com/channels/@me/{dm_channel}/{in_dm['id']}"


async def test_unwatched_guilds_and_channels_are_counted_not_emitted(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors, channels=[int(SUPPORT)])
    async with running(h):
        await fake.post(OTHER_CHAT, ALICE, "elsewhere")
        await fake.post(GENERAL, ALICE, "not a watched channel")
        kept = await fake.post(THREAD, ALICE, "thread under #support is watched")
        await sink.wait_count("message", 1)
        await settle(h)
    assert [e.message.external_id for e in sink.of("message")] == [kept["id"]]
    assert h.health.counters["ignored_guild"] == 1
    assert h.health.counters["ignored_channel"] == 1


async def test_edits_and_embed_only_updates(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h):
        original = await fake.post(SUPPORT, ALICE, "see https://novawallet.io/help")
        await sink.wait_count("message", 1)
        # Link unfurl: partial update without content (legacy shape) -> skipped, text kept.
        await fake.dispatch(
            "MESSAGE_UPDATE",
            {
                "id": original["id"],
                "channel_id": SUPPORT,
                "guild_id": GUILD,
                "embeds": [{"type": "link"}],
            },
        )
        edited = {
            **original,
            "content": "edited: my seed is lost",
            "edited_timestamp": "2030-01-01T00:00:00+00:00",
        }
        await fake.dispatch("MESSAGE_UPDATE", edited)
        edits = await sink.wait_count("edit", 1)
        await settle(h)
    assert len(sink.of("edit")) == 1
    assert edits[0].message.text == "edited: my seed is lost"
    assert edits[0].message.edited_at is not None
    assert edits[0].cursor.value == original["id"]
    assert h.health.counters["update_without_content"] == 1


async def test_deletions_are_recorded_even_for_unseen_messages(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h):
        await fake.dispatch(
            "MESSAGE_DELETE",
            {"id": "1200000000000099999", "channel_id": SUPPORT, "guild_id": GUILD},
        )
        await fake.dispatch(
            "MESSAGE_DELETE_BULK",
            {
                "ids": ["1200000000000099997", "1200000000000099998"],
                "channel_id": SUPPORT,
                "guild_id": GUILD,
            },
        )
        deleted = await sink.wait_count("delete", 3)
    assert {d.external_id for d in deleted} == {
        "1200000000000099997",
        "1200000000000099998",
        "1200000000000099999",
    }
    assert all(d.platform == "discord" and d.channel_id == SUPPORT for d in deleted)


async def test_member_joins_and_renames(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    newcomer = {
        "id": "1400000000000000077",
        "username": "nova_helpdesk",
        "discriminator": "0",
        "global_name": "Nova Helpdesk",
        "avatar": None,
    }
    async with running(h):
        await fake.dispatch("GUILD_MEMBER_ADD", {**member(newcomer), "guild_id": GUILD})
        # A role change only: same name, no event.
        await fake.dispatch(
            "GUILD_MEMBER_UPDATE", {**member(ALICE, roles=["1"]), "guild_id": GUILD}
        )
        await fake.dispatch(
            "GUILD_MEMBER_UPDATE", {**member(ALICE, nick="Nova | Support"), "guild_id": GUILD}
        )
        events = await sink.wait_count("member", 2)
        await settle(h)
    joined, renamed = sink.of("member")
    assert joined.author.display_name == "Nova Helpdesk"
    assert joined.previous_name is None
    assert joined.channel.id == GUILD
    assert joined.channel.name == "NovaWallet"
    assert renamed.author.display_name == "Nova | Support"
    assert renamed.previous_name == "Alice"
    assert len(events) == 2


async def test_staff_bots_own_messages_and_mentions(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h):
        staff = await fake.post(SUPPORT, STAFF, "we will DM you", nick="Nova | Support")
        await fake.post(SUPPORT, fake.bot, "the bot's own reply")
        mention = await fake.post(SUPPORT, ALICE, f"<@{fake.bot['id']}> help", mentions=[fake.bot])
        await sink.wait_count("message", 2)
        await settle(h)
    by_id = {e.message.external_id: e.message for e in sink.of("message")}
    assert set(by_id) == {staff["id"], mention["id"]}
    assert by_id[staff["id"]].author.is_staff
    assert by_id[staff["id"]].author.display_name == "Nova | Support"
    assert by_id[mention["id"]].mentions_bot
    assert h.health.counters["own_messages"] == 1


async def test_text_commands_become_user_commands(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h):
        scam = await fake.post(SUPPORT, BOB, "DM me for support, I fix wallets")
        report = await fake.post(SUPPORT, ALICE, "/report scammer", reply_to=scam["id"])
        await fake.post(SUPPORT, ALICE, "!ticket my swap failed")
        commands = await sink.wait_count("command", 2)
        await settle(h)
    # A command message is emitted once, inside its UserCommand.
    assert [m.message.external_id for m in sink.of("message")] == [scam["id"]]
    assert [(c.name, c.args) for c in commands] == [
        ("report", ("scammer",)),
        ("ticket", ("my", "swap", "failed")),
    ]
    assert commands[0].target_external_id == scam["id"]
    assert commands[0].message.external_id == report["id"]
    assert commands[0].cursor.value == report["id"]


async def test_malformed_payloads_are_dead_letters_and_the_stream_goes_on(
    fake, sink, cursors
) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h):
        bad = fake.new_message(SUPPORT, ALICE, "x")
        bad["timestamp"] = "yesterday-ish"
        await fake.dispatch("MESSAGE_CREATE", bad)
        # discord.py's own parser chokes on this one (no author/content/type): guarded.
        await fake.dispatch("MESSAGE_CREATE", {"id": "not-a-snowflake", "channel_id": SUPPORT})
        good = await fake.post(SUPPORT, ALICE, "still here")
        await sink.wait_count("message", 1)
        invalid = await sink.wait_count("invalid", 2)
        assert h.health.state is HealthState.HEALTHY
    assert len(fake.gateway_queries) == 1  # same connection throughout
    assert sink.of("message")[0].message.external_id == good["id"]
    reasons = " | ".join(i.reason for i in invalid)
    assert "timestamp" in reasons
    assert "numeric id" in reasons
    dated = next(i for i in invalid if "timestamp" in i.reason)
    assert json.loads(dated.payload)["id"] == bad["id"]
    assert dated.cursor is None  # an unreadable payload does not move the position
    assert dated.location.startswith("gateway MESSAGE_CREATE")
    assert h.health.counters["sdk_parse_errors"] >= 1


async def test_an_undecodable_frame_is_a_dead_letter_and_a_new_session(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h):
        first = await fake.post(SUPPORT, ALICE, "before")
        await sink.wait_count("message", 1)
        fake.identified.clear()
        await fake.send_raw("{not json")
        after = await fake.post(SUPPORT, ALICE, "sent while the bot reconnects")
        async with asyncio.timeout(5):
            await fake.identified.wait()
        messages = await sink.wait_count("message", 2)
        invalid = await sink.wait_count("invalid", 1)
    assert [m.message.external_id for m in messages] == [first["id"], after["id"]]
    assert "not JSON" in invalid[0].reason
    assert invalid[0].payload == "{not json"


async def test_heartbeats_are_sent_and_acknowledged(sink, cursors) -> None:
    fast = FakeDiscord(heartbeat_ms=100)
    await fast.start()
    try:
        h = make_harness(fast, sink, cursors)
        async with running(h):
            await asyncio.sleep(0.35)
        beats = [op for op in fast.received_ops if op["op"] == 1]
        assert len(beats) >= 3
        assert beats[-1]["d"] == fast.session.events[-1]["s"]  # the last sequence seen
    finally:
        await fast.stop()


async def test_missing_message_content_intent_is_a_clear_error(fake, sink, cursors) -> None:
    fake.disallow_privileged = True
    h = make_harness(fake, sink, cursors)
    with pytest.raises(ConfigError) as caught:
        async with asyncio.timeout(5):
            await h.connector.run(sink)
    assert "Enable MESSAGE CONTENT INTENT under Bot → Privileged Gateway Intents" in str(
        caught.value
    )
    assert str(caught.value) == INTENT_HELP
    assert h.health.state is HealthState.UNHEALTHY
    assert h.health.last_error == INTENT_HELP
