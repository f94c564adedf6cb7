"""Engine settings, threads and throughput on both backends."""

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select, text

from core import Classification, CursorUpdate, Message
from store import IngestBatch, SaveStatus, Store, make_engine, upgrade
from store.models import MESSAGE_REVISIONS

MessageFactory = Callable[..., Message]
ClassificationFactory = Callable[..., Classification]


def test_connection_settings(engine: Engine, backend: str) -> None:
    with engine.connect() as conn:
        if backend == "sqlite":
            settings = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }
            assert settings == {
                "journal_mode": "wal",
                "synchronous": 1,
                "foreign_keys": 1,
                "busy_timeout": 10_000,
            }
        else:
            assert conn.execute(text("SHOW TIME ZONE")).scalar() == "UTC"
            assert engine.dialect.driver == "psycopg"


def test_postgresql_session_is_utc_whatever_the_server_zone(pg_server: Any) -> None:
    # PostgreSQL only: SQLite has no session time zone.
    empty_db_url = pg_server.create_database()
    admin = make_engine(empty_db_url)
    with admin.connect() as conn:
        database = conn.execute(text("SELECT current_database()")).scalar()
        conn.execute(text(f"ALTER DATABASE \"{database}\" SET timezone TO 'Pacific/Kiritimati'"))
        conn.commit()
    admin.dispose()
    upgrade(empty_db_url)
    engine = make_engine(empty_db_url.replace("postgresql+psycopg://", "postgresql://"))
    try:
        far = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)  # year 10000 at UTC+14
        store = Store(engine)
        message = Message.model_validate(
            {
                "platform": "x",
                "external_id": "1",
                "channel": {"id": "c", "kind": "timeline"},
                "author": {"id": "a"},
                "text": "t",
                "created_at": far,
            }
        )
        store.ingest(IngestBatch(messages=[message]))
        found = store.get_message("x", "1")
        assert found is not None
        assert found[0].created_at == far
    finally:
        engine.dispose()


async def test_concurrent_batches_from_threads(store: Store, make_message: MessageFactory) -> None:
    # The pipeline calls the store through asyncio.to_thread; overlapping writers must queue up
    # (SQLite's busy timeout, PostgreSQL's row locks), not fail, and never duplicate a message.
    def batch(worker: int) -> IngestBatch:
        messages = [make_message(str(i)) for i in range(worker * 50, worker * 50 + 100)]
        return IngestBatch(
            messages=messages, cursors=[CursorUpdate(connector="w", key="k", value=str(worker))]
        )

    results = await asyncio.gather(*(asyncio.to_thread(store.ingest, batch(w)) for w in range(8)))
    inserted = [o for outcomes in results for o in outcomes if o.status is SaveStatus.INSERTED]
    assert sorted(int(o.external_id) for o in inserted) == list(range(450))
    ids = {o.external_id: o.message_id for outcomes in results for o in outcomes}
    assert len(set(ids.values())) == 450
    assert store.counts().messages == 450
    assert store.get_cursor("w", "k") in {str(w) for w in range(8)}


async def test_concurrent_edits_of_the_same_messages(
    store: Store, make_message: MessageFactory
) -> None:
    # Row locks (PostgreSQL) or the write lock (SQLite) make overlapping edits queue up; whatever
    # the commit order, the edit with the latest edited_at wins and every replaced text is kept.
    store.ingest(IngestBatch(messages=[make_message(str(i), "v0") for i in range(50)]))
    start = datetime(2024, 6, 1, tzinfo=UTC)

    def edits(worker: int) -> IngestBatch:
        at = start + timedelta(minutes=worker)
        order = range(50) if worker % 2 else reversed(range(50))
        return IngestBatch(edits=[make_message(str(i), f"v{worker}", edited_at=at) for i in order])

    results = await asyncio.gather(
        *(asyncio.to_thread(store.ingest, edits(w)) for w in range(1, 7))
    )
    updated = sum(o.status is SaveStatus.UPDATED for outcomes in results for o in outcomes)
    texts = {m.text for m, _ in store.export()}
    assert texts == {"v6"}
    with store.engine.connect() as conn:
        kept = conn.execute(select(func.count()).select_from(MESSAGE_REVISIONS)).scalar_one()
    assert kept == updated
    assert updated >= 50


MIN_RATE = {"sqlite": 3000, "postgresql": 300}


def test_throughput_of_batches(
    store: Store,
    backend: str,
    make_message: MessageFactory,
    make_classification: ClassificationFactory,
) -> None:
    # The pipeline needs 2,000 messages/s end to end on SQLite, redaction and classifier
    # included, so the store's share must be well above that.
    messages = [make_message(str(i), "a wallet question 钱包问题 " * 4) for i in range(4000)]
    classification = make_classification(security=True)
    started = time.perf_counter()
    for start in range(0, len(messages), 500):
        cursor = CursorUpdate(connector="replay", key="bench", value=str(start))
        outcomes = store.ingest(
            IngestBatch(messages=messages[start : start + 500], cursors=[cursor])
        )
        store.save_classifications([(o.message_id, classification) for o in outcomes])
    rate = len(messages) / (time.perf_counter() - started)
    assert store.counts().classified == len(messages)
    assert rate >= MIN_RATE[backend], f"{rate:.0f} messages/s on {backend}"
