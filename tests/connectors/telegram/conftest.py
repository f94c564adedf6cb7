"""Fixtures of the Telegram connector tests: the fake Bot API, cursors, health, a bundle."""

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from fake_bot_api import FakeBotApi
from telegram_testkit import NOW, MemoryCursors, make_config

from connectors.base import ConnectorBundle, ConnectorDeps, ConnectorHealth
from connectors.telegram import build


@pytest_asyncio.fixture
async def fake_api() -> AsyncIterator[FakeBotApi]:
    api = FakeBotApi()
    await api.start()
    yield api
    await api.stop()


@pytest.fixture
def cursors() -> MemoryCursors:
    return MemoryCursors()


@pytest.fixture
def health() -> ConnectorHealth:
    return ConnectorHealth(name="telegram", failure_budget=3)


@pytest.fixture
def deps(cursors: MemoryCursors, health: ConnectorHealth) -> ConnectorDeps:
    return ConnectorDeps(cursors=cursors, health=health, clock=lambda: NOW)


@pytest.fixture
def bundle(fake_api: FakeBotApi, deps: ConnectorDeps) -> ConnectorBundle:
    return build(make_config(fake_api), deps)
