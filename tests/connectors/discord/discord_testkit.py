"""Shared helpers of the Discord connector tests: the world, sinks, cursors and harness.

A uniquely named module (not ``conftest``): test files of several folders import helpers,
and a bare ``from conftest import`` would pick whichever conftest was imported first.
"""

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr

if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).parent))

from fake_discord import FakeDiscord
from fake_discord_world import (
    BOT_PERMISSIONS,
    EVERYONE_PERMISSIONS,
    Guild,
    member,
    role,
    text_channel,
    thread,
    user,
)

from connectors.base import ConnectorDeps, ConnectorHealth
from connectors.discord import Config, DiscordConnector, DiscordOutbox, RetryPolicy, build
from core import InboundEvent

FAST = RetryPolicy(base=0.01, factor=2.0, max_delay=0.05, attempts=3, identify_delay=0.0)

GUILD = "1200000000000000001"
SUPPORT = "1200000000000000010"
GENERAL = "1200000000000000011"
FORUM = "1200000000000000012"
THREAD = "1200000000000000020"
FORUM_POST = "1200000000000000021"
OTHER_GUILD = "1300000000000000001"
OTHER_CHAT = "1300000000000000010"

ALICE = user("1400000000000000001", "alice", "Alice")
STAFF = user("1400000000000000002", "nova_support", "Nova Support")
BOB = user("1400000000000000003", "bob", "Bob")  # blocks DMs from the bot
MALLORY = user("1400000000000000004", "mallory", "Mallory")
OWNER = user("1400000000000000009", "owner", "Owner")
BOT_ROLE = "1200000000000000100"
ADMIN_ROLE = "1200000000000000101"


def nova_guild(bot: dict[str, Any]) -> Guild:
    from fake_discord_world import P

    return Guild(
        id=GUILD,
        name="NovaWallet",
        owner_id=OWNER["id"],
        channels=[
            text_channel(SUPPORT, "support"),
            text_channel(GENERAL, "general"),
            text_channel(FORUM, "help-forum", kind=15),
        ],
        threads=[
            thread(THREAD, "Wallet stuck", SUPPORT, GUILD, ALICE["id"]),
            thread(FORUM_POST, "Swap failed", FORUM, GUILD, ALICE["id"]),
        ],
        members=[
            member(bot, roles=[BOT_ROLE]),
            member(ALICE),
            member(STAFF, nick="Nova | Support"),
            member(BOB),
            member(MALLORY, roles=[ADMIN_ROLE]),
            member(OWNER),
        ],
        roles=[
            role(GUILD, "@everyone", EVERYONE_PERMISSIONS, 0),
            role(BOT_ROLE, "watchdesk", BOT_PERMISSIONS, 1),
            role(ADMIN_ROLE, "admins", P(administrator=True), 2),
        ],
    )


def other_guild(bot: dict[str, Any]) -> Guild:
    return Guild(
        id=OTHER_GUILD,
        name="Elsewhere",
        owner_id=OWNER["id"],
        channels=[text_channel(OTHER_CHAT, "chat")],
        members=[member(bot), member(ALICE)],
        roles=[role(OTHER_GUILD, "@everyone", EVERYONE_PERMISSIONS, 0)],
    )


@dataclass
class RecordingSink:
    """core.EventSink that keeps every event and lets tests wait for some."""

    events: list[InboundEvent] = field(default_factory=list)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def emit(self, event: InboundEvent) -> None:
        self.events.append(event)
        self._changed.set()

    def of(self, kind: str) -> list[Any]:
        return [e for e in self.events if e.type == kind]

    async def wait_for(
        self, predicate: Callable[["RecordingSink"], bool], seconds: float = 5.0
    ) -> None:
        async with asyncio.timeout(seconds):
            while not predicate(self):
                self._changed.clear()
                await self._changed.wait()

    async def wait_count(self, kind: str, n: int, seconds: float = 5.0) -> list[Any]:
        await self.wait_for(lambda s: len(s.of(kind)) >= n, seconds)
        return self.of(kind)


@dataclass
class MemoryCursors:
    """core.CursorReader over a dict, fed from emitted events like the store would."""

    saved: dict[tuple[str, str], str] = field(default_factory=dict)

    def get_cursor(self, connector: str, key: str) -> str | None:
        return self.saved.get((connector, key))

    def absorb(self, events: list[InboundEvent]) -> None:
        for event in events:
            if event.cursor is not None:
                self.saved[(event.cursor.connector, event.cursor.key)] = event.cursor.value


@dataclass
class Harness:
    fake: FakeDiscord
    connector: DiscordConnector
    outbox: DiscordOutbox
    health: ConnectorHealth
    sink: RecordingSink


def make_config(fake: FakeDiscord, **overrides: Any) -> Config:
    values: dict[str, Any] = {
        "enabled": True,
        "api_base": fake.api_base,
        "guilds": [int(GUILD)],
        "staff_ids": [int(STAFF["id"])],
        "token": SecretStr(fake.token),
    }
    values.update(overrides)
    return Config(**values)


def make_harness(
    fake: FakeDiscord, sink: RecordingSink, cursors: MemoryCursors, **overrides: Any
) -> Harness:
    health = ConnectorHealth(name="discord")
    bundle = build(
        make_config(fake, **overrides), ConnectorDeps(cursors=cursors, health=health), policy=FAST
    )
    assert isinstance(bundle.connector, DiscordConnector)
    assert isinstance(bundle.outbox, DiscordOutbox)
    return Harness(fake, bundle.connector, bundle.outbox, health, sink)


@contextlib.asynccontextmanager
async def running(h: Harness, ready: bool = True) -> AsyncIterator[asyncio.Task[None]]:
    """Run the connector as a task; wait until its guilds arrived (unless ``ready=False``)."""
    h.fake.identified.clear()
    task = asyncio.create_task(h.connector.run(h.sink))
    try:
        if ready:
            async with asyncio.timeout(5):
                await h.fake.identified.wait()
            await settle(h)
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


async def settle(h: Harness, rounds: int = 3) -> None:
    """Let queued gateway frames be processed (the consumer runs between these sleeps)."""
    for _ in range(rounds):
        await asyncio.sleep(0.02)
        await eventually(h.connector._frames.empty)


async def eventually(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    """Poll state owned by another component (the store, the health record) until true."""
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"not true within {seconds} s: {condition}")
