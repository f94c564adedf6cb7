"""Pure translation of Discord payloads (gateway dispatches and REST messages) to core types.

Nothing here talks to Discord or touches discord.py: the functions take the JSON objects Discord
sends (``MESSAGE_CREATE``, ``MESSAGE_UPDATE``, ``MESSAGE_DELETE``, ``MESSAGE_DELETE_BULK``,
``GUILD_MEMBER_ADD``, ``GUILD_MEMBER_UPDATE`` and the message objects of
``GET /channels/{id}/messages``) plus what the connector knows about the channel, and return
core messages and events. Shapes follow the Discord developer documentation (Message resource,
Gateway events); optional keys may be absent or null and both are accepted.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from connectors.discord.schema import (
    AttachmentIn,
    DeleteBulkIn,
    DeleteIn,
    GuildMemberIn,
    MessageIn,
    describe,
    validate,
)
from core import (
    Attachment,
    Author,
    Channel,
    ChannelKind,
    MemberUpdated,
    Message,
    MessageDeleted,
    PayloadError,
)
from core.text import clean_text

PLATFORM = "discord"
PERMALINK = "https://discord.com/channels/{guild}/{channel}/{message}"
# Message types written by people (or by bots on their behalf): DEFAULT, REPLY,
# CHAT_INPUT_COMMAND, CONTEXT_MENU_COMMAND. Every other type is a system notice (joins, pins,
# boosts, thread-created markers, AutoMod alerts) that carries no text of its own.
USER_MESSAGE_TYPES = frozenset({0, 19, 20, 23})
REPLY_TYPE = 19


@dataclass(frozen=True)
class ChannelInfo:
    """What the connector knows about the channel a message is in.

    Attributes:
        id: Channel id (for a thread or forum post: the thread's id).
        kind: ``group`` for server channels, ``thread`` for threads and forum posts, ``dm``.
        name: Channel or thread name, when known.
        guild_id: Server id; ``None`` for DMs.
        parent_id: For threads: the channel or forum they belong to.
    """

    id: str
    kind: ChannelKind
    name: str = ""
    guild_id: str | None = None
    parent_id: str | None = None


@dataclass(frozen=True)
class Context:
    """Settings and facts every translation needs.

    Attributes:
        staff_ids: User ids of the brand's staff.
        bot_user_id: The bot's own user id (known after READY).
        received_at: When the payload was received (aware UTC).
    """

    staff_ids: frozenset[str]
    bot_user_id: str | None
    received_at: datetime


@dataclass(frozen=True)
class Skipped:
    """A payload that is valid but is not a message for watchdesk (system notice, unfurl).

    Attributes:
        reason: Short counter name, e.g. ``system_message``.
    """

    reason: str


def decode_frame(text: str | bytes) -> dict[str, Any]:
    """Parse one gateway frame (``{"op", "d", "s", "t"}``).

    Raises:
        PayloadError: When the frame is not a JSON object.
    """
    try:
        frame = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PayloadError(f"gateway frame is not JSON: {exc}") from None
    if not isinstance(frame, dict):
        raise PayloadError(f"gateway frame is a {type(frame).__name__}, not an object")
    return frame


def message_ids(data: object) -> tuple[str, str] | None:
    """Return (channel id, message id) of a message-like payload when both are readable.

    Used to place a malformed message (its cursor and dead-letter location) without trusting
    the rest of it.
    """
    if not isinstance(data, Mapping):
        return None
    channel_id, message_id = str(data.get("channel_id", "")), str(data.get("id", ""))
    if channel_id.isdigit() and message_id.isdigit():
        return channel_id, message_id
    return None


def translate_message(data: object, channel: ChannelInfo, ctx: Context) -> Message | Skipped:
    """Turn a message object (``MESSAGE_CREATE`` or REST) into a core ``Message``.

    Args:
        data: The message object as received.
        channel: What is known about its channel (REST messages carry no ``guild_id``).
        ctx: Staff ids, the bot's id and the receive time.

    Returns:
        The message, or ``Skipped`` for system notices.

    Raises:
        PayloadError: Naming the field that is missing or wrong.
    """
    item = validate(MessageIn, data, "message")
    if item.type not in USER_MESSAGE_TYPES:
        return Skipped("system_message")
    try:
        return _to_message(item, _as_dict(data), channel, ctx)
    except ValidationError as exc:
        # e.g. a timestamp without a UTC offset, which core refuses.
        raise PayloadError(f"message: {describe(exc)}") from None


def translate_update(
    data: object, channel: ChannelInfo, ctx: Context, previous: Message | None
) -> Message | Skipped:
    """Turn a ``MESSAGE_UPDATE`` into the new version of the message.

    Discord may send a partial object (only ``id``, ``channel_id`` and what changed). An update
    without ``content`` (an embed unfurl, a pin) changes no text and is skipped rather than
    blanking the stored text; one without ``edited_timestamp`` is not an edit by the author.
    A partial edit without ``author`` is completed from ``previous``.

    Raises:
        PayloadError: When the update is unreadable, or partial with nothing to complete it.
    """
    if not isinstance(data, Mapping):
        raise PayloadError(f"message update is a {type(data).__name__}, not an object")
    if "content" not in data:
        return Skipped("update_without_content")
    if data.get("edited_timestamp") is None:
        return Skipped("update_not_an_edit")
    merged = dict(data)
    if "author" not in data or "timestamp" not in data:
        if previous is None:
            raise PayloadError("partial message update for a message this process never saw")
        merged.setdefault("author", _author_payload(previous))
        merged.setdefault("timestamp", previous.created_at.isoformat())
        if previous.reply_to is not None and "message_reference" not in data:
            merged.setdefault("type", REPLY_TYPE)
            merged["message_reference"] = {"message_id": previous.reply_to}
    result = translate_message(merged, channel, ctx)
    if isinstance(result, Message):
        # raw stays what Discord sent, not the merge.
        return result.model_copy(update={"raw": dict(data)})
    return result


def needs_previous(data: object) -> bool:
    """True for a partial edit (text changed, author or timestamp missing)."""
    return (
        isinstance(data, Mapping)
        and "content" in data
        and data.get("edited_timestamp") is not None
        and ("author" not in data or "timestamp" not in data)
    )


def translate_delete(data: object, deleted_at: datetime) -> MessageDeleted:
    """Turn a ``MESSAGE_DELETE`` into a ``MessageDeleted``.

    Raises:
        PayloadError: When ``id`` or ``channel_id`` is missing.
    """
    item = validate(DeleteIn, data, "message delete")
    return MessageDeleted(
        platform=PLATFORM, external_id=item.id, channel_id=item.channel_id, deleted_at=deleted_at
    )


def translate_delete_bulk(data: object, deleted_at: datetime) -> list[MessageDeleted]:
    """Turn a ``MESSAGE_DELETE_BULK`` into one ``MessageDeleted`` per message.

    Raises:
        PayloadError: When ``ids`` or ``channel_id`` is missing.
    """
    item = validate(DeleteBulkIn, data, "bulk delete")
    return [
        MessageDeleted(
            platform=PLATFORM, external_id=i, channel_id=item.channel_id, deleted_at=deleted_at
        )
        for i in item.ids
        if i.isdigit()
    ]


def member_display_name(data: Mapping[str, Any]) -> str:
    """Name people see for a member payload: nick, else global name, else username."""
    user = data.get("user")
    if not isinstance(user, Mapping):
        user = {}
    for value in (data.get("nick"), user.get("global_name"), user.get("username")):
        if isinstance(value, str) and value:
            return value
    return ""


def translate_member(
    data: object, ctx: Context, guild_name: str = "", previous_name: str | None = None
) -> MemberUpdated:
    """Turn ``GUILD_MEMBER_ADD`` / ``GUILD_MEMBER_UPDATE`` into a ``MemberUpdated``.

    The event's channel is the server itself (kind ``group``, id = guild id): member names are
    per server, and moderation actions on the member take the guild id.

    Raises:
        PayloadError: When ``guild_id`` or ``user.id`` is missing.
    """
    item = validate(GuildMemberIn, data, "guild member")
    author = Author(
        id=item.user.id,
        handle=clean_text(item.user.username),
        display_name=clean_text(item.nick or item.user.global_name or item.user.username),
        is_staff=item.user.id in ctx.staff_ids,
        is_bot=bool(item.user.bot),
    )
    return MemberUpdated(
        platform=PLATFORM,
        author=author,
        channel=Channel(id=item.guild_id, name=guild_name, kind=ChannelKind.GROUP),
        previous_name=previous_name,
    )


def _to_message(
    item: MessageIn, raw: dict[str, Any], channel: ChannelInfo, ctx: Context
) -> Message:
    guild_id = item.guild_id or channel.guild_id
    kind = channel.kind if guild_id else ChannelKind.DM
    return Message(
        platform=PLATFORM,
        external_id=item.id,
        channel=Channel(id=item.channel_id, name=clean_text(channel.name), kind=kind),
        author=_author(item, ctx),
        text=clean_text(item.content),
        created_at=item.timestamp,
        received_at=ctx.received_at,
        reply_to=_reply_to(item),
        thread_id=item.channel_id if kind is ChannelKind.THREAD else None,
        permalink=PERMALINK.format(
            guild=guild_id or "@me", channel=item.channel_id, message=item.id
        ),
        is_dm=kind is ChannelKind.DM,
        edited_at=item.edited_timestamp,
        mentions_bot=_mentions_bot(item, ctx.bot_user_id),
        attachments=tuple(_attachment(a) for a in item.attachments or ()),
        raw=raw,
    )


def _author(item: MessageIn, ctx: Context) -> Author:
    user = item.author
    nick = item.member.nick if item.member is not None else None
    # A webhook's "author" is the webhook itself, wearing whatever name the sender chose.
    is_webhook = item.webhook_id is not None
    return Author(
        id=user.id,
        handle=clean_text(user.username),
        display_name=clean_text(nick or user.global_name or user.username),
        is_staff=user.id in ctx.staff_ids and not is_webhook,
        is_bot=bool(user.bot) or is_webhook,
    )


def _reply_to(item: MessageIn) -> str | None:
    # message_reference also marks crossposts, forwards and pins; only a REPLY is a reply.
    if item.type != REPLY_TYPE or item.message_reference is None:
        return None
    return item.message_reference.message_id


def _mentions_bot(item: MessageIn, bot_user_id: str | None) -> bool:
    if bot_user_id is None:
        return False
    if any(user.id == bot_user_id for user in item.mentions or ()):
        return True
    return f"<@{bot_user_id}>" in item.content or f"<@!{bot_user_id}>" in item.content


def _attachment(item: AttachmentIn) -> Attachment:
    mime = item.content_type or ""
    major = mime.split("/", 1)[0]
    kind = major if major in {"image", "video", "audio"} else "file"
    return Attachment(kind=kind, name=item.filename, mime_type=mime, size=item.size, url=item.url)


def _author_payload(message: Message) -> dict[str, Any]:
    return {
        "id": message.author.id,
        "username": message.author.handle,
        "global_name": message.author.display_name or None,
        "bot": message.author.is_bot,
    }


def _as_dict(data: object) -> dict[str, Any]:
    return dict(data) if isinstance(data, Mapping) else {}
