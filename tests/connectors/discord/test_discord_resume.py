"""Reconnects and restarts: RESUME replays, re-IDENTIFY, backfill from saved cursors.

Nothing may be lost and no message may be emitted twice.
"""

import asyncio

from discord_testkit import (
    ALICE,
    STAFF,
    SUPPORT,
    THREAD,
    MemoryCursors,
    RecordingSink,
    make_harness,
    running,
    settle,
)


def ids(sink: RecordingSink) -> list[str]:
    return [e.message.external_id for e in sink.of("message")]


async def test_gateway_drop_resumes_and_replays_missed_events(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h):
        first = await fake.post(SUPPORT, ALICE, "one")
        await sink.wait_count("message", 1)
        fake.resumed.clear()
        await fake.drop()
        missed = await fake.post(SUPPORT, ALICE, "two, sent while the socket was down")
        async with asyncio.timeout(5):
            await fake.resumed.wait()
        third = await fake.post(SUPPORT, ALICE, "three")
        await sink.wait_count("message", 3)
        await settle(h)
    assert ids(sink) == [first["id"], missed["id"], third["id"]]
    resume = [op for op in fake.received_ops if op["op"] == 6]
    assert len(resume) == 1
    assert resume[0]["d"]["session_id"] == fake.session.id
    assert fake.gateway_queries[-1][0] == "/gateway-resume"  # resume_gateway_url from READY
    assert len([op for op in fake.received_ops if op["op"] == 2]) == 1  # no second IDENTIFY


async def test_reconnect_request_op7_resumes(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h):
        await fake.post(SUPPORT, ALICE, "one")
        await sink.wait_count("message", 1)
        fake.resumed.clear()
        await fake.request_reconnect()
        async with asyncio.timeout(5):
            await fake.resumed.wait()
        await fake.post(SUPPORT, ALICE, "two")
        await sink.wait_count("message", 2)
        await settle(h)
    assert len(ids(sink)) == len(set(ids(sink))) == 2
    assert [op["op"] for op in fake.received_ops].count(6) == 1


async def test_invalid_session_reidentifies_and_backfills(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h):
        first = await fake.post(SUPPORT, ALICE, "one")
        await sink.wait_count("message", 1)
        fake.identified.clear()
        # Discord loses the session; messages written meanwhile exist only in history.
        await fake.drop()
        fake.session.resumable = False
        lost = [fake.post_offline(SUPPORT, ALICE, f"offline {i}") for i in range(3)]
        async with asyncio.timeout(5):
            await fake.identified.wait()  # RESUME refused with op 9, then a fresh IDENTIFY
        await sink.wait_count("message", 4)
        await settle(h)
    assert ids(sink) == [first["id"], *(m["id"] for m in lost)]
    assert [op["op"] for op in fake.received_ops].count(2) == 2
    page = fake.calls("GET", f"/channels/{SUPPORT}/messages")[-1]
    assert page.query["after"] == first["id"]


async def test_invalid_session_op9_mid_session(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h):
        first = await fake.post(SUPPORT, ALICE, "one")
        await sink.wait_count("message", 1)
        fake.identified.clear()
        await fake.invalidate_session(resumable=False)
        async with asyncio.timeout(5):
            await fake.identified.wait()
        await settle(h)
        second = await fake.post(SUPPORT, ALICE, "two")
        await sink.wait_count("message", 2)
        await settle(h)
    assert ids(sink) == [first["id"], second["id"]]
    assert [op["op"] for op in fake.received_ops].count(2) == 2
    assert [op["op"] for op in fake.received_ops].count(6) == 0


async def test_restart_mid_stream_loses_nothing_and_repeats_nothing(fake) -> None:
    cursors = MemoryCursors()
    before = RecordingSink()
    h1 = make_harness(fake, before, cursors)
    async with running(h1):
        seen = [await fake.post(SUPPORT, ALICE, f"live {i}") for i in range(3)]
        seen.append(await fake.post(THREAD, STAFF, "in the thread"))
        await before.wait_count("message", 4)
    cursors.absorb(before.events)  # what the store saved with those events
    assert cursors.get_cursor("discord", SUPPORT) == seen[2]["id"]
    # The process is down: people keep writing.
    missed = [fake.post_offline(SUPPORT, ALICE, f"while down {i}") for i in range(5)]
    missed.append(fake.post_offline(THREAD, ALICE, "thread reply while down"))

    after = RecordingSink()
    h2 = make_harness(fake, after, cursors)
    async with running(h2):
        await after.wait_count("message", len(missed))
        live = await fake.post(SUPPORT, ALICE, "after restart")
        await after.wait_count("message", len(missed) + 1)
        await settle(h2)
    got = ids(after)
    assert sorted(got[:-1], key=int) == sorted((m["id"] for m in missed), key=int)
    assert got[-1] == live["id"]
    assert not set(got) & set(ids(before))
    cursors_after = [(e.cursor.key, int(e.cursor.value)) for e in after.of("message")]
    for key in {k for k, _ in cursors_after}:
        values = [v for k, v in cursors_after if k == key]
        assert values == sorted(values)  # only forward


async def test_backfill_is_bounded_and_reports_truncation(fake) -> None:
    cursors = MemoryCursors()
    cursors.saved[("discord", SUPPORT)] = fake.post_offline(SUPPORT, ALICE, "last seen")["id"]
    missed = [fake.post_offline(SUPPORT, ALICE, f"m{i}") for i in range(7)]
    sink = RecordingSink()
    h = make_harness(fake, sink, cursors, backfill_limit=5)
    async with running(h):
        await sink.wait_count("message", 5)
        await settle(h)
    assert ids(sink) == [m["id"] for m in missed[:5]]
    assert h.health.counters["backfill_truncated"] == 1
    assert h.health.counters["backfilled"] == 5


async def test_backfill_pages_through_long_gaps(fake) -> None:
    cursors = MemoryCursors()
    cursors.saved[("discord", SUPPORT)] = fake.post_offline(SUPPORT, ALICE, "last seen")["id"]
    missed = [fake.post_offline(SUPPORT, ALICE, f"m{i}") for i in range(230)]
    sink = RecordingSink()
    h = make_harness(fake, sink, cursors, backfill_limit=500)
    async with running(h):
        await sink.wait_count("message", 230)
    assert ids(sink) == [m["id"] for m in missed]
    assert [c.query["limit"] for c in fake.calls("GET", f"/channels/{SUPPORT}/messages")] == [
        "100",
        "100",
        "100",
    ]
    assert "backfill_truncated" not in h.health.counters


async def test_backfill_retries_server_errors(fake) -> None:
    cursors = MemoryCursors()
    cursors.saved[("discord", SUPPORT)] = fake.post_offline(SUPPORT, ALICE, "last seen")["id"]
    missed = [fake.post_offline(SUPPORT, ALICE, f"m{i}") for i in range(2)]
    fake.fail(f"GET /channels/{SUPPORT}/messages", 503, 503)
    sink = RecordingSink()
    h = make_harness(fake, sink, cursors)
    async with running(h):
        await sink.wait_count("message", 2)
    assert ids(sink) == [m["id"] for m in missed]
    assert "backfill_failed" not in h.health.counters
