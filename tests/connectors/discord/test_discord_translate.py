"""Table-driven tests of the pure translation, on documented payload fixtures (payloads/)."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from connectors.discord.translate import (
    ChannelInfo,
    Context,
    Skipped,
    decode_frame,
    needs_previous,
    translate_delete,
    translate_delete_bulk,
    translate_member,
    translate_message,
    translate_update,
)
from core import ChannelKind, Message, PayloadError

PAYLOADS = Path(__file__).parent / "payloads"
NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
BOT = "1100000000000000001"
GUILD = "1200000000000000001"
SUPPORT = ChannelInfo(
    id="1200000000000000010", kind=ChannelKind.GROUP, name="support", guild_id=GUILD
)
THREAD = ChannelInfo(
    id="1200000000000000020",
    kind=ChannelKind.THREAD,
    name="Wallet stuck",
    guild_id=GUILD,
    parent_id=SUPPORT.id,
)
DM = ChannelInfo(id="1500000000000000001", kind=ChannelKind.DM)
CTX = Context(staff_ids=frozenset({"1400000000000000002"}), bot_user_id=BOT, received_at=NOW)


def load(name: str) -> Any:
    fixture = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    assert fixture["description"]
    assert fixture["docs"].startswith("https://discord.com/developers/docs/")
    return fixture["payload"]


MESSAGES = [
    # fixture, channel, expected attributes
    (
        "message_create_guild_text",
        SUPPORT,
        {
            "external_id": "1210000000000000001",
            "text": "<@1100000000000000001> my withdrawal is stuck, see screenshot",
            "permalink": "https://discord.com/channels/1200000000000000001/1200000000000000010/1210000000000000001",
            "mentions_bot": True,
            "is_dm": False,
            "reply_to": None,
            "thread_id": None,
            "author.display_name": "ali",
            "author.handle": "alice",
            "author.is_staff": False,
            "author.is_bot": False,
            "channel.kind": ChannelKind.GROUP,
            "channel.name": "support",
            "created_at": datetime(2026, 11, 20, 9, 0, 0, 123000, tzinfo=UTC),
            "attachments.kinds": ("image", "file"),
        },
    ),
    (
        "message_create_dm",
        DM,
        {
            "is_dm": True,
            "channel.kind": ChannelKind.DM,
            "permalink": "https://discord.com/channels/@me/1500000000000000001/1210000000000000002",
            "author.display_name": "Alice",
        },
    ),
    ("message_create_reply", SUPPORT, {"reply_to": "1210000000000000001", "text": "/report"}),
    (
        "message_create_thread",
        THREAD,
        {
            "thread_id": THREAD.id,
            "channel.kind": ChannelKind.THREAD,
            "channel.name": "Wallet stuck",
        },
    ),
    (
        "message_create_webhook",
        SUPPORT,
        {"author.is_bot": True, "author.display_name": "Nova Support", "author.is_staff": False},
    ),
    (
        "message_create_optional_absent",
        SUPPORT,
        {
            "text": "minimal",
            "edited_at": None,
            "attachments.kinds": (),
            "author.display_name": "alice",
        },
    ),
    ("message_create_nulls", SUPPORT, {"author.display_name": "alice", "reply_to": None}),
]


def attribute(message: Message, path: str) -> Any:
    if path == "attachments.kinds":
        return tuple(a.kind for a in message.attachments)
    value: Any = message
    for part in path.split("."):
        value = getattr(value, part)
    return value


@pytest.mark.parametrize(("fixture", "channel", "expected"), MESSAGES, ids=[m[0] for m in MESSAGES])
def test_message_payloads(fixture: str, channel: ChannelInfo, expected: dict[str, Any]) -> None:
    payload = load(fixture)
    message = translate_message(payload, channel, CTX)
    assert isinstance(message, Message)
    assert message.platform == "discord"
    assert message.external_id == payload["id"]
    assert message.raw == payload
    assert message.received_at == NOW
    for path, value in expected.items():
        assert attribute(message, path) == value, path


def test_rest_messages_take_the_server_from_the_channel() -> None:
    payload = {
        k: v
        for k, v in load("message_create_guild_text").items()
        if k not in ("guild_id", "member")
    }
    message = translate_message(payload, SUPPORT, CTX)
    assert isinstance(message, Message)
    assert not message.is_dm
    assert GUILD in (message.permalink or "")
    assert message.author.display_name == "Alice"  # no member object: global name


def test_attachment_metadata() -> None:
    message = translate_message(load("message_create_guild_text"), SUPPORT, CTX)
    assert isinstance(message, Message)
    image, text = message.attachments
    assert (image.name, image.mime_type, image.size) == ("stuck.png", "image/png", 48213)
    assert image.url
    assert image.url.startswith("https://cdn.discordapp.com/")
    assert (text.kind, text.mime_type) == ("file", "")


def test_staff_are_marked() -> None:
    payload = load("message_create_optional_absent")
    payload["author"]["id"] = "1400000000000000002"
    message = translate_message(payload, SUPPORT, CTX)
    assert isinstance(message, Message)
    assert message.author.is_staff


def test_system_messages_are_skipped() -> None:
    assert translate_message(load("message_create_system_join"), SUPPORT, CTX) == Skipped(
        "system_message"
    )


MALFORMED = [
    ("malformed_missing_author", "author"),
    ("malformed_bad_timestamp", "timestamp"),
    ("malformed_naive_timestamp", "timezone"),
    ("malformed_content_type", "content"),
    ("malformed_id", "id"),
]


@pytest.mark.parametrize(("fixture", "named"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_messages_name_the_field(fixture: str, named: str) -> None:
    with pytest.raises(PayloadError) as caught:
        translate_message(load(fixture), SUPPORT, CTX)
    assert named in caught.value.reason.lower()


@pytest.mark.parametrize("value", [None, [], "text", 3])
def test_non_objects_are_refused(value: object) -> None:
    with pytest.raises(PayloadError):
        translate_message(value, SUPPORT, CTX)


def previous() -> Message:
    message = translate_message(load("message_create_guild_text"), SUPPORT, CTX)
    assert isinstance(message, Message)
    return message


UPDATES = [
    ("message_update_edit", {"text": "edited text", "edited": True}),
    ("message_update_embed_only", Skipped("update_without_content")),
    ("message_update_pin", Skipped("update_not_an_edit")),
    ("message_update_partial_edit", {"text": "partial edit", "edited": True}),
]


@pytest.mark.parametrize(("fixture", "expected"), UPDATES, ids=[u[0] for u in UPDATES])
def test_updates(fixture: str, expected: Any) -> None:
    result = translate_update(load(fixture), SUPPORT, CTX, previous())
    if isinstance(expected, Skipped):
        assert result == expected
        return
    assert isinstance(result, Message)
    assert result.text == expected["text"]
    assert result.edited_at is not None
    assert result.author.id == "1400000000000000001"
    assert result.raw == load(fixture)  # what Discord sent, not the merge


def test_partial_edit_of_an_unknown_message_is_refused() -> None:
    payload = load("message_update_partial_edit")
    assert needs_previous(payload)
    assert not needs_previous(load("message_update_edit"))
    with pytest.raises(PayloadError, match="never saw"):
        translate_update(payload, SUPPORT, CTX, None)


def test_partial_edit_keeps_the_reply() -> None:
    reply = translate_message(load("message_create_reply"), SUPPORT, CTX)
    assert isinstance(reply, Message)
    edit = {**load("message_update_partial_edit"), "id": reply.external_id}
    result = translate_update(edit, SUPPORT, CTX, reply)
    assert isinstance(result, Message)
    assert result.reply_to == reply.reply_to


def test_deletions() -> None:
    deleted = translate_delete(load("message_delete"), NOW)
    assert (deleted.platform, deleted.external_id, deleted.channel_id) == (
        "discord",
        "1210000000000000001",
        SUPPORT.id,
    )
    bulk = translate_delete_bulk(load("message_delete_bulk"), NOW)
    assert [d.external_id for d in bulk] == ["1210000000000000001", "1210000000000000002"]
    with pytest.raises(PayloadError):
        translate_delete({"channel_id": SUPPORT.id}, NOW)


def test_members() -> None:
    joined = translate_member(load("guild_member_add"), CTX, "NovaWallet")
    assert joined.author.display_name == "Nova Helpdesk"
    assert joined.author.handle == "nova_helpdesk"
    assert joined.channel is not None
    assert (joined.channel.id, joined.channel.name) == (
        GUILD,
        "NovaWallet",
    )
    renamed = translate_member(
        load("guild_member_update"), CTX, "NovaWallet", previous_name="Alice"
    )
    assert renamed.author.display_name == "Nova | Support"
    assert renamed.previous_name == "Alice"
    with pytest.raises(PayloadError):
        translate_member({"guild_id": GUILD}, CTX)


def test_text_is_cleaned_for_storage() -> None:
    payload = {**load("message_create_optional_absent"), "content": "nul\x00byte \ud800"}
    message = translate_message(payload, SUPPORT, CTX)
    assert isinstance(message, Message)
    assert message.text == "nulbyte \ufffd"


def test_frames() -> None:
    assert decode_frame('{"op": 0, "t": "READY", "s": 1, "d": {}}')["t"] == "READY"
    for bad in ("{not json", "[1, 2]", b"\xff"):
        with pytest.raises(PayloadError):
            decode_frame(bad)
