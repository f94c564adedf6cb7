"""The discord.py ``Client`` as watchdesk uses it: composed, never subclassed.

What this module sets up on each new ``discord.Client``:

* intents: servers, server and DM messages, MESSAGE CONTENT and SERVER MEMBERS;
* ``on_socket_raw_receive`` (a public debug event, hence ``enable_debug_events=True``): every
  gateway frame, already decompressed, goes to the connector's queue, so translation works on
  the JSON Discord sent and sees every message whether discord.py cached it or not;
* endpoints: discord.py builds REST URLs from the class attribute ``Route.BASE`` and connects
  to ``DiscordWebSocket.DEFAULT_GATEWAY``. Changing those would leak into every client of the
  process, so :class:`Endpoints` instead wraps ``request`` and ``ws_connect`` *on this client's
  own* ``HTTPClient`` instance, rewriting the URL of each call. Two connectors in one process
  can point at two different servers (tests run several fakes side by side);
* parser guard: a payload discord.py's own parser cannot read (a malformed or partial
  ``MESSAGE_UPDATE``) would otherwise raise inside the gateway loop and drop the connection;
  it is caught, counted and skipped, and watchdesk's translation reports it as a dead letter;
* the re-IDENTIFY pause (Discord allows one IDENTIFY per 5 s) comes from the retry policy.
"""

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

log = logging.getLogger(__name__)

FrameCallback = Callable[[str], None]
ErrorCallback = Callable[[str, BaseException], None]


def make_intents() -> discord.Intents:
    """Intents watchdesk needs; ``message_content`` and ``members`` are privileged."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = True
    intents.members = True
    return intents


class Endpoints:
    """Per-client REST base and gateway URL.

    Args:
        api_base: REST base, e.g. ``https://discord.com/api/v10`` or a fake's URL.
        gateway_url: Gateway URL to use instead of discord.py's default one; ``None`` keeps
            the default until :meth:`discover` asks the REST API.
    """

    def __init__(self, api_base: str, gateway_url: str | None) -> None:
        self.api_base = api_base.rstrip("/")
        self.gateway_url = gateway_url
        self._default_base = Route.BASE  # read, never written

    @property
    def custom_api(self) -> bool:
        """True when REST calls go somewhere other than discord.py's default."""
        return self.api_base != self._default_base

    def install(self, http: discord.http.HTTPClient) -> None:
        """Route this ``HTTPClient`` instance's calls through the configured endpoints."""
        request = http.request
        ws_connect = http.ws_connect

        async def rebased_request(route: Route, **kwargs: Any) -> Any:
            if self.custom_api and route.url.startswith(self._default_base):
                # Route objects are built per call, so rewriting this one is local.
                route.url = self.api_base + route.url[len(self._default_base) :]
            return await request(route, **kwargs)

        async def rebased_ws_connect(url: str, *, compress: int = 0) -> Any:
            return await ws_connect(self.gateway_for(url), compress=compress)

        # Instance attributes shadow the methods for this client only.
        setattr(http, "request", rebased_request)  # noqa: B010
        setattr(http, "ws_connect", rebased_ws_connect)  # noqa: B010

    def gateway_for(self, url: str) -> str:
        """Swap discord.py's default gateway for the configured one, keeping the query.

        Resume URLs handed out by the gateway (``resume_gateway_url``) are used as given.
        """
        parsed = yarl.URL(url)
        if self.gateway_url is None or parsed.host != DiscordWebSocket.DEFAULT_GATEWAY.host:
            return url
        return str(yarl.URL(self.gateway_url).with_query(parsed.query))

    async def discover(self, http: discord.http.HTTPClient) -> None:
        """Ask ``GET /gateway/bot`` for the gateway when only the REST base was changed."""
        if self.gateway_url is None and self.custom_api:
            _, url, _ = await http.get_bot_gateway()
            self.gateway_url = url


def new_client(
    endpoints: Endpoints,
    on_frame: FrameCallback,
    disconnected: Callable[[], None],
    on_parse_error: ErrorCallback,
    identify_delay: float,
) -> discord.Client:
    """Create a ``discord.Client`` wired to the connector (not yet logged in).

    Args:
        endpoints: Where REST and gateway calls go.
        on_frame: Receives each gateway frame's JSON text, in order.
        disconnected: Called whenever the gateway connection drops.
        on_parse_error: Called when discord.py cannot parse a dispatch.
        identify_delay: Seconds to wait before a non-initial IDENTIFY.
    """
    client = discord.Client(
        intents=make_intents(),
        enable_debug_events=True,
        chunk_guilds_at_startup=False,
        max_messages=None,  # watchdesk keeps its own record; no message cache needed
        max_ratelimit_timeout=30.0,  # longer waits come back as RATE_LIMITED outcomes
    )
    endpoints.install(client.http)
    _guard_parsers(client, on_parse_error)

    async def on_socket_raw_receive(payload: str | bytes) -> None:
        on_frame(payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload)

    async def on_disconnect() -> None:
        disconnected()

    async def before_identify_hook(shard_id: int | None, *, initial: bool = False) -> None:
        if not initial:
            await asyncio.sleep(identify_delay)

    client.event(on_socket_raw_receive)
    client.event(on_disconnect)
    setattr(client, "before_identify_hook", before_identify_hook)  # noqa: B010
    return client


async def rest_client(endpoints: Endpoints, token: str) -> discord.Client:
    """Log in a client for REST calls only (no gateway), for processes that only act.

    Raises:
        discord.LoginFailure: When Discord refuses the token.
    """
    client = discord.Client(intents=make_intents(), max_messages=None, max_ratelimit_timeout=30.0)
    endpoints.install(client.http)
    try:
        await client.login(token)
    except BaseException:
        await close_quietly(client)
        raise
    return client


def _guard_parsers(client: discord.Client, on_error: ErrorCallback) -> None:
    # ConnectionState.parsers maps dispatch names to parse methods; it belongs to this client.
    parsers: dict[str, Callable[[Any], None]] = client._connection.parsers
    for name, parse in list(parsers.items()):
        parsers[name] = _guarded(name, parse, on_error)


def _guarded(
    name: str, parse: Callable[[Any], None], on_error: ErrorCallback
) -> Callable[[Any], None]:
    def guarded(data: Any) -> None:
        try:
            parse(data)
        except Exception as exc:  # noqa: BLE001 - one bad payload must not drop the gateway
            on_error(name, exc)

    return guarded


async def close_quietly(client: discord.Client, seconds: float = 5.0) -> None:
    """Close a client, never raising (used on shutdown and between reconnect attempts)."""
    try:
        await asyncio.wait_for(client.close(), seconds)
    except Exception as exc:  # noqa: BLE001 - closing is best effort
        log.debug("discord client close failed: %s", type(exc).__name__)
