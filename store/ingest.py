"""The writes of one `IngestBatch`, each a few bulk statements on one connection.

Every function here runs inside the caller's transaction and never commits. Keys are compared as
stored, i.e. after `clean_text`, so that an id holding a NUL still finds its row.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, case, func, insert, select, update

from core import CursorUpdate, MemberUpdated, Message, MessageDeleted
from store.bulk import insert_returning
from store.convert import member_values, message_values
from store.models import CURSORS, DEAD_LETTERS, DELETIONS, MEMBERS, MESSAGE_REVISIONS, MESSAGES
from store.records import DeadLetter, SaveOutcome, SaveStatus
from store.sql import Key, chunked, dialect_insert, key_in
from store.types import clean_json, clean_text

# What an edit replaces; identity, author, channel, created_at and received_at stay as first seen.
_EDITED_COLUMNS = ("text", "raw", "redactions", "attachments", "edited_at", "mentions_bot")


def _key(message: Message) -> Key:
    return (message.platform, clean_text(message.external_id))


@dataclass(frozen=True)
class _Version:
    """The stored version of a message, as far as deciding about an edit needs it."""

    id: int
    revision: int
    text: str
    redactions: Any
    attachments: Any
    edited_at: datetime | None

    @classmethod
    def of(cls, message_id: int, revision: int, message: Message) -> "_Version":
        values = message_values(message)
        return cls(
            id=message_id,
            revision=revision,
            text=clean_text(message.text),
            redactions=clean_json(values["redactions"]),
            attachments=clean_json(values["attachments"]),
            edited_at=message.edited_at,
        )

    def replaced_by(self, edit: Message) -> bool:
        """Whether ``edit`` is a newer, different version (not a redelivery or a stale one)."""
        if self.edited_at and edit.edited_at and edit.edited_at < self.edited_at:
            return False  # an older edit delivered late must not overwrite the newer text
        other = _Version.of(self.id, self.revision, edit)
        return other != self

    def revision_row(self, now: datetime) -> dict[str, Any]:
        """Return the ``message_revisions`` row that keeps this version once replaced."""
        return {
            "message_id": self.id,
            "revision": self.revision,
            "text": self.text,
            "redactions": self.redactions,
            "attachments": self.attachments,
            "edited_at": self.edited_at,
            "replaced_at": now,
        }


def insert_messages(conn: Connection, messages: Sequence[Message]) -> list[SaveOutcome]:
    """Insert new messages; a known (platform, external_id) is a duplicate and left as stored."""
    if not messages:
        return []
    firsts: dict[Key, Message] = {}
    for message in messages:
        firsts.setdefault(_key(message), message)
    inserted = _insert_new(conn, firsts.values())
    known = _load_versions(conn, [k for k in firsts if k not in inserted])
    outcomes: list[SaveOutcome] = []
    seen: set[Key] = set()
    for message in messages:
        key = _key(message)
        if key in inserted:
            status = SaveStatus.DUPLICATE if key in seen else SaveStatus.INSERTED
            outcomes.append(_outcome(message, status, inserted[key], 1))
        else:
            version = known[key]
            outcomes.append(_outcome(message, SaveStatus.DUPLICATE, version.id, version.revision))
        seen.add(key)
    mark_pending_deletions(conn, inserted)
    return outcomes


def apply_edits(conn: Connection, edits: Sequence[Message], now: datetime) -> list[SaveOutcome]:
    """Apply edits in order: update known messages (keeping a revision), insert unknown ones."""
    if not edits:
        return []
    versions, first_unknown = _edit_targets(conn, edits)
    outcomes: list[SaveOutcome] = []
    revisions: list[dict[str, Any]] = []
    updates: dict[int, Message] = {}
    for index, edit in enumerate(edits):
        key = _key(edit)
        current = versions[key]
        if first_unknown.get(key) == index:
            outcomes.append(_outcome(edit, SaveStatus.INSERTED, current.id, 1))
        elif not current.replaced_by(edit):
            outcomes.append(_outcome(edit, SaveStatus.DUPLICATE, current.id, current.revision))
        else:
            revisions.append(current.revision_row(now))
            versions[key] = _Version.of(current.id, current.revision + 1, edit)
            updates[current.id] = edit
            outcomes.append(_outcome(edit, SaveStatus.UPDATED, current.id, current.revision + 1))
    if revisions:
        conn.execute(insert(MESSAGE_REVISIONS), revisions)
    _update_messages(conn, [(versions[_key(m)], m) for _, m in sorted(updates.items())])
    return outcomes


def _edit_targets(
    conn: Connection, edits: Sequence[Message]
) -> tuple[dict[Key, _Version], dict[Key, int]]:
    """Lock the stored versions of the edited messages; insert the unknown ones.

    Returns:
        The current version per key, and for each key inserted here the index of the edit that
        became its first version.
    """
    versions = _load_versions(conn, list(dict.fromkeys(_key(m) for m in edits)), lock=True)
    first_unknown: dict[Key, int] = {}
    for index, edit in enumerate(edits):
        if _key(edit) not in versions:
            first_unknown.setdefault(_key(edit), index)
    inserted = _insert_new(conn, [edits[i] for i in first_unknown.values()])
    for key in [k for k in first_unknown if k not in inserted]:
        # Another writer stored it between our read and our insert: treat it as known.
        del first_unknown[key]
        versions.update(_load_versions(conn, [key], lock=True))
    for key, index in first_unknown.items():
        versions[key] = _Version.of(inserted[key], 1, edits[index])
    mark_pending_deletions(conn, inserted)
    return versions, first_unknown


def record_deletions(conn: Connection, deletions: Sequence[MessageDeleted], now: datetime) -> None:
    """Record deletions (the first one of a message wins) and mark known messages deleted."""
    if not deletions:
        return
    firsts: dict[Key, MessageDeleted] = {}
    for deletion in deletions:
        firsts.setdefault((deletion.platform, clean_text(deletion.external_id)), deletion)
    ids = {key: version.id for key, version in _load_versions(conn, list(firsts)).items()}
    rows = [
        {
            "platform": d.platform,
            "external_id": d.external_id,
            "channel_id": d.channel_id,
            "deleted_at": d.deleted_at,
            "recorded_at": now,
            "message_id": ids.get(key),
        }
        for key, d in sorted(firsts.items())
    ]
    stmt = dialect_insert(conn, DELETIONS).on_conflict_do_nothing(
        index_elements=["platform", "external_id"]
    )
    conn.execute(stmt, rows)
    _mark_deleted(conn, [(ids[k], d.deleted_at) for k, d in firsts.items() if k in ids])


def mark_pending_deletions(conn: Connection, inserted: dict[Key, int]) -> None:
    """Mark just-inserted messages deleted when their deletion was recorded before them."""
    if not inserted:
        return
    probe = select(DELETIONS.c.id).where(DELETIONS.c.message_id.is_(None)).limit(1)
    if conn.execute(probe).first() is None:
        return  # the usual case: no deletion is waiting for its message
    marks: list[tuple[int, datetime]] = []
    links: list[dict[str, Any]] = []
    for chunk in chunked(list(inserted)):
        query = select(
            DELETIONS.c.id, DELETIONS.c.platform, DELETIONS.c.external_id, DELETIONS.c.deleted_at
        ).where(DELETIONS.c.message_id.is_(None), key_in(DELETIONS, chunk))
        for row in conn.execute(query):
            message_id = inserted[(row.platform, row.external_id)]
            marks.append((message_id, row.deleted_at))
            links.append({"b_id": row.id, "b_message_id": message_id})
    if links:
        link = (
            update(DELETIONS)
            .where(DELETIONS.c.id == bindparam("b_id"))
            .values(message_id=bindparam("b_message_id"))
        )
        conn.execute(link, links)
    _mark_deleted(conn, marks)


def upsert_members(conn: Connection, members: Sequence[MemberUpdated], now: datetime) -> None:
    """Insert or update members; for a member seen twice in the batch the last sighting wins."""
    if not members:
        return
    last: dict[Key, dict[str, Any]] = {}
    for member in members:
        key = (member.platform, clean_text(member.author.id))
        values = member_values(member, now)
        earlier = last.get(key)
        if earlier and values["previous_name"] is None:
            renamed = earlier["display_name"] != values["display_name"]
            values["previous_name"] = (
                earlier["display_name"] if renamed else earlier["previous_name"]
            )
        last[key] = values
    stmt = dialect_insert(conn, MEMBERS)
    new = stmt.excluded
    # A rename without an explicit previous name still keeps the old one for the impostor check.
    renamed_from = case(
        (MEMBERS.c.display_name != new.display_name, MEMBERS.c.display_name),
        else_=MEMBERS.c.previous_name,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["platform", "author_id"],
        set_={
            "handle": new.handle,
            "display_name": new.display_name,
            "is_staff": new.is_staff,
            "is_bot": new.is_bot,
            "previous_name": func.coalesce(new.previous_name, renamed_from),
            "updated_at": new.updated_at,
        },
    )
    conn.execute(stmt, [last[key] for key in sorted(last)])


def upsert_cursors(conn: Connection, cursors: Sequence[CursorUpdate], now: datetime) -> None:
    """Save connector positions; for a stream given twice in the batch the last one wins."""
    if not cursors:
        return
    last = {
        (c.connector, c.key): {
            "connector": c.connector,
            "key": c.key,
            "value": c.value,
            "updated_at": now,
        }
        for c in cursors
    }
    stmt = dialect_insert(conn, CURSORS)
    stmt = stmt.on_conflict_do_update(
        index_elements=["connector", "key"],
        set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at},
    )
    conn.execute(stmt, [last[key] for key in sorted(last)])


def insert_dead_letters(conn: Connection, letters: Sequence[DeadLetter]) -> None:
    """Append dead letters."""
    if not letters:
        return
    rows = [
        {
            "source": d.source,
            "location": d.location,
            "reason": d.reason,
            "payload": d.payload,
            "received_at": d.received_at,
        }
        for d in letters
    ]
    conn.execute(insert(DEAD_LETTERS), rows)


def _outcome(message: Message, status: SaveStatus, message_id: int, revision: int) -> SaveOutcome:
    return SaveOutcome(message.platform, message.external_id, status, message_id, revision)


def _insert_new(conn: Connection, messages: Iterable[Message]) -> dict[Key, int]:
    """Insert the messages whose key is free; return the ids of those actually inserted."""
    rows = [
        {**message_values(m), "revision": 1, "needs_classification": True, "deleted_at": None}
        for m in sorted(messages, key=_key)
    ]
    if not rows:
        return {}
    returned = insert_returning(
        conn,
        MESSAGES.name,
        rows,
        ("id", "platform", "external_id"),
        skip_conflicts_on=("platform", "external_id"),
    )
    return {(r.platform, r.external_id): r.id for r in returned}


def _load_versions(
    conn: Connection, keys: Sequence[Key], *, lock: bool = False
) -> dict[Key, _Version]:
    """Read the stored versions of ``keys``; with ``lock``, hold them until the commit.

    Locking (PostgreSQL's ``FOR UPDATE``, in id order) makes concurrent edits of one message
    queue up instead of both writing the same revision; SQLite's write lock does that already.
    """
    versions: dict[Key, _Version] = {}
    columns = (
        MESSAGES.c.id,
        MESSAGES.c.platform,
        MESSAGES.c.external_id,
        MESSAGES.c.revision,
        MESSAGES.c.text,
        MESSAGES.c.redactions,
        MESSAGES.c.attachments,
        MESSAGES.c.edited_at,
    )
    for chunk in chunked(sorted(keys)):
        query = select(*columns).where(key_in(MESSAGES, chunk)).order_by(MESSAGES.c.id)
        if lock:
            query = query.with_for_update()
        for row in conn.execute(query):
            versions[(row.platform, row.external_id)] = _Version(
                id=row.id,
                revision=row.revision,
                text=row.text,
                redactions=row.redactions,
                attachments=row.attachments,
                edited_at=row.edited_at,
            )
    return versions


def _update_messages(conn: Connection, changes: Sequence[tuple[_Version, Message]]) -> None:
    """Write the new version of edited messages and queue them for classification again."""
    if not changes:
        return
    stmt = (
        update(MESSAGES)
        .where(MESSAGES.c.id == bindparam("b_id"))
        .values(
            text=bindparam("b_text"),
            raw=bindparam("b_raw"),
            redactions=bindparam("b_redactions"),
            attachments=bindparam("b_attachments"),
            edited_at=bindparam("b_edited_at"),
            mentions_bot=bindparam("b_mentions_bot"),
            revision=bindparam("b_revision"),
            needs_classification=True,
        )
    )
    params = []
    for version, message in changes:
        values = message_values(message)
        edited = {f"b_{name}": values[name] for name in _EDITED_COLUMNS}
        params.append({"b_id": version.id, "b_revision": version.revision, **edited})
    conn.execute(stmt, params)


def _mark_deleted(conn: Connection, marks: Sequence[tuple[int, datetime]]) -> None:
    if not marks:
        return
    stmt = (
        update(MESSAGES)
        .where(MESSAGES.c.id == bindparam("b_id"), MESSAGES.c.deleted_at.is_(None))
        .values(deleted_at=bindparam("b_deleted_at"))
    )
    conn.execute(stmt, [{"b_id": i, "b_deleted_at": at} for i, at in sorted(marks)])
