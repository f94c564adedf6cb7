import json
from datetime import UTC, datetime
from typing import Any

import pytest

from connectors.replay.translate import decode_line, parse_line
from core import ChannelKind, PayloadError

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def _line(**overrides: Any) -> str:
    data: dict[str, Any] = {
        "platform": "telegram",
        "external_id": "-100123:45",
        "channel": {"id": "-100123", "name": "NovaWallet Community", "kind": "group"},
        "author": {"id": "42", "handle": "alice", "display_name": "Alice"},
        "text": "my withdrawal is stuck",
        "created_at": "2026-11-20T09:14:03+00:00",
    }
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return json.dumps(data)


def _parse(line: str, staff: frozenset[str] = frozenset()) -> Any:
    return parse_line(line, received_at=NOW, staff_ids=staff, max_text_chars=200_000)


def test_a_full_line_becomes_a_message() -> None:
    message = _parse(
        _line(
            reply_to="-100123:40", thread_id="7", url="https://t.me/c/123/45", extra="kept in raw"
        )
    )
    assert message.platform == "telegram"
    assert message.channel.kind is ChannelKind.GROUP
    assert message.author.handle == "alice"
    assert message.reply_to == "-100123:40"
    assert message.permalink == "https://t.me/c/123/45"
    assert message.created_at == datetime(2026, 11, 20, 9, 14, 3, tzinfo=UTC)
    assert message.raw["extra"] == "kept in raw"
    assert not message.is_dm


def test_staff_authors_are_marked_by_platform_and_id() -> None:
    assert _parse(_line(), frozenset({"telegram:42"})).author.is_staff
    assert not _parse(_line(), frozenset({"discord:42"})).author.is_staff


def test_dm_channel_implies_is_dm() -> None:
    line = _line(channel={"id": "42", "kind": "dm"})
    assert _parse(line).is_dm


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "expected a JSON object"),
        (_line(text=None), "text"),
        (_line(platform=None), "platform"),
        (_line(channel={"id": "1", "kind": "lobby"}), "channel.kind"),
        (_line(created_at="2026-11-20T09:14:03"), "UTC offset"),
        (_line(created_at="yesterday"), "created_at"),
        (_line(created_at="9999-01-01T00:00:00+00:00"), "in the future"),
        (_line(text="x" * 200_001), "over the 200000 limit"),
        (_line(external_id=""), "external_id"),
    ],
)
def test_bad_lines_are_refused_with_a_reason(line: str, reason: str) -> None:
    with pytest.raises(PayloadError, match=reason):
        _parse(line)


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("", ""),
        ("nul\u0000inside", "nulinside"),
        ("\ud83d lone surrogate", "\ufffd lone surrogate"),
        ("zero\u200bwidth", "zero\u200bwidth"),
        ("\u202eevil rtl", "\u202eevil rtl"),
        ("长文本" * 30_000, "长文本" * 30_000),
    ],
)
def test_odd_texts_have_a_defined_outcome(text: str, stored: str) -> None:
    assert _parse(_line(text=text)).text == stored


def test_numbers_as_ids_are_accepted_as_strings() -> None:
    message = _parse(_line(external_id=12345, author={"id": 42, "handle": "a"}))
    assert message.external_id == "12345"
    assert message.author.id == "42"


def test_invalid_utf8_is_reported_with_its_position() -> None:
    with pytest.raises(PayloadError, match="invalid UTF-8 at byte 3"):
        decode_line(b"abc\xff\xfe")
