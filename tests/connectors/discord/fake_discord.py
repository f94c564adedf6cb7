"""A fake Discord on 127.0.0.1: REST API v10 and the gateway websocket, for discord.py.

REST answers carry ``Content-Type: application/json`` and the ``X-RateLimit-Limit``,
``-Remaining``, ``-Reset``, ``-Reset-After`` and ``-Bucket`` headers; a 429 carries ``Via``,
``Retry-After``, ``X-RateLimit-Scope`` and ``retry_after`` in its JSON body, which is what
discord.py needs to treat it as Discord's rate limit rather than a Cloudflare ban.

The gateway speaks JSON, compressed with zlib-stream when the client asks for it in the URL
query (discord.py 2.x does, unless zstd is installed): HELLO, IDENTIFY -> READY +
GUILD_CREATE, heartbeats and ACKs, RESUME -> replay by sequence + RESUMED, RECONNECT (op 7),
INVALID_SESSION (op 9) and close code 4014 for disallowed intents. Events dispatched while no
client is connected are kept in the session and replayed on RESUME, as Discord does.
"""

import asyncio
import json
import time
import uuid
import zlib
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web
from fake_discord_rest import handle
from fake_discord_world import Guild, Snowflakes, message, user

PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        status=status,
        body=json.dumps(data).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def _error(status: int, code: int, text: str) -> web.Response:
    return _json({"message": text, "code": code}, status)


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    at: float


@dataclass
class Session:
    id: str
    events: list[dict[str, Any]] = field(default_factory=list)  # every dispatch, with "s"
    resumable: bool = True


class FakeDiscord:
    """REST + gateway. Tests drive it through the public methods and inspect its records."""

    def __init__(self, token: str = "fake-token", heartbeat_ms: int = 45_000) -> None:
        self.token = token
        self.heartbeat_ms = heartbeat_ms
        self.ids = Snowflakes()
        self.bot = user("1100000000000000001", "watchdesk", bot=True)
        self.guilds: dict[str, Guild] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.history: dict[str, list[dict[str, Any]]] = {}
        self.blocked_dm_users: set[str] = set()
        self.dm_channels: dict[str, str] = {}  # channel id -> user id
        self.requests: list[Recorded] = []
        self.gateway_queries: list[tuple[str, dict[str, str]]] = []
        self.received_ops: list[dict[str, Any]] = []
        self.disallow_privileged = False
        self.rate_limits: dict[
            str, list[tuple[float, bool]]
        ] = {}  # "METHOD /path" -> retry_after queue
        self.failures: dict[str, list[int]] = {}  # "METHOD /path" -> statuses to answer first
        self.session: Session | None = None
        self.identified = asyncio.Event()
        self.resumed = asyncio.Event()
        self._ws: web.WebSocketResponse | None = None
        self._zlib: Any = None
        self._nonces: dict[str, dict[str, Any]] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ----- lifecycle -------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/gateway-resume", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # ----- world -----------------------------------------------------------------------
    def add_guild(self, guild: Guild) -> None:
        self.guilds[guild.id] = guild
        for channel in [*guild.channels, *guild.threads]:
            self.channels[channel["id"]] = {**channel, "guild_id": guild.id}
            self.history.setdefault(channel["id"], [])

    def store(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Add a message to its channel's history (REST shape: no guild_id or member)."""
        rest = {k: v for k, v in payload.items() if k not in ("guild_id", "member")}
        self.history.setdefault(payload["channel_id"], []).append(rest)
        return payload

    def new_message(
        self, channel_id: str, author: dict[str, Any], content: str, **kw: Any
    ) -> dict[str, Any]:
        guild_id = self.channels.get(channel_id, {}).get("guild_id")
        return message(self.ids.next(), channel_id, author, content, guild_id=guild_id, **kw)

    async def post(
        self, channel_id: str, author: dict[str, Any], content: str, **kw: Any
    ) -> dict[str, Any]:
        """A user posts: stored in history and dispatched as MESSAGE_CREATE."""
        payload = self.store(self.new_message(channel_id, author, content, **kw))
        await self.dispatch("MESSAGE_CREATE", payload)
        return payload

    def post_offline(
        self, channel_id: str, author: dict[str, Any], content: str, **kw: Any
    ) -> dict[str, Any]:
        """A message sent while the bot's session is gone: only in history."""
        return self.store(self.new_message(channel_id, author, content, **kw))

    # ----- gateway control -------------------------------------------------------------
    async def dispatch(self, event: str, data: Any) -> int:
        """Dispatch to the current session (kept for RESUME when nobody is connected)."""
        assert self.session is not None, "no gateway session yet"
        seq = len(self.session.events) + 1
        frame = {"op": 0, "t": event, "s": seq, "d": data}
        self.session.events.append(frame)
        if self._ws is not None and not self._ws.closed:
            await self._send(frame)
        return seq

    async def send_raw(self, text: str) -> None:
        assert self._ws is not None
        await self._send_text(text)

    async def request_reconnect(self) -> None:
        await self._send({"op": 7, "d": None})

    async def invalidate_session(self, resumable: bool = False) -> None:
        if self.session is not None:
            self.session.resumable = resumable
        await self._send({"op": 9, "d": resumable})

    async def drop(self) -> None:
        """Close the socket as a network failure would (no clean 1000 close)."""
        if self._ws is not None:
            await self._ws.close(code=4000, message=b"dropped")
            self._ws = None

    # ----- gateway ---------------------------------------------------------------------
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self.gateway_queries.append((request.path, dict(request.query)))
        self._ws = ws
        zlib_stream = request.query.get("compress") == "zlib-stream"
        self._zlib = zlib.compressobj() if zlib_stream else None
        await self._send({"op": 10, "d": {"heartbeat_interval": self.heartbeat_ms}})
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                break
            await self._on_op(json.loads(msg.data))
            if ws.closed:
                break
        if self._ws is ws:
            self._ws = None
        return ws

    async def _on_op(self, payload: dict[str, Any]) -> None:
        self.received_ops.append(payload)
        op = payload.get("op")
        if op == 1:
            await self._send({"op": 11})
        elif op == 2:
            await self._identify(payload["d"])
        elif op == 6:
            await self._resume(payload["d"])

    async def _identify(self, data: dict[str, Any]) -> None:
        assert self._ws is not None
        if data.get("token") != self.token:
            await self._ws.close(code=4004, message=b"Authentication failed.")
            return
        if self.disallow_privileged and int(data.get("intents", 0)) & PRIVILEGED_INTENTS:
            await self._ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        self.session = Session(id=uuid.uuid4().hex)
        ready = {
            "v": 10,
            "user": self.bot,
            "guilds": [{"id": gid, "unavailable": True} for gid in self.guilds],
            "session_id": self.session.id,
            "resume_gateway_url": f"ws://127.0.0.1:{self.port}/gateway-resume",
            "application": {"id": self.bot["id"], "flags": 0},
        }
        await self.dispatch("READY", ready)
        for guild in self.guilds.values():
            await self.dispatch("GUILD_CREATE", guild.create_payload())
        self.identified.set()

    async def _resume(self, data: dict[str, Any]) -> None:
        session = self.session
        if session is None or session.id != data.get("session_id") or not session.resumable:
            await self._send({"op": 9, "d": False})
            return
        seq = int(data.get("seq") or 0)
        for frame in session.events[seq:]:
            await self._send(frame)
        await self.dispatch("RESUMED", {})
        self.resumed.set()

    async def _send(self, frame: dict[str, Any]) -> None:
        await self._send_text(json.dumps(frame))

    async def _send_text(self, text: str) -> None:
        ws = self._ws
        if ws is None or ws.closed:
            return
        if self._zlib is None:
            await ws.send_str(text)
        else:
            data = self._zlib.compress(text.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
            await ws.send_bytes(data)

    # ----- REST ------------------------------------------------------------------------
    def rate_limit(self, route: str, retry_after: float, via: bool = True) -> None:
        """Answer the next request to ``route`` (e.g. ``POST /channels/1/messages``) with 429.

        ``via=False`` imitates a Cloudflare 429 (no ``Via`` header), which discord.py does not
        retry.
        """
        self.rate_limits.setdefault(route, []).append((retry_after, via))

    def fail(self, route: str, *statuses: int) -> None:
        """Answer the next requests to ``route`` with these statuses."""
        self.failures.setdefault(route, []).extend(statuses)

    def calls(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path == path]

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body = await request.json() if request.can_read_body else None
        self.requests.append(
            Recorded(request.method, path, dict(request.query), body, time.monotonic())
        )
        route = f"{request.method} {path}"
        if request.headers.get("Authorization") != f"Bot {self.token}":
            return _error(401, 0, "401: Unauthorized")
        if self.rate_limits.get(route):
            return self._too_many(route, *self.rate_limits[route].pop(0))
        if self.failures.get(route):
            status = self.failures[route].pop(0)
            return _error(status, 0, f"{status}: fake failure")
        response = await handle(self, request.method, path, request.query, body)
        return self._with_headers(response, route)

    def _too_many(self, route: str, retry_after: float, via: bool) -> web.Response:
        body = {
            "message": "You are being rate limited.",
            "retry_after": retry_after,
            "global": False,
        }
        headers = self._limit_headers(route, remaining=0, reset_after=retry_after)
        headers |= {"Retry-After": str(max(1, round(retry_after))), "X-RateLimit-Scope": "user"}
        if via:
            headers["Via"] = "1.1 google"
        return _json(body, 429, headers)

    def _limit_headers(self, route: str, remaining: int, reset_after: float) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": f"bucket-{abs(hash(route.split(' /')[0])) % 10_000:04d}",
        }

    def _with_headers(self, response: web.Response, route: str) -> web.Response:
        response.headers.update(self._limit_headers(route, remaining=4, reset_after=0.05))
        return response
