"""The message path: connector event -> clean -> redact -> queue -> store -> classify -> store.

Redaction happens in ``emit``, before the event is queued, so no secret is ever held in a
queue, written or logged. Storage and classification run in a worker thread in batches (one
transaction per batch, with the connectors' cursors), keeping the event loop free for the
connectors and the live view.
"""

import asyncio
import contextlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import structlog

from core import (
    Classification,
    Classifier,
    CursorUpdate,
    InboundEvent,
    InvalidPayload,
    MemberUpdated,
    Message,
    MessageDeleted,
    MessageEdited,
    MessageReceived,
    Redaction,
    UserCommand,
)
from core._base import utc_now
from core.text import clean_json, clean_text
from store import DeadLetter, IngestBatch, SaveStatus, Store

log = structlog.get_logger(__name__)


class Redactor(Protocol):
    """What the pipeline needs of the secret redactor."""

    def redact(self, text: str) -> "RedactedText":
        """Replace the secrets of one text."""
        ...

    def redact_json(
        self, value: object, known: Mapping[str, Any] | None = None
    ) -> tuple[object, tuple[Redaction, ...]]:
        """Replace the secrets of every string inside a JSON-like value.

        ``known`` maps strings already redacted (the message text) to their results.
        """
        ...


class RedactedText(Protocol):
    """A text with its secrets replaced by markers."""

    @property
    def text(self) -> str:
        """The redacted text."""
        ...

    @property
    def redactions(self) -> tuple[Redaction, ...]:
        """What was replaced, where."""
        ...


@dataclass(frozen=True)
class Processed:
    """A message after the path: stored, and classified when new or changed.

    Attributes:
        message: The stored (redacted) message.
        status: Inserted, updated (an edit) or duplicate.
        classification: Absent for duplicates, or when the classifier failed (kept for retry).
        latency_s: From reception to classified and stored.
    """

    message: Message
    status: SaveStatus
    classification: Classification | None
    latency_s: float


@dataclass(frozen=True)
class BatchResult:
    """What one batch did, handed to every observer."""

    processed: tuple[Processed, ...] = ()
    dead_letters: tuple[DeadLetter, ...] = ()
    deletions: tuple[MessageDeleted, ...] = ()
    commands: tuple[UserCommand, ...] = ()


Observer = Callable[[BatchResult], None]


@dataclass
class PipelineOptions:
    """Batching of the pipeline (from ``pipeline`` and ``classifier`` settings)."""

    batch_size: int = 256
    flush_interval_s: float = 0.05
    queue_size: int = 10_000
    classify_batch_size: int = 64
    retry_delays_s: tuple[float, ...] = (0.5, 1.0, 2.0, 5.0)


@dataclass
class _Pending:
    batch: list[InboundEvent] = field(default_factory=list)


class Pipeline:
    """Implements ``core.EventSink``; run ``run()`` as a task and ``emit`` from connectors."""

    def __init__(
        self,
        store: Store,
        redactor: Redactor,
        classifier: Classifier,
        options: PipelineOptions | None = None,
        observers: Sequence[Observer] = (),
    ) -> None:
        self._store = store
        self._redactor = redactor
        self._classifier = classifier
        self._options = options or PipelineOptions()
        self._observers = list(observers)
        self._queue: asyncio.Queue[InboundEvent] = asyncio.Queue(self._options.queue_size)

    def add_observer(self, observer: Observer) -> None:
        """Call ``observer`` with the result of every batch from now on."""
        self._observers.append(observer)

    async def emit(self, event: InboundEvent) -> None:
        """Clean and redact one event, then queue it (waiting when the queue is full)."""
        await self._queue.put(self._sanitise(event))

    async def drain(self) -> None:
        """Wait until every event emitted so far is stored and classified."""
        await self._queue.join()

    async def run(self) -> None:
        """Recover unclassified messages, then process batches until cancelled."""
        await asyncio.to_thread(self._recover)
        while True:
            batch = await self._next_batch()
            try:
                result = await self._process_with_retry(batch)
                self._notify(result)
            finally:
                for _ in batch:
                    self._queue.task_done()

    # -- emit side -------------------------------------------------------------------------

    def _sanitise(self, event: InboundEvent) -> InboundEvent:
        if isinstance(event, MessageReceived | MessageEdited):
            return event.model_copy(update={"message": self._redact_message(event.message)})
        if isinstance(event, UserCommand):
            return event.model_copy(update={"message": self._redact_message(event.message)})
        if isinstance(event, InvalidPayload):
            return event.model_copy(
                update={"payload": self._redactor.redact(clean_text(event.payload)).text}
            )
        return event

    def _redact_message(self, message: Message) -> Message:
        original = clean_text(message.text)
        text = self._redactor.redact(original)
        raw, _ = self._redactor.redact_json(clean_json(dict(message.raw)), {original: text})
        return message.model_copy(
            update={
                "text": text.text,
                "raw": raw,
                "redactions": message.redactions + text.redactions,
            }
        )

    # -- worker side -----------------------------------------------------------------------

    async def _next_batch(self) -> list[InboundEvent]:
        batch = [await self._queue.get()]
        deadline = time.monotonic() + self._options.flush_interval_s
        while len(batch) < self._options.batch_size:
            try:
                # Take what is already queued without a timer: wait_for costs a task per call.
                batch.append(self._queue.get_nowait())
                continue
            except asyncio.QueueEmpty:
                pass
            timeout = deadline - time.monotonic()
            if timeout <= 0:
                break
            try:
                batch.append(await asyncio.wait_for(self._queue.get(), timeout))
            except TimeoutError:
                break
        return batch

    async def _process_with_retry(self, batch: list[InboundEvent]) -> BatchResult:
        for delay in (*self._options.retry_delays_s, None):
            try:
                return await asyncio.to_thread(self._process, batch)
            except Exception as exc:  # noqa: BLE001 - the store may fail in any way; we retry
                if delay is None:
                    log.error("batch_failed_isolating", events=len(batch), error=str(exc))
                    return await asyncio.to_thread(self._process_one_by_one, batch)
                log.warning("batch_failed_retrying", events=len(batch), error=str(exc), delay=delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    def _process_one_by_one(self, batch: list[InboundEvent]) -> BatchResult:
        """Last resort: store what can be stored and dead-letter each event that cannot."""
        results: list[BatchResult] = []
        for event in batch:
            try:
                results.append(self._process([event]))
            except Exception as exc:  # noqa: BLE001 - one bad event must not stop the rest
                letter = _dead_letter_for(event, f"could not be stored: {exc}")
                with contextlib.suppress(Exception):
                    self._store.add_dead_letter(letter)
                    results.append(BatchResult(dead_letters=(letter,)))
        return _merge(results)

    def _process(self, batch: Sequence[InboundEvent]) -> BatchResult:
        ingest, commands = _split(batch)
        outcomes = self._store.ingest(ingest)
        incoming = [*ingest.messages, *ingest.edits]
        fresh = [
            (outcome.message_id, message, outcome.revision)
            for outcome, message in zip(outcomes, incoming, strict=True)
            if outcome.status is not SaveStatus.DUPLICATE
        ]
        classified = self._classify(fresh)
        now = time.time()
        processed = tuple(
            Processed(
                message=message,
                status=outcome.status,
                classification=classified.get(outcome.message_id),
                latency_s=max(0.0, now - message.received_at.timestamp()),
            )
            for outcome, message in zip(outcomes, incoming, strict=True)
        )
        return BatchResult(
            processed=processed,
            dead_letters=tuple(ingest.dead_letters),
            deletions=tuple(ingest.deletions),
            commands=commands,
        )

    def _classify(
        self, items: Sequence[tuple[int, Message, int | None]]
    ) -> dict[int, Classification]:
        """Classify (message id, message, revision) items in chunks and store the results.

        The revision lets the store skip a verdict computed for a text that an edit has since
        replaced.
        """
        pairs: list[tuple[int, Classification]] = []
        revisions: list[int] = []
        size = self._options.classify_batch_size
        for start in range(0, len(items), size):
            chunk = items[start : start + size]
            try:
                labels = self._classifier.classify([m for _, m, _ in chunk])
            except Exception as exc:  # noqa: BLE001 - stored messages stay; recovery retries
                log.error("classify_failed", messages=len(chunk), error=str(exc))
                continue
            pairs.extend((mid, c) for (mid, _, _), c in zip(chunk, labels, strict=True))
            revisions.extend(r for _, _, r in chunk if r is not None)
        if pairs:
            # One write for the whole batch: a commit costs more than the rows it carries.
            complete = len(revisions) == len(pairs)
            self._store.save_classifications(pairs, revisions=revisions if complete else None)
        return dict(pairs)

    def _recover(self) -> None:
        """Classify messages stored before a crash (or by an older classifier run) but not yet."""
        while items := self._store.unclassified(limit=500):
            done = self._classify([(mid, message, None) for mid, message in items])
            log.info("recovered_unclassified", messages=len(done))
            if len(done) < len(items):
                break

    def _notify(self, result: BatchResult) -> None:
        for observer in self._observers:
            try:
                observer(result)
            except Exception as exc:  # noqa: BLE001 - a broken view must not stop the path
                log.error("observer_failed", observer=repr(observer), error=str(exc))


def _split(batch: Sequence[InboundEvent]) -> tuple[IngestBatch, tuple[UserCommand, ...]]:
    messages: list[Message] = []
    edits: list[Message] = []
    deletions: list[MessageDeleted] = []
    members: list[MemberUpdated] = []
    letters: list[DeadLetter] = []
    commands: list[UserCommand] = []
    cursors: dict[tuple[str, str], CursorUpdate] = {}
    for event in batch:
        if isinstance(event, MessageReceived):
            messages.append(event.message)
        elif isinstance(event, MessageEdited):
            edits.append(event.message)
        elif isinstance(event, UserCommand):
            messages.append(event.message)
            commands.append(event)
        elif isinstance(event, MessageDeleted):
            deletions.append(event)
        elif isinstance(event, MemberUpdated):
            members.append(event)
        else:
            letters.append(_dead_letter_for(event, event.reason))
        if event.cursor is not None:
            cursors[(event.cursor.connector, event.cursor.key)] = event.cursor
    ingest = IngestBatch(
        messages=messages,
        edits=edits,
        deletions=deletions,
        members=members,
        dead_letters=letters,
        cursors=list(cursors.values()),
    )
    return ingest, tuple(commands)


def _dead_letter_for(event: InboundEvent, reason: str) -> DeadLetter:
    if isinstance(event, InvalidPayload):
        return DeadLetter(
            source=event.source,
            location=event.location,
            reason=reason,
            payload=event.payload,
            received_at=utc_now(),
        )
    return DeadLetter(
        source=event.type,
        location="",
        reason=reason,
        payload=event.model_dump_json(),
        received_at=utc_now(),
    )


def _merge(results: Sequence[BatchResult]) -> BatchResult:
    return BatchResult(
        processed=tuple(p for r in results for p in r.processed),
        dead_letters=tuple(d for r in results for d in r.dead_letters),
        deletions=tuple(d for r in results for d in r.deletions),
        commands=tuple(c for r in results for c in r.commands),
    )
