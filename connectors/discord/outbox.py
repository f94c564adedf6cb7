"""Actions on Discord: replies, DMs, deletions, bans, kicks and timeouts.

Every action checks the bot's permissions first when discord.py's cache knows the server
(a refusal is then reported without calling Discord) and maps Discord's answers to outcomes:
403 and error 50007 (the user does not accept DMs) are ``FORBIDDEN``, 404 is ``NOT_FOUND``,
a rate limit longer than discord.py is allowed to wait is ``RATE_LIMITED``, and server errors
or network failures are retried with bounded, jittered back-off before ``FAILED``.

In the process that runs the connector the outbox uses its logged-in client (and its cache
for permission checks); elsewhere (a worker that only sends) it logs in a REST-only client on
first use, which ``aclose`` closes.

Texts over Discord's 2000-character limit are refused with ``TOO_LONG``: a reply that a
moderator approved is posted as approved or not at all, never cut and never split into a
burst of messages.
"""

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

import aiohttp
import discord

from connectors.discord.connector import ClientSlot
from connectors.discord.cursors import Recent
from connectors.discord.interactions import post_with_buttons
from connectors.discord.permissions import (
    ban_refusal,
    delete_refusal,
    kick_refusal,
    send_refusal,
    timeout_refusal,
)
from connectors.discord.retry import RetryPolicy
from core import Button, Outcome, OutcomeStatus

log = logging.getLogger(__name__)

MAX_CHARS = 2000
MAX_TIMEOUT = timedelta(days=28)  # Discord's longest timeout
CONNECT_WAIT = 10.0
RETRYABLE = (discord.DiscordServerError, aiohttp.ClientError, OSError, asyncio.TimeoutError)

Action = Callable[[discord.Client], Awaitable[Outcome]]
RestLogin = Callable[[], Awaitable[discord.Client]]


class DiscordOutbox:
    """Implements ``core.Outbox`` with the connector's logged-in client.

    Args:
        slot: Where the running connector publishes its client.
        policy: Retries of server errors and network failures.
        connect_wait: Seconds to wait for the connector to (re)login before failing.
    """

    platform = "discord"

    def __init__(
        self,
        slot: ClientSlot,
        policy: RetryPolicy | None = None,
        connect_wait: float = CONNECT_WAIT,
        rest_login: RestLogin | None = None,
        mod_channel_id: int | None = None,
    ) -> None:
        self._slot = slot
        self._mod_channel_id = mod_channel_id
        self._policy = policy or RetryPolicy()
        self._connect_wait = connect_wait
        self._rest_login = rest_login
        self._rest: discord.Client | None = None
        self._rest_lock = asyncio.Lock()
        self._own: Recent[bool] = Recent(10_000)  # ids of messages this bot sent

    async def reply(self, channel_id: str, message_id: str, text: str) -> Outcome:
        """Reply publicly under a message: no pings, no link previews."""
        refused = _text_refusal(text)
        if refused is not None:
            return refused
        nonce = _nonce()  # the same nonce on every retry: Discord posts it once

        async def act(client: discord.Client) -> Outcome:
            channel = client.get_channel(int(channel_id))
            refusal = send_refusal(channel, reply=True)
            if refusal is not None:
                return Outcome(status=OutcomeStatus.FORBIDDEN, detail=refusal)
            target = client.get_partial_messageable(int(channel_id))
            reference = discord.MessageReference(
                message_id=int(message_id), channel_id=int(channel_id), fail_if_not_exists=True
            )
            sent = await target.send(
                text,
                reference=reference,
                allowed_mentions=discord.AllowedMentions.none(),
                mention_author=False,
                suppress_embeds=True,
                nonce=nonce,
            )
            return self._sent(sent.id)

        return await self._run("reply", act)

    async def post(self, channel_id: str, text: str) -> Outcome:
        """Post in a channel without replying to a message (public notices): no pings."""
        refused = _text_refusal(text)
        if refused is not None:
            return refused
        nonce = _nonce()

        async def act(client: discord.Client) -> Outcome:
            channel = client.get_channel(int(channel_id))
            refusal = send_refusal(channel, reply=False)
            if refusal is not None:
                return Outcome(status=OutcomeStatus.FORBIDDEN, detail=refusal)
            sent = await client.get_partial_messageable(int(channel_id)).send(
                text,
                allowed_mentions=discord.AllowedMentions.none(),
                suppress_embeds=True,
                nonce=nonce,
            )
            return self._sent(sent.id)

        return await self._run("post", act)

    async def post_for_review(self, text: str, buttons: Sequence[Button]) -> Outcome:
        """Post to the moderators' channel with buttons (``core.ModeratorChat``).

        The text is cut to one message: it is a moderator's preview, not the answer itself.
        """
        if self._mod_channel_id is None:
            return Outcome(status=OutcomeStatus.NOT_FOUND, detail="mod_channel_id is not set")
        channel_id = self._mod_channel_id
        preview = text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"

        async def act(client: discord.Client) -> Outcome:
            return self._sent(int(await post_with_buttons(client, channel_id, preview, buttons)))

        return await self._run("review", act)

    async def send_dm(self, user_id: str, text: str) -> Outcome:
        """Send a private message; users who block the bot give ``FORBIDDEN``."""
        refused = _text_refusal(text)
        if refused is not None:
            return refused
        nonce = _nonce()

        async def act(client: discord.Client) -> Outcome:
            channel = await client.create_dm(discord.Object(id=int(user_id)))
            sent = await channel.send(
                text,
                allowed_mentions=discord.AllowedMentions.none(),
                suppress_embeds=True,
                nonce=nonce,
            )
            return self._sent(sent.id)

        return await self._run("dm", act)

    async def delete(self, channel_id: str, message_id: str) -> Outcome:
        """Remove a message (needs Manage Messages unless the bot wrote it)."""

        async def act(client: discord.Client) -> Outcome:
            channel = client.get_channel(int(channel_id))
            refusal = delete_refusal(channel, own=message_id in self._own)
            if refusal is not None:
                return Outcome(status=OutcomeStatus.FORBIDDEN, detail=refusal)
            message = client.get_partial_messageable(int(channel_id)).get_partial_message(
                int(message_id)
            )
            await message.delete()
            return Outcome(status=OutcomeStatus.SENT, external_id=message_id)

        return await self._run("delete", act)

    async def ban(self, channel_id: str, user_id: str, reason: str) -> Outcome:
        """Ban a user from the server of ``channel_id`` (or the server with that id)."""

        async def act(client: discord.Client) -> Outcome:
            guild = await _guild_of(client, channel_id)
            if guild is None:
                return _no_guild(channel_id)
            refusal = ban_refusal(guild, int(user_id))
            if refusal is not None:
                return Outcome(status=OutcomeStatus.FORBIDDEN, detail=refusal)
            # Keep the user's messages: watchdesk deletes what it decides to, with a record.
            await guild.ban(
                discord.Object(id=int(user_id)), reason=reason or None, delete_message_seconds=0
            )
            return Outcome(status=OutcomeStatus.SENT, detail=f"banned from {guild.id}")

        return await self._run("ban", act)

    async def kick(self, channel_id: str, user_id: str, reason: str) -> Outcome:
        """Remove a user from the server; they may join again."""

        async def act(client: discord.Client) -> Outcome:
            guild = await _guild_of(client, channel_id)
            if guild is None:
                return _no_guild(channel_id)
            refusal = kick_refusal(guild, int(user_id))
            if refusal is not None:
                return Outcome(status=OutcomeStatus.FORBIDDEN, detail=refusal)
            await guild.kick(discord.Object(id=int(user_id)), reason=reason or None)
            return Outcome(status=OutcomeStatus.SENT, detail=f"kicked from {guild.id}")

        return await self._run("kick", act)

    async def timeout(self, channel_id: str, user_id: str, seconds: int, reason: str) -> Outcome:
        """Time a member out (``communication_disabled_until``) for up to 28 days."""
        duration = timedelta(seconds=seconds)
        if not timedelta(0) < duration <= MAX_TIMEOUT:
            detail = f"timeout of {seconds} s refused: Discord allows 1 s to 28 days"
            return Outcome(status=OutcomeStatus.FAILED, detail=detail)

        async def act(client: discord.Client) -> Outcome:
            guild = await _guild_of(client, channel_id)
            if guild is None:
                return _no_guild(channel_id)
            member = guild.get_member(int(user_id)) or await guild.fetch_member(int(user_id))
            refusal = timeout_refusal(guild, member)
            if refusal is not None:
                return Outcome(status=OutcomeStatus.FORBIDDEN, detail=refusal)
            await member.timeout(duration, reason=reason or None)
            return Outcome(status=OutcomeStatus.SENT, detail=f"timed out for {seconds} s")

        return await self._run("timeout", act)

    async def aclose(self) -> None:
        """Close the REST-only client, if one was opened."""
        client, self._rest = self._rest, None
        if client is not None:
            await client.close()

    async def _client(self) -> discord.Client | None:
        if self._slot.running:
            return await self._slot.wait(self._connect_wait)
        if self._rest_login is None:
            return None
        async with self._rest_lock:
            if self._rest is None:
                self._rest = await self._rest_login()
        return self._rest

    def _sent(self, message_id: int) -> Outcome:
        self._own.put(str(message_id), True)
        return Outcome(status=OutcomeStatus.SENT, external_id=str(message_id))

    async def _run(self, what: str, action: Action) -> Outcome:
        try:
            client = await self._client()
        except discord.LoginFailure:
            return Outcome(status=OutcomeStatus.FAILED, detail=f"{what}: Discord refused the token")
        except (*RETRYABLE, discord.HTTPException) as exc:
            return Outcome(
                status=OutcomeStatus.FAILED, detail=f"{what}: login failed: {_brief(exc)}"
            )
        if client is None:
            return Outcome(status=OutcomeStatus.FAILED, detail=f"{what}: discord is not connected")
        last: BaseException | None = None
        for attempt in range(max(1, self._policy.attempts)):
            try:
                return await action(client)
            except RETRYABLE as exc:
                last = exc
                log.warning("discord %s failed (attempt %d): %s", what, attempt + 1, _brief(exc))
                if attempt + 1 < self._policy.attempts:
                    await asyncio.sleep(self._policy.delay(attempt))
            except discord.RateLimited as exc:
                detail = f"{what}: rate limited for {exc.retry_after:.0f} s"
                return Outcome(status=OutcomeStatus.RATE_LIMITED, detail=detail)
            except discord.HTTPException as exc:
                return _refusal(what, exc)
        detail = f"{what}: gave up after {self._policy.attempts} attempts: {_brief(last)}"
        return Outcome(status=OutcomeStatus.FAILED, detail=detail)


async def _guild_of(client: discord.Client, channel_or_guild_id: str) -> discord.Guild | None:
    snowflake = int(channel_or_guild_id)
    guild = client.get_guild(snowflake)
    if guild is not None:
        return guild
    channel = client.get_channel(snowflake)
    if channel is None:
        channel = await client.fetch_channel(snowflake)
    found = getattr(channel, "guild", None)
    return found if isinstance(found, discord.Guild) else None


def _no_guild(channel_id: str) -> Outcome:
    detail = f"channel {channel_id} is not in a server (a DM?): nothing to moderate"
    return Outcome(status=OutcomeStatus.FAILED, detail=detail)


def _refusal(what: str, exc: discord.HTTPException) -> Outcome:
    detail = f"{what}: Discord answered {exc.status} (code {exc.code}): {exc.text}".strip()
    if isinstance(exc, discord.Forbidden):
        if exc.code == 50007:
            detail = f"{what}: the user does not accept messages from the bot (50007)"
        return Outcome(status=OutcomeStatus.FORBIDDEN, detail=detail)
    if isinstance(exc, discord.NotFound) or "message_reference" in exc.text:
        return Outcome(status=OutcomeStatus.NOT_FOUND, detail=detail)
    if exc.status == 429:
        # A 429 without Discord's Via header: Cloudflare, not the API's buckets.
        return Outcome(status=OutcomeStatus.RATE_LIMITED, detail=detail)
    return Outcome(status=OutcomeStatus.FAILED, detail=detail)


def _text_refusal(text: str) -> Outcome | None:
    if not text.strip():
        return Outcome(status=OutcomeStatus.FAILED, detail="empty text: nothing to send")
    if len(text) > MAX_CHARS:
        detail = (
            f"{len(text)} characters; Discord allows {MAX_CHARS} per message and watchdesk "
            "refuses rather than cutting or splitting"
        )
        return Outcome(status=OutcomeStatus.TOO_LONG, detail=detail)
    return None


def _nonce() -> str:
    return str(secrets.randbits(63))


def _brief(exc: BaseException | None) -> str:
    return "" if exc is None else f"{type(exc).__name__}: {exc}"
