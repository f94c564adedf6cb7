"""Messages and classifications come back exactly as stored, whatever their content."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import StatementError

from core import Classification, Message, Redaction
from store import DeadLetter, IngestBatch, Store
from store.models import MESSAGES
from store.types import REPLACEMENT

MessageFactory = Callable[..., Message]


def _get(store: Store, message: Message) -> tuple[Message, Classification | None]:
    found = store.get_message(message.platform, message.external_id)
    assert found is not None
    return found


def test_rich_message_round_trips(store: Store, rich_message: Message) -> None:
    [outcome] = store.ingest(IngestBatch(messages=[rich_message]))
    assert _get(store, rich_message) == (rich_message, None)
    assert store.unclassified() == [(outcome.message_id, rich_message)]
    assert list(store.export()) == [(rich_message, None)]


def test_rich_classification_round_trips(
    store: Store, rich_message: Message, rich_classification: Classification
) -> None:
    [outcome] = store.ingest(IngestBatch(messages=[rich_message]))
    store.save_classifications([(outcome.message_id, rich_classification)])
    assert _get(store, rich_message) == (rich_message, rich_classification)
    assert store.recent_flagged() == [(rich_message, rich_classification)]
    assert list(store.export(flagged_only=True)) == [(rich_message, rich_classification)]


TEXTS = {
    "empty": "",
    "emoji": "🚀🔥 wallet drained 😭😭 👨‍👩‍👧‍👦 🏳️‍🌈",
    "chinese": "我的钱包被盗了，请帮帮我！交易哈希在这里。",
    "mixed scripts": "Кошелёк ウォレット محفظة 지갑 ארנק",
    "combining and rtl marks": "e\u0301 \u202eevil\u202c \u200bzero\u200dwidth",
    "control characters": "tab\tnewline\nreturn\r bell\x07 del\x7f",
    "quotes and sql": '\'; DROP TABLE messages; -- "quoted" \\backslash\\ %s %(x)s {}',
    "100 KB chinese": "钱包" * 51_200,
    "100 KB ascii": "x" * 102_400,
}


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_text_round_trips(store: Store, make_message: MessageFactory, text: str) -> None:
    message = make_message("1", text, raw={"text": text, text[:50]: [text[:10]]})
    store.ingest(IngestBatch(messages=[message]))
    assert _get(store, message)[0] == message


DATES = {
    "far future": datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    "year one": datetime(1, 1, 1, tzinfo=UTC),
    "epoch": datetime(1970, 1, 1, tzinfo=UTC),
    "leap day microseconds": datetime(2024, 2, 29, 12, 0, 0, 1, tzinfo=UTC),
    "east offset": datetime(2024, 1, 1, 8, 0, tzinfo=timezone(timedelta(hours=8))),
    "west offset": datetime(2023, 12, 31, 19, 0, tzinfo=timezone(timedelta(hours=-5))),
}


@pytest.mark.parametrize("moment", DATES.values(), ids=DATES.keys())
def test_datetimes_round_trip_aware_utc(
    store: Store, make_message: MessageFactory, moment: datetime
) -> None:
    message = make_message("1", created_at=moment, received_at=moment, edited_at=moment)
    store.ingest(IngestBatch(messages=[message]))
    stored = _get(store, message)[0]
    assert stored == message
    for value in (stored.created_at, stored.received_at, stored.edited_at):
        assert value == moment
        assert value is not None
        assert value.tzinfo is UTC


def test_raw_json_values_round_trip(store: Store, make_message: MessageFactory) -> None:
    raw = {
        "int": 7,
        "bigint": 2**63 - 1,
        "negative": -(2**53),
        "float": 0.1,
        "tiny": 5e-324,
        "bool": False,
        "null": None,
        "list": [[], {}, [1, [2, [3]]]],
        "unicode key 键": "值 🎉",
        "": "empty key",
    }
    message = make_message("1", raw=raw)
    store.ingest(IngestBatch(messages=[message]))
    assert _get(store, message)[0].raw == raw


def test_nul_and_lone_surrogates_become_replacement_characters(
    store: Store, make_message: MessageFactory
) -> None:
    # PostgreSQL refuses NUL and nobody can encode a lone surrogate: both backends store U+FFFD
    # in their place, one for one, so the offsets of redactions still point at the same text.
    text = "seed\x00phrase \ud83d here [R]"
    marker_at = text.index("[R]")
    message = make_message(
        "1",
        text,
        raw={"text\x00": ["a\x00b", {"k": "\udfff"}]},
        redactions=(
            Redaction(
                kind="seed_phrase", detail="x\x00", start=marker_at, end=marker_at + 3, marker="[R]"
            ),
        ),
    )
    store.ingest(IngestBatch(messages=[message]))
    stored = _get(store, message)[0]
    assert stored.text == f"seed{REPLACEMENT}phrase {REPLACEMENT} here [R]"
    assert len(stored.text) == len(text)
    assert stored.text[marker_at : marker_at + 3] == "[R]"
    assert stored.raw == {f"text{REPLACEMENT}": [f"a{REPLACEMENT}b", {"k": REPLACEMENT}]}
    assert stored.redactions[0].detail == f"x{REPLACEMENT}"


def test_nul_in_external_id_still_finds_its_row(store: Store, make_message: MessageFactory) -> None:
    message = make_message("a\x00b")
    first = store.ingest(IngestBatch(messages=[message]))
    again = store.ingest(
        IngestBatch(messages=[message], edits=[message.model_copy(update={"text": "x"})])
    )
    assert [o.status.value for o in first + again] == ["inserted", "duplicate", "updated"]
    assert {o.message_id for o in first + again} == {first[0].message_id}
    assert store.get_message("telegram", "a\x00b") is not None


def test_naive_datetime_is_refused_clearly(store: Store) -> None:
    letter = DeadLetter(
        source="replay", location="x", reason="r", payload="p", received_at=datetime(2024, 1, 1)
    )
    with pytest.raises(StatementError, match="naive datetime"):
        store.add_dead_letter(letter)
    assert store.dead_letters() == []


def test_sqlite_and_postgresql_store_utc(engine: Engine, make_message: MessageFactory) -> None:
    # Written with an offset, read back without the Python type: the stored instant is UTC.
    moment = datetime(2024, 1, 1, 8, 0, tzinfo=timezone(timedelta(hours=8)))
    message = make_message("1", created_at=moment)
    store = Store(engine)
    store.ingest(IngestBatch(messages=[message]))
    with engine.connect() as conn:
        stored = conn.execute(select(MESSAGES.c.created_at)).scalar_one()
    assert stored == datetime(2024, 1, 1, 0, 0, tzinfo=UTC)
    assert stored.tzinfo is UTC
