"""`Store`: the one object the rest of watchdesk reads and writes through."""

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert

from core import Classification, CursorUpdate, Message
from core._base import utc_now
from store import ingest, queries
from store.classifications import save_classifications
from store.engine import read_transaction, write_transaction
from store.models import AUDIT_LOG
from store.records import AuditEntry, DeadLetter, IngestBatch, Member, SaveOutcome, StoreCounts


class Store:
    """Repository over an engine from `make_engine`; implements `core.CursorReader`.

    Every method opens its own connection and transaction, so one `Store` can be shared by the
    threads of ``asyncio.to_thread``. Writes take SQLite's write lock at their start.

    Args:
        engine: The engine of a database upgraded to the current schema.
        clock: Source of "now" for bookkeeping columns (tests pass a fixed clock).
    """

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._engine = engine
        self._clock = clock

    @property
    def engine(self) -> Engine:
        """The engine this store writes to."""
        return self._engine

    def ingest(self, batch: IngestBatch) -> list[SaveOutcome]:
        """Write one batch in one transaction; on any error nothing of it is kept.

        Messages are written first, then edits (so an edit may follow its message in the same
        batch), then deletions, members, dead letters and, last, the cursors.

        Returns:
            One outcome per message, then one per edit, in the batch's order.
        """
        if not any(getattr(batch, f.name) for f in fields(batch)):
            return []
        now = self._clock()
        with write_transaction(self._engine) as conn:
            outcomes = ingest.insert_messages(conn, batch.messages)
            outcomes += ingest.apply_edits(conn, batch.edits, now)
            ingest.record_deletions(conn, batch.deletions, now)
            ingest.upsert_members(conn, batch.members, now)
            ingest.insert_dead_letters(conn, batch.dead_letters)
            ingest.upsert_cursors(conn, batch.cursors, now)
        return outcomes

    def save_classifications(
        self,
        items: Sequence[tuple[int, Classification]],
        *,
        revisions: Sequence[int] | None = None,
    ) -> None:
        """Replace each message's current classification, detections and entities.

        Args:
            items: (message id, classification) pairs; the last one wins for a repeated id.
            revisions: Optional, parallel to ``items``: the ``SaveOutcome.revision`` each
                classification was computed for. A classification of an older revision than
                the stored text is skipped, so a slow classifier cannot overwrite the verdict
                on a newer edit. Without it every classification is taken as current.

        Raises:
            UnknownMessageError: If a message id is not in the store (nothing is written).
        """
        if not items:
            return
        with write_transaction(self._engine) as conn:
            save_classifications(conn, items, revisions, self._clock())

    def unclassified(self, limit: int = 500) -> list[tuple[int, Message]]:
        """Return messages without a classification of their current text, oldest first."""
        with read_transaction(self._engine) as conn:
            return queries.unclassified(conn, limit)

    def get_cursor(self, connector: str, key: str) -> str | None:
        """Return the saved position of ``connector``'s stream ``key``, if any."""
        with read_transaction(self._engine) as conn:
            return queries.get_cursor(conn, connector, key)

    def cursors(self) -> list[CursorUpdate]:
        """Return every saved position, ordered by connector and key."""
        with read_transaction(self._engine) as conn:
            return queries.cursors(conn)

    def add_dead_letter(self, letter: DeadLetter) -> None:
        """Store one dead letter on its own (outside a batch)."""
        with write_transaction(self._engine) as conn:
            ingest.insert_dead_letters(conn, [letter])

    def dead_letters(self, limit: int = 100) -> list[DeadLetter]:
        """Return the newest dead letters, newest first."""
        with read_transaction(self._engine) as conn:
            return queries.dead_letters(conn, limit)

    def audit(self, actor: str, action: str, subject: str, detail: Mapping[str, Any]) -> None:
        """Append a line to the audit log.

        Args:
            actor: Who acted (a moderator's name, ``bot``, ``cli``).
            action: What was done (``approve_draft``, ``remove_message``, ...).
            subject: What it was done to (a ticket number, ``telegram:123``).
            detail: Anything else worth keeping; JSON-serialisable, free of secrets.
        """
        row = {
            "at": self._clock(),
            "actor": actor,
            "action": action,
            "subject": subject,
            "detail": dict(detail),
        }
        with write_transaction(self._engine) as conn:
            conn.execute(insert(AUDIT_LOG), [row])

    def audit_log(self, limit: int = 100) -> list[AuditEntry]:
        """Return the newest audit entries, newest first."""
        with read_transaction(self._engine) as conn:
            return queries.audit_log(conn, limit)

    def export(
        self, *, flagged_only: bool = False, since: datetime | None = None
    ) -> Iterator[tuple[Message, Classification | None]]:
        """Stream messages with their classification in creation order.

        Rows are fetched a chunk at a time; the iterator holds a connection until it is
        exhausted or closed.

        Args:
            flagged_only: Only messages whose classification sets a flag.
            since: Only messages created at or after this (aware) time.
        """
        return queries.export(self._engine, flagged_only=flagged_only, since=since)

    def get_message(
        self, platform: str, external_id: str
    ) -> tuple[Message, Classification | None] | None:
        """Return a message (its current version) and its classification, if stored."""
        with read_transaction(self._engine) as conn:
            return queries.get_message(conn, platform, external_id)

    def deleted_at(self, platform: str, external_id: str) -> datetime | None:
        """Return when a message was deleted on its platform, if a deletion was recorded."""
        with read_transaction(self._engine) as conn:
            return queries.deleted_at(conn, platform, external_id)

    def recent_flagged(self, limit: int = 50) -> list[tuple[Message, Classification]]:
        """Return the newest flagged messages by creation time, newest first."""
        with read_transaction(self._engine) as conn:
            return queries.recent_flagged(conn, limit)

    def members(self, platform: str | None = None) -> list[Member]:
        """Return known members, of one platform or of all."""
        with read_transaction(self._engine) as conn:
            return queries.members(conn, platform)

    def counts(self) -> StoreCounts:
        """Return messages, classified, flagged per flag, dead letters and deleted counts."""
        with read_transaction(self._engine) as conn:
            return queries.counts(conn)
