"""Failures are retried with bounded back-off and recorded; the process never crashes."""

import asyncio
import contextlib
import socket

import pytest
from discord_testkit import ALICE, SUPPORT, eventually, make_harness, running
from fake_discord import FakeDiscord
from pydantic import SecretStr

from connectors.base import HealthState
from core import ConfigError


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_unreachable_discord_makes_the_connector_unhealthy_not_the_process(
    sink, cursors
) -> None:
    fake = FakeDiscord()  # never started: its port is closed
    fake.port = closed_port()
    h = make_harness(fake, sink, cursors)
    task = asyncio.create_task(h.connector.run(sink))
    try:
        await eventually(lambda: h.health.state is HealthState.UNHEALTHY)
        assert not task.done()  # still retrying
        assert "connection failed" in (h.health.last_error or "")
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert h.health.state is HealthState.STOPPED


async def test_server_errors_at_login_are_retried_until_it_works(fake, sink, cursors) -> None:
    fake.fail("GET /users/@me", 503, 503, 503)
    h = make_harness(fake, sink, cursors)
    async with running(h):
        await fake.post(SUPPORT, ALICE, "hello")
        await sink.wait_count("message", 1)
        assert h.health.state is HealthState.HEALTHY
    assert len(fake.calls("GET", "/users/@me")) == 4


async def test_a_refused_token_is_a_config_error(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors, token=SecretStr("wrong"))
    with pytest.raises(ConfigError, match="WATCHDESK_DISCORD__TOKEN"):
        async with asyncio.timeout(5):
            await h.connector.run(sink)
    assert h.health.state is HealthState.UNHEALTHY


async def test_cancel_closes_cleanly(fake, sink, cursors) -> None:
    h = make_harness(fake, sink, cursors)
    async with running(h) as task:
        pass
    assert task.cancelled()
    assert h.connector.slot.client is None
    assert not h.connector.slot.running
