"""REST routes of the fake Discord (API v10), answering with Discord's shapes and error codes.

Error codes (Discord "JSON Error Codes"): 10003 unknown channel, 10007 unknown member,
10008 unknown message, 10013 unknown user, 50007 cannot send messages to this user,
50013 missing permissions, 50035 invalid form body.
"""

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from fake_discord import FakeDiscord


def _json(data: Any, status: int = 200) -> web.Response:
    # discord.py parses JSON only when the Content-Type is exactly application/json.
    return web.Response(
        status=status, body=json.dumps(data).encode(), headers={"Content-Type": "application/json"}
    )


def _error(status: int, code: int, text: str, errors: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"message": text, "code": code}
    if errors:
        body["errors"] = errors
    return _json(body, status)


def _no_content() -> web.Response:
    return web.Response(status=204)


async def handle(
    fake: "FakeDiscord", method: str, path: str, query: Mapping[str, str], body: Any
) -> web.Response:
    for pattern, verb, func in ROUTES:
        match = re.fullmatch(pattern, path)
        if match and verb == method:
            return await func(fake, query, body, *match.groups())
    return _error(404, 0, "404: Not Found")


async def me(fake: "FakeDiscord", query: Mapping[str, str], body: Any) -> web.Response:
    return _json(fake.bot)


async def application(fake: "FakeDiscord", query: Mapping[str, str], body: Any) -> web.Response:
    owner = {
        "id": "1400000000000000009",
        "username": "owner",
        "discriminator": "0",
        "global_name": None,
        "avatar": None,
    }
    return _json(
        {
            "id": fake.bot["id"],
            "name": "watchdesk",
            "icon": None,
            "description": "",
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": owner,
            "verify_key": "0" * 64,
            "team": None,
            "flags": (1 << 15) | (1 << 19),
            "interactions_endpoint_url": None,
        }
    )


async def gateway_bot(fake: "FakeDiscord", query: Mapping[str, str], body: Any) -> web.Response:
    limits = {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1}
    return _json({"url": fake.gateway_url, "shards": 1, "session_start_limit": limits})


async def get_channel(
    fake: "FakeDiscord", query: Mapping[str, str], body: Any, cid: str
) -> web.Response:
    channel = fake.channels.get(cid)
    return _json(channel) if channel else _error(404, 10003, "Unknown Channel")


async def list_messages(
    fake: "FakeDiscord", query: Mapping[str, str], body: Any, cid: str
) -> web.Response:
    if cid not in fake.history:
        return _error(404, 10003, "Unknown Channel")
    limit = min(int(query.get("limit", "50")), 100)
    ordered = sorted(fake.history[cid], key=lambda m: int(m["id"]))
    if "after" in query:
        after = int(query["after"])
        page = [m for m in ordered if int(m["id"]) > after][:limit]
    else:
        page = ordered[-limit:]
    return _json(list(reversed(page)))  # newest first, as Discord answers


async def get_message(
    fake: "FakeDiscord", query: Mapping[str, str], body: Any, cid: str, mid: str
) -> web.Response:
    for item in fake.history.get(cid, []):
        if item["id"] == mid:
            return _json(item)
    return _error(404, 10008, "Unknown Message")


async def create_message(
    fake: "FakeDiscord", query: Mapping[str, str], body: Any, cid: str
) -> web.Response:
    if cid not in fake.history:
        return _error(404, 10003, "Unknown Channel")
    if fake.dm_channels.get(cid) in fake.blocked_dm_users:
        return _error(403, 50007, "Cannot send messages to this user")
    content = body.get("content") or ""
    if len(content) > 2000:
        errors = {
            "content": {
                "_errors": [
                    {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}
                ]
            }
        }
        return _error(400, 50035, "Invalid Form Body", errors)
    nonce = body.get("nonce")
    if body.get("enforce_nonce") and nonce in fake._nonces:
        return _json(fake._nonces[nonce])
    ref = body.get("message_reference")
    if ref and ref.get("fail_if_not_exists", True):
        known = {m["id"] for m in fake.history[cid]}
        if str(ref.get("message_id")) not in known:
            errors = {
                "message_reference": {
                    "_errors": [{"code": "REPLIES_UNKNOWN_MESSAGE", "message": "Unknown message"}]
                }
            }
            return _error(400, 50035, "Invalid Form Body", errors)
    payload = fake.new_message(
        cid, fake.bot, content, reply_to=str(ref["message_id"]) if ref else None
    )
    payload["flags"] = int(body.get("flags") or 0)
    if nonce is not None:
        payload["nonce"] = nonce
        fake._nonces[nonce] = payload
    fake.store(payload)
    if fake.session is not None:
        await fake.dispatch("MESSAGE_CREATE", payload)
    return _json({k: v for k, v in payload.items() if k not in ("guild_id", "member")})


async def delete_message(
    fake: "FakeDiscord", query: Mapping[str, str], body: Any, cid: str, mid: str
) -> web.Response:
    items = fake.history.get(cid, [])
    for item in items:
        if item["id"] == mid:
            items.remove(item)
            data: dict[str, Any] = {"id": mid, "channel_id": cid}
            guild_id = fake.channels.get(cid, {}).get("guild_id")
            if guild_id:
                data["guild_id"] = guild_id
            if fake.session is not None:
                await fake.dispatch("MESSAGE_DELETE", data)
            return _no_content()
    return _error(404, 10008, "Unknown Message")


async def open_dm(fake: "FakeDiscord", query: Mapping[str, str], body: Any) -> web.Response:
    uid = str(body["recipient_id"])
    cid = next((c for c, u in fake.dm_channels.items() if u == uid), None)
    if cid is None:
        cid = fake.ids.next()
        fake.dm_channels[cid] = uid
        fake.history[cid] = []
    recipient = {
        "id": uid,
        "username": f"user{uid[-4:]}",
        "discriminator": "0",
        "global_name": None,
        "avatar": None,
    }
    return _json(
        {"id": cid, "type": 1, "last_message_id": None, "flags": 0, "recipients": [recipient]}
    )


def _guild_member(fake: "FakeDiscord", gid: str, uid: str) -> dict[str, Any] | None:
    guild = fake.guilds.get(gid)
    if guild is None:
        return None
    return next((m for m in guild.members if m["user"]["id"] == uid), None)


async def get_guild(
    fake: "FakeDiscord", query: Mapping[str, str], body: Any, gid: str
) -> web.Response:
    guild = fake.guilds.get(gid)
    return _json(guild.rest_payload()) if guild else _error(404, 10004, "Unknown Guild")


async def get_member(
    fake: "FakeDiscord", query: Mapping[str, str], body: Any, gid: str, uid: str
) -> web.Response:
    found = _guild_member(fake, gid, uid)
    return _json(found) if found else _error(404, 10007, "Unknown Member")


async def edit_member(
    fake: "FakeDiscord", query: Mapping[str, str], body: Any, gid: str, uid: str
) -> web.Response:
    found = _guild_member(fake, gid, uid)
    if found is None:
        return _error(404, 10007, "Unknown Member")
    found["communication_disabled_until"] = body.get("communication_disabled_until")
    return _json(found)


async def kick(
    fake: "FakeDiscord", query: Mapping[str, str], body: Any, gid: str, uid: str
) -> web.Response:
    found = _guild_member(fake, gid, uid)
    if found is None:
        return _error(404, 10007, "Unknown Member")
    fake.guilds[gid].members.remove(found)
    return _no_content()


async def ban(
    fake: "FakeDiscord", query: Mapping[str, str], body: Any, gid: str, uid: str
) -> web.Response:
    if gid not in fake.guilds:
        return _error(404, 10004, "Unknown Guild")
    found = _guild_member(fake, gid, uid)
    if found is not None:
        fake.guilds[gid].members.remove(found)
    return _no_content()


async def interaction_callback(
    fake: "FakeDiscord", query: Mapping[str, str], body: Any, iid: str, token: str
) -> web.Response:
    if not isinstance(body, dict) or body.get("type") not in (4, 5, 6, 7):
        return _error(400, 50035, "Invalid Form Body")
    return _no_content()


ROUTES: list[tuple[str, str, Any]] = [
    (r"/interactions/(\d+)/([^/]+)/callback", "POST", interaction_callback),
    (r"/users/@me", "GET", me),
    (r"/gateway/bot", "GET", gateway_bot),
    (r"/oauth2/applications/@me", "GET", application),
    (r"/users/@me/channels", "POST", open_dm),
    (r"/channels/(\d+)", "GET", get_channel),
    (r"/channels/(\d+)/messages", "GET", list_messages),
    (r"/channels/(\d+)/messages", "POST", create_message),
    (r"/channels/(\d+)/messages/(\d+)", "GET", get_message),
    (r"/channels/(\d+)/messages/(\d+)", "DELETE", delete_message),
    (r"/guilds/(\d+)", "GET", get_guild),
    (r"/guilds/(\d+)/members/(\d+)", "GET", get_member),
    (r"/guilds/(\d+)/members/(\d+)", "PATCH", edit_member),
    (r"/guilds/(\d+)/members/(\d+)", "DELETE", kick),
    (r"/guilds/(\d+)/bans/(\d+)", "PUT", ban),
]
