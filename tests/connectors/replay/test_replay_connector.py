import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from connectors.base import ConnectorDeps, ConnectorHealth, HealthState
from connectors.replay import Config, Position, ReplayConnector
from core import InboundEvent, InvalidPayload, MessageReceived


class MemorySink:
    def __init__(self) -> None:
        self.events: list[InboundEvent] = []

    async def emit(self, event: InboundEvent) -> None:
        self.events.append(event)


class MemoryCursors:
    def __init__(self, saved: dict[tuple[str, str], str] | None = None) -> None:
        self.saved = saved or {}

    def get_cursor(self, connector: str, key: str) -> str | None:
        return self.saved.get((connector, key))


NOW = datetime(2026, 11, 21, tzinfo=UTC)


def _record(n: int, start: datetime) -> dict[str, Any]:
    return {
        "platform": "discord",
        "external_id": str(1000 + n),
        "channel": {"id": "c1", "name": "support", "kind": "group"},
        "author": {"id": f"u{n}", "handle": f"user{n}", "display_name": ""},
        "text": f"message {n}",
        "created_at": (start + timedelta(seconds=n)).isoformat(),
    }


def _write(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _feed(tmp_path: Path) -> Path:
    start = datetime(2026, 11, 20, tzinfo=UTC)
    lines = [json.dumps(_record(n, start)).encode() for n in range(5)]
    lines.insert(2, b"{broken")
    lines.insert(4, b"\xff\xfe not utf-8")
    lines.insert(5, b"")
    return _write(tmp_path / "feed.jsonl", lines)


def _connector(path: Path, cursors: MemoryCursors, **kw: Any) -> ReplayConnector:
    config = Config(enabled=True, path=path, speed="max")
    deps = ConnectorDeps(cursors, ConnectorHealth("replay"), clock=lambda: NOW)
    return ReplayConnector(config, deps, **kw)


async def test_plays_every_line_and_dead_letters_the_bad_ones(tmp_path: Path) -> None:
    sink = MemorySink()
    await _connector(_feed(tmp_path), MemoryCursors()).run(sink)
    received = [e for e in sink.events if isinstance(e, MessageReceived)]
    invalid = [e for e in sink.events if isinstance(e, InvalidPayload)]
    assert [e.message.external_id for e in received] == ["1000", "1001", "1002", "1003", "1004"]
    assert [e.location for e in invalid] == ["feed.jsonl:3", "feed.jsonl:5"]
    assert "not JSON" in invalid[0].reason
    assert "invalid UTF-8" in invalid[1].reason
    assert all(e.cursor is not None for e in sink.events)


async def test_resumes_after_the_saved_cursor_without_loss_or_duplicates(tmp_path: Path) -> None:
    path = _feed(tmp_path)
    first = MemorySink()
    await _connector(path, MemoryCursors()).run(first)
    # Pretend the process stopped after the third event had been stored with its cursor.
    stored_upto = first.events[2].cursor
    assert stored_upto is not None
    cursors = MemoryCursors({(stored_upto.connector, stored_upto.key): stored_upto.value})
    second = MemorySink()
    await _connector(path, cursors).run(second)
    assert [*first.events[:3], *second.events] == first.events


async def test_from_start_ignores_the_cursor(tmp_path: Path) -> None:
    path = _feed(tmp_path)
    key = str(path.resolve())
    cursors = MemoryCursors({("replay", key): Position(99, path.stat().st_size).encode()})
    skipped, again = MemorySink(), MemorySink()
    await _connector(path, cursors).run(skipped)
    await _connector(path, cursors, from_start=True).run(again)
    assert skipped.events == []
    assert len(again.events) == 7


@pytest.mark.parametrize(
    ("emit_cost_s", "expected_waits"),
    [
        (0.0, [1.0, 2.5]),  # gaps of 10 s and 30 s at speed 10, the second capped at 2.5 s
        (0.4, [0.6, 2.1]),  # time spent emitting is taken from the next wait, not added to it
        (1.5, [0.5]),  # a message already late goes at once; the next ones keep the schedule
    ],
)
async def test_recorded_pace_is_scaled_by_speed(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    emit_cost_s: float,
    expected_waits: list[float],
) -> None:
    clock = [100.0]
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        if seconds > 0:
            waits.append(round(seconds, 6))
            clock[0] += seconds

    class SlowSink(MemorySink):
        async def emit(self, event: InboundEvent) -> None:
            clock[0] += emit_cost_s
            await super().emit(event)

    monkeypatch.setattr("connectors.replay.connector.asyncio.sleep", fake_sleep)
    monkeypatch.setattr("connectors.replay.connector.monotonic", lambda: clock[0])
    start = datetime(2026, 11, 20, tzinfo=UTC)
    records = [_record(0, start), _record(10, start), _record(40, start)]
    path = _write(tmp_path / "paced.jsonl", [json.dumps(r).encode() for r in records])
    config = Config(enabled=True, path=path, speed=10, max_gap_seconds=2.5)
    deps = ConnectorDeps(MemoryCursors(), ConnectorHealth("replay"))
    await ReplayConnector(config, deps).run(SlowSink())
    assert waits == expected_waits


async def test_missing_file_marks_the_connector_unhealthy(tmp_path: Path) -> None:
    health = ConnectorHealth("replay", failure_budget=1)
    config = Config(enabled=True, path=tmp_path / "nope.jsonl")
    with pytest.raises(FileNotFoundError):
        await ReplayConnector(config, ConnectorDeps(MemoryCursors(), health)).run(MemorySink())
    assert health.state is HealthState.UNHEALTHY


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3:120", Position(3, 120)),
        ("", Position(1, 0)),
        ("x:y", Position(1, 0)),
        (None, Position(1, 0)),
    ],
)
def test_cursor_values_decode(value: str | None, expected: Position) -> None:
    assert Position.decode(value) == expected


@pytest.mark.parametrize(("lines", "turns"), [(10, 0), (32, 1), (100, 3)])
async def test_full_speed_gives_the_loop_a_turn_every_few_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lines: int, turns: int
) -> None:
    from connectors.replay.connector import YIELD_EVERY

    sleeps: list[float] = []

    async def counting_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    monkeypatch.setattr("connectors.replay.connector.asyncio.sleep", counting_sleep)
    start = datetime(2026, 11, 20, tzinfo=UTC)
    records = [json.dumps(_record(n, start)).encode() for n in range(lines)]
    path = _write(tmp_path / "fast.jsonl", records)
    config = Config(enabled=True, path=path, speed="max")
    sink = MemorySink()
    await ReplayConnector(config, ConnectorDeps(MemoryCursors(), ConnectorHealth("replay"))).run(
        sink
    )
    assert len(sink.events) == lines
    assert sleeps == [0] * turns
    assert YIELD_EVERY == 32  # the table above assumes it


async def test_a_paced_message_is_received_when_it_is_played(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seconds = [0.0]
    epoch = datetime(2026, 11, 22, tzinfo=UTC)

    async def fake_sleep(delay: float) -> None:
        seconds[0] += delay

    monkeypatch.setattr("connectors.replay.connector.asyncio.sleep", fake_sleep)
    monkeypatch.setattr("connectors.replay.connector.monotonic", lambda: seconds[0])
    start = datetime(2026, 11, 20, tzinfo=UTC)
    records = [json.dumps(_record(n, start)).encode() for n in (0, 10, 20)]
    path = _write(tmp_path / "paced.jsonl", records)
    deps = ConnectorDeps(
        MemoryCursors(),
        ConnectorHealth("replay"),
        clock=lambda: epoch + timedelta(seconds=seconds[0]),
    )
    sink = MemorySink()
    await ReplayConnector(Config(enabled=True, path=path, speed=10), deps).run(sink)
    received = [e.message.received_at for e in sink.events if isinstance(e, MessageReceived)]
    # Read ahead of its turn, each is stamped when the 1-second waits let it through.
    assert received == [epoch + timedelta(seconds=s) for s in (0, 1, 2)]
