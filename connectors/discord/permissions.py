"""Permission checks made before calling Discord, from discord.py's cache.

When the cache does not know the channel, server or bot member (not yet connected, or a
REST-only call), no local verdict is given and Discord's 403 decides instead.
"""

import discord

_LABELS = {
    "view_channel": "View Channels",
    "send_messages": "Send Messages",
    "send_messages_in_threads": "Send Messages in Threads",
    "read_message_history": "Read Message History",
    "manage_messages": "Manage Messages",
    "ban_members": "Ban Members",
    "kick_members": "Kick Members",
    "moderate_members": "Moderate Members",
}


def send_refusal(channel: object, *, reply: bool) -> str | None:
    """Why the bot may not post in ``channel`` (``None``: allowed or unknown)."""
    thread = isinstance(channel, discord.Thread)
    needed = ["view_channel", "send_messages_in_threads" if thread else "send_messages"]
    if reply:
        needed.append("read_message_history")  # Discord requires it to reply to a message
    return _channel_refusal(channel, needed)


def delete_refusal(channel: object, *, own: bool) -> str | None:
    """Why the bot may not delete a message in ``channel``; its own need no permission."""
    if own:
        return None
    return _channel_refusal(channel, ["view_channel", "manage_messages"])


def ban_refusal(guild: discord.Guild, user_id: int) -> str | None:
    """Why the bot may not ban ``user_id`` from ``guild``."""
    return _member_refusal(guild, guild.get_member(user_id), "ban_members", "ban")


def kick_refusal(guild: discord.Guild, user_id: int) -> str | None:
    """Why the bot may not kick ``user_id`` from ``guild``."""
    return _member_refusal(guild, guild.get_member(user_id), "kick_members", "kick")


def timeout_refusal(guild: discord.Guild, member: discord.Member) -> str | None:
    """Why the bot may not time ``member`` out."""
    refusal = _member_refusal(guild, member, "moderate_members", "time out")
    if refusal is None and member.guild_permissions.administrator:
        return "cannot time out a member with the Administrator permission"
    return refusal


def _channel_refusal(channel: object, needed: list[str]) -> str | None:
    if not isinstance(channel, discord.abc.GuildChannel | discord.Thread):
        return None
    me = channel.guild.me
    if me is None:
        return None
    try:
        permissions = channel.permissions_for(me)
    except discord.ClientException:
        return None  # a thread whose parent is not cached
    missing = [_LABELS[name] for name in needed if not getattr(permissions, name)]
    if not missing:
        return None
    return f"the bot lacks {', '.join(missing)} in #{channel.name} ({channel.id})"


def _member_refusal(
    guild: discord.Guild, member: discord.Member | None, permission: str, verb: str
) -> str | None:
    me = guild.me
    if me is None:
        return None
    if not getattr(me.guild_permissions, permission):
        return f"the bot lacks {_LABELS[permission]} in server {guild.id}"
    if member is None:
        return None
    if member.id == guild.owner_id:
        return f"cannot {verb} the server owner"
    if member.top_role >= me.top_role:
        return f"cannot {verb} {member.id}: their highest role is not below the bot's"
    return None
