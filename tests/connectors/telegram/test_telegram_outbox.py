"""The outbox with the real python-telegram-bot against the fake Bot API, and text splitting."""

import pytest
from fake_bot_api import FakeBotApi
from telegram_testkit import NOW, make_config

from connectors.base import ConnectorBundle, ConnectorDeps, ConnectorHealth
from connectors.telegram import TelegramOutbox, build
from connectors.telegram.split import split_text, utf16_len
from core import Outbox, OutcomeStatus

GROUP = -1001987654321
FORUM = -1001777000222

# python-telegram-bot 22 reads ``RetryAfter.retry_after`` itself while building the exception.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
def outbox(bundle: ConnectorBundle, fake_api: FakeBotApi) -> TelegramOutbox:
    fake_api.supergroup(GROUP, "NovaWallet Help")
    fake_api.supergroup(FORUM, "NovaWallet Support", forum=True)
    assert isinstance(bundle.outbox, TelegramOutbox)
    return bundle.outbox


def posted(fake_api: FakeBotApi, chat_id: int = GROUP) -> int:
    """A message by a member, already in the chat."""
    user = fake_api.user(555001, "Alice")
    message = fake_api.message(fake_api.chats[chat_id], user, "help")
    fake_api.messages.add((chat_id, message["message_id"]))
    return int(message["message_id"])


def test_the_outbox_satisfies_the_core_protocol(outbox: TelegramOutbox) -> None:
    checked: Outbox = outbox
    assert checked.platform == "telegram"


async def test_reply_is_threaded_plain_and_without_previews(
    outbox: TelegramOutbox, fake_api: FakeBotApi
) -> None:
    mid = posted(fake_api)
    outcome = await outbox.reply(str(GROUP), f"{GROUP}:{mid}", "We sent you a DM https://x.io")
    assert outcome.status is OutcomeStatus.SENT
    sent = fake_api.recorded.sent[0]
    assert sent["chat_id"] == GROUP
    assert sent["reply_parameters"] == {"message_id": mid}
    assert sent["link_preview_options"] == {"is_disabled": True}
    assert sent["parse_mode"] is None
    assert outcome.external_id is not None
    assert outcome.external_id.startswith(f"{GROUP}:")


async def test_reply_in_a_forum_topic_stays_in_the_topic(
    outbox: TelegramOutbox, fake_api: FakeBotApi
) -> None:
    mid = posted(fake_api, FORUM)
    outcome = await outbox.reply(f"{FORUM}/40", str(mid), "on it")
    assert outcome.ok
    assert fake_api.recorded.sent[0]["message_thread_id"] == 40


async def test_reply_to_a_gone_message_is_not_found(
    outbox: TelegramOutbox, fake_api: FakeBotApi
) -> None:
    outcome = await outbox.reply(str(GROUP), f"{GROUP}:999999", "hello")
    assert outcome.status is OutcomeStatus.NOT_FOUND
    assert "not found" in outcome.detail


async def test_ids_of_another_chat_are_a_programming_error(outbox: TelegramOutbox) -> None:
    with pytest.raises(ValueError, match="not in chat"):
        await outbox.reply(str(GROUP), f"{FORUM}:5", "hello")
    with pytest.raises(ValueError, match="malformed"):
        await outbox.delete("general", "5")


async def test_dm_to_a_user_who_blocked_the_bot_is_forbidden(
    outbox: TelegramOutbox, fake_api: FakeBotApi
) -> None:
    fake_api.blocked_users.add(555001)
    outcome = await outbox.send_dm("555001", "Your ticket is #12")
    assert outcome.status is OutcomeStatus.FORBIDDEN
    assert "blocked by the user" in outcome.detail
    assert len(fake_api.calls_to("sendMessage")) == 1  # a refusal is never retried


async def test_dm_to_a_user_who_never_wrote_is_forbidden_and_unknown_chat_not_found(
    outbox: TelegramOutbox, fake_api: FakeBotApi
) -> None:
    fake_api.user(555004, "Dora")
    assert (await outbox.send_dm("555004", "hi")).status is OutcomeStatus.FORBIDDEN
    assert (await outbox.send_dm("999", "hi")).status is OutcomeStatus.NOT_FOUND


async def test_dm_to_a_user_who_wrote_first_is_sent(
    outbox: TelegramOutbox, fake_api: FakeBotApi
) -> None:
    user = fake_api.user(555001, "Alice")
    fake_api.push("message", fake_api.message(fake_api.private_chat(user), user, "hi"))
    outcome = await outbox.send_dm("555001", "Your ticket is #12")
    assert outcome.ok
    assert fake_api.recorded.sent[0]["link_preview_options"] == {"is_disabled": True}


async def test_long_text_is_split_at_paragraphs_and_nothing_is_lost(
    outbox: TelegramOutbox, fake_api: FakeBotApi
) -> None:
    paragraphs = [f"Step {n}: " + "x" * 1500 for n in range(6)]
    text = "\n\n".join(paragraphs)
    mid = posted(fake_api)
    outcome = await outbox.reply(str(GROUP), str(mid), text)
    assert outcome.status is OutcomeStatus.SENT
    parts = [s["text"] for s in fake_api.recorded.sent]
    assert len(parts) == 3
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert "\n\n".join(parts) == text
    assert all(s["reply_parameters"] == {"message_id": mid} for s in fake_api.recorded.sent)
    assert "sent as 3 messages" in outcome.detail


async def test_text_needing_too_many_messages_is_refused_not_cut(
    fake_api: FakeBotApi, deps: ConnectorDeps
) -> None:
    outbox = build(make_config(fake_api, max_message_parts=2), deps).outbox
    assert outbox is not None
    fake_api.user(555001, "Alice")
    outcome = await outbox.send_dm("555001", "word " * 2000)  # 10 000 characters
    assert outcome.status is OutcomeStatus.TOO_LONG
    assert fake_api.calls_to("sendMessage") == []


async def test_empty_text_is_not_sent(outbox: TelegramOutbox, fake_api: FakeBotApi) -> None:
    outcome = await outbox.send_dm("555001", "  \n")
    assert outcome.status is OutcomeStatus.FAILED
    assert fake_api.calls_to("sendMessage") == []


async def test_delete_ok_gone_and_without_rights(
    outbox: TelegramOutbox, fake_api: FakeBotApi
) -> None:
    mid = posted(fake_api)
    assert (await outbox.delete(str(GROUP), f"{GROUP}:{mid}")).ok
    assert fake_api.recorded.deleted == [(GROUP, mid)]
    gone = await outbox.delete(str(GROUP), f"{GROUP}:{mid}")
    assert gone.status is OutcomeStatus.NOT_FOUND
    fake_api.rights[GROUP].can_delete_messages = False
    other = posted(fake_api)
    refused = await outbox.delete(str(GROUP), str(other))
    assert refused.status is OutcomeStatus.FORBIDDEN


async def test_ban_kick_and_timeout(outbox: TelegramOutbox, fake_api: FakeBotApi) -> None:
    assert (await outbox.ban(str(GROUP), "666001", "phishing links")).ok
    assert fake_api.recorded.banned[0]["user_id"] == 666001
    assert (await outbox.kick(f"{GROUP}", "666002", "spam")).ok
    assert fake_api.recorded.banned[1]["user_id"] == 666002
    assert fake_api.recorded.unbanned == [
        {"chat_id": GROUP, "user_id": 666002, "only_if_banned": True}
    ]
    muted = await outbox.timeout(f"{FORUM}/40", "666003", 600, "flooding")
    assert muted.ok
    restriction = fake_api.recorded.restricted[0]
    assert restriction["chat_id"] == FORUM
    assert restriction["until_date"] == int(NOW.timestamp()) + 600
    assert not any(restriction["permissions"].values())
    assert "flooding" in muted.detail


async def test_a_very_short_timeout_is_not_turned_into_a_permanent_one(
    outbox: TelegramOutbox, fake_api: FakeBotApi
) -> None:
    # Telegram treats restrictions under 30 s as forever; we clamp up to 30 s.
    assert (await outbox.timeout(str(GROUP), "666003", 5, "slow down")).ok
    assert fake_api.recorded.restricted[0]["until_date"] == int(NOW.timestamp()) + 30


async def test_a_channel_identity_is_banned_as_a_sender_chat(
    outbox: TelegramOutbox, fake_api: FakeBotApi
) -> None:
    assert (await outbox.ban(str(GROUP), "-1001999888777", "impersonation")).ok
    assert fake_api.recorded.sender_chats_banned == [
        {"chat_id": GROUP, "sender_chat_id": -1001999888777}
    ]


async def test_ban_without_rights_or_of_an_admin_is_forbidden(
    outbox: TelegramOutbox, fake_api: FakeBotApi
) -> None:
    fake_api.admins[GROUP].add(42)
    assert (await outbox.ban(str(GROUP), "42", "x")).status is OutcomeStatus.FORBIDDEN
    fake_api.rights[GROUP].can_restrict_members = False
    outcome = await outbox.timeout(str(GROUP), "666001", 60, "x")
    assert outcome.status is OutcomeStatus.FORBIDDEN
    assert "not enough rights" in outcome.detail.lower()


async def test_429_waits_as_told_then_sends(outbox: TelegramOutbox, fake_api: FakeBotApi) -> None:
    mid = posted(fake_api)
    fake_api.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    outcome = await outbox.reply(str(GROUP), str(mid), "hello")
    assert outcome.ok
    refused, accepted = fake_api.calls_to("sendMessage")
    assert accepted.at - refused.at >= 0.95


async def test_a_wait_longer_than_allowed_is_rate_limited_at_once(
    outbox: TelegramOutbox, fake_api: FakeBotApi
) -> None:
    mid = posted(fake_api)
    fake_api.fail("sendMessage", 429, "Too Many Requests: retry after 600", retry_after=600)
    outcome = await outbox.reply(str(GROUP), str(mid), "hello")
    assert outcome.status is OutcomeStatus.RATE_LIMITED
    assert "600" in outcome.detail
    assert len(fake_api.calls_to("sendMessage")) == 1


async def test_5xx_is_retried_with_backoff_then_gives_up(
    outbox: TelegramOutbox, fake_api: FakeBotApi, health: ConnectorHealth
) -> None:
    mid = posted(fake_api)
    fake_api.fail("sendMessage", 500, "Internal Server Error", times=2)
    assert (await outbox.reply(str(GROUP), str(mid), "hello")).ok
    fake_api.fail("deleteMessage", 502, "Bad Gateway", times=5)
    outcome = await outbox.delete(str(GROUP), str(mid))
    assert outcome.status is OutcomeStatus.FAILED
    assert "gave up after 3 attempts" in outcome.detail
    assert len(fake_api.calls_to("deleteMessage")) == 3  # max_attempts
    assert health.counters["outbound_sent"] == 1
    assert health.counters["outbound_failed"] == 1


async def test_notify_moderators(fake_api: FakeBotApi, deps: ConnectorDeps) -> None:
    fake_api.supergroup(-1002000000001, "Mods")
    unset = build(make_config(fake_api), deps).outbox
    assert isinstance(unset, TelegramOutbox)
    assert (await unset.notify_moderators("flag")).status is OutcomeStatus.FAILED
    outbox = build(make_config(fake_api, mod_chat_id=-1002000000001), deps).outbox
    assert isinstance(outbox, TelegramOutbox)
    assert (await outbox.notify_moderators("Phishing link in NovaWallet Help")).ok
    assert fake_api.recorded.sent[-1]["chat_id"] == -1002000000001


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, ["short"]),
        ("aaaa\n\nbbbb\ncccc", 10, ["aaaa", "bbbb\ncccc"]),
        ("aaaa bbbb\ncccc dddd", 10, ["aaaa bbbb", "cccc dddd"]),
        ("aaaa bbbb cccc", 10, ["aaaa bbbb", "cccc"]),
        ("abcdefghijkl", 5, ["abcde", "fghij", "kl"]),
        ("😀😀😀", 4, ["😀😀", "😀"]),  # an emoji counts twice and is never cut in half
        ("a\n\n\n\nb", 1, ["a", "b"]),
    ],
)
def test_split_text(text: str, limit: int, expected: list[str]) -> None:
    assert split_text(text, limit) == expected


def test_split_counts_utf16_units_like_telegram() -> None:
    text = "😀" * 3000  # 6000 UTF-16 units
    parts = split_text(text)
    assert [utf16_len(p) for p in parts] == [4096, 1904]
    assert "".join(parts) == text
