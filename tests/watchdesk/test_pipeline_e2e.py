"""The whole message path on SQLite: replay file -> redact -> store -> classify -> store."""

import asyncio
import json
import logging
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import text
from watchdesk_testkit import record, write_feed

from connectors.base import ConnectorBundle, ConnectorDeps, ConnectorHealth
from connectors.replay import Config, ReplayConnector
from core import Classification, Message, MessageDeleted, MessageEdited, MessageReceived
from store import SaveStatus, Store
from watchdesk.pipeline import BatchResult, Pipeline
from watchdesk.runtime import Service, run_until_stopped
from watchdesk.stats import PipelineStats


async def _replay(pipeline: Pipeline, store: Store, path: Path) -> PipelineStats:
    stats = PipelineStats()
    pipeline.add_observer(stats)
    health = ConnectorHealth("replay")
    connector = ReplayConnector(
        Config(enabled=True, path=path, speed="max"), ConnectorDeps(store, health)
    )
    service = Service(pipeline, {"replay": ConnectorBundle(connector)}, {"replay": health})
    await run_until_stopped(service, until_sources_done=True)
    return stats


def _all_stored_text(store: Store) -> str:
    """Every text-bearing column of every table, to prove a secret is nowhere."""
    dump = []
    with store.engine.connect() as conn:
        tables = [
            row[0]
            for row in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
        ]
        for table in tables:
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                dump.append(json.dumps([str(v) for v in row], ensure_ascii=False))
    return "\n".join(dump)


async def test_feed_is_stored_redacted_and_flagged(
    pipeline: Pipeline, store: Store, tmp_path: Path, seed_phrase: str
) -> None:
    feed = write_feed(
        tmp_path / "feed.jsonl",
        [
            record(1, "gm everyone, how do I add a custom token?"),
            record(2, f"help my wallet is empty!! my phrase is {seed_phrase}"),
            record(3, "withdrawal stuck for 6 hours, support never replies, worst app"),
            record(1, "gm everyone, how do I add a custom token?"),  # delivered twice
            "{not json",
            record(4, "提现一直没到账，客服也不回，垃圾"),
        ],
    )
    stats = await _replay(pipeline, store, feed)
    summary = stats.summary()
    assert summary["inserted"] == 4
    assert summary["duplicates"] == 1
    assert summary["dead_letters"] == 1

    leaked, classification = store.get_message("telegram", "-100:2") or (None, None)
    assert leaked is not None
    assert classification is not None
    assert "[redacted: seed phrase, 12 words]" in leaked.text
    assert classification.urgent.value
    assert classification.security.value
    assert classification.urgent.forced_by == "secret"
    assert [d.kind.value for d in classification.detections] == ["seed_phrase"]
    everything = _all_stored_text(store)
    # Single words may occur elsewhere by chance; the phrase, or any run of it, must not.
    assert seed_phrase not in everything
    assert " ".join(seed_phrase.split()[2:8]) not in everything

    _, complaint = store.get_message("telegram", "-100:3") or (None, None)
    assert complaint is not None
    assert complaint.complaint.value
    assert store.dead_letters()[0].location == "feed.jsonl:5"
    assert store.counts().messages == 4


async def test_restart_resumes_without_loss_or_duplicates(
    pipeline: Pipeline, store: Store, redactor: object, tmp_path: Path
) -> None:
    feed = write_feed(tmp_path / "feed.jsonl", [record(n, f"message {n}") for n in range(10)])
    await _replay(pipeline, store, feed)
    assert store.counts().messages == 10
    # A second process on the same store starts after the saved cursor: nothing to do.
    again = await _replay(pipeline, store, feed)
    assert again.summary()["messages"] == 0
    # The file grows; only the new lines are played.
    with feed.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record(10, "message 10")) + "\n")
    third = await _replay(pipeline, store, feed)
    assert third.summary()["inserted"] == 1
    assert store.counts().messages == 11


async def test_edit_updates_and_reclassifies_and_deletion_is_recorded(
    pipeline: Pipeline, store: Store
) -> None:
    results: list[BatchResult] = []
    pipeline.add_observer(results.append)
    task = asyncio.create_task(pipeline.run())
    from connectors.replay.translate import parse_line
    from core._base import utc_now

    def message(n: int, body: str):  # type: ignore[no-untyped-def]
        return parse_line(
            json.dumps(record(n, body)),
            received_at=utc_now(),
            staff_ids=frozenset(),
            max_text_chars=10_000,
        )

    original = message(1, "thanks for the quick answer")
    await pipeline.emit(MessageReceived(message=original))
    await pipeline.drain()
    edited = original.model_copy(
        update={"text": "actually my deposit never arrived, still stuck", "edited_at": utc_now()}
    )
    await pipeline.emit(MessageEdited(message=edited))
    await pipeline.emit(
        MessageDeleted(platform="telegram", external_id="-100:1", channel_id="-100")
    )
    await pipeline.drain()
    task.cancel()
    statuses = [p.status for r in results for p in r.processed]
    assert statuses == [SaveStatus.INSERTED, SaveStatus.UPDATED]
    stored, classification = store.get_message("telegram", "-100:1") or (None, None)
    assert stored is not None
    assert classification is not None
    assert stored.text.startswith("actually")
    assert classification.urgent.value
    assert store.counts().deleted == 1


async def test_secrets_never_reach_the_logs(
    pipeline: Pipeline,
    store: Store,
    tmp_path: Path,
    seed_phrase: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    feed = write_feed(
        tmp_path / "feed.jsonl",
        [record(1, f"seed: {seed_phrase}"), f'{{"broken": "{seed_phrase}"'],
    )
    await _replay(pipeline, store, feed)
    assert seed_phrase not in caplog.text
    letter = store.dead_letters()[0]
    assert seed_phrase not in letter.payload
    assert "[redacted: seed phrase" in letter.payload


class _FlakyStore(Store):
    """Fails every batch that holds a poisoned message, the way a database constraint would."""

    def ingest(self, batch):  # type: ignore[no-untyped-def]
        if any("POISON" in m.text for m in batch.messages):
            raise RuntimeError("value rejected by the database")
        return super().ingest(batch)


async def test_a_message_the_store_rejects_is_dead_lettered_and_the_rest_goes_on(
    store: Store, redactor: object, tmp_path: Path
) -> None:
    from classifier.baseline import KeywordClassifier
    from watchdesk.pipeline import PipelineOptions

    flaky = _FlakyStore(store.engine)
    options = PipelineOptions(batch_size=50, flush_interval_s=0.05, retry_delays_s=(0.01,))
    pipeline = Pipeline(flaky, redactor, KeywordClassifier(), options)  # type: ignore[arg-type]
    feed = write_feed(
        tmp_path / "feed.jsonl",
        [record(1, "fine"), record(2, "POISON here"), record(3, "fine too")],
    )
    stats = await _replay(pipeline, flaky, feed)
    assert stats.summary()["inserted"] == 2
    assert stats.summary()["dead_letters"] == 1
    assert "value rejected" in flaky.dead_letters()[0].reason


class _FailsOnWord:
    """The baseline rules, except that a chunk holding ``word`` raises (a model crash)."""

    def __init__(self, word: str) -> None:
        from classifier.baseline import KeywordClassifier

        self.word = word
        self.inner = KeywordClassifier()
        self.version = self.inner.version

    def classify(self, messages: Sequence[Message]) -> list[Classification]:
        if any(self.word in m.text for m in messages):
            raise RuntimeError("model crashed")
        return self.inner.classify(messages)


async def test_a_failing_classifier_chunk_leaves_its_messages_for_recovery(
    store: Store, redactor: object, tmp_path: Path
) -> None:
    from classifier.baseline import KeywordClassifier
    from watchdesk.pipeline import PipelineOptions

    # One pipeline batch of six messages, classified in chunks of two: the middle one fails.
    options = PipelineOptions(batch_size=50, flush_interval_s=0.2, classify_batch_size=2)
    crashing = Pipeline(store, redactor, _FailsOnWord("CRASH"), options)  # type: ignore[arg-type]
    texts = ["gm", "wallet drained!!", "CRASH me", "fine", "fees are a ripoff", "thanks"]
    feed = write_feed(tmp_path / "feed.jsonl", [record(n, t) for n, t in enumerate(texts)])
    stats = await _replay(crashing, store, feed)
    assert stats.summary()["inserted"] == 6
    unclassified = {m.text for _, m in store.unclassified(limit=10)}
    assert unclassified == {"CRASH me", "fine"}  # stored, kept for a later run
    _, drained = store.get_message("telegram", "-100:1") or (None, None)
    assert drained is not None
    assert drained.urgent.value  # the other chunks were saved

    # The next run recovers them before it takes new messages (waiting for the new one to be
    # stored waits for the recovery too).
    with feed.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record(6, "one more")) + "\n")
    healthy = Pipeline(store, redactor, KeywordClassifier(), options)  # type: ignore[arg-type]
    await _replay(healthy, store, feed)
    assert store.unclassified(limit=10) == []
