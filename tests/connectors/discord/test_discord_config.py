"""Settings, token handling and endpoint overrides."""

import asyncio
import logging

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route
from discord_testkit import (
    ALICE,
    SUPPORT,
    MemoryCursors,
    RecordingSink,
    make_harness,
    nova_guild,
    running,
)
from fake_discord import FakeDiscord
from pydantic import SecretStr, ValidationError

from connectors.base import ConnectorDeps, ConnectorHealth
from connectors.discord import TOKEN_ENV, Config, build
from connectors.discord.gateway import Endpoints
from connectors.registry import load_factory
from core import ConfigError


def deps() -> ConnectorDeps:
    return ConnectorDeps(cursors=MemoryCursors(), health=ConnectorHealth("discord"))


def test_defaults_and_unknown_keys() -> None:
    config = Config()
    assert not config.enabled
    assert config.api_base == "https://discord.com/api/v10"
    assert (config.gateway_url, config.guilds, config.channels, config.staff_ids) == (
        None,
        [],
        [],
        [],
    )
    assert config.mod_channel_id is None
    assert config.backfill_limit == 200
    assert config.token is None
    with pytest.raises(ValidationError, match="extra"):
        Config(tokn="x")  # type: ignore[call-arg]


def test_missing_token_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    with pytest.raises(ConfigError) as caught:
        build(Config(enabled=True), deps())
    assert str(caught.value) == "discord is enabled but WATCHDESK_DISCORD__TOKEN is not set"


def test_token_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN_ENV, "from-env")
    bundle = build(Config(enabled=True), deps())
    assert bundle.connector.name == "discord"
    assert bundle.outbox is not None
    assert bundle.outbox.platform == "discord"


def test_registry_finds_the_connector() -> None:
    assert load_factory("discord") is build


def test_token_is_secret_in_reprs() -> None:
    config = Config(token=SecretStr("very-secret-token"))
    assert "very-secret-token" not in repr(config)
    assert "very-secret-token" not in str(config.model_dump())


async def test_token_never_logged(sink, cursors, caplog: pytest.LogCaptureFixture) -> None:
    secret = "MTEx.very-secret.token-value"
    fake = FakeDiscord(token=secret)
    await fake.start()
    try:
        fake.add_guild(nova_guild(fake.bot))
        caplog.set_level(logging.DEBUG)
        h = make_harness(fake, sink, cursors, token=SecretStr(secret))
        async with running(h):
            await fake.post(SUPPORT, ALICE, "hello")
            await sink.wait_count("message", 1)
            await h.outbox.send_dm(ALICE["id"], "hi")
    finally:
        await fake.stop()
    assert caplog.records
    assert secret not in caplog.text


def test_endpoints_rewrite_only_the_default_gateway() -> None:
    default = str(
        DiscordWebSocket.DEFAULT_GATEWAY.with_query(v=10, encoding="json", compress="zlib-stream")
    )
    endpoints = Endpoints("http://127.0.0.1:1/api/v10/", "ws://127.0.0.1:1/gateway")
    assert endpoints.api_base == "http://127.0.0.1:1/api/v10"
    assert endpoints.custom_api
    assert (
        endpoints.gateway_for(default)
        == "ws://127.0.0.1:1/gateway?v=10&encoding=json&compress=zlib-stream"
    )
    resume = "wss://gateway-us-east1-b.discord.gg/?v=10&encoding=json"
    assert endpoints.gateway_for(resume) == resume
    assert Endpoints("https://discord.com/api/v10", None).gateway_for(default) == default
    assert not Endpoints("https://discord.com/api/v10", None).custom_api


async def test_gateway_is_discovered_or_taken_from_settings(fake, sink, cursors) -> None:
    discovered = make_harness(fake, sink, cursors)
    async with running(discovered):
        pass
    assert len(fake.calls("GET", "/gateway/bot")) == 1
    fake.requests.clear()
    configured = make_harness(fake, RecordingSink(), MemoryCursors(), gateway_url=fake.gateway_url)
    async with running(configured):
        pass
    assert not fake.calls("GET", "/gateway/bot")


async def test_two_connectors_two_servers_no_shared_state() -> None:
    fakes = [FakeDiscord(), FakeDiscord()]
    sinks = [RecordingSink(), RecordingSink()]
    for f in fakes:
        await f.start()
        f.add_guild(nova_guild(f.bot))
    try:
        harnesses = [make_harness(f, s, MemoryCursors()) for f, s in zip(fakes, sinks, strict=True)]
        async with running(harnesses[0]), running(harnesses[1]):
            first = await fakes[0].post(SUPPORT, ALICE, "to the first")
            second = await fakes[1].post(SUPPORT, ALICE, "to the second")
            await asyncio.gather(
                sinks[0].wait_count("message", 1), sinks[1].wait_count("message", 1)
            )
    finally:
        for f in fakes:
            await f.stop()
    assert [e.message.external_id for e in sinks[0].of("message")] == [first["id"]]
    assert [e.message.external_id for e in sinks[1].of("message")] == [second["id"]]
    assert Route.BASE == "https://discord.com/api/v10"
    assert str(DiscordWebSocket.DEFAULT_GATEWAY) == "wss://gateway.discord.gg/"
