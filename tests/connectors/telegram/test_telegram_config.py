"""Settings, build, the registry entry, and the token never reaching logs or outcomes."""

import logging

import pytest
from fake_bot_api import FakeBotApi
from pydantic import SecretStr, ValidationError
from telegram_testkit import RecordingSink, make_config, running, wait_until

from connectors.base import ConnectorDeps, ConnectorHealth
from connectors.registry import load_factory
from connectors.telegram import Config, TelegramConnector, TelegramOutbox, build
from connectors.telegram.config import TOKEN_ENV
from core import ConfigError, OutcomeStatus

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def test_defaults_enable_nothing() -> None:
    config = Config()
    assert config.enabled is False
    assert config.base_url == "https://api.telegram.org/bot"
    assert config.chats == []
    assert config.staff_ids == []
    assert config.mod_chat_id is None
    assert config.token is None


def test_unknown_keys_are_refused() -> None:
    with pytest.raises(ValidationError, match="chat_ids"):
        Config.model_validate({"chat_ids": [1]})


def test_the_token_is_hidden_in_reprs_and_dumps() -> None:
    config = Config(token=SecretStr("123:very-secret-value"))
    assert "very-secret-value" not in repr(config)
    assert "very-secret-value" not in config.model_dump_json()


def test_enabled_without_token_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, deps: ConnectorDeps
) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    with pytest.raises(ConfigError) as error:
        build(Config(enabled=True), deps)
    assert str(error.value) == "telegram is enabled but WATCHDESK_TELEGRAM__TOKEN is not set"


async def test_the_token_may_come_straight_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, fake_api: FakeBotApi, deps: ConnectorDeps
) -> None:
    monkeypatch.setenv(TOKEN_ENV, fake_api.token)
    bundle = build(make_config(fake_api, token=None), deps)
    assert isinstance(bundle.connector, TelegramConnector)
    assert isinstance(bundle.outbox, TelegramOutbox)
    fake_api.supergroup(-1001, "G")
    assert (await bundle.outbox.notify_moderators("x")).status is OutcomeStatus.FAILED
    assert (await bundle.outbox.ban("-1001", "5", "test")).ok


def test_the_registry_finds_the_package() -> None:
    assert load_factory("telegram") is build


async def test_no_log_line_or_error_contains_the_token(
    fake_api: FakeBotApi,
    deps: ConnectorDeps,
    health: ConnectorHealth,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = fake_api.token.partition(":")[2]
    group = fake_api.supergroup(-1001987654321, "G")
    user = fake_api.user(555001, "Alice")
    fake_api.fail("getUpdates", 502, "Bad Gateway")
    fake_api.fail("getUpdates", disconnect=True)
    fake_api.push("message", fake_api.message(group, user, "hello"))
    bundle = build(make_config(fake_api, chats=[group["id"]]), deps)
    assert bundle.outbox is not None
    sink = RecordingSink(deps.cursors)
    async with running(bundle.connector, sink):
        await sink.wait_for(1)
        outcomes = [
            await bundle.outbox.send_dm("999", "hi"),
            await bundle.outbox.delete(str(group["id"]), "12345"),
        ]
    # A token Telegram rejects: python-telegram-bot quotes it in its exception message.
    wrong = "7000001:AAH-wrong-secret-token-for-tests-9876543210"
    rejected = ConnectorHealth("telegram")
    bad = build(
        make_config(fake_api, token=SecretStr(wrong)), ConnectorDeps(deps.cursors, rejected)
    )
    assert bad.outbox is not None
    outcomes.append(await bad.outbox.send_dm("555001", "hi"))
    async with running(bad.connector, RecordingSink(deps.cursors)):
        await wait_until(lambda: rejected.consecutive_failures >= 2)

    assert "rejected" in (rejected.last_error or "")
    texts = [caplog.text, health.last_error or "", rejected.last_error or ""]
    texts += [o.detail for o in outcomes]
    for text in texts:
        for token in (fake_api.token, secret, wrong, wrong.partition(":")[2]):
            assert token not in text
    assert "getUpdates" in caplog.text  # the failures were logged, without URLs


async def test_sanity_httpx_would_print_the_token_if_not_held_at_warning(
    fake_api: FakeBotApi, deps: ConnectorDeps, caplog: pytest.LogCaptureFixture
) -> None:
    # Proves the test above can catch a leak: httpx logs every request URL at INFO.
    bundle = build(make_config(fake_api), deps)
    assert bundle.outbox is not None
    fake_api.supergroup(-1001, "G")
    httpx_logger = logging.getLogger("httpx")
    level = httpx_logger.level
    caplog.set_level(logging.INFO, logger="httpx")
    try:
        await bundle.outbox.ban("-1001", "5", "test")
    finally:
        httpx_logger.setLevel(level)
    assert fake_api.token in caplog.text
    assert logging.getLogger("httpx").level >= logging.WARNING
    assert logging.getLogger("telegram").level >= logging.WARNING
