"""Reads: export, recent flagged, cursors, dead letters, members and the audit log."""

import types
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest

from core import Author, Classification, CursorUpdate, MemberUpdated, Message
from store import DeadLetter, IngestBatch, Store
from store import queries as store_queries

MessageFactory = Callable[..., Message]
ClassificationFactory = Callable[..., Classification]
T0 = datetime(2024, 1, 1, tzinfo=UTC)


def _seed(
    store: Store, make_message: MessageFactory, make_classification: ClassificationFactory
) -> list[int]:
    """Five messages created out of id order; 0 and 3 flagged, 4 unclassified."""
    minutes = [30, 10, 50, 20, 40]
    messages = [
        make_message(str(i), created_at=T0 + timedelta(minutes=m)) for i, m in enumerate(minutes)
    ]
    ids = [o.message_id for o in store.ingest(IngestBatch(messages=messages))]
    store.save_classifications(
        [
            (ids[0], make_classification(urgent=True)),
            (ids[1], make_classification()),
            (ids[2], make_classification()),
            (ids[3], make_classification(complaint=True)),
        ]
    )
    return ids


EXPORTS = {
    "everything in creation order": ({}, ["1", "3", "0", "4", "2"]),
    "flagged only": ({"flagged_only": True}, ["3", "0"]),
    "since is inclusive": ({"since": T0 + timedelta(minutes=30)}, ["0", "4", "2"]),
    "flagged since": ({"flagged_only": True, "since": T0 + timedelta(minutes=25)}, ["0"]),
    "since with an offset": (
        {"since": datetime(2024, 1, 1, 9, 40, tzinfo=timezone(timedelta(hours=9)))},
        ["4", "2"],
    ),
    "nothing after": ({"since": T0 + timedelta(days=1)}, []),
}


@pytest.mark.parametrize(("filters", "expected"), EXPORTS.values(), ids=EXPORTS.keys())
def test_export_filters(
    store: Store,
    make_message: MessageFactory,
    make_classification: ClassificationFactory,
    filters: dict[str, object],
    expected: list[str],
) -> None:
    _seed(store, make_message, make_classification)
    exported = list(store.export(**filters))  # type: ignore[arg-type]
    assert [m.external_id for m, _ in exported] == expected
    for message, classification in exported:
        assert (classification is None) == (message.external_id == "4")
        if filters.get("flagged_only"):
            assert classification is not None
            assert classification.flagged


def test_export_streams_in_chunks(
    store: Store,
    make_message: MessageFactory,
    make_classification: ClassificationFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(store_queries, "EXPORT_CHUNK", 7)
    outcomes = store.ingest(IngestBatch(messages=[make_message(str(i)) for i in range(40)]))
    store.save_classifications(
        [(o.message_id, make_classification(security=i % 3 == 0)) for i, o in enumerate(outcomes)]
    )
    loads: list[int] = []
    real_pairs = store_queries._pairs

    def counting_pairs(conn: object, rows: list[object]) -> object:
        loads.append(len(rows))
        return real_pairs(conn, rows)  # type: ignore[arg-type]

    monkeypatch.setattr(store_queries, "_pairs", counting_pairs)
    stream = store.export()
    assert isinstance(stream, types.GeneratorType)
    first = next(stream)
    assert first[0].external_id == "0"
    assert loads == [7]  # only the first chunk was read
    rest = list(stream)
    assert [m.external_id for m, _ in [first, *rest]] == [str(i) for i in range(40)]
    assert sum(loads) == 40
    assert max(loads) == 7
    # Children were matched to their own message across chunk boundaries.
    assert [c is not None and c.security.value for _, c in [first, *rest]] == [
        i % 3 == 0 for i in range(40)
    ]


def test_export_can_be_abandoned(store: Store, make_message: MessageFactory) -> None:
    store.ingest(IngestBatch(messages=[make_message(str(i)) for i in range(3)]))
    stream = store.export()
    next(stream)
    stream.close()  # returns the connection; the store stays usable
    assert store.counts().messages == 3


def test_recent_flagged_newest_first(
    store: Store, make_message: MessageFactory, make_classification: ClassificationFactory
) -> None:
    _seed(store, make_message, make_classification)
    assert [m.external_id for m, _ in store.recent_flagged()] == ["0", "3"]
    assert [m.external_id for m, _ in store.recent_flagged(limit=1)] == ["0"]
    assert all(c.flagged for _, c in store.recent_flagged())


def test_get_message_unknown(store: Store) -> None:
    assert store.get_message("telegram", "nope") is None


CURSOR_CASES = {
    "first save": ([[("replay", "demo.jsonl", "10")]], {("replay", "demo.jsonl"): "10"}),
    "later batch moves it": (
        [[("replay", "demo.jsonl", "10")], [("replay", "demo.jsonl", "20")]],
        {("replay", "demo.jsonl"): "20"},
    ),
    "last one in a batch wins": (
        [[("tg", "updates", "5"), ("tg", "updates", "7"), ("tg", "updates", "6")]],
        {("tg", "updates"): "6"},
    ),
    "streams are separate": (
        [[("discord", "c1", "a"), ("discord", "c2", "b")], [("discord", "c1", "c")]],
        {("discord", "c1"): "c", ("discord", "c2"): "b"},
    ),
}


@pytest.mark.parametrize(("batches", "expected"), CURSOR_CASES.values(), ids=CURSOR_CASES.keys())
def test_cursors(
    store: Store, batches: list[list[tuple[str, str, str]]], expected: dict[tuple[str, str], str]
) -> None:
    for batch in batches:
        store.ingest(
            IngestBatch(cursors=[CursorUpdate(connector=c, key=k, value=v) for c, k, v in batch])
        )
    assert {(c.connector, c.key): c.value for c in store.cursors()} == expected
    for (connector, key), value in expected.items():
        assert store.get_cursor(connector, key) == value
    assert store.get_cursor("nobody", "nothing") is None


FAILURES = [
    "insert_messages",
    "apply_edits",
    "record_deletions",
    "upsert_members",
    "insert_dead_letters",
    "upsert_cursors",
]


@pytest.mark.parametrize("failing_step", FAILURES)
def test_failed_batch_keeps_neither_events_nor_cursor(
    store: Store, make_message: MessageFactory, monkeypatch: pytest.MonkeyPatch, failing_step: str
) -> None:
    from store import ingest as store_ingest

    store.ingest(
        IngestBatch(
            messages=[make_message("1")], cursors=[CursorUpdate(connector="r", key="k", value="1")]
        )
    )
    real = getattr(store_ingest, failing_step)

    def crash_after(*args: object) -> object:
        real(*args)  # the step's statements ran inside the transaction...
        raise RuntimeError("simulated crash")  # ...and then the process died

    monkeypatch.setattr(store_ingest, failing_step, crash_after)
    batch = IngestBatch(
        messages=[make_message("2")],
        edits=[make_message("1", "edited", edited_at=T0)],
        deletions=[],
        members=[MemberUpdated(platform="telegram", author=Author(id="9", display_name="M"))],
        dead_letters=[
            DeadLetter(source="r", location="l", reason="bad", payload="{", received_at=T0)
        ],
        cursors=[CursorUpdate(connector="r", key="k", value="2")],
    )
    with pytest.raises(RuntimeError, match="simulated crash"):
        store.ingest(batch)
    assert store.get_cursor("r", "k") == "1"
    assert store.get_message("telegram", "2") is None
    found = store.get_message("telegram", "1")
    assert found is not None
    assert found[0].text == "hello"
    assert store.members() == []
    assert store.dead_letters() == []
    monkeypatch.undo()
    store.ingest(batch)  # the redelivered batch then goes through once
    assert store.get_cursor("r", "k") == "2"
    assert store.counts().messages == 2


def test_dead_letters_newest_first(store: Store) -> None:
    letters = [
        DeadLetter(
            source="telegram",
            location=f"update {i}",
            reason="missing chat",
            payload='{"x": "载荷"}',
            received_at=T0 + timedelta(seconds=i),
        )
        for i in range(5)
    ]
    store.ingest(IngestBatch(dead_letters=letters[:3]))
    store.add_dead_letter(letters[3])
    store.add_dead_letter(letters[4])
    assert store.dead_letters() == letters[::-1]
    assert store.dead_letters(limit=2) == [letters[4], letters[3]]
    assert store.counts().dead_letters == 5


def test_members_upsert_and_rename(store: Store, clock: Callable[[], datetime]) -> None:
    def seen(
        author_id: str, name: str, previous: str | None = None, platform: str = "telegram"
    ) -> MemberUpdated:
        author = Author(id=author_id, handle=name.lower(), display_name=name)
        return MemberUpdated(platform=platform, author=author, previous_name=previous)

    store.ingest(
        IngestBatch(
            members=[
                seen("1", "Alice"),
                seen("2", "Bob"),
                seen("1", "Alice"),
                seen("1", "discord-alice", platform="discord"),
            ]
        )
    )
    # A rename the platform did not describe, then one it did, then one within a batch.
    store.ingest(IngestBatch(members=[seen("2", "Bob Support")]))
    store.ingest(IngestBatch(members=[seen("1", "Alicia", previous="Alice (old)")]))
    store.ingest(IngestBatch(members=[seen("3", "Carol"), seen("3", "Car0l Admin")]))
    members = {(m.platform, m.author.id): m for m in store.members()}
    assert {k: (m.author.display_name, m.previous_name) for k, m in members.items()} == {
        ("discord", "1"): ("discord-alice", None),
        ("telegram", "1"): ("Alicia", "Alice (old)"),
        ("telegram", "2"): ("Bob Support", "Bob"),
        ("telegram", "3"): ("Car0l Admin", "Carol"),
    }
    assert [m.author.id for m in store.members("telegram")] == ["1", "2", "3"]
    assert members[("telegram", "2")].author == Author(
        id="2", handle="bob support", display_name="Bob Support"
    )
    assert members[("telegram", "1")].updated_at == clock()


def test_audit_log(store: Store, clock: object) -> None:
    store.audit(
        "mod:alice",
        "approve_draft",
        "ticket:42",
        {"draft": 7, "note": "回复已批准 ✅", "tags": ["a", None]},
    )
    clock.tick()  # type: ignore[attr-defined]
    store.audit("bot", "remove_message", "telegram:-100:5", {})
    entries = store.audit_log()
    assert [(e.actor, e.action, e.subject) for e in entries] == [
        ("bot", "remove_message", "telegram:-100:5"),
        ("mod:alice", "approve_draft", "ticket:42"),
    ]
    assert entries[1].detail == {"draft": 7, "note": "回复已批准 ✅", "tags": ["a", None]}
    assert entries[0].at - entries[1].at == timedelta(seconds=1)
    assert len(store.audit_log(limit=1)) == 1
