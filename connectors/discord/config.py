"""Settings of the Discord connector."""

import os

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from core import ConfigError

TOKEN_ENV = "WATCHDESK_DISCORD__TOKEN"  # noqa: S105 - a variable name, not a secret
DEFAULT_API_BASE = "https://discord.com/api/v10"
INTENT_HELP = (
    "Discord refused the gateway connection (close code 4014, disallowed intents): Enable "
    "MESSAGE CONTENT INTENT under Bot → Privileged Gateway Intents in the Discord developer "
    "portal (and SERVER MEMBERS INTENT next to it), then restart watchdesk"
)


class Config(BaseModel):
    """Which Discord servers and channels to watch, and how to reach Discord.

    Attributes:
        enabled: Start this connector with ``watchdesk run``.
        api_base: REST base URL; only tests and proxies change it.
        gateway_url: Gateway websocket URL override. ``None`` asks ``GET /gateway/bot`` when
            ``api_base`` is not Discord's, and uses discord.py's default gateway otherwise.
        guilds: Server (guild) ids to watch; empty watches every server the bot is in.
        channels: Channel ids to watch (threads and forum posts under them included); empty
            watches every channel of the watched servers. DMs to the bot are always watched.
        staff_ids: User ids of the brand's staff: their messages are marked ``is_staff`` and
            their names are what impersonators copy.
        mod_channel_id: Channel where moderators are alerted (used by the responder).
        backfill_limit: Most messages fetched per channel when catching up after a
            (re)connect; anything older than that is reported, not silently skipped.
        token: Bot token. Read only from the environment variable
            ``WATCHDESK_DISCORD__TOKEN``, never from a settings file.
    """

    model_config = ConfigDict(extra="forbid")

    enabled: bool = False
    api_base: str = DEFAULT_API_BASE
    gateway_url: str | None = None
    guilds: list[int] = Field(default_factory=list)
    channels: list[int] = Field(default_factory=list)
    staff_ids: list[int] = Field(default_factory=list)
    mod_channel_id: int | None = None
    backfill_limit: int = Field(default=200, ge=0, le=10_000)
    token: SecretStr | None = None


def resolve_token(config: Config) -> str:
    """Return the bot token from the settings (filled from the environment) or the environment.

    Raises:
        ConfigError: Naming the variable to set when there is no token.
    """
    if config.token is not None and config.token.get_secret_value().strip():
        return config.token.get_secret_value().strip()
    from_env = os.environ.get(TOKEN_ENV, "").strip()
    if from_env:
        return from_env
    raise ConfigError(f"discord is enabled but {TOKEN_ENV} is not set")
