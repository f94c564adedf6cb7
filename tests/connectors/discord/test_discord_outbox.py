"""The outbox through discord.py against the fake REST API: outcomes, limits and faults."""

import time

from discord_testkit import (
    ALICE,
    BOB,
    GENERAL,
    GUILD,
    MALLORY,
    OWNER,
    SUPPORT,
    make_harness,
    running,
)
from fake_discord_world import P

from connectors.discord.outbox import MAX_CHARS
from core import OutcomeStatus


async def test_reply_is_threaded_silent_and_without_previews(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h):
        question = await fake.post(SUPPORT, ALICE, "help @everyone")
        outcome = await h.outbox.reply(
            SUPPORT, question["id"], "We've sent you a DM from our verified account."
        )
    assert outcome.status is OutcomeStatus.SENT
    assert outcome.external_id
    body = fake.calls("POST", f"/channels/{SUPPORT}/messages")[0].body
    assert str(body["message_reference"]["message_id"]) == question["id"]
    assert body["allowed_mentions"] == {"parse": [], "replied_user": False}
    assert body["flags"] & 4  # SUPPRESS_EMBEDS: no link previews
    assert body["enforce_nonce"] is True
    assert body["nonce"]


async def test_reply_to_a_deleted_message_is_not_found(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h):
        outcome = await h.outbox.reply(SUPPORT, "1200000000000099999", "hello")
    assert outcome.status is OutcomeStatus.NOT_FOUND


async def test_dm_to_a_user_who_blocks_the_bot_is_forbidden(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h):
        blocked = await h.outbox.send_dm(
            BOB["id"], "move your funds now; staff never ask for your phrase"
        )
        delivered = await h.outbox.send_dm(ALICE["id"], "your ticket is #42")
    assert blocked.status is OutcomeStatus.FORBIDDEN
    assert "50007" in blocked.detail
    assert delivered.status is OutcomeStatus.SENT
    assert len(fake.calls("POST", "/users/@me/channels")) == 2


async def test_too_long_is_refused_not_cut(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h):
        outcome = await h.outbox.reply(SUPPORT, "1", "x" * (MAX_CHARS + 1))
        exact = await h.outbox.send_dm(ALICE["id"], "y" * MAX_CHARS)
    assert outcome.status is OutcomeStatus.TOO_LONG
    assert "2001" in outcome.detail
    assert exact.status is OutcomeStatus.SENT
    assert not fake.calls("POST", f"/channels/{SUPPORT}/messages")


async def test_429_waits_as_told_then_succeeds(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h):
        question = await fake.post(SUPPORT, ALICE, "anyone?")
        fake.rate_limit(f"POST /channels/{SUPPORT}/messages", retry_after=0.4)
        started = time.monotonic()
        outcome = await h.outbox.reply(SUPPORT, question["id"], "yes")
    posts = fake.calls("POST", f"/channels/{SUPPORT}/messages")
    assert outcome.status is OutcomeStatus.SENT
    assert len(posts) == 2
    assert posts[1].at - posts[0].at >= 0.4
    assert time.monotonic() - started >= 0.4


async def test_long_or_cloudflare_rate_limits_come_back_as_rate_limited(
    fake, sink, cursors
) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h):
        fake.rate_limit("POST /users/@me/channels", retry_after=45.0)
        started = time.monotonic()
        too_long = await h.outbox.send_dm(ALICE["id"], "hi")
        fake.rate_limit("POST /users/@me/channels", retry_after=0.1, via=False)
        cloudflare = await h.outbox.send_dm(ALICE["id"], "hi")
    assert too_long.status is OutcomeStatus.RATE_LIMITED
    assert time.monotonic() - started < 5  # not slept for 45 s
    assert cloudflare.status is OutcomeStatus.RATE_LIMITED
    assert "429" in cloudflare.detail


async def test_server_errors_are_retried_with_backoff(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h):
        question = await fake.post(SUPPORT, ALICE, "anyone?")
        fake.fail(f"POST /channels/{SUPPORT}/messages", 503)
        recovered = await h.outbox.reply(SUPPORT, question["id"], "yes")
        fake.fail(f"POST /channels/{SUPPORT}/messages", 503, 503, 503)
        given_up = await h.outbox.reply(SUPPORT, question["id"], "yes again")
    assert recovered.status is OutcomeStatus.SENT
    assert given_up.status is OutcomeStatus.FAILED
    assert "3 attempts" in given_up.detail


async def test_retried_send_posts_once(fake, sink, cursors) -> None:
    # The same nonce on every attempt: Discord (and the fake) posts the message once.
    h = make_harness(fake, sink, cursors)
    async with running(h):
        question = await fake.post(SUPPORT, ALICE, "anyone?")
        fake.fail(f"POST /channels/{SUPPORT}/messages", 503)
        await h.outbox.reply(SUPPORT, question["id"], "yes")
    nonces = [c.body["nonce"] for c in fake.calls("POST", f"/channels/{SUPPORT}/messages")]
    assert len(nonces) == 2
    assert nonces[0] == nonces[1]


async def test_delete_ban_kick_timeout(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h):
        leak = await fake.post(SUPPORT, ALICE, "my seed is ...")
        deleted = await h.outbox.delete(SUPPORT, leak["id"])
        gone = await h.outbox.delete(SUPPORT, leak["id"])
        timed_out = await h.outbox.timeout(SUPPORT, BOB["id"], 600, "spam")
        kicked = await h.outbox.kick(SUPPORT, BOB["id"], "impersonation")
        banned = await h.outbox.ban(GUILD, "1400000000000000055", "phishing links")
        await sink.wait_count("delete", 1)
    assert deleted.status is OutcomeStatus.SENT
    assert gone.status is OutcomeStatus.NOT_FOUND
    assert sink.of("delete")[0].external_id == leak["id"]
    assert timed_out.status is OutcomeStatus.SENT
    patch = fake.calls("PATCH", f"/guilds/{GUILD}/members/{BOB['id']}")[0]
    assert patch.body["communication_disabled_until"]
    assert kicked.status is OutcomeStatus.SENT
    assert fake.calls("DELETE", f"/guilds/{GUILD}/members/{BOB['id']}")
    assert banned.status is OutcomeStatus.SENT
    ban = fake.calls("PUT", f"/guilds/{GUILD}/bans/1400000000000000055")[0]
    assert ban.query == {"delete_message_seconds": "0"}


async def test_permission_checks_refuse_before_calling_discord(fake, sink, cursors) -> None:
    guild = fake.guilds[GUILD]
    for role in guild.roles:  # @everyone and the bot's role: can read and post, nothing more
        role["permissions"] = (
            str(P(view_channel=True, send_messages=True).value)
            if role["name"] != "admins"
            else role["permissions"]
        )
    h = make_harness(fake, sink, cursors)
    async with running(h):
        reply = await h.outbox.reply(GENERAL, "1", "hi")
        ban = await h.outbox.ban(SUPPORT, BOB["id"], "x")
        delete = await h.outbox.delete(SUPPORT, "1")
    assert reply.status is OutcomeStatus.FORBIDDEN
    assert "Read Message History" in reply.detail
    assert ban.status is OutcomeStatus.FORBIDDEN
    assert "Ban Members" in ban.detail
    assert delete.status is OutcomeStatus.FORBIDDEN
    assert "Manage Messages" in delete.detail
    assert not [r for r in fake.requests if r.method in {"POST", "PUT", "DELETE"}]


async def test_hierarchy_owner_and_admins_are_refused(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h):
        owner = await h.outbox.kick(SUPPORT, OWNER["id"], "x")
        admin = await h.outbox.timeout(SUPPORT, MALLORY["id"], 60, "x")
        too_long = await h.outbox.timeout(SUPPORT, ALICE["id"], 29 * 24 * 3600, "x")
    assert owner.status is OutcomeStatus.FORBIDDEN
    assert "owner" in owner.detail
    assert admin.status is OutcomeStatus.FORBIDDEN
    assert too_long.status is OutcomeStatus.FAILED
    assert "28 days" in too_long.detail


async def test_outbox_without_the_connector_logs_in_for_rest_only(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)  # the connector is never run in this "process"
    try:
        delivered = await h.outbox.send_dm(ALICE["id"], "your ticket is #42")
        blocked = await h.outbox.send_dm(BOB["id"], "hi")
        kicked = await h.outbox.kick(SUPPORT, BOB["id"], "spam")  # no cache: Discord decides
    finally:
        await h.outbox.aclose()
    assert delivered.status is OutcomeStatus.SENT
    assert blocked.status is OutcomeStatus.FORBIDDEN
    assert kicked.status is OutcomeStatus.SENT
    assert len(fake.calls("GET", "/users/@me")) == 1  # logged in once
    assert not fake.gateway_queries  # and never opened the gateway


async def test_outbox_waiting_for_a_login_fails_cleanly(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    h.outbox._connect_wait = 0.05
    h.connector.slot.running = True  # started, but not (yet) logged in
    waiting = await h.outbox.send_dm(ALICE["id"], "hi")
    assert waiting.status is OutcomeStatus.FAILED
    assert "not connected" in waiting.detail
    assert not fake.requests
