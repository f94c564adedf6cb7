"""The replay connector: a JSONL file played at the recorded pace, faster, or at once."""

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from time import monotonic

from connectors.base import ConnectorDeps
from connectors.replay.config import Config
from connectors.replay.translate import decode_line, parse_line
from core import CursorUpdate, EventSink, InvalidPayload, MessageReceived, PayloadError

#: At full speed, lines emitted between two turns given to the rest of the event loop.
YIELD_EVERY = 32

ProgressCallback = Callable[[int, int], None]
"""Called with (bytes read, file size) after each line."""


@dataclass(frozen=True)
class Position:
    """Where the next line starts: its 1-based number and its byte offset."""

    line: int
    offset: int

    def encode(self) -> str:
        """Return the cursor value."""
        return f"{self.line}:{self.offset}"

    @classmethod
    def decode(cls, value: str | None) -> "Position":
        """Parse a cursor value; an unreadable one starts from the beginning."""
        try:
            line, offset = (value or "").split(":")
            return cls(int(line), int(offset))
        except ValueError:
            return cls(1, 0)


class ReplayConnector:
    """Plays a JSONL file in the interchange format into the pipeline.

    The cursor (line number and byte offset of the next line) travels with each event, so the
    store saves it in the same transaction as the message: a restart resumes exactly after the
    last stored line, with nothing lost or repeated.
    """

    def __init__(
        self,
        config: Config,
        deps: ConnectorDeps,
        *,
        progress: ProgressCallback | None = None,
        from_start: bool = False,
        name: str = "replay",
    ) -> None:
        self.name = name
        self._config = config
        self._deps = deps
        self._staff_ids = frozenset(config.staff_ids)
        self._progress = progress
        self._from_start = from_start
        self._key = str(config.path.resolve())

    async def run(self, sink: EventSink) -> None:
        """Play the file from the saved position to its end."""
        path = self._config.path
        if not path.is_file():
            self._deps.health.failure(f"replay file not found: {path}")
            raise FileNotFoundError(f"replay file not found: {path}")
        size = path.stat().st_size
        start = self._start_position(size)
        self._deps.health.connected()
        pacer = _Pacer(self._config.speed, self._config.max_gap_seconds)
        for position, data in _lines(path, start):
            await self._emit_line(sink, position, data, pacer)
            if self._progress is not None:
                self._progress(position.offset, size)
        self._deps.health.stopped()

    def _start_position(self, size: int) -> Position:
        if self._from_start:
            return Position(1, 0)
        saved = Position.decode(self._deps.cursors.get_cursor(self.name, self._key))
        # A file that shrank since the cursor was saved is a different file: start over.
        return saved if saved.offset <= size else Position(1, 0)

    async def _emit_line(
        self, sink: EventSink, position: Position, data: bytes, pacer: "_Pacer"
    ) -> None:
        line_no = position.line - 1
        cursor = CursorUpdate(connector=self.name, key=self._key, value=position.encode())
        if not data.strip():
            return
        try:
            message = parse_line(
                decode_line(data),
                received_at=self._deps.clock(),
                staff_ids=self._staff_ids,
                max_text_chars=self._config.max_text_chars,
            )
        except PayloadError as exc:
            self._deps.health.count("dead_letters")
            payload = data.decode("utf-8", errors="replace")
            await sink.emit(
                InvalidPayload(
                    source=self.name,
                    reason=exc.reason,
                    payload=payload,
                    location=f"{self._config.path.name}:{line_no}",
                    cursor=cursor,
                )
            )
            return
        if await pacer.wait_for(message.created_at):
            # Received when it is played, not when it was read ahead of its turn: latency
            # figures would otherwise count the pacing wait.
            message = message.model_copy(update={"received_at": self._deps.clock()})
        self._deps.health.event()
        await sink.emit(MessageReceived(message=message, cursor=cursor))


def _lines(path: Path, start: Position) -> Iterator[tuple[Position, bytes]]:
    """Yield (position after the line, raw line bytes) from ``start`` on."""
    with path.open("rb") as handle:
        handle.seek(start.offset)
        line_no = start.line
        offset = start.offset
        for data in handle:
            offset += len(data)
            line_no += 1
            yield Position(line_no, offset), data.rstrip(b"\r\n")


class _Pacer:
    """Sleeps so that messages come out at ``speed`` times their recorded pace.

    Each message is due at a point of a schedule that starts with the first one, so the time
    spent emitting and the sleeps' own overshoot do not add up over a long file.
    """

    def __init__(self, speed: float | str, max_gap: float | None) -> None:
        self._speed = None if speed == "max" else float(speed)
        self._max_gap = max_gap
        self._previous: datetime | None = None
        self._start = 0.0
        self._elapsed = 0.0  # seconds of schedule from the first message to the current one
        self._unyielded = 0

    async def wait_for(self, created_at: datetime) -> bool:
        """Wait until the message at ``created_at`` is due; return True if it waited."""
        if self._speed is None:
            # Yield now and then so the pipeline and the live view keep up with a fast file;
            # not after every line: each yield is a turn of the event loop and a poll syscall.
            self._unyielded += 1
            if self._unyielded >= YIELD_EVERY:
                self._unyielded = 0
                await asyncio.sleep(0)
            return False
        if self._previous is None:
            self._start = monotonic()
        else:
            gap = max(0.0, (created_at - self._previous).total_seconds() / self._speed)
            if self._max_gap is not None:
                gap = min(gap, self._max_gap)
            self._elapsed += gap
        self._previous = created_at
        delay = self._start + self._elapsed - monotonic()
        if delay <= 0:
            return False
        await asyncio.sleep(delay)
        return True
