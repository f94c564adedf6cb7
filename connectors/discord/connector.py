"""The Discord connector: a discord.py client run as a task in watchdesk's event loop."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, NoReturn

import aiohttp
import discord

from connectors.base import ConnectorDeps, HealthState
from connectors.discord.config import INTENT_HELP, TOKEN_ENV, Config
from connectors.discord.directory import WatchList
from connectors.discord.gateway import Endpoints, close_quietly, new_client
from connectors.discord.interactions import InteractionRouter
from connectors.discord.retry import Backoff, RetryPolicy
from connectors.discord.stream import Stream
from core import ConfigError, DecisionHandler, EventSink

log = logging.getLogger(__name__)

NAME = "discord"
# Close codes after which reconnecting cannot help: authentication failed, invalid shard,
# sharding required, invalid API version, invalid intents, disallowed intents.
FATAL_CLOSE_CODES = frozenset({4004, 4010, 4011, 4012, 4013, 4014})
RECOVERABLE = (
    OSError,
    aiohttp.ClientError,
    asyncio.TimeoutError,
    discord.HTTPException,
    discord.GatewayNotFound,
    discord.ConnectionClosed,
)


class ClientSlot:
    """The logged-in ``discord.Client`` of the running connector, shared with its outbox."""

    def __init__(self) -> None:
        self.client: discord.Client | None = None
        self.running = False
        self._ready = asyncio.Event()

    def set(self, client: discord.Client) -> None:
        """Publish a client that has logged in."""
        self.client = client
        self._ready.set()

    def clear(self) -> None:
        """Withdraw the client (it is being closed)."""
        self.client = None
        self._ready.clear()

    async def wait(self, seconds: float) -> discord.Client | None:
        """Return the client, waiting up to ``seconds`` for a (re)login."""
        if self.client is None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._ready.wait(), seconds)
        return self.client


class _SlotRest:
    """The stream's REST reads, through whichever client is current.

    Server errors and network failures are retried with the policy's bounded back-off: a
    catch-up that fails would leave a gap once live messages move the positions on.
    """

    def __init__(self, slot: ClientSlot, policy: RetryPolicy) -> None:
        self._slot = slot
        self._policy = policy

    async def fetch_page(self, channel_id: str, after: int, limit: int) -> list[Any]:
        page: list[Any] = await self._retry(
            lambda http: http.logs_from(int(channel_id), limit, after=after)
        )
        return page

    async def fetch_message(self, channel_id: str, message_id: str) -> Any:
        return await self._retry(lambda http: http.get_message(int(channel_id), int(message_id)))

    async def _retry(self, call: Callable[[discord.http.HTTPClient], Awaitable[Any]]) -> Any:
        for attempt in range(max(1, self._policy.attempts)):
            client = self._slot.client
            try:
                if client is None:
                    raise ConnectionError("discord client is not logged in")
                return await call(client.http)
            except (discord.DiscordServerError, aiohttp.ClientError, OSError):
                if attempt + 1 >= self._policy.attempts:
                    raise
                await asyncio.sleep(self._policy.delay(attempt))
        raise AssertionError("unreachable")


class DiscordConnector:
    """Receives from the Discord gateway and emits core events.

    ``run`` logs in, connects and lets discord.py keep the gateway alive (heartbeats, RESUME,
    reconnects); gateway frames are queued and turned into events one at a time by
    :class:`~connectors.discord.stream.Stream`. Failures to log in or connect are retried with
    bounded, jittered back-off and recorded in the health record (``unhealthy`` past its
    budget) without ever ending the process; only settings that no retry can fix (a refused
    token, a missing privileged intent) stop the connector with a ``ConfigError``.

    Args:
        config: Settings.
        deps: Cursors, health record and clock.
        token: The bot token.
        policy: Back-off and retry settings.
        slot: Where the live client is published for the outbox.
    """

    def __init__(
        self,
        config: Config,
        deps: ConnectorDeps,
        token: str,
        *,
        policy: RetryPolicy | None = None,
        slot: ClientSlot | None = None,
    ) -> None:
        self.name = NAME
        self.slot = slot or ClientSlot()
        self._deps = deps
        self._token = token
        self._policy = policy or RetryPolicy()
        self._endpoints = Endpoints(config.api_base, config.gateway_url)
        self._frames: asyncio.Queue[str] = asyncio.Queue()
        self._stopping = False
        self.stream = Stream(
            watch=WatchList(
                guilds=frozenset(map(str, config.guilds)),
                channels=frozenset(map(str, config.channels)),
            ),
            staff_ids=frozenset(map(str, config.staff_ids)),
            backfill_limit=config.backfill_limit,
            cursors=deps.cursors,
            health=deps.health,
            clock=deps.clock,
            connector=NAME,
        )
        self._mod_channel_id = config.mod_channel_id
        self._interactions: InteractionRouter | None = None

    def on_decision(self, handler: DecisionHandler) -> None:
        """Hand moderators' button taps (``INTERACTION_CREATE``) to ``handler`` from now on."""
        self._interactions = InteractionRouter(self.slot, self._mod_channel_id, handler)

    async def run(self, sink: EventSink) -> None:
        """Receive until cancelled.

        Raises:
            ConfigError: When Discord refuses the token or a privileged intent.
        """
        self.slot.running = True
        consumer = asyncio.create_task(self._consume(sink), name="discord-frames")
        try:
            await self._supervise()
        except asyncio.CancelledError:
            self._deps.health.stopped()
            raise
        finally:
            self.slot.running = False
            consumer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await consumer

    async def _supervise(self) -> None:
        backoff = Backoff(self._policy)
        while True:
            client = new_client(
                self._endpoints,
                self._frames.put_nowait,
                self._disconnected,
                self._parse_error,
                self._policy.identify_delay,
            )
            try:
                await client.login(self._token)
                await self._endpoints.discover(client.http)
                self.slot.set(client)
                backoff.reset()
                await client.connect(reconnect=True)
                self._deps.health.failure("discord gateway connection ended; reconnecting")
            except discord.LoginFailure:
                self._fatal(f"Discord refused the bot token (401); check {TOKEN_ENV}")
            except discord.PrivilegedIntentsRequired:
                self._fatal(INTENT_HELP)
            except discord.ConnectionClosed as exc:
                if exc.code in FATAL_CLOSE_CODES:
                    self._fatal(f"Discord closed the gateway with code {exc.code}: {exc.reason}")
                self._failed(exc)
            except RECOVERABLE as exc:
                self._failed(exc)
            except Exception as exc:  # e.g. a frame discord.py cannot decode
                log.exception("discord client stopped unexpectedly; starting a new session")
                self._failed(exc)
            finally:
                self.slot.clear()
                await close_quietly(client)
            await backoff.sleep()

    async def _consume(self, sink: EventSink) -> None:
        rest = _SlotRest(self.slot, self._policy)
        while True:
            text = await self._frames.get()
            try:
                if self._interactions is not None:
                    await self._interactions.handle_frame(text)
                await self.stream.handle_frame(text, sink, rest)
            except Exception as exc:  # the stream goes on after any one frame
                log.exception("discord frame processing failed")
                self._deps.health.failure(f"processing a gateway event failed: {exc}")

    def _disconnected(self) -> None:
        if self._deps.health.state is HealthState.UNHEALTHY and self._stopping:
            return  # the fatal error stays the one on record
        self._deps.health.failure("discord gateway disconnected; reconnecting")

    def _parse_error(self, event: str, exc: BaseException) -> None:
        # The payload itself is not logged: it may hold a secret someone pasted.
        self._deps.health.count("sdk_parse_errors")
        log.warning("discord.py could not parse a %s dispatch (%s)", event, type(exc).__name__)

    def _failed(self, exc: BaseException) -> None:
        detail = f"{type(exc).__name__}: {exc}".strip()
        log.warning("discord connection failed: %s", detail)
        self._deps.health.failure(f"discord connection failed: {detail}")

    def _fatal(self, message: str) -> NoReturn:
        self._stopping = True
        health = self._deps.health
        health.last_error = message
        health.consecutive_failures = max(health.consecutive_failures, health.failure_budget)
        health.state = HealthState.UNHEALTHY
        log.error(message)
        raise ConfigError(message)
