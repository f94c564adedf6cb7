"""Discord connector: the brand's servers (message content intent) and DMs to the bot.

``build`` is what the connector registry calls; see README.md in this folder for setting up
the bot in the Discord developer portal.
"""

from connectors.base import ConnectorBundle, ConnectorDeps
from connectors.discord.config import INTENT_HELP, TOKEN_ENV, Config, resolve_token
from connectors.discord.connector import ClientSlot, DiscordConnector
from connectors.discord.gateway import Endpoints, rest_client
from connectors.discord.outbox import DiscordOutbox
from connectors.discord.retry import RetryPolicy


def build(
    config: Config, deps: ConnectorDeps, *, policy: RetryPolicy | None = None
) -> ConnectorBundle:
    """Build the Discord connector and its outbox from settings.

    Args:
        config: The ``discord`` settings section.
        deps: Cursors, health record and clock.
        policy: Back-off and retry settings (tests shorten them).

    Raises:
        ConfigError: When ``WATCHDESK_DISCORD__TOKEN`` is not set.
    """
    token = resolve_token(config)
    slot = ClientSlot()
    connector = DiscordConnector(config, deps, token, policy=policy, slot=slot)
    endpoints = Endpoints(config.api_base, config.gateway_url)
    outbox = DiscordOutbox(
        slot,
        policy,
        rest_login=lambda: rest_client(endpoints, token),
        mod_channel_id=config.mod_channel_id,
    )
    return ConnectorBundle(connector=connector, outbox=outbox)


__all__ = [
    "INTENT_HELP",
    "TOKEN_ENV",
    "ClientSlot",
    "Config",
    "DiscordConnector",
    "DiscordOutbox",
    "RetryPolicy",
    "build",
]
