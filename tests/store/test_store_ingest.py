"""Idempotent ingest: duplicates, edits, deletions, in one batch and across batches."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from core import Message, MessageDeleted
from store import IngestBatch, SaveStatus, Store
from store.models import DELETIONS, MESSAGE_REVISIONS, MESSAGES

INSERTED, UPDATED, DUPLICATE = SaveStatus.INSERTED, SaveStatus.UPDATED, SaveStatus.DUPLICATE
T0 = datetime(2024, 6, 1, tzinfo=UTC)
MessageFactory = Callable[..., Message]


# A compact language for the cases: ("new", id, text) | ("edit", id, text, minutes) | ("del", id)
Step = tuple[object, ...]


@dataclass(frozen=True)
class Expected:
    text: str
    revision: int = 1
    deleted: bool = False


@dataclass(frozen=True)
class Case:
    name: str
    batches: list[list[Step]]
    statuses: list[list[SaveStatus]]
    messages: dict[str, Expected]
    deletions: int = 0
    revisions: dict[str, list[str]] = field(default_factory=dict)


CASES = [
    Case(
        "same message twice in one batch",
        [[("new", "1", "a"), ("new", "1", "a")]],
        [[INSERTED, DUPLICATE]],
        {"1": Expected("a")},
    ),
    Case(
        "same message across batches",
        [[("new", "1", "a")], [("new", "1", "a")], [("new", "1", "a")]],
        [[INSERTED], [DUPLICATE], [DUPLICATE]],
        {"1": Expected("a")},
    ),
    Case(
        "redelivered message with other text is still a duplicate, not an edit",
        [[("new", "1", "a")], [("new", "1", "changed")]],
        [[INSERTED], [DUPLICATE]],
        {"1": Expected("a")},
    ),
    Case(
        "several messages, some duplicates, order kept",
        [[("new", "1", "a"), ("new", "2", "b")], [("new", "3", "c"), ("new", "2", "b")]],
        [[INSERTED, INSERTED], [INSERTED, DUPLICATE]],
        {"1": Expected("a"), "2": Expected("b"), "3": Expected("c")},
    ),
    Case(
        "edit of a known message updates it and keeps the old text",
        [[("new", "1", "a")], [("edit", "1", "a2", 5)]],
        [[INSERTED], [UPDATED]],
        {"1": Expected("a2", revision=2)},
        revisions={"1": ["a"]},
    ),
    Case(
        "edit of an unknown message inserts it",
        [[("edit", "1", "a2", 5)]],
        [[INSERTED]],
        {"1": Expected("a2")},
    ),
    Case(
        "redelivered edit is a duplicate",
        [[("new", "1", "a")], [("edit", "1", "a2", 5)], [("edit", "1", "a2", 5)]],
        [[INSERTED], [UPDATED], [DUPLICATE]],
        {"1": Expected("a2", revision=2)},
        revisions={"1": ["a"]},
    ),
    Case(
        "an older edit delivered late does not overwrite a newer one",
        [[("new", "1", "a")], [("edit", "1", "new", 9)], [("edit", "1", "old", 3)]],
        [[INSERTED], [UPDATED], [DUPLICATE]],
        {"1": Expected("new", revision=2)},
        revisions={"1": ["a"]},
    ),
    Case(
        "message and its edit in the same batch",
        [[("new", "1", "a"), ("edit", "1", "a2", 5)]],
        [[INSERTED, UPDATED]],
        {"1": Expected("a2", revision=2)},
        revisions={"1": ["a"]},
    ),
    Case(
        "two edits of an unknown message in one batch",
        [[("edit", "1", "v1", 1), ("edit", "1", "v2", 2), ("edit", "1", "v2", 2)]],
        [[INSERTED, UPDATED, DUPLICATE]],
        {"1": Expected("v2", revision=2)},
        revisions={"1": ["v1"]},
    ),
    Case(
        "successive edits keep every previous text",
        [[("new", "1", "a")], [("edit", "1", "b", 1)], [("edit", "1", "c", 2)]],
        [[INSERTED], [UPDATED], [UPDATED]],
        {"1": Expected("c", revision=3)},
        revisions={"1": ["a", "b"]},
    ),
    Case(
        "deletion of a known message keeps the row, marked deleted",
        [[("new", "1", "a")], [("del", "1")]],
        [[INSERTED], []],
        {"1": Expected("a", deleted=True)},
        deletions=1,
    ),
    Case(
        "deletion of an unknown message is recorded",
        [[("del", "7")]],
        [[]],
        {},
        deletions=1,
    ),
    Case(
        "deletion seen before its message marks the message when it arrives",
        [[("del", "1")], [("new", "1", "a")]],
        [[], [INSERTED]],
        {"1": Expected("a", deleted=True)},
        deletions=1,
    ),
    Case(
        "deletion before an edit of an unknown message marks it too",
        [[("del", "1")], [("edit", "1", "a", 1)]],
        [[], [INSERTED]],
        {"1": Expected("a", deleted=True)},
        deletions=1,
    ),
    Case(
        "message and its deletion in one batch",
        [[("new", "1", "a"), ("del", "1")]],
        [[INSERTED]],
        {"1": Expected("a", deleted=True)},
        deletions=1,
    ),
    Case(
        "deletion redelivered is recorded once",
        [[("new", "1", "a")], [("del", "1"), ("del", "1")], [("del", "1")]],
        [[INSERTED], [], []],
        {"1": Expected("a", deleted=True)},
        deletions=1,
    ),
    Case(
        "edit of a deleted message still updates it",
        [[("new", "1", "a"), ("del", "1")], [("edit", "1", "b", 1)]],
        [[INSERTED], [UPDATED]],
        {"1": Expected("b", revision=2, deleted=True)},
        deletions=1,
        revisions={"1": ["a"]},
    ),
]


def _batch(steps: list[Step], make_message: MessageFactory) -> IngestBatch:
    messages: list[Message] = []
    edits: list[Message] = []
    deletions: list[MessageDeleted] = []
    for step in steps:
        kind, external_id = step[0], str(step[1])
        if kind == "new":
            messages.append(make_message(external_id, str(step[2])))
        elif kind == "edit":
            edited_at = T0 + timedelta(minutes=int(str(step[3])))
            edits.append(make_message(external_id, str(step[2]), edited_at=edited_at))
        else:
            deleted_at = T0 + timedelta(hours=len(deletions))
            deletions.append(
                MessageDeleted(platform="telegram", external_id=external_id, deleted_at=deleted_at)
            )
    return IngestBatch(messages=messages, edits=edits, deletions=deletions)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_ingest_cases(
    case: Case, store: Store, engine: Engine, make_message: MessageFactory
) -> None:
    ids: dict[str, int] = {}
    for steps, expected_statuses in zip(case.batches, case.statuses, strict=True):
        outcomes = store.ingest(_batch(steps, make_message))
        assert [o.status for o in outcomes] == expected_statuses
        for outcome in outcomes:
            # One message keeps one id whatever happens to it.
            assert ids.setdefault(outcome.external_id, outcome.message_id) == outcome.message_id

    with engine.connect() as conn:
        rows = conn.execute(
            select(
                MESSAGES.c.id,
                MESSAGES.c.external_id,
                MESSAGES.c.text,
                MESSAGES.c.revision,
                MESSAGES.c.deleted_at,
            )
        ).all()
        deletions = conn.execute(select(func.count()).select_from(DELETIONS)).scalar_one()
        revisions = conn.execute(
            select(MESSAGE_REVISIONS.c.message_id, MESSAGE_REVISIONS.c.text).order_by(
                MESSAGE_REVISIONS.c.revision
            )
        ).all()
    found = {r.external_id: Expected(r.text, r.revision, r.deleted_at is not None) for r in rows}
    assert found == case.messages
    assert deletions == case.deletions
    by_id = {r.id: r.external_id for r in rows}
    kept: dict[str, list[str]] = {}
    for message_id, text in revisions:
        kept.setdefault(by_id[message_id], []).append(text)
    assert kept == case.revisions


def test_outcomes_follow_batch_order_messages_then_edits(
    store: Store, make_message: MessageFactory
) -> None:
    batch = IngestBatch(
        messages=[make_message("2"), make_message("1")],
        edits=[make_message("3", edited_at=T0), make_message("2", "x", edited_at=T0)],
    )
    outcomes = store.ingest(batch)
    assert [(o.external_id, o.status, o.revision) for o in outcomes] == [
        ("2", INSERTED, 1),
        ("1", INSERTED, 1),
        ("3", INSERTED, 1),
        ("2", UPDATED, 2),
    ]
    assert outcomes[0].message_id == outcomes[3].message_id
    assert len({o.message_id for o in outcomes}) == 3


def test_empty_batch_is_a_no_op(store: Store) -> None:
    assert store.ingest(IngestBatch()) == []
    assert store.counts().messages == 0


def test_same_external_id_on_two_platforms_are_two_messages(
    store: Store, make_message: MessageFactory
) -> None:
    outcomes = store.ingest(
        IngestBatch(messages=[make_message("1"), make_message("1", platform="discord")])
    )
    assert [o.status for o in outcomes] == [INSERTED, INSERTED]
    assert outcomes[0].message_id != outcomes[1].message_id
    assert store.counts().messages == 2


def test_deletion_keeps_text_and_records_time(store: Store, make_message: MessageFactory) -> None:
    deleted_at = datetime(2024, 7, 1, 8, 30, tzinfo=UTC)
    store.ingest(IngestBatch(messages=[make_message("1", "keep me")]))
    store.ingest(
        IngestBatch(
            deletions=[MessageDeleted(platform="telegram", external_id="1", deleted_at=deleted_at)]
        )
    )
    store.ingest(
        IngestBatch(deletions=[MessageDeleted(platform="telegram", external_id="1", deleted_at=T0)])
    )
    found = store.get_message("telegram", "1")
    assert found is not None
    assert found[0].text == "keep me"
    assert store.deleted_at("telegram", "1") == deleted_at  # the first deletion wins
    assert store.deleted_at("telegram", "unknown") is None
    counts = store.counts()
    assert (counts.messages, counts.deleted, counts.deletions) == (1, 1, 1)


def test_unknown_deletion_counts_without_a_message(store: Store) -> None:
    store.ingest(
        IngestBatch(
            deletions=[MessageDeleted(platform="reddit", external_id="t1_abc", channel_id="r/x")]
        )
    )
    counts = store.counts()
    assert (counts.messages, counts.deleted, counts.deletions) == (0, 0, 1)
    assert store.deleted_at("reddit", "t1_abc") is not None


def test_edit_updates_content_but_keeps_first_seen_fields(
    store: Store, make_message: MessageFactory
) -> None:
    first = make_message("1", "before", received_at=T0)
    store.ingest(IngestBatch(messages=[first]))
    edit = make_message(
        "1",
        "after",
        received_at=T0 + timedelta(days=1),
        edited_at=T0 + timedelta(hours=1),
        raw={"edited": True},
        mentions_bot=True,
    )
    store.ingest(IngestBatch(edits=[edit]))
    found = store.get_message("telegram", "1")
    assert found is not None
    stored = found[0]
    assert stored == edit.model_copy(update={"received_at": T0})


def test_edit_without_edited_at_but_new_text_is_an_update(
    store: Store, make_message: MessageFactory
) -> None:
    store.ingest(IngestBatch(messages=[make_message("1", "a")]))
    outcomes = store.ingest(IngestBatch(edits=[make_message("1", "b")]))
    assert outcomes[0].status is UPDATED


def test_large_batch_over_one_in_list_chunk(store: Store, make_message: MessageFactory) -> None:
    messages = [make_message(str(i)) for i in range(1200)]
    first = store.ingest(IngestBatch(messages=messages))
    assert {o.status for o in first} == {INSERTED}
    again = store.ingest(IngestBatch(messages=messages, edits=messages[:600]))
    assert {o.status for o in again} == {DUPLICATE}
    assert [o.message_id for o in again[:1200]] == [o.message_id for o in first]
