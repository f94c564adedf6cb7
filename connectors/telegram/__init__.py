"""Telegram connector: the brand's groups, forum topics and DMs to the bot.

``build(config, deps)`` returns the connector (a ``getUpdates`` long-poll loop that runs inside
watchdesk's event loop) and its outbox (replies, DMs, removals, bans), sharing one
``telegram.Bot``. Nothing of python-telegram-bot leaves this package: the rest of watchdesk
sees core events and ``Outcome`` values only. See README.md for the bot's setup.
"""

import os

from connectors.base import ConnectorBundle, ConnectorDeps
from connectors.telegram.client import BotSession, quiet_sdk_loggers
from connectors.telegram.config import TOKEN_ENV, Config
from connectors.telegram.connector import TelegramConnector
from connectors.telegram.outbox import TelegramOutbox
from core import ConfigError


def build(config: Config, deps: ConnectorDeps) -> ConnectorBundle:
    """Build the Telegram connector and outbox from settings.

    The token is ``config.token`` (which the settings loader fills from
    ``WATCHDESK_TELEGRAM__TOKEN``), else that environment variable itself.

    Raises:
        ConfigError: When no token is set, naming the variable to set.
    """
    token = config.token.get_secret_value() if config.token else os.environ.get(TOKEN_ENV, "")
    if not token.strip():
        if config.enabled:
            raise ConfigError(f"telegram is enabled but {TOKEN_ENV} is not set")
        raise ConfigError(f"telegram needs a bot token: set {TOKEN_ENV}")
    # The token is part of every request URL: keep the HTTP and SDK loggers from printing them
    # even when the composition root has not configured logging.
    quiet_sdk_loggers()
    session = BotSession(token.strip(), config)
    connector = TelegramConnector(config, deps, session)
    outbox = TelegramOutbox(config, session, deps.health, deps.clock)
    return ConnectorBundle(connector=connector, outbox=outbox)


__all__ = ["Config", "TelegramConnector", "TelegramOutbox", "build"]
