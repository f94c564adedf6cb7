"""The connector with the real python-telegram-bot against the fake Bot API on 127.0.0.1."""

import asyncio
import time
from typing import Any

import pytest
from fake_bot_api import FakeBotApi
from telegram_testkit import MemoryCursors, RecordingSink, make_config, running, wait_until

from connectors.base import ConnectorBundle, ConnectorDeps, ConnectorHealth, HealthState
from connectors.telegram import build
from core import InvalidPayload, MemberUpdated, MessageEdited, MessageReceived, UserCommand

GROUP = -1001987654321
FORUM = -1001777000222
OTHER = -1001000000999

# python-telegram-bot 22 itself reads ``RetryAfter.retry_after`` while building the exception,
# which warns about the int -> timedelta change; our code reads it without the warning.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def world(api: FakeBotApi) -> dict[str, Any]:
    return {
        "group": api.supergroup(GROUP, "NovaWallet Help"),
        "forum": api.supergroup(FORUM, "NovaWallet Support", forum=True),
        "other": api.supergroup(OTHER, "Unrelated chat"),
        "alice": api.user(555001, "Alice", "alice_c"),
        "bob": api.user(555002, "Bob"),
    }


async def test_messages_edits_joins_and_commands_become_events(
    fake_api: FakeBotApi, deps: ConnectorDeps, health: ConnectorHealth
) -> None:
    w = world(fake_api)
    bundle = build(make_config(fake_api, chats=[GROUP, FORUM]), deps)
    first = fake_api.message(w["group"], w["alice"], "my withdrawal is stuck")
    fake_api.push("message", first)
    root = fake_api.message(
        w["forum"],
        w["bob"],
        message_thread_id=40,
        is_topic_message=True,
        forum_topic_created={"name": "Swaps", "icon_color": 7322096},
    )
    topic_msg = fake_api.message(
        w["forum"],
        w["alice"],
        "swap failed",
        message_thread_id=40,
        is_topic_message=True,
        reply_to_message=root,
    )
    fake_api.push("message", topic_msg)
    fake_api.push("message", fake_api.message(fake_api.private_chat(w["bob"]), w["bob"], "hi bot"))
    fake_api.push("message", fake_api.message(w["other"], w["bob"], "not watched"))
    edit = dict(first, text="my withdrawal is stuck (BTC)", edit_date=first["date"] + 30)
    fake_api.push("edited_message", edit)
    fake_api.push("chat_member", fake_api.member_update(w["group"], w["bob"], "left", "member"))
    joined = fake_api.message(w["group"], w["bob"], new_chat_members=[w["bob"]])
    fake_api.push("message", joined)  # the same join again, as a service message
    report = fake_api.message(w["group"], w["alice"], "/report", reply_to_message=first)
    last_id = fake_api.push("message", report)
    fake_api.push_raw({"update_id": last_id + 1, "purchased_paid_media": {"from": w["bob"]}})

    sink = RecordingSink(deps.cursors)
    async with running(bundle.connector, sink):
        events = await sink.wait_for(6)
        await wait_until(lambda: health.counters.get("unknown_update") == 1)

    assert [type(e) for e in events] == [
        MessageReceived,
        MessageReceived,
        MessageReceived,
        MessageEdited,
        MemberUpdated,
        UserCommand,
    ]
    group_msg, topic, dm, edited, member, command = events
    assert group_msg.message.external_id == f"{GROUP}:{first['message_id']}"
    assert topic.message.channel.id == f"{FORUM}/40"
    assert topic.message.channel.kind == "thread"
    assert topic.message.reply_to is None
    assert dm.message.is_dm
    assert edited.message.external_id == group_msg.message.external_id
    assert member.author.id == "555002"
    assert command.name == "report"
    assert command.target_external_id == group_msg.message.external_id
    assert health.counters["ignored_chat"] == 1
    assert health.state is HealthState.STOPPED
    assert events[-1].cursor is not None
    assert events[-1].cursor.value == str(last_id + 1)
    assert sink.cursors.saved[("telegram", "updates")] == str(last_id + 1)
    assert "chat_member" in (fake_api.allowed_updates or [])
    methods = [c.method for c in fake_api.calls]
    assert methods.index("deletewebhook") < methods.index("getupdates")


async def test_a_rename_is_reported_before_the_message(
    bundle: ConnectorBundle, fake_api: FakeBotApi, deps: ConnectorDeps
) -> None:
    w = world(fake_api)
    fake_api.push("message", fake_api.message(w["group"], w["bob"], "hello"))
    renamed = dict(w["bob"], first_name="NovaWallet", last_name="Support")
    fake_api.push("message", fake_api.message(w["group"], renamed, "DM me for help"))
    sink = RecordingSink(deps.cursors)
    async with running(bundle.connector, sink):
        events = await sink.wait_for(3)
    change = events[1]
    assert isinstance(change, MemberUpdated)
    assert change.previous_name == "Bob"
    assert change.author.display_name == "NovaWallet Support"
    assert isinstance(events[2], MessageReceived)


async def test_restart_mid_stream_loses_nothing_and_repeats_nothing(
    fake_api: FakeBotApi, health: ConnectorHealth
) -> None:
    w = world(fake_api)
    ids = [
        fake_api.push("message", fake_api.message(w["group"], w["alice"], f"message {n}"))
        for n in range(6)
    ]
    cursors = MemoryCursors()
    deps = ConnectorDeps(cursors=cursors, health=health)
    crashed = RecordingSink(cursors, stall_after=2)
    async with running(build(make_config(fake_api), deps).connector, crashed):
        await crashed.wait_for(2)
        await asyncio.sleep(0.05)  # the third emit is stuck: the "crash" happens here
    assert cursors.saved[("telegram", "updates")] == str(ids[1] + 1)

    resumed = RecordingSink(cursors)
    async with running(build(make_config(fake_api), deps).connector, resumed):
        await resumed.wait_for(4)
        await asyncio.sleep(0.05)
    texts = [e.message.text for e in crashed.events + resumed.events]
    assert texts == [f"message {n}" for n in range(6)]
    first_poll = next(c for c in fake_api.calls_to("getUpdates") if c.params.get("offset"))
    assert first_poll.params["offset"] == str(ids[1] + 1)
    assert fake_api.pending == []  # all confirmed by the last offset


async def test_crash_inside_a_multi_event_update_rereads_it(
    fake_api: FakeBotApi, health: ConnectorHealth
) -> None:
    w = world(fake_api)
    carol = fake_api.user(555003, "Carol")
    update_id = fake_api.push(
        "message", fake_api.message(w["group"], w["alice"], new_chat_members=[w["bob"], carol])
    )
    cursors = MemoryCursors()
    deps = ConnectorDeps(cursors=cursors, health=health)
    crashed = RecordingSink(cursors, stall_after=1)
    async with running(build(make_config(fake_api), deps).connector, crashed):
        await crashed.wait_for(1)
        await asyncio.sleep(0.05)
    # The first of two events keeps the cursor on the update itself, not past it.
    assert cursors.saved[("telegram", "updates")] == str(update_id)
    resumed = RecordingSink(cursors)
    async with running(build(make_config(fake_api), deps).connector, resumed):
        await resumed.wait_for(2)
    assert [e.author.display_name for e in resumed.events] == ["Bob", "Carol"]
    assert cursors.saved[("telegram", "updates")] == str(update_id + 1)


async def test_429_waits_as_told_then_succeeds(
    bundle: ConnectorBundle, fake_api: FakeBotApi, deps: ConnectorDeps, health: ConnectorHealth
) -> None:
    w = world(fake_api)
    fake_api.fail("getUpdates", 429, "Too Many Requests: retry after 1", retry_after=1)
    fake_api.push("message", fake_api.message(w["group"], w["alice"], "anyone?"))
    sink = RecordingSink(deps.cursors)
    async with running(bundle.connector, sink):
        await sink.wait_for(1)
    refused, retried = fake_api.calls_to("getUpdates")[:2]
    assert refused.status == 429
    assert retried.at - refused.at >= 0.95
    assert health.counters["retry_after"] == 1
    assert health.last_error is None  # flood control is not a failure


async def test_5xx_and_network_errors_back_off_then_succeed(
    bundle: ConnectorBundle, fake_api: FakeBotApi, deps: ConnectorDeps, health: ConnectorHealth
) -> None:
    w = world(fake_api)
    fake_api.fail("getUpdates", 502, "Bad Gateway")
    fake_api.fail("getUpdates", disconnect=True)
    fake_api.push("message", fake_api.message(w["group"], w["alice"], "anyone?"))
    sink = RecordingSink(deps.cursors)
    async with running(bundle.connector, sink):
        await sink.wait_for(1)
        assert health.state is HealthState.HEALTHY
        assert health.consecutive_failures == 0
    calls = fake_api.calls_to("getUpdates")
    assert calls[1].at - calls[0].at >= 0.01  # at least half the 0.02 s base
    assert calls[2].at - calls[1].at >= 0.02  # the second wait is longer
    assert health.last_error is not None
    assert "getUpdates" in health.last_error


async def test_a_failing_connector_turns_unhealthy_keeps_trying_and_recovers(
    fake_api: FakeBotApi, deps: ConnectorDeps, health: ConnectorHealth
) -> None:
    w = world(fake_api)
    bundle = build(make_config(fake_api, backoff_base=0.01, backoff_max=0.03), deps)
    fake_api.fail("getMe", 500, "Internal Server Error", times=2)
    fake_api.fail("getUpdates", 500, "Internal Server Error", times=6)
    fake_api.push("message", fake_api.message(w["group"], w["alice"], "still there?"))
    sink = RecordingSink(deps.cursors)
    states: list[HealthState] = []
    async with running(bundle.connector, sink) as task:

        async def watch() -> None:
            while True:
                states.append(health.state)
                await asyncio.sleep(0.002)

        watcher = asyncio.create_task(watch())
        await sink.wait_for(1)
        watcher.cancel()
        assert not task.done()
    assert HealthState.UNHEALTHY in states
    assert health.state is HealthState.STOPPED
    assert len(fake_api.calls_to("getMe")) == 3


async def test_malformed_update_is_dead_lettered_and_the_stream_goes_on(
    bundle: ConnectorBundle, fake_api: FakeBotApi, deps: ConnectorDeps, health: ConnectorHealth
) -> None:
    w = world(fake_api)
    before = fake_api.push("message", fake_api.message(w["group"], w["alice"], "before"))
    fake_api.push_raw({"update_id": before + 1, "message": {"message_id": 9, "date": "soon"}})
    fake_api.push("message", fake_api.message(w["group"], w["alice"], "after"))
    sink = RecordingSink(deps.cursors)
    async with running(bundle.connector, sink):
        events = await sink.wait_for(3)
    assert [e.type for e in events] == ["message", "invalid", "message"]
    invalid = events[1]
    assert isinstance(invalid, InvalidPayload)
    assert invalid.reason == "message.chat is missing or not an object"
    assert invalid.location == f"update {before + 1}"
    assert invalid.cursor is not None
    assert invalid.cursor.value == str(before + 2)
    assert health.counters["invalid_payload"] == 1


async def test_missing_admin_rights_are_reported_at_start(
    fake_api: FakeBotApi, deps: ConnectorDeps, health: ConnectorHealth, caplog: Any
) -> None:
    world(fake_api)
    fake_api.rights[GROUP].can_delete_messages = False
    bundle = build(make_config(fake_api, chats=[GROUP, FORUM]), deps)
    sink = RecordingSink(deps.cursors)
    async with running(bundle.connector, sink):
        await wait_until(lambda: bool(fake_api.calls_to("getUpdates")))
    assert health.counters["missing_rights"] == 1
    assert "can_delete_messages" in caplog.text
    assert len(fake_api.calls_to("getChatMember")) == 2


async def test_an_idle_long_poll_returns_and_polls_again(
    bundle: ConnectorBundle, fake_api: FakeBotApi, deps: ConnectorDeps
) -> None:
    world(fake_api)
    sink = RecordingSink(deps.cursors)
    started = time.monotonic()
    async with running(bundle.connector, sink):
        await wait_until(lambda: len(fake_api.calls_to("getUpdates")) >= 2, within=4)
    assert time.monotonic() - started >= 0.9  # the first poll waited its 1 s timeout
    assert fake_api.calls_to("getUpdates")[0].params["timeout"] == "1"


class FlakySink(RecordingSink):
    """A pipeline that refuses the first ``failures`` events (a database hiccup)."""

    def __init__(self, cursors: Any, failures: int) -> None:
        super().__init__(cursors)
        self.failures = failures

    async def emit(self, event: Any) -> None:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("database is locked")
        await super().emit(event)


async def test_a_refusing_pipeline_is_retried_without_loss(
    bundle: ConnectorBundle, fake_api: FakeBotApi, deps: ConnectorDeps, health: ConnectorHealth
) -> None:
    w = world(fake_api)
    for n in range(3):
        fake_api.push("message", fake_api.message(w["group"], w["alice"], f"m{n}"))
    sink = FlakySink(deps.cursors, failures=2)
    async with running(bundle.connector, sink):
        events = await sink.wait_for(3)
    assert [e.message.text for e in events] == ["m0", "m1", "m2"]
    assert health.last_error == "pipeline: RuntimeError: database is locked"
    assert health.consecutive_failures == 0


async def test_a_translation_bug_is_dead_lettered_without_quoting_the_message(
    bundle: ConnectorBundle,
    fake_api: FakeBotApi,
    deps: ConnectorDeps,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import connectors.telegram.connector as module

    real = module.translate_update

    def buggy(update: Any, ctx: Any) -> Any:
        if update["message"].get("text") == "boom secret words":
            raise KeyError("boom secret words")
        return real(update, ctx)

    monkeypatch.setattr(module, "translate_update", buggy)
    w = world(fake_api)
    bad = fake_api.push("message", fake_api.message(w["group"], w["alice"], "boom secret words"))
    fake_api.push("message", fake_api.message(w["group"], w["alice"], "fine"))
    sink = RecordingSink(deps.cursors)
    async with running(bundle.connector, sink):
        events = await sink.wait_for(2)
    invalid, fine = events
    assert isinstance(invalid, InvalidPayload)
    assert invalid.reason == "internal error while translating (KeyError)"
    assert invalid.location == f"update {bad}"
    assert fine.message.text == "fine"
