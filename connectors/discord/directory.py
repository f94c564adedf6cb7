"""What the connector knows about servers, channels and member names, from gateway payloads.

Discord's message payloads do not say whether their channel is a thread, a forum post or a
plain text channel, nor what it is called; REST messages do not even carry the server id.
``Directory`` keeps that from ``GUILD_CREATE`` (channels and active threads), the channel and
thread events, and DMs as they appear. It is pure bookkeeping over JSON payloads (no
discord.py objects), so it behaves the same live, in backfill and in tests.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from connectors.discord.translate import ChannelInfo, member_display_name
from core import ChannelKind

# Channel types (Discord "Channel Types"): 1 DM, 3 GROUP_DM, 10/11/12 threads, 15 forum,
# 16 media. Text, voice (text chat), announcement, threads and stage channels hold messages.
DM_TYPES = frozenset({1, 3})
THREAD_TYPES = frozenset({10, 11, 12})
MESSAGEABLE_TYPES = frozenset({0, 2, 5, 10, 11, 12, 13})
# A server's member list can be huge; names are only needed to report renames.
MAX_REMEMBERED_NAMES = 200_000


@dataclass(frozen=True)
class WatchList:
    """Which servers and channels to watch; empty sets watch everything.

    DMs to the bot are always watched. A thread or forum post is watched when it, or the
    channel or forum it belongs to, is listed.
    """

    guilds: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()

    def refusal(self, channel: ChannelInfo) -> str | None:
        """Return why ``channel`` is not watched (a counter name), or ``None`` if it is."""
        if channel.kind is ChannelKind.DM:
            return None
        if self.guilds and channel.guild_id not in self.guilds:
            return "ignored_guild"
        if self.channels and not ({channel.id, channel.parent_id or ""} & self.channels):
            return "ignored_channel"
        return None

    def watches_guild(self, guild_id: str) -> bool:
        """True when events of this server (member joins, renames) are wanted."""
        return not self.guilds or guild_id in self.guilds


class Directory:
    """Channels, thread parents, server names and member names seen on the gateway."""

    def __init__(self) -> None:
        self._channels: dict[str, ChannelInfo] = {}
        self._guild_names: dict[str, str] = {}
        self._names: dict[tuple[str, str], str] = {}

    def apply(self, event: str, data: object) -> None:
        """Update from one dispatch (unknown events are ignored)."""
        if not isinstance(data, Mapping):
            return
        handler = self._HANDLERS.get(event)
        if handler is not None:
            handler(self, data)

    def resolve(self, channel_id: str, payload: Mapping[str, Any]) -> ChannelInfo:
        """Return what is known about a message's channel, guessing sensibly when unknown.

        An unknown channel with a ``guild_id`` is a server channel (a thread when the message
        carries ``position``, which Discord sets only for messages in threads); without one it
        is a DM, and it is remembered as such.
        """
        known = self._channels.get(channel_id)
        if known is not None:
            return known
        guild_id = payload.get("guild_id")
        if isinstance(guild_id, str | int) and str(guild_id):
            kind = ChannelKind.THREAD if "position" in payload else ChannelKind.GROUP
            return ChannelInfo(id=channel_id, kind=kind, guild_id=str(guild_id))
        info = ChannelInfo(id=channel_id, kind=ChannelKind.DM)
        self._channels[channel_id] = info
        return info

    def get(self, channel_id: str) -> ChannelInfo | None:
        """Return a known channel."""
        return self._channels.get(channel_id)

    def channels(self, guild_id: str | None = None) -> list[ChannelInfo]:
        """Known channels that hold messages (of one server, or all including DMs)."""
        return [
            info
            for info in self._channels.values()
            if guild_id is None or info.guild_id == guild_id
        ]

    def guild_name(self, guild_id: str) -> str:
        """Name of a server, or ``""``."""
        return self._guild_names.get(guild_id, "")

    def is_guild(self, snowflake: str) -> bool:
        """True when ``snowflake`` is a known server id."""
        return snowflake in self._guild_names

    def rename(self, guild_id: str, member: Mapping[str, Any]) -> tuple[bool, str | None]:
        """Record a member's current name.

        Returns:
            (whether the name changed or was unknown, the previous name if known).
        """
        user = member.get("user")
        if not isinstance(user, Mapping) or not str(user.get("id", "")):
            return True, None
        key = (guild_id, str(user["id"]))
        name = member_display_name(member)
        previous = self._names.pop(key, None)
        self._names[key] = name
        if len(self._names) > MAX_REMEMBERED_NAMES:
            del self._names[next(iter(self._names))]
        return previous != name, previous

    def _guild_create(self, data: Mapping[str, Any]) -> None:
        guild_id = str(data.get("id", ""))
        if not guild_id or data.get("unavailable") is True:
            return
        self._guild_names[guild_id] = str(data.get("name") or "")
        self._add_channels(guild_id, _objects(data.get("channels")))
        self._add_channels(guild_id, _objects(data.get("threads")))
        for member in _objects(data.get("members")):
            self.rename(guild_id, member)

    def _guild_update(self, data: Mapping[str, Any]) -> None:
        guild_id = str(data.get("id", ""))
        if guild_id:
            self._guild_names[guild_id] = str(data.get("name") or "")

    def _guild_delete(self, data: Mapping[str, Any]) -> None:
        guild_id = str(data.get("id", ""))
        if data.get("unavailable") is True:
            return  # an outage, not a departure: keep what we know
        self._guild_names.pop(guild_id, None)
        for info in self.channels(guild_id):
            self._channels.pop(info.id, None)

    def _channel_upsert(self, data: Mapping[str, Any]) -> None:
        guild_id = data.get("guild_id")
        self._add_channels(str(guild_id) if guild_id else None, [data])

    def _channel_delete(self, data: Mapping[str, Any]) -> None:
        self._channels.pop(str(data.get("id", "")), None)

    def _thread_list_sync(self, data: Mapping[str, Any]) -> None:
        self._add_channels(str(data.get("guild_id", "")) or None, _objects(data.get("threads")))

    def _add_channels(self, guild_id: str | None, items: Iterable[Mapping[str, Any]]) -> None:
        for item in items:
            info = _channel_info(item, guild_id)
            if info is not None:
                self._channels[info.id] = info

    _HANDLERS: Mapping[str, Any] = {
        "GUILD_CREATE": _guild_create,
        "GUILD_UPDATE": _guild_update,
        "GUILD_DELETE": _guild_delete,
        "CHANNEL_CREATE": _channel_upsert,
        "CHANNEL_UPDATE": _channel_upsert,
        "CHANNEL_DELETE": _channel_delete,
        "THREAD_CREATE": _channel_upsert,
        "THREAD_UPDATE": _channel_upsert,
        "THREAD_DELETE": _channel_delete,
        "THREAD_LIST_SYNC": _thread_list_sync,
    }


def _channel_info(item: Mapping[str, Any], guild_id: str | None) -> ChannelInfo | None:
    channel_id = str(item.get("id", ""))
    kind_code = item.get("type")
    if not channel_id.isdigit() or kind_code not in MESSAGEABLE_TYPES | DM_TYPES:
        return None
    parent = item.get("parent_id")
    if kind_code in DM_TYPES:
        kind = ChannelKind.DM
    elif kind_code in THREAD_TYPES:
        kind = ChannelKind.THREAD
    else:
        kind = ChannelKind.GROUP
    return ChannelInfo(
        id=channel_id,
        kind=kind,
        name=str(item.get("name") or ""),
        guild_id=guild_id or (str(item["guild_id"]) if item.get("guild_id") else None),
        parent_id=str(parent) if parent and kind is ChannelKind.THREAD else None,
    )


def _objects(value: object) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]
