"""Budgets and the sender: waits instead of dropping, retries, records every call."""

import asyncio

from responder_testkit import FakeClock

from connectors.replay.outbox import RecordingOutbox
from core import Outcome, OutcomeStatus
from responder.budget import Budgets, TokenBucket
from responder.config import Budget, ResponderConfig
from responder.sender import OutboundRequest, Sender
from store import ResponderStore, Store


async def test_bucket_waits_for_its_rate(clock: FakeClock) -> None:
    bucket = TokenBucket(rate=1.0, burst=2, clock=clock.monotonic)
    for _ in range(2):
        assert bucket.wait_time() == 0
        bucket.take()
    assert bucket.wait_time() == 1.0
    clock.advance(0.5)
    assert bucket.wait_time() == 0.5


async def test_per_chat_group_and_global_budgets(clock: FakeClock) -> None:
    budgets = Budgets(
        Budget(per_chat_per_s=1, per_chat_burst=1, per_group_per_min=20, global_per_s=30),
        clock.monotonic,
        clock.sleep,
    )
    start = clock.mono
    for _ in range(3):
        await budgets.acquire("-100", group=True)
    assert clock.mono - start == 6.0  # a group: 20 a minute, so one every 3 s after the burst
    for _ in range(3):
        await budgets.acquire("user1", group=False)
    assert clock.mono - start == 8.0  # a private chat: one a second
    for user in range(5):
        await budgets.acquire(f"user{user + 10}", group=False)
    assert clock.mono - start == 8.0  # other chats are not held up
    for _ in range(20):
        await budgets.acquire("-200", group=True)
    assert clock.mono - start == 8.0 + 19 * 3


class FlakyOutbox(RecordingOutbox):
    """Fails twice, then works."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    async def reply(self, channel_id: str, message_id: str, text: str) -> Outcome:
        self.calls += 1
        if self.calls <= 2:
            return Outcome(status=OutcomeStatus.FAILED, detail="HTTP 502")
        return await super().reply(channel_id, message_id, text)


def sender_for(
    store: Store, clock: FakeClock, outbox: RecordingOutbox
) -> tuple[Sender, ResponderStore]:
    rstore = ResponderStore(store.engine, clock=clock)
    config = ResponderConfig(budgets={"replay": Budget(max_attempts=3, retry_delay_s=1)})
    sender = Sender(
        {"replay": outbox},
        {},
        rstore,
        config,
        now=clock,
        monotonic=clock.monotonic,
        sleep=clock.sleep,
    )
    return sender, rstore


async def test_retries_then_records_the_outcome(store: Store, clock: FakeClock) -> None:
    outbox = FlakyOutbox()
    sender, rstore = sender_for(store, clock, outbox)
    request = OutboundRequest(
        platform="replay",
        kind="reply",
        target="-1",
        message_id="5",
        text="hi",
        caused_by="replay:5",
        reason="test",
    )
    outcome = await sender.send(request)
    assert outcome.ok
    assert clock.slept[-2:] == [1.0, 2.0]  # doubling delays between tries
    (row,) = rstore.outbound(caused_by="replay:5")
    assert (row.status, row.attempts, row.kind, row.target) == ("sent", 3, "reply", "-1/5")
    assert row.sent_at == clock.now


async def test_queue_sends_urgent_first(store: Store, clock: FakeClock) -> None:
    outbox = RecordingOutbox()
    sender, _ = sender_for(store, clock, outbox)
    task = asyncio.create_task(sender.run())
    await asyncio.sleep(0)
    requests = [
        OutboundRequest(platform="replay", kind="dm", target="u1", text=f"m{n}", urgent=n == 3)
        for n in range(4)
    ]
    await asyncio.gather(*(sender.send(r) for r in requests))
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert outbox.actions[0].text == "m3"
    assert sorted(a.text for a in outbox.actions) == ["m0", "m1", "m2", "m3"]


async def test_a_slow_chat_does_not_hold_up_others(store: Store, clock: FakeClock) -> None:
    outbox = RecordingOutbox()
    rstore = ResponderStore(store.engine, clock=clock)
    config = ResponderConfig(budgets={"replay": Budget(per_chat_burst=1, per_group_per_min=1)})
    waits: list[asyncio.Event] = []

    async def slow_sleep(seconds: float) -> None:
        gate = asyncio.Event()
        waits.append(gate)
        await gate.wait()  # the group's budget never refills during this test

    sender = Sender(
        {"replay": outbox},
        {},
        rstore,
        config,
        now=clock,
        monotonic=clock.monotonic,
        sleep=slow_sleep,
    )
    task = asyncio.create_task(sender.run())
    await asyncio.sleep(0)
    group = [
        OutboundRequest(
            platform="replay", kind="reply", target="-1", message_id=str(n), text=f"g{n}"
        )
        for n in range(2)
    ]
    pending = [asyncio.create_task(sender.send(r)) for r in group]
    await asyncio.sleep(0.05)
    dm = OutboundRequest(platform="replay", kind="dm", target="u9", text="urgent", urgent=True)
    assert (await asyncio.wait_for(sender.send(dm), 2)).ok
    assert [a.text for a in outbox.actions] == ["g0", "urgent"]
    for waiting in (task, *pending):
        waiting.cancel()
    await asyncio.gather(task, *pending, return_exceptions=True)


async def test_unknown_platform_is_recorded_as_failed(store: Store, clock: FakeClock) -> None:
    sender, rstore = sender_for(store, clock, RecordingOutbox())
    outcome = await sender.send(OutboundRequest(platform="reddit", kind="dm", target="u"))
    assert outcome.status is OutcomeStatus.FAILED
    assert rstore.outbound()[0].status == "failed"
