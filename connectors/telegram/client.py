"""The one ``telegram.Bot`` shared by the connector and the outbox, and token hygiene.

Polling goes through the same library request object the Bot uses for ``getUpdates`` (its
transport, timeouts and error mapping: ``RetryAfter``, ``Forbidden``, ``NetworkError``...), but
the answer is kept as JSON instead of going through ``Bot.get_updates``. That method parses the
whole batch into ``telegram.Update`` objects: one malformed update raises for the entire batch
(the poll would stall on it forever) and the library logs the raw batch at CRITICAL level,
which would put message bodies, secrets included, into the logs. Our translation is per update
and turns a bad one into a dead letter.
"""

import asyncio
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from telegram import Bot, ChatMemberAdministrator, ChatMemberOwner
from telegram.request import HTTPXRequest

from connectors.telegram.config import Config

# Loggers that print request URLs, and so the token, at INFO or DEBUG.
SDK_LOGGERS = ("httpx", "httpcore", "telegram")
_POLL_GRACE_SECONDS = 10.0  # the HTTP read may take a little longer than the long poll itself
_REDACTED = "<redacted-token>"


def quiet_sdk_loggers() -> None:
    """Hold the HTTP and Telegram loggers at WARNING or above (never lowers a stricter level)."""
    for name in SDK_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)


@dataclass(frozen=True)
class Scrubber:
    """Removes the bot token (and its secret half) from any text before it is logged or kept.

    Attributes:
        token: The bot token, ``<bot id>:<secret>``.
    """

    token: str

    def __call__(self, text: str) -> str:
        """Return ``text`` without the token."""
        cleaned = text.replace(self.token, _REDACTED)
        secret = self.token.partition(":")[2]
        if len(secret) >= 8:
            cleaned = cleaned.replace(secret, _REDACTED)
        return cleaned


@dataclass(frozen=True)
class BotIdentity:
    """Who the bot is, from ``getMe``."""

    id: int
    username: str


class BotSession:
    """Owns the ``telegram.Bot`` (composed, never subclassed) and its two request objects.

    Args:
        token: The bot token.
        config: Connector settings (URLs and timeouts).
    """

    def __init__(self, token: str, config: Config) -> None:
        self.scrub = Scrubber(token)
        self._poll_request = HTTPXRequest(
            connection_pool_size=1, read_timeout=config.poll_timeout + _POLL_GRACE_SECONDS
        )
        self.bot = Bot(
            token=token,
            base_url=config.base_url,
            base_file_url=config.base_file_url,
            request=HTTPXRequest(
                connection_pool_size=16,
                read_timeout=config.request_timeout,
                write_timeout=config.request_timeout,
                connect_timeout=config.request_timeout,
            ),
            get_updates_request=self._poll_request,
        )
        self._lock = asyncio.Lock()

    async def ready(self) -> BotIdentity:
        """Initialise the Bot when needed (``getMe``) and return its identity.

        Raises:
            telegram.error.TelegramError: When Telegram cannot be reached or refuses the token.
        """
        async with self._lock:
            await self.bot.initialize()  # returns at once when already initialised
        return BotIdentity(id=self.bot.id, username=self.bot.username)

    async def get_updates(
        self, offset: int | None, wait_seconds: int, allowed: Sequence[str]
    ) -> Any:
        """Long-poll ``getUpdates`` and return the raw JSON ``result``.

        Passing ``offset`` confirms every update below it, as on Telegram.
        """
        params: dict[str, str | int] = {
            "timeout": wait_seconds,
            "allowed_updates": json.dumps(list(allowed)),
        }
        if offset is not None:
            params["offset"] = offset
        # Parameters go in the query string (a documented Bot API form) so that only public
        # library calls are needed; the URL is never logged.
        url = f"{self.bot.base_url}/getUpdates?{urlencode(params)}"
        return await self._poll_request.post(url, read_timeout=wait_seconds + _POLL_GRACE_SECONDS)

    async def missing_rights(self, chat_id: int) -> list[str]:
        """Return the moderation rights the bot lacks in a chat (empty when it has them all)."""
        identity = await self.ready()
        member = await self.bot.get_chat_member(chat_id, identity.id)
        if isinstance(member, ChatMemberOwner):
            return []
        if not isinstance(member, ChatMemberAdministrator):
            return ["administrator"]
        wanted = {
            "can_delete_messages": member.can_delete_messages,
            "can_restrict_members": member.can_restrict_members,
        }
        return [name for name, granted in wanted.items() if not granted]

    async def close(self) -> None:
        """Close the HTTP clients; a later call re-initialises them."""
        async with self._lock:
            await self.bot.shutdown()
