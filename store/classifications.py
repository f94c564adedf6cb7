"""Writing classifications: one current classification per message, with its children."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from core import Classification, WatchdeskError
from store.bulk import insert_returning
from store.convert import classification_values, detection_values, entity_values
from store.models import CLASSIFICATIONS, DETECTIONS, ENTITIES, MESSAGES
from store.sql import chunked


class UnknownMessageError(WatchdeskError, LookupError):
    """A classification names a message id the store does not hold (a caller bug)."""


def save_classifications(
    conn: Connection,
    items: Sequence[tuple[int, Classification]],
    revisions: Sequence[int] | None,
    now: datetime,
) -> int:
    """Replace the current classification of each message; return how many were written.

    Args:
        conn: A connection inside the caller's write transaction.
        items: (message id, classification); for an id given twice the last one wins.
        revisions: The text revision each classification was computed for, parallel to
            ``items``; a classification of a revision older than the stored one is skipped
            (the newer text stays queued). ``None`` trusts every classification to be current.
        now: Timestamp of the write.

    Raises:
        UnknownMessageError: If a message id is not in the store.
        ValueError: If ``revisions`` is not as long as ``items``.
    """
    if revisions is not None and len(revisions) != len(items):
        raise ValueError("revisions must give one revision per classification")
    latest: dict[int, tuple[Classification, int | None]] = {}
    for index, (message_id, classification) in enumerate(items):
        latest[message_id] = (classification, None if revisions is None else revisions[index])
    current = _current_revisions(conn, list(latest))
    missing = sorted(set(latest) - set(current))
    if missing:
        raise UnknownMessageError(f"no stored message has id {missing[:10]}")
    keep = {
        message_id: (classification, current[message_id])
        for message_id, (classification, revision) in latest.items()
        if revision is None or revision >= current[message_id]
    }
    if not keep:
        return 0
    _delete_current(conn, list(keep))
    rows = [classification_values(i, rev, c, now) for i, (c, rev) in keep.items()]
    # Matched by message id, which is unique here: asking for rows in parameter order instead
    # would make SQLAlchemy insert one row per statement on SQLite.
    returned = insert_returning(conn, CLASSIFICATIONS.name, rows, ("id", "message_id"))
    new_ids = {row.message_id: row.id for row in returned}
    _insert_children(conn, [(new_ids[i], c) for i, (c, _) in keep.items()])
    for chunk in chunked(list(keep)):
        done = update(MESSAGES).where(MESSAGES.c.id.in_(chunk)).values(needs_classification=False)
        conn.execute(done)
    return len(keep)


def _current_revisions(conn: Connection, message_ids: Sequence[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for chunk in chunked(message_ids):
        query = select(MESSAGES.c.id, MESSAGES.c.revision).where(MESSAGES.c.id.in_(chunk))
        found.update({row.id: row.revision for row in conn.execute(query)})
    return found


def _delete_current(conn: Connection, message_ids: Sequence[int]) -> None:
    # Children first and explicitly: ON DELETE CASCADE needs SQLite's foreign_keys pragma, which an
    # engine not made by make_engine may lack.
    for chunk in chunked(message_ids):
        old = select(CLASSIFICATIONS.c.id).where(CLASSIFICATIONS.c.message_id.in_(chunk))
        old_ids = list(conn.execute(old).scalars())
        if not old_ids:
            continue
        conn.execute(delete(ENTITIES).where(ENTITIES.c.classification_id.in_(old_ids)))
        conn.execute(delete(DETECTIONS).where(DETECTIONS.c.classification_id.in_(old_ids)))
        conn.execute(delete(CLASSIFICATIONS).where(CLASSIFICATIONS.c.id.in_(old_ids)))


def _insert_children(conn: Connection, saved: Iterable[tuple[int, Classification]]) -> None:
    entities: list[dict[str, Any]] = []
    detections: list[dict[str, Any]] = []
    for classification_id, classification in saved:
        entities.extend(entity_values(classification_id, classification.entities))
        detections.extend(detection_values(classification_id, classification.detections))
    if entities:
        conn.execute(insert(ENTITIES), entities)
    if detections:
        conn.execute(insert(DETECTIONS), detections)
