"""Payload builders for the fake Discord: users, members, channels, guilds and messages.

Shapes follow the Discord developer documentation (User, Guild Member, Channel, Guild and
Message objects, Gateway READY / GUILD_CREATE). Ids are strings, as Discord sends them.
"""

import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import discord

DISCORD_EPOCH_MS = 1_420_070_400_000

P = discord.Permissions
BOT_PERMISSIONS = P(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    read_message_history=True,
    manage_messages=True,
    moderate_members=True,
    kick_members=True,
    ban_members=True,
)
EVERYONE_PERMISSIONS = P(view_channel=True, send_messages=True, read_message_history=True)


class Snowflakes:
    """Increasing snowflakes from the current time, as Discord makes them."""

    def __init__(self) -> None:
        self._counter = itertools.count()
        self._last = 0

    def next(self) -> str:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        value = max((ms << 22) | (next(self._counter) % 4096), self._last + 1)
        self._last = value
        return str(value)


def iso(moment: datetime | None = None) -> str:
    return (moment or datetime.now(UTC)).isoformat()


def snowflake_time(snowflake: str) -> str:
    ms = (int(snowflake) >> 22) + DISCORD_EPOCH_MS
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat()


def user(
    uid: str, username: str, global_name: str | None = None, bot: bool = False
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": uid,
        "username": username,
        "discriminator": "0",
        "global_name": global_name,
        "avatar": None,
    }
    if bot:
        data["bot"] = True
    return data


def member(
    u: dict[str, Any], nick: str | None = None, roles: list[str] | None = None
) -> dict[str, Any]:
    return {
        "user": u,
        "nick": nick,
        "avatar": None,
        "roles": roles or [],
        "joined_at": "2024-01-01T00:00:00.000000+00:00",
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }


def role(rid: str, name: str, permissions: discord.Permissions, position: int) -> dict[str, Any]:
    return {
        "id": rid,
        "name": name,
        "color": 0,
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": position,
        "permissions": str(permissions.value),
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


def text_channel(cid: str, name: str, guild_id: str | None = None, kind: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": cid,
        "type": kind,
        "name": name,
        "position": 0,
        "permission_overwrites": [],
        "parent_id": None,
        "topic": None,
        "nsfw": False,
        "last_message_id": None,
        "rate_limit_per_user": 0,
    }
    if kind == 15:
        data["available_tags"] = []
        data["default_reaction_emoji"] = None
        data["default_sort_order"] = None
        data["default_forum_layout"] = 0
    if guild_id:
        data["guild_id"] = guild_id
    return data


def thread(tid: str, name: str, parent_id: str, guild_id: str, owner_id: str) -> dict[str, Any]:
    return {
        "id": tid,
        "type": 11,
        "guild_id": guild_id,
        "parent_id": parent_id,
        "owner_id": owner_id,
        "name": name,
        "last_message_id": None,
        "message_count": 0,
        "member_count": 1,
        "rate_limit_per_user": 0,
        "flags": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": "2024-01-01T00:00:00.000000+00:00",
            "locked": False,
        },
    }


@dataclass
class Guild:
    id: str
    name: str
    owner_id: str
    channels: list[dict[str, Any]] = field(default_factory=list)
    threads: list[dict[str, Any]] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)

    def create_payload(self) -> dict[str, Any]:
        """The GUILD_CREATE dispatch of this guild (channels without guild_id, per the docs)."""
        channels = [{k: v for k, v in c.items() if k != "guild_id"} for c in self.channels]
        return {
            "id": self.id,
            "name": self.name,
            "icon": None,
            "owner_id": self.owner_id,
            "region": None,
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 1,
            "default_message_notifications": 1,
            "explicit_content_filter": 2,
            "roles": self.roles,
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "joined_at": "2024-01-01T00:00:00.000000+00:00",
            "large": False,
            "unavailable": False,
            "member_count": len(self.members),
            "voice_states": [],
            "members": self.members,
            "channels": channels,
            "threads": self.threads,
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    def rest_payload(self) -> dict[str, Any]:
        """GET /guilds/{id}: the guild object without the GUILD_CREATE extras."""
        data = self.create_payload()
        for key in ("members", "channels", "threads", "presences", "voice_states", "joined_at"):
            data.pop(key)
        return data


def message(
    mid: str,
    channel_id: str,
    author: dict[str, Any],
    content: str,
    *,
    guild_id: str | None = None,
    nick: str | None = None,
    mentions: list[dict[str, Any]] | None = None,
    reply_to: str | None = None,
    attachments: list[dict[str, Any]] | None = None,
    position: int | None = None,
) -> dict[str, Any]:
    """A MESSAGE_CREATE payload (REST messages are the same without guild_id and member)."""
    data: dict[str, Any] = {
        "id": mid,
        "channel_id": channel_id,
        "author": author,
        "content": content,
        "timestamp": snowflake_time(mid),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": mentions or [],
        "mention_roles": [],
        "attachments": attachments or [],
        "embeds": [],
        "pinned": False,
        "type": 19 if reply_to else 0,
        "flags": 0,
        "components": [],
    }
    if reply_to:
        data["message_reference"] = {"type": 0, "message_id": reply_to, "channel_id": channel_id}
    if guild_id:
        data["guild_id"] = guild_id
        data["member"] = {k: v for k, v in member(author, nick).items() if k != "user"}
    if position is not None:
        data["position"] = position
    return data
