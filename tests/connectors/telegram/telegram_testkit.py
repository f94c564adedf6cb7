"""Helpers of the Telegram connector tests: recording sink, cursor table, settings, payloads."""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fake_bot_api import FakeBotApi
from pydantic import SecretStr

from connectors.telegram import Config
from core import Connector, InboundEvent

PAYLOADS = Path(__file__).parent / "payloads"
NOW = datetime(2025, 1, 1, 12, 0, 5, tzinfo=UTC)


class MemoryCursors:
    """The store's cursor table: what the sink has committed."""

    def __init__(self, saved: dict[tuple[str, str], str] | None = None) -> None:
        self.saved = dict(saved or {})

    def get_cursor(self, connector: str, key: str) -> str | None:
        return self.saved.get((connector, key))


class RecordingSink:
    """An in-memory pipeline: records events and commits their cursors, like the store does.

    With ``stall_after=n`` it stops accepting after ``n`` events (emit never returns), which
    is how a crash mid-batch looks from the connector's side.
    """

    def __init__(self, cursors: Any, stall_after: int | None = None) -> None:
        self.events: list[Any] = []  # Any: tests read the fields of each event kind
        self.cursors = cursors
        self.stall_after = stall_after
        self._changed = asyncio.Event()

    async def emit(self, event: InboundEvent) -> None:
        if self.stall_after is not None and len(self.events) >= self.stall_after:
            await asyncio.Event().wait()
        self.events.append(event)
        if event.cursor is not None:
            self.cursors.saved[(event.cursor.connector, event.cursor.key)] = event.cursor.value
        self._changed.set()

    async def wait_for(self, count: int, within: float = 5.0) -> list[Any]:
        async with asyncio.timeout(within):
            while len(self.events) < count:
                self._changed.clear()
                await self._changed.wait()
        return self.events

    def of_type(self, kind: str) -> list[Any]:
        return [e for e in self.events if e.type == kind]


def make_config(api: FakeBotApi, **overrides: Any) -> Config:
    values: dict[str, Any] = {
        "enabled": True,
        "base_url": api.base_url,
        "base_file_url": f"http://127.0.0.1:{api.port}/file/bot",
        "token": SecretStr(api.token),
        "poll_timeout": 1,
        "request_timeout": 5.0,
        "backoff_base": 0.02,
        "backoff_max": 0.1,
        "max_attempts": 3,
        "max_retry_after": 5.0,
    }
    values.update(overrides)
    return Config(**values)


@contextlib.asynccontextmanager
async def running(connector: Connector, sink: RecordingSink) -> AsyncIterator[asyncio.Task[None]]:
    """Run a connector as a task for the duration of the block, then cancel it."""
    task = asyncio.create_task(connector.run(sink))
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def load_payload(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PAYLOADS / name).read_text(encoding="utf-8"))
    return data


def payload_names() -> Iterator[str]:
    yield from sorted(p.name for p in PAYLOADS.glob("*.json"))


async def wait_until(predicate: Callable[[], bool], within: float = 5.0) -> None:
    """Wait for state that another task changes without signalling (health, fake calls)."""
    async with asyncio.timeout(within):
        while not predicate():  # noqa: ASYNC110 - nothing to wait on but the state itself
            await asyncio.sleep(0.01)
