"""Storage of watchdesk: messages, classifications, cursors, dead letters, audit log.

SQLAlchemy 2.0 on SQLite (the embedded default, a file under ``./var/``) or PostgreSQL
(``database.url``), with Alembic migrations shipped inside the package.

Why a synchronous engine: the pipeline hands the store batches of a few hundred events through
``asyncio.to_thread``, so the event loop never waits on the database, and each batch is a handful
of bulk statements in one transaction; an async engine would add a greenlet hop per statement and
buy nothing, because SQLite has a single writer anyway and PostgreSQL is reached by few workers.
Alembic, the CLI and export are synchronous too, so one engine type serves all of them.

Secrets never reach this package: callers redact text and raw payloads before calling it, and the
store writes exactly what it is given (apart from the NUL/surrogate rule of `store.types`).
"""

from store.classifications import UnknownMessageError
from store.engine import DEFAULT_URL, make_engine
from store.migrate import (
    current_revision,
    downgrade,
    head_revision,
    schema_diff,
    upgrade,
    upgrade_engine,
)
from store.records import (
    AuditEntry,
    DeadLetter,
    IngestBatch,
    Member,
    SaveOutcome,
    SaveStatus,
    StoreCounts,
)
from store.repository import Store
from store.responder_records import DraftRecord, OutboundRecord, TicketEventRecord, TicketRecord
from store.responder_store import ResponderStore

__all__ = [
    "DEFAULT_URL",
    "AuditEntry",
    "DeadLetter",
    "DraftRecord",
    "IngestBatch",
    "Member",
    "OutboundRecord",
    "ResponderStore",
    "SaveOutcome",
    "SaveStatus",
    "Store",
    "StoreCounts",
    "TicketEventRecord",
    "TicketRecord",
    "UnknownMessageError",
    "current_revision",
    "downgrade",
    "head_revision",
    "make_engine",
    "schema_diff",
    "upgrade",
    "upgrade_engine",
]
