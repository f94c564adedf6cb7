"""A fake Telegram Bot API server on 127.0.0.1 that speaks the wire format.

``POST|GET /bot<token>/<method>`` with parameters in the query string, a form, multipart or
JSON body; answers ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": ...,
"description": ..., "parameters": {...}}`` with the matching HTTP status, as Telegram does
(https://core.telegram.org/bots/api#making-requests). Method names are case-insensitive.

``getUpdates`` honours ``offset`` (every update below it is confirmed and forgotten),
``timeout`` (a long poll that returns as soon as an update is queued) and ``allowed_updates``
(remembered between calls; by default ``chat_member`` is not delivered). Faults are scripted
per method with ``fail``. Everything sent is recorded for assertions.
"""

import asyncio
import contextlib
import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

DEFAULT_TOKEN = "7000001:AAH-fake-secret-token-for-tests-0123456789"
DATE = 1735732800  # 2025-01-01T12:00:00Z
UPDATE_KINDS = (
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "my_chat_member",
    "chat_member",
    "message_reaction",
    "callback_query",
)
_NOT_BY_DEFAULT = {"chat_member", "message_reaction", "message_reaction_count"}
_ADMIN_RIGHTS = (
    "can_be_edited",
    "is_anonymous",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float
    status: int = 200


@dataclass
class Fault:
    status: int
    description: str
    retry_after: int | None = None
    disconnect: bool = False


@dataclass
class Rights:
    can_delete_messages: bool = True
    can_restrict_members: bool = True


@dataclass
class Recorded:
    sent: list[dict[str, Any]] = field(default_factory=list)
    deleted: list[tuple[int, int]] = field(default_factory=list)
    banned: list[dict[str, Any]] = field(default_factory=list)
    unbanned: list[dict[str, Any]] = field(default_factory=list)
    restricted: list[dict[str, Any]] = field(default_factory=list)
    sender_chats_banned: list[dict[str, Any]] = field(default_factory=list)
    callback_answers: list[dict[str, Any]] = field(default_factory=list)


class FakeBotApi:
    def __init__(
        self, token: str = DEFAULT_TOKEN, bot_id: int = 7000001, username: str = "watchdesk_bot"
    ) -> None:
        self.token = token
        self.bot_user = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Watchdesk",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": True,
            "supports_inline_queries": False,
        }
        self.pending: list[dict[str, Any]] = []
        self.calls: list[Call] = []
        self.recorded = Recorded()
        self.chats: dict[int, dict[str, Any]] = {}
        self.users: dict[int, dict[str, Any]] = {}
        self.messages: set[tuple[int, int]] = set()
        self.blocked_users: set[int] = set()
        self.rights: dict[int, Rights] = defaultdict(Rights)
        self.admins: dict[int, set[int]] = defaultdict(set)
        self.allowed_updates: list[str] | None = None
        self._faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._next_update_id = 500_000
        self._next_message_id: dict[int, int] = defaultdict(lambda: 100)
        self._news = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        self._closing = True
        self._news.set()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # -- scripting ---------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        status: int = 500,
        description: str = "Internal Server Error",
        *,
        retry_after: int | None = None,
        times: int = 1,
        disconnect: bool = False,
    ) -> None:
        for _ in range(times):
            self._faults[method.lower()].append(Fault(status, description, retry_after, disconnect))

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method.lower()]

    def push(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue an update of ``kind`` (``message``, ``chat_member``...); return its id."""
        self._next_update_id += 1
        update = {"update_id": self._next_update_id, kind: payload}
        self._register(payload)
        self.push_raw(update)
        return self._next_update_id

    def push_raw(self, update: dict[str, Any]) -> None:
        """Queue an update exactly as given (malformed ones included)."""
        if isinstance(update.get("update_id"), int):
            self._next_update_id = max(self._next_update_id, update["update_id"])
        self.pending.append(update)
        self._news.set()

    # -- payload builders (shapes of https://core.telegram.org/bots/api) ----------------------

    def user(self, user_id: int, first_name: str, username: str | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            data["username"] = username
        self.users[user_id] = data
        return data

    def supergroup(
        self, chat_id: int, title: str, *, username: str | None = None, forum: bool = False
    ) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": chat_id, "title": title, "type": "supergroup"}
        if username:
            chat["username"] = username
        if forum:
            chat["is_forum"] = True
        self.chats[chat_id] = chat
        return chat

    def private_chat(self, user: dict[str, Any]) -> dict[str, Any]:
        chat = {"id": user["id"], "first_name": user["first_name"], "type": "private"}
        if "username" in user:
            chat["username"] = user["username"]
        return chat

    def message(
        self, chat: dict[str, Any], sender: dict[str, Any], text: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        chat_id = chat["id"]
        self._next_message_id[chat_id] += 1
        msg: dict[str, Any] = {
            "message_id": self._next_message_id[chat_id],
            "from": sender,
            "chat": chat,
            "date": DATE,
        }
        if text is not None:
            msg["text"] = text
        msg.update(extra)
        return msg

    def member_update(
        self, chat: dict[str, Any], user: dict[str, Any], old: str, new: str
    ) -> dict[str, Any]:
        return {
            "chat": chat,
            "from": user,
            "date": DATE,
            "old_chat_member": {"status": old, "user": user},
            "new_chat_member": {"status": new, "user": user},
        }

    def callback_query(
        self, sender: dict[str, Any], message: dict[str, Any], data: str
    ) -> dict[str, Any]:
        """A tap on an inline button under ``message`` (as sent by the bot)."""
        self._next_update_id += 1
        return {
            "id": f"cb{self._next_update_id}",
            "from": sender,
            "message": message,
            "chat_instance": "1",
            "data": data,
        }

    def sent_message(self, sent: dict[str, Any]) -> dict[str, Any]:
        """The Message object of something the bot sent (for callback queries under it)."""
        chat = self.chats.get(sent["chat_id"], {"id": sent["chat_id"], "type": "supergroup"})
        return {
            "message_id": sent["message_id"],
            "from": self.bot_user,
            "chat": chat,
            "date": DATE,
            "text": sent["text"],
        }

    def _register(self, payload: dict[str, Any]) -> None:
        chat = payload.get("chat")
        if isinstance(chat, dict) and isinstance(chat.get("id"), int):
            self.chats.setdefault(chat["id"], chat)
            if isinstance(payload.get("message_id"), int):
                self.messages.add((chat["id"], payload["message_id"]))

    # -- HTTP --------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        prefix = f"/bot{self.token}/"
        if not request.path.startswith(prefix):
            return _error(ApiError(401, "Unauthorized"))
        method = request.path[len(prefix) :].lower()
        params = await _params(request)
        call = Call(method, params, time.monotonic())
        self.calls.append(call)
        fault = self._faults[method].popleft() if self._faults[method] else None
        try:
            if fault is not None:
                if fault.disconnect:
                    assert request.transport is not None
                    request.transport.abort()
                    return web.Response()
                extra = {"retry_after": fault.retry_after} if fault.retry_after else None
                raise ApiError(fault.status, fault.description, extra)
            handler = getattr(self, f"_m_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await handler(Params(params))
        except ApiError as exc:
            call.status = exc.code
            return _error(exc)
        return web.json_response({"ok": True, "result": result})

    async def _m_getme(self, p: "Params") -> Any:
        return self.bot_user

    async def _m_deletewebhook(self, p: "Params") -> Any:
        return True

    async def _m_getupdates(self, p: "Params") -> Any:
        offset = p.get_int("offset")
        if p.has("allowed_updates"):
            self.allowed_updates = p.get_json("allowed_updates") or None
        deadline = time.monotonic() + (p.get_int("timeout") or 0)
        while True:
            if offset is not None:
                self.pending = [u for u in self.pending if _uid(u) >= offset]
            ready = [u for u in self.pending if self._allowed(u)]
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0 or self._closing:
                return ready[: p.get_int("limit") or 100]
            self._news.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._news.wait(), remaining)

    def _allowed(self, update: dict[str, Any]) -> bool:
        kind = next((k for k in UPDATE_KINDS if k in update), None)
        if kind is None:
            return True
        if self.allowed_updates is None:
            return kind not in _NOT_BY_DEFAULT
        return kind in self.allowed_updates

    async def _m_sendmessage(self, p: "Params") -> Any:
        chat_id = p.get_int("chat_id")
        assert chat_id is not None
        chat = self._chat_for_send(chat_id)
        text = p.get_str("text") or ""
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        reply = p.get_json("reply_parameters")
        missing = reply and (chat_id, reply["message_id"]) not in self.messages
        if missing and not reply.get("allow_sending_without_reply"):
            raise ApiError(400, "Bad Request: message to be replied not found")
        self.recorded.sent.append(
            {
                "chat_id": chat_id,
                "text": text,
                "reply_parameters": reply,
                "link_preview_options": p.get_json("link_preview_options"),
                "message_thread_id": p.get_int("message_thread_id"),
                "parse_mode": p.get_str("parse_mode"),
                "reply_markup": p.get_json("reply_markup"),
                "message_id": self._next_message_id[chat_id] + 1,
            }
        )
        self._next_message_id[chat_id] += 1
        message_id = self._next_message_id[chat_id]
        self.messages.add((chat_id, message_id))
        return {
            "message_id": message_id,
            "from": self.bot_user,
            "chat": chat,
            "date": DATE,
            "text": text,
        }

    def _chat_for_send(self, chat_id: int) -> dict[str, Any]:
        if chat_id in self.blocked_users:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.chats:
            return self.chats[chat_id]
        if chat_id in self.users:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        raise ApiError(400, "Bad Request: chat not found")

    def _group(self, p: "Params") -> int:
        chat_id = p.get_int("chat_id")
        if chat_id is None or chat_id not in self.chats:
            raise ApiError(400, "Bad Request: chat not found")
        return chat_id

    def _can_restrict(self, chat_id: int, user_id: int | None) -> None:
        if not self.rights[chat_id].can_restrict_members:
            raise ApiError(400, "Bad Request: not enough rights to restrict/unrestrict chat member")
        if user_id in self.admins[chat_id]:
            raise ApiError(400, "Bad Request: user is an administrator of the chat")

    async def _m_answercallbackquery(self, p: "Params") -> Any:
        self.recorded.callback_answers.append(
            {"callback_query_id": p.get_str("callback_query_id"), "text": p.get_str("text")}
        )
        return True

    async def _m_deletemessage(self, p: "Params") -> Any:
        chat_id = self._group(p)
        key = (chat_id, p.get_int("message_id") or 0)
        if not self.rights[chat_id].can_delete_messages:
            raise ApiError(400, "Bad Request: message can't be deleted")
        if key not in self.messages:
            raise ApiError(400, "Bad Request: message to delete not found")
        self.messages.discard(key)
        self.recorded.deleted.append(key)
        return True

    async def _m_banchatmember(self, p: "Params") -> Any:
        chat_id = self._group(p)
        self._can_restrict(chat_id, p.get_int("user_id"))
        self.recorded.banned.append(
            {
                "chat_id": chat_id,
                "user_id": p.get_int("user_id"),
                "until_date": p.get_int("until_date"),
            }
        )
        return True

    async def _m_unbanchatmember(self, p: "Params") -> Any:
        chat_id = self._group(p)
        self._can_restrict(chat_id, p.get_int("user_id"))
        self.recorded.unbanned.append(
            {
                "chat_id": chat_id,
                "user_id": p.get_int("user_id"),
                "only_if_banned": p.get_bool("only_if_banned"),
            }
        )
        return True

    async def _m_restrictchatmember(self, p: "Params") -> Any:
        chat_id = self._group(p)
        self._can_restrict(chat_id, p.get_int("user_id"))
        self.recorded.restricted.append(
            {
                "chat_id": chat_id,
                "user_id": p.get_int("user_id"),
                "permissions": p.get_json("permissions"),
                "until_date": p.get_int("until_date"),
            }
        )
        return True

    async def _m_banchatsenderchat(self, p: "Params") -> Any:
        chat_id = self._group(p)
        self._can_restrict(chat_id, None)
        self.recorded.sender_chats_banned.append(
            {"chat_id": chat_id, "sender_chat_id": p.get_int("sender_chat_id")}
        )
        return True

    async def _m_getchatmember(self, p: "Params") -> Any:
        chat_id = self._group(p)
        user_id = p.get_int("user_id")
        if user_id == self.bot_user["id"]:
            rights = self.rights[chat_id]
            member: dict[str, Any] = {name: True for name in _ADMIN_RIGHTS}
            member.update(
                status="administrator",
                user=self.bot_user,
                is_anonymous=False,
                can_delete_messages=rights.can_delete_messages,
                can_restrict_members=rights.can_restrict_members,
            )
            return member
        user = self.users.get(user_id or 0, {"id": user_id, "is_bot": False, "first_name": "?"})
        return {"status": "member", "user": user}


class Params:
    """Bot API parameters: strings from a query or form, native values from a JSON body."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw

    def has(self, key: str) -> bool:
        return key in self.raw

    def get_str(self, key: str) -> str | None:
        value = self.raw.get(key)
        return None if value is None else str(value)

    def get_int(self, key: str) -> int | None:
        value = self.raw.get(key)
        return None if value in (None, "") else int(value)

    def get_bool(self, key: str) -> bool | None:
        value = self.raw.get(key)
        return None if value is None else value in (True, "true", "True", "1")

    def get_json(self, key: str) -> Any:
        value = self.raw.get(key)
        return json.loads(value) if isinstance(value, str) else value


async def _params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        params.update(await request.json())
    elif request.can_read_body:
        form = await request.post()
        params.update({k: v for k, v in form.items() if isinstance(v, str)})
    return params


def _uid(update: dict[str, Any]) -> int:
    value = update.get("update_id")
    return value if isinstance(value, int) else 0


def _error(exc: ApiError) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": exc.code, "description": exc.description}
    if exc.parameters:
        body["parameters"] = exc.parameters
    return web.json_response(body, status=exc.code)
