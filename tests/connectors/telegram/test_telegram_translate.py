"""Table-driven tests of the pure translation, on documented Bot API payloads (payloads/*.json)."""

from typing import Any

import pytest
from telegram import Update
from telegram_testkit import NOW, load_payload, payload_names

from connectors.telegram.commands import parse_command
from connectors.telegram.translate import TranslateContext, permalink, translate_update
from core import InvalidPayload, MessageReceived

BOT_ID = 7000001
STAFF = frozenset({42})


def context(overrides: dict[str, Any] | None = None) -> TranslateContext:
    chats = frozenset((overrides or {}).get("chats", ()))
    return TranslateContext(
        bot_id=BOT_ID, bot_username="watchdesk_bot", received_at=NOW, staff_ids=STAFF, chats=chats
    )


def assert_subset(expected: Any, actual: Any, path: str = "") -> None:
    """Every key of ``expected`` is in ``actual`` with an equal value (recursively)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{path}.{key} missing"
            assert_subset(value, actual[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected a list, got {actual!r}"
        assert len(expected) == len(actual), f"{path}: {len(actual)} items, expected {expected}"
        for index, (e, a) in enumerate(zip(expected, actual, strict=True)):
            assert_subset(e, a, f"{path}[{index}]")
    else:
        assert expected == actual, f"{path}: expected {expected!r}, got {actual!r}"


@pytest.mark.parametrize("name", list(payload_names()))
def test_payload_table(name: str) -> None:
    case = load_payload(name)
    result = translate_update(case["update"], context(case.get("context")))
    expect = case["expect"]
    assert result.ignored == expect["ignored"]
    assert result.update_id == expect.get("update_id", case["update"].get("update_id"))
    actual = [event.model_dump(mode="json") for event in result.events]
    assert_subset(expect["events"], actual)
    for event in result.events:
        if event.type in ("message", "edit", "command"):
            assert event.message.raw == case["update"]  # raw is the whole update
            assert event.message.received_at == NOW


@pytest.mark.parametrize(
    "name", [n for n in payload_names() if not n.startswith(("malformed", "unknown"))]
)
def test_payloads_are_valid_bot_api_shapes_and_sdk_dicts_translate_alike(name: str) -> None:
    # python-telegram-bot's own parser accepts every well-formed fixture, and translating
    # Update.to_dict() gives the same events as translating the wire JSON.
    update = load_payload(name)["update"]
    parsed = Update.de_json(update, None)
    assert parsed is not None
    assert parsed.update_id == update["update_id"]
    ctx = context(load_payload(name).get("context"))
    from_wire = translate_update(update, ctx)
    from_sdk = translate_update(parsed.to_dict(), ctx)
    assert from_sdk.ignored == from_wire.ignored
    strip = {"raw": True}
    assert [e.model_dump(exclude={"message": strip}) for e in from_sdk.events] == [
        e.model_dump(exclude={"message": strip}) for e in from_wire.events
    ]


@pytest.mark.parametrize(
    "update",
    [None, [], "text", 7, {"update_id": True, "message": {}}, {"update_id": 1, "message": []}],
    ids=["null", "list", "string", "number", "bool-id", "message-not-object"],
)
def test_garbage_becomes_invalid_payload(update: object) -> None:
    result = translate_update(update, context())
    assert len(result.events) == 1
    event = result.events[0]
    assert isinstance(event, InvalidPayload)
    assert event.source == "telegram"
    assert event.reason


def test_unknown_chat_type_is_invalid() -> None:
    update = {
        "update_id": 5,
        "message": {
            "message_id": 1,
            "date": 1735732800,
            "from": {"id": 1, "is_bot": False, "first_name": "A"},
            "chat": {"id": -5, "type": "galaxy"},
            "text": "x",
        },
    }
    event = translate_update(update, context()).events[0]
    assert isinstance(event, InvalidPayload)
    assert "galaxy" in event.reason


def test_text_mention_entity_of_the_bot_is_a_mention() -> None:
    update = {
        "update_id": 6,
        "message": {
            "message_id": 2,
            "date": 1735732800,
            "from": {"id": 1, "is_bot": False, "first_name": "A"},
            "chat": {"id": -1001, "type": "supergroup"},
            "text": "Watchdesk help",
            "entities": [
                {"offset": 0, "length": 9, "type": "text_mention", "user": {"id": BOT_ID}}
            ],
        },
    }
    event = translate_update(update, context()).events[0]
    assert isinstance(event, MessageReceived)
    assert event.message.mentions_bot


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("ask @watchdesk_bot", True),
        ("ask @WATCHDESK_BOT.", True),
        ("ask @watchdesk_bot_fake", False),
        ("mail x@watchdesk_bot", False),
        ("@@watchdesk_bot", False),
    ],
)
def test_mention_by_username(text: str, mentions: bool) -> None:
    update = {
        "update_id": 7,
        "message": {
            "message_id": 3,
            "date": 1735732800,
            "from": {"id": 1, "is_bot": False, "first_name": "A"},
            "chat": {"id": -1001, "type": "supergroup"},
            "text": text,
        },
    }
    event = translate_update(update, context()).events[0]
    assert isinstance(event, MessageReceived)
    assert event.message.mentions_bot is mentions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/ticket", ("ticket", ())),
        ("/TICKET lost  funds", ("ticket", ("lost", "funds"))),
        ("/status@watchdesk_bot", ("status", ())),
        ("/status@WatchDesk_Bot 123", ("status", ("123",))),
        ("/report\nscam link", ("report", ("scam", "link"))),
        ("/report@otherbot", None),
        ("/start", None),
        ("/tickets", None),
        ("please /ticket", None),
        ("/ticket@", None),
        ("", None),
    ],
)
def test_parse_command(text: str, expected: tuple[str, tuple[str, ...]] | None) -> None:
    parsed = parse_command(text, "watchdesk_bot")
    assert (None if parsed is None else (parsed.name, parsed.args)) == expected


@pytest.mark.parametrize(
    ("chat", "expected"),
    [
        ({"id": -1001987654321, "type": "supergroup"}, "https://t.me/c/1987654321/5"),
        ({"id": -1001, "type": "supergroup", "username": "nova"}, "https://t.me/nova/5"),
        ({"id": -4012345678, "type": "group"}, None),
        ({"id": 555, "type": "private", "username": "alice"}, None),
        ({"id": -5, "type": "supergroup"}, None),
    ],
)
def test_permalink(chat: dict[str, Any], expected: str | None) -> None:
    assert permalink(chat, 5) == expected
