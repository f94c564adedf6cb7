from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import TypeAdapter, ValidationError

from core import (
    Author,
    Channel,
    ChannelKind,
    InboundEvent,
    InvalidPayload,
    Message,
    MessageReceived,
)
from core.text import clean_json, clean_text, detector_view, display_text


def _message(**overrides: object) -> Message:
    fields: dict[str, object] = {
        "platform": "telegram",
        "external_id": "1:2",
        "channel": Channel(id="1", kind=ChannelKind.GROUP),
        "author": Author(id="7"),
        "text": "hello",
        "created_at": datetime(2026, 1, 1, 8, tzinfo=timezone(timedelta(hours=8))),
    }
    fields.update(overrides)
    return Message(**fields)  # type: ignore[arg-type]


def test_datetimes_are_converted_to_utc() -> None:
    message = _message()
    assert message.created_at == datetime(2026, 1, 1, 0, tzinfo=UTC)
    assert message.created_at.utcoffset() == timedelta(0)
    assert message.received_at.tzinfo is not None


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValidationError, match="UTC offset"):
        _message(created_at=datetime(2026, 1, 1))


def test_message_is_immutable() -> None:
    message = _message()
    with pytest.raises(ValidationError):
        message.text = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("field", "value"),
    [("platform", ""), ("platform", "Tele gram"), ("external_id", ""), ("external_id", "x" * 300)],
)
def test_identity_fields_are_validated(field: str, value: str) -> None:
    with pytest.raises(ValidationError):
        _message(**{field: value})


def test_events_round_trip_through_json_by_type() -> None:
    adapter: TypeAdapter[InboundEvent] = TypeAdapter(InboundEvent)
    events: list[InboundEvent] = [
        MessageReceived(message=_message()),
        InvalidPayload(source="replay", reason="bad", payload="{"),
    ]
    for event in events:
        assert adapter.validate_json(adapter.dump_json(event)) == event


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("plain", "plain"),
        ("nul\x00byte", "nulbyte"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("zero\u200bwidth kept", "zero\u200bwidth kept"),
        ("rtl \u202e kept", "rtl \u202e kept"),
        ("", ""),
    ],
)
def test_clean_text(raw: str, cleaned: str) -> None:
    assert clean_text(raw) == cleaned
    assert clean_text(cleaned) == cleaned  # idempotent


def test_display_and_detector_views_drop_invisible_characters() -> None:
    assert display_text("a\u200bb\u202ec") == "abc"
    assert detector_view("ｆｕｌｌ\u200bwidth") == "fullwidth"


def test_clean_json_walks_keys_and_values() -> None:
    assert clean_json({"k\x00": ["a\x00", {"b": "\udc00"}], "n": 1}) == {
        "k": ["a", {"b": "\ufffd"}],
        "n": 1,
    }
