"""Fixtures of the Discord connector tests: the fake Discord, a recording sink, cursors."""

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).parent))

from discord_testkit import BOB, MemoryCursors, RecordingSink, nova_guild, other_guild
from fake_discord import FakeDiscord


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    server.add_guild(nova_guild(server.bot))
    server.add_guild(other_guild(server.bot))
    server.blocked_dm_users.add(BOB["id"])
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def sink() -> RecordingSink:
    return RecordingSink()


@pytest.fixture
def cursors() -> MemoryCursors:
    return MemoryCursors()
