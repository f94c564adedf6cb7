"""Reads: messages with their classification, counts, cursors, dead letters, members, audit."""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime

from sqlalchemy import Connection, Engine, Select, func, select
from sqlalchemy.engine import RowMapping

from core import Classification, CursorUpdate, FlagName, Message
from store.convert import classification_from_rows, member_from_row, message_from_row
from store.models import (
    AUDIT_LOG,
    CLASSIFICATIONS,
    CURSORS,
    DEAD_LETTERS,
    DELETIONS,
    DETECTIONS,
    ENTITIES,
    MEMBERS,
    MESSAGES,
)
from store.records import AuditEntry, DeadLetter, Member, StoreCounts
from store.sql import chunked

_PREFIX = "c_"  # classification columns in joined selects, apart from the message's own
EXPORT_CHUNK = 500

Pair = tuple[Message, Classification | None]


def _joined(*, flagged_only: bool) -> Select[tuple[object, ...]]:
    """Messages with their classification columns (prefixed), outer-joined unless flagged only."""
    labelled = [c.label(f"{_PREFIX}{c.name}") for c in CLASSIFICATIONS.c]
    query = select(MESSAGES, *labelled)
    if flagged_only:
        on = CLASSIFICATIONS.c.message_id == MESSAGES.c.id
        return query.join(CLASSIFICATIONS, on).where(CLASSIFICATIONS.c.flagged.is_(True))
    return query.outerjoin(CLASSIFICATIONS, CLASSIFICATIONS.c.message_id == MESSAGES.c.id)


def _pairs(conn: Connection, rows: Sequence[RowMapping]) -> list[Pair]:
    """Turn joined rows into (message, classification) pairs, loading children in bulk."""
    ids = [row[f"{_PREFIX}id"] for row in rows if row[f"{_PREFIX}id"] is not None]
    entities: defaultdict[int, list[RowMapping]] = defaultdict(list)
    detections: defaultdict[int, list[RowMapping]] = defaultdict(list)
    for chunk in chunked(ids):
        for table, into in ((ENTITIES, entities), (DETECTIONS, detections)):
            query = (
                select(table)
                .where(table.c.classification_id.in_(chunk))
                .order_by(table.c.classification_id, table.c.position)
            )
            for child in conn.execute(query).mappings():
                into[child["classification_id"]].append(child)
    pairs: list[Pair] = []
    for row in rows:
        cid = row[f"{_PREFIX}id"]
        classification = None
        if cid is not None:
            classification = classification_from_rows(
                row, entities[cid], detections[cid], prefix=_PREFIX
            )
        pairs.append((message_from_row(row), classification))
    return pairs


def get_message(conn: Connection, platform: str, external_id: str) -> Pair | None:
    """Return a message and its classification by (platform, external id)."""
    query = _joined(flagged_only=False).where(
        MESSAGES.c.platform == platform, MESSAGES.c.external_id == external_id
    )
    row = conn.execute(query).mappings().first()
    return None if row is None else _pairs(conn, [row])[0]


def recent_flagged(conn: Connection, limit: int) -> list[tuple[Message, Classification]]:
    """Return the newest flagged messages (by creation time), newest first."""
    query = (
        _joined(flagged_only=True)
        .order_by(MESSAGES.c.created_at.desc(), MESSAGES.c.id.desc())
        .limit(limit)
    )
    rows = conn.execute(query).mappings().all()
    return [(m, c) for m, c in _pairs(conn, rows) if c is not None]


def export(engine: Engine, *, flagged_only: bool, since: datetime | None) -> Iterator[Pair]:
    """Stream messages in creation order, a chunk at a time, on one connection.

    The connection is held until the iterator is exhausted or closed.
    """
    query = _joined(flagged_only=flagged_only).order_by(MESSAGES.c.created_at, MESSAGES.c.id)
    if since is not None:
        query = query.where(MESSAGES.c.created_at >= since)
    with engine.connect() as conn:
        # yield_per streams with a server-side cursor on PostgreSQL; SQLite steps its cursor.
        result = conn.execution_options(yield_per=EXPORT_CHUNK).execute(query).mappings()
        for chunk in result.partitions():
            yield from _pairs(conn, chunk)


def unclassified(conn: Connection, limit: int) -> list[tuple[int, Message]]:
    """Return messages whose current text has no classification yet, oldest id first."""
    query = (
        select(MESSAGES)
        .where(MESSAGES.c.needs_classification.is_(True))
        .order_by(MESSAGES.c.id)
        .limit(limit)
    )
    return [(row["id"], message_from_row(row)) for row in conn.execute(query).mappings()]


def counts(conn: Connection) -> StoreCounts:
    """Return the store's totals."""
    flag_sums = [func.count().filter(CLASSIFICATIONS.c[name.value].is_(True)) for name in FlagName]
    classified, *flagged = conn.execute(select(func.count(), *flag_sums)).one()
    messages, deleted, waiting = conn.execute(
        select(
            func.count(),
            func.count(MESSAGES.c.deleted_at),
            func.count().filter(MESSAGES.c.needs_classification.is_(True)),
        )
    ).one()
    return StoreCounts(
        messages=messages,
        classified=classified,
        flagged=dict(zip(FlagName, flagged, strict=True)),
        dead_letters=conn.execute(select(func.count()).select_from(DEAD_LETTERS)).scalar_one(),
        deleted=deleted,
        deletions=conn.execute(select(func.count()).select_from(DELETIONS)).scalar_one(),
        unclassified=waiting,
    )


def get_cursor(conn: Connection, connector: str, key: str) -> str | None:
    """Return one saved cursor value."""
    query = select(CURSORS.c.value).where(CURSORS.c.connector == connector, CURSORS.c.key == key)
    value: str | None = conn.execute(query).scalar_one_or_none()
    return value


def cursors(conn: Connection) -> list[CursorUpdate]:
    """Return every saved cursor, by connector and key."""
    query = select(CURSORS).order_by(CURSORS.c.connector, CURSORS.c.key)
    return [
        CursorUpdate(connector=r.connector, key=r.key, value=r.value) for r in conn.execute(query)
    ]


def dead_letters(conn: Connection, limit: int) -> list[DeadLetter]:
    """Return the newest dead letters, newest first."""
    query = (
        select(DEAD_LETTERS)
        .order_by(DEAD_LETTERS.c.received_at.desc(), DEAD_LETTERS.c.id.desc())
        .limit(limit)
    )
    return [
        DeadLetter(
            source=r.source,
            location=r.location,
            reason=r.reason,
            payload=r.payload,
            received_at=r.received_at,
        )
        for r in conn.execute(query)
    ]


def deleted_at(conn: Connection, platform: str, external_id: str) -> datetime | None:
    """Return when a message was deleted on its platform, if a deletion was recorded."""
    query = select(DELETIONS.c.deleted_at).where(
        DELETIONS.c.platform == platform, DELETIONS.c.external_id == external_id
    )
    value: datetime | None = conn.execute(query).scalar_one_or_none()
    return value


def members(conn: Connection, platform: str | None) -> list[Member]:
    """Return members, of one platform or all, by platform and author id."""
    query = select(MEMBERS).order_by(MEMBERS.c.platform, MEMBERS.c.author_id)
    if platform is not None:
        query = query.where(MEMBERS.c.platform == platform)
    return [member_from_row(row) for row in conn.execute(query).mappings()]


def audit_log(conn: Connection, limit: int) -> list[AuditEntry]:
    """Return the newest audit entries, newest first."""
    query = select(AUDIT_LOG).order_by(AUDIT_LOG.c.at.desc(), AUDIT_LOG.c.id.desc()).limit(limit)
    return [
        AuditEntry(at=r.at, actor=r.actor, action=r.action, subject=r.subject, detail=r.detail)
        for r in conn.execute(query)
    ]
