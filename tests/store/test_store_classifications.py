"""Classifications: replaced per message, re-queued by edits, stale ones refused."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select

from core import (
    Classification,
    Detection,
    DetectionKind,
    Entity,
    EntityKind,
    FlagName,
    Language,
    Message,
)
from store import IngestBatch, Store, UnknownMessageError
from store.models import CLASSIFICATIONS, DETECTIONS, ENTITIES

MessageFactory = Callable[..., Message]
ClassificationFactory = Callable[..., Classification]
EDITED = datetime(2024, 6, 1, tzinfo=UTC)


def _ids(store: Store, messages: list[Message]) -> list[int]:
    return [o.message_id for o in store.ingest(IngestBatch(messages=messages))]


def _rows(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (CLASSIFICATIONS, ENTITIES, DETECTIONS)
        )


def test_save_replaces_classification_and_its_children(
    store: Store,
    engine: Engine,
    make_message: MessageFactory,
    make_classification: ClassificationFactory,
    rich_classification: Classification,
) -> None:
    [message_id] = _ids(store, [make_message("1")])
    store.save_classifications([(message_id, rich_classification)])
    assert _rows(engine) == (1, 3, 3)
    replacement = make_classification(
        complaint=True,
        language=Language.ZH,
        entities=(Entity(kind=EntityKind.APP_VERSION, value="7.2.1", start=0, end=5),),
        model_version="rules-2",
    )
    store.save_classifications([(message_id, replacement)])
    assert _rows(engine) == (1, 1, 0)
    found = store.get_message("telegram", "1")
    assert found is not None
    assert found[1] == replacement


def test_unclassified_lists_new_messages_until_classified(
    store: Store, make_message: MessageFactory, make_classification: ClassificationFactory
) -> None:
    ids = _ids(store, [make_message(str(i)) for i in range(5)])
    assert [i for i, _ in store.unclassified()] == ids
    assert [i for i, _ in store.unclassified(limit=2)] == ids[:2]
    store.save_classifications([(ids[0], make_classification()), (ids[3], make_classification())])
    assert [i for i, _ in store.unclassified()] == [ids[1], ids[2], ids[4]]
    assert store.counts().unclassified == 3


def test_edit_queues_the_message_again(
    store: Store, make_message: MessageFactory, make_classification: ClassificationFactory
) -> None:
    [message_id] = _ids(store, [make_message("1", "hello")])
    store.save_classifications([(message_id, make_classification())])
    assert store.unclassified() == []
    edit = make_message("1", "send me your seed", edited_at=EDITED)
    [outcome] = store.ingest(IngestBatch(edits=[edit]))
    assert (outcome.message_id, outcome.revision) == (message_id, 2)
    assert store.unclassified() == [(message_id, edit)]
    # The old verdict stays visible until the new one arrives.
    found = store.get_message("telegram", "1")
    assert found is not None
    assert found[1] == make_classification()
    store.save_classifications([(message_id, make_classification(security=True))], revisions=[2])
    assert store.unclassified() == []


def test_duplicate_redelivery_does_not_requeue(
    store: Store, make_message: MessageFactory, make_classification: ClassificationFactory
) -> None:
    message = make_message("1")
    [message_id] = _ids(store, [message])
    store.save_classifications([(message_id, make_classification())])
    store.ingest(IngestBatch(messages=[message], edits=[message]))
    assert store.unclassified() == []


def test_classification_of_an_older_revision_is_skipped(
    store: Store, make_message: MessageFactory, make_classification: ClassificationFactory
) -> None:
    [first] = store.ingest(IngestBatch(messages=[make_message("1", "v1")]))
    store.ingest(IngestBatch(edits=[make_message("1", "v2", edited_at=EDITED)]))
    stale = make_classification(urgent=True)
    store.save_classifications([(first.message_id, stale)], revisions=[first.revision])
    found = store.get_message("telegram", "1")
    assert found is not None
    assert found[1] is None
    assert [i for i, _ in store.unclassified()] == [first.message_id]


def test_last_classification_of_a_message_in_one_call_wins(
    store: Store, make_message: MessageFactory, make_classification: ClassificationFactory
) -> None:
    [message_id] = _ids(store, [make_message("1")])
    store.save_classifications(
        [
            (message_id, make_classification(urgent=True)),
            (message_id, make_classification(complaint=True)),
        ]
    )
    found = store.get_message("telegram", "1")
    assert found is not None
    assert found[1] == make_classification(complaint=True)


def test_unknown_message_id_writes_nothing(
    store: Store, make_message: MessageFactory, make_classification: ClassificationFactory
) -> None:
    [message_id] = _ids(store, [make_message("1")])
    with pytest.raises(UnknownMessageError, match="999999"):
        store.save_classifications(
            [(message_id, make_classification()), (999_999, make_classification())]
        )
    assert [i for i, _ in store.unclassified()] == [message_id]


def test_revisions_must_match_items(
    store: Store, make_message: MessageFactory, make_classification: ClassificationFactory
) -> None:
    [message_id] = _ids(store, [make_message("1")])
    with pytest.raises(ValueError, match="one revision per classification"):
        store.save_classifications([(message_id, make_classification())], revisions=[1, 1])


def test_empty_save_is_a_no_op(store: Store) -> None:
    store.save_classifications([])
    assert store.counts().classified == 0


def test_counts_per_flag(
    store: Store, make_message: MessageFactory, make_classification: ClassificationFactory
) -> None:
    ids = _ids(store, [make_message(str(i)) for i in range(4)])
    store.save_classifications(
        [
            (ids[0], make_classification(urgent=True, security=True)),
            (ids[1], make_classification(security=True)),
            (ids[2], make_classification()),
        ]
    )
    counts = store.counts()
    assert counts.messages == 4
    assert counts.classified == 3
    assert counts.flagged == {FlagName.URGENT: 1, FlagName.SECURITY: 2, FlagName.COMPLAINT: 0}
    assert counts.unclassified == 1


def test_children_keep_their_order(
    store: Store, make_message: MessageFactory, make_classification: ClassificationFactory
) -> None:
    entities = tuple(
        Entity(kind=EntityKind.ADDRESS, value=f"addr{9 - i}", start=i, end=i + 1) for i in range(10)
    )
    detections = tuple(
        Detection(kind=DetectionKind.SOLICITATION, detail=f"d{9 - i}") for i in range(10)
    )
    ids = _ids(store, [make_message("1"), make_message("2")])
    classification = make_classification(entities=entities, detections=detections)
    store.save_classifications([(ids[1], classification), (ids[0], classification)])
    for external_id in ("1", "2"):
        found = store.get_message("telegram", external_id)
        assert found is not None
        assert found[1] == classification
