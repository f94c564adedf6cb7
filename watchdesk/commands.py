"""What the CLI commands do, apart from parsing their options (see ``watchdesk.cli``)."""

import asyncio
import itertools
import json
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.live import Live
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

from classifier.secrets import SecretRedactor
from connectors.base import ConnectorBundle, ConnectorDeps, ConnectorHealth
from connectors.replay import RecordingOutbox, ReplayConnector
from core import Author, Channel, ChannelKind, Classification, Classifier, Message
from core._base import utc_now
from core.text import clean_text
from store import SaveStatus, Store
from watchdesk import app, responder_wiring
from watchdesk.jsonl import classify_line, export_line
from watchdesk.live import LiveFeed
from watchdesk.pipeline import Pipeline, Processed
from watchdesk.runtime import Service, run_until_stopped
from watchdesk.settings import Settings
from watchdesk.stats import PipelineStats

LIVE_REFRESH_S = 0.25


async def run(settings: Settings, console: Console) -> PipelineStats:
    """``watchdesk run``: every enabled connector, the pipeline and the live view."""
    store, pipeline, stats = await _message_path(settings)
    built = app.build_connectors(settings, store)
    feed = LiveFeed(stats, built.health, rows=settings.live_view.rows)
    pipeline.add_observer(feed)
    flagged = await asyncio.to_thread(store.recent_flagged, settings.live_view.rows)
    feed.seed([_stored(m, c) for m, c in flagged])
    service = Service(pipeline, built.bundles, built.health, settings.state_dir / "status.json")
    if not built.bundles:
        console.print("[yellow]no connector is enabled in the settings; waiting anyway[/]")
    async with responder_wiring.responder_running(settings, store, pipeline, built.bundles):
        if settings.live_view.enabled and console.is_terminal:
            with Live(feed, console=console, refresh_per_second=4, screen=False):
                await run_until_stopped(service)
        else:
            await run_until_stopped(service)
    return stats


async def _message_path(settings: Settings) -> tuple[Store, Pipeline, PipelineStats]:
    """Store, classifier and pipeline built off the event loop (the model loads for seconds)."""
    store = await asyncio.to_thread(app.build_store, settings)
    classifier = await asyncio.to_thread(app.build_classifier, settings)
    pipeline = await asyncio.to_thread(app.build_pipeline, settings, store, classifier)
    stats = PipelineStats()
    pipeline.add_observer(stats)
    return store, pipeline, stats


async def replay(
    settings: Settings, file: Path, speed: float | str, *, from_start: bool, console: Console
) -> PipelineStats:
    """``watchdesk replay``: one file through the full pipeline with a progress bar."""
    if not file.is_file():
        raise FileNotFoundError(f"no such file: {file}")
    store, pipeline, stats = await _message_path(settings)
    health = ConnectorHealth("replay")
    config = settings.replay.model_copy(update={"path": file, "speed": speed, "enabled": True})
    progress = Progress(
        TextColumn("[bold]replay[/] {task.fields[name]}"),
        BarColumn(),
        TextColumn("{task.percentage:>5.1f}%"),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not console.is_terminal,
    )
    task = progress.add_task("replay", total=file.stat().st_size, name=file.name)
    connector = ReplayConnector(
        config,
        ConnectorDeps(store, health),
        progress=lambda done, total: progress.update(task, completed=done, total=total),
        from_start=from_start,
    )
    bundles = {"replay": ConnectorBundle(connector, RecordingOutbox())}
    service = Service(pipeline, bundles, {"replay": health})
    async with responder_wiring.responder_running(settings, store, pipeline, bundles):
        with progress:
            await run_until_stopped(service, until_sources_done=True)
    return stats


def classify_stream(
    lines: Iterable[str], redactor: SecretRedactor, classifier: Classifier, out: IO[str], batch: int
) -> int:
    """``watchdesk classify``: one JSON object out per input line, in order, nothing stored."""
    count = 0
    numbered = enumerate(lines, start=1)
    while chunk := list(itertools.islice(numbered, batch)):
        items = [_parse_classify_input(n, line) for n, line in chunk]
        messages = [_redacted(m, redactor) for _, m, _ in items if m is not None]
        results = iter(classifier.classify(messages) if messages else [])
        redacted = iter(messages)
        for item_id, message, error in items:
            if message is None:
                out.write(json.dumps({"id": item_id, "error": error}, ensure_ascii=False) + "\n")
                continue
            line = classify_line(item_id, next(redacted), next(results))
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            count += 1
        out.flush()
    return count


def _parse_classify_input(number: int, line: str) -> tuple[str, Message | None, str]:
    raw = line.rstrip("\r\n")
    data: Any = None
    if raw.lstrip().startswith("{"):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            data = None  # a plain-text line that happens to start with a brace
    if isinstance(data, dict):
        item_id = str(data.get("id", data.get("external_id", number)))
        text = data.get("text")
        if not isinstance(text, str):
            return item_id, None, "object has no string field 'text'"
        return item_id, _cli_message(item_id, text, data), ""
    return str(number), _cli_message(str(number), raw, {}), ""


def _cli_message(item_id: str, text: str, data: dict[str, Any]) -> Message:
    platform = data.get("platform") if isinstance(data.get("platform"), str) else "cli"
    return Message(
        platform=platform if platform and platform.isidentifier() and platform.islower() else "cli",
        external_id=item_id or "0",
        channel=Channel(id="cli", kind=ChannelKind.GROUP),
        author=Author(id="cli"),
        text=clean_text(text),
        created_at=utc_now(),
    )


def _redacted(message: Message, redactor: SecretRedactor) -> Message:
    result = redactor.redact(message.text)
    return message.model_copy(update={"text": result.text, "redactions": result.redactions})


def export(settings: Settings, out: IO[str], *, flagged: bool, since: datetime | None) -> int:
    """``watchdesk export``: stored messages as JSONL, streamed."""
    store = app.build_store(settings)
    count = 0
    for message, classification in store.export(flagged_only=flagged, since=since):
        out.write(json.dumps(export_line(message, classification), ensure_ascii=False) + "\n")
        count += 1
    return count


def read_lines(file: str) -> Iterator[str]:
    """Lines of ``file`` (``-`` is standard input), undecodable bytes replaced, not fatal."""
    if file == "-":
        binary = getattr(sys.stdin, "buffer", None)
        if binary is None:  # already text (an embedding program replaced stdin)
            yield from sys.stdin
            return
        for data in binary:
            yield data.decode("utf-8", errors="replace")
        return
    with open(file, encoding="utf-8", errors="replace") as handle:
        yield from handle


def _stored(message: Message, classification: Classification) -> Processed:
    return Processed(message, SaveStatus.DUPLICATE, classification, 0.0)
