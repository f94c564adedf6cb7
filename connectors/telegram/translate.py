"""Pure translation of Bot API updates (JSON objects) into core events.

No SDK object is needed: the input is the decoded JSON of one ``Update``
(https://core.telegram.org/bots/api#update), as ``getUpdates`` returns it or as
``telegram.Update.to_dict()`` gives it back. The output is a ``Translation``: the events to emit,
or the name of the counter an intentionally ignored update goes to. A malformed update becomes
one ``InvalidPayload`` with a reason; nothing here raises for bad input.

Identifiers (stable, so the store's idempotency and the outbox can rely on them):

- message ``external_id``: ``"<chat_id>:<message_id>"`` (message ids are per chat);
- channel ``id``: ``"<chat_id>"`` for groups, supergroups and DMs, ``"<chat_id>/<thread_id>"``
  for a forum topic (kind ``thread``), because a topic is its own conversation;
- author ``id``: the user id, or for posts made *as a chat* (anonymous admins, channels) the
  ``sender_chat`` id, which is negative and so never collides with a user id.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import ValidationError

from connectors.telegram import fields as f
from connectors.telegram.commands import parse_command
from connectors.telegram.media import MEDIA_KINDS, attachments
from core import (
    Author,
    Channel,
    ChannelKind,
    InboundEvent,
    InvalidPayload,
    MemberUpdated,
    Message,
    MessageEdited,
    MessageReceived,
    PayloadError,
    UserCommand,
)

PLATFORM = "telegram"

ALLOWED_UPDATES = (
    "message",
    "edited_message",
    "chat_member",
    "my_chat_member",
    "callback_query",
)
"""Update types requested from ``getUpdates``; ``chat_member`` is only sent when asked for.

``callback_query`` (moderators' buttons) is handled by ``callbacks``, not translated here.
"""

_CHAT_KINDS = {"group": ChannelKind.GROUP, "supergroup": ChannelKind.GROUP}
_MEMBER_STATUSES = frozenset({"creator", "administrator", "member"})
_SUPERGROUP_ID_BASE = 10**12  # supergroup ids are -(10**12 + internal id): -100<internal>

_Result = tuple[tuple[InboundEvent, ...], str | None]


@dataclass(frozen=True)
class TranslateContext:
    """What translation needs besides the payload.

    Attributes:
        bot_id: This bot's user id (replies to it mention it).
        bot_username: This bot's username without ``@``.
        received_at: When the update was received (from the connector's clock).
        staff_ids: User ids whose messages are marked ``is_staff``.
        chats: Group ids to watch; empty watches all. DMs are always accepted.
    """

    bot_id: int
    bot_username: str
    received_at: datetime
    staff_ids: frozenset[int] = frozenset()
    chats: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Translation:
    """The result of translating one update.

    Attributes:
        update_id: The update's id, ``None`` when the payload has none.
        events: What to emit, in order (empty when ignored).
        ignored: Counter name for an update ignored on purpose (``ignored_chat``,
            ``channel_post``, ``service_message``, ``unknown_update``, ...).
    """

    update_id: int | None
    events: tuple[InboundEvent, ...] = field(default=())
    ignored: str | None = None


def translate_update(update: object, ctx: TranslateContext) -> Translation:
    """Translate one update into core events.

    Args:
        update: The decoded JSON of one ``Update``.
        ctx: Bot identity, settings and the reception time.

    Returns:
        The events (or an ``InvalidPayload``) and, for ignored updates, the counter name.
    """
    if not isinstance(update, Mapping):
        return Translation(None, (invalid_payload(update, "update is not a JSON object"),))
    update_id = f.opt_int(update, "update_id")
    if update_id is None:
        reason = "update.update_id is missing or not an integer"
        return Translation(None, (invalid_payload(update, reason),))
    try:
        events, ignored = _dispatch(update, ctx)
    except PayloadError as exc:
        return Translation(update_id, (invalid_payload(update, exc.reason, update_id),))
    except ValidationError as exc:
        reason = f"not a valid message: {_first_error(exc)}"
        return Translation(update_id, (invalid_payload(update, reason, update_id),))
    return Translation(update_id, events, ignored)


def invalid_payload(update: object, reason: str, update_id: int | None = None) -> InvalidPayload:
    """Wrap an untranslatable update for the dead-letter table."""
    location = f"update {update_id}" if update_id is not None else ""
    payload = json.dumps(update, ensure_ascii=False, default=str)
    return InvalidPayload(source=PLATFORM, reason=reason, payload=payload, location=location)


def _dispatch(update: f.JSON, ctx: TranslateContext) -> _Result:
    if "message" in update:
        return _new_message(update, ctx)
    if "edited_message" in update:
        return _edited_message(update, ctx)
    if "chat_member" in update:
        return _chat_member(update, ctx)
    if "my_chat_member" in update:
        return (), "bot_membership"
    if "channel_post" in update or "edited_channel_post" in update:
        return (), "channel_post"
    return (), "unknown_update"


def _new_message(update: f.JSON, ctx: TranslateContext) -> _Result:
    msg = f.obj(update, "message", "update")
    skip = _skip_reason(msg, ctx, "message")
    if skip:
        return (), skip
    if "new_chat_members" in msg:
        return _joined(msg, ctx)
    if not _has_content(msg):
        return (), "service_message"
    message = _message(update, msg, ctx, "message")
    text = f.opt_str(msg, "text", "message") or ""
    command = parse_command(text, ctx.bot_username)
    if command is None:
        return (MessageReceived(message=message),), None
    target = message.reply_to if command.name == "report" else None
    event = UserCommand(
        name=command.name, args=command.args, message=message, target_external_id=target
    )
    return (event,), None


def _edited_message(update: f.JSON, ctx: TranslateContext) -> _Result:
    msg = f.obj(update, "edited_message", "update")
    skip = _skip_reason(msg, ctx, "edited_message")
    if skip:
        return (), skip
    if not _has_content(msg):
        return (), "service_message"
    message = _message(update, msg, ctx, "edited_message")
    # Edits never re-run a command: the command already happened on the first version.
    return (MessageEdited(message=message),), None


def _chat_member(update: f.JSON, ctx: TranslateContext) -> _Result:
    where = "chat_member"
    change = f.obj(update, where, "update")
    chat = f.obj(change, "chat", where)
    chat_id = f.req_int(chat, "id", f"{where}.chat")
    if ctx.chats and chat_id not in ctx.chats:
        return (), "ignored_chat"
    old = f.obj(change, "old_chat_member", where)
    new = f.obj(change, "new_chat_member", where)
    if _is_member(old) or not _is_member(new):
        return (), "member_status"  # promotions, restrictions and departures are not joins
    user = f.obj(new, "user", f"{where}.new_chat_member")
    channel = _channel(chat, {}, "chat_member")
    author = _user_author(user, ctx, f"{where}.new_chat_member.user")
    return (MemberUpdated(platform=PLATFORM, author=author, channel=channel),), None


def _joined(msg: f.JSON, ctx: TranslateContext) -> _Result:
    chat = f.obj(msg, "chat", "message")
    channel = _channel(chat, msg, "message")
    users = f.obj_list(msg, "new_chat_members", "message")
    events: list[InboundEvent] = []
    for index, user in enumerate(users):
        author = _user_author(user, ctx, f"message.new_chat_members[{index}]")
        if author.id != str(ctx.bot_id):  # the bot's own arrival is not a member to check
            events.append(MemberUpdated(platform=PLATFORM, author=author, channel=channel))
    return (tuple(events), None) if events else ((), "service_message")


def _skip_reason(msg: f.JSON, ctx: TranslateContext, where: str) -> str | None:
    chat = f.obj(msg, "chat", where)
    chat_id = f.req_int(chat, "id", f"{where}.chat")
    chat_type = f.req_str(chat, "type", f"{where}.chat")
    if chat_type == "channel":
        return "channel_post"
    if chat_type != "private" and ctx.chats and chat_id not in ctx.chats:
        return "ignored_chat"
    return None


def _has_content(msg: f.JSON) -> bool:
    return any(msg.get(k) is not None for k in ("text", "caption", *MEDIA_KINDS))


def _message(update: f.JSON, msg: f.JSON, ctx: TranslateContext, where: str) -> Message:
    chat = f.obj(msg, "chat", where)
    chat_id = f.req_int(chat, "id", f"{where}.chat")
    message_id = f.req_int(msg, "message_id", where)
    text = f.opt_str(msg, "text", where) or f.opt_str(msg, "caption", where) or ""
    reply = _real_reply(msg, where)
    edited_at = None
    if where == "edited_message":
        edited_at = f.timestamp(msg, "edit_date", where) if "edit_date" in msg else ctx.received_at
    thread_id = f.opt_int(msg, "message_thread_id")
    return Message(
        platform=PLATFORM,
        external_id=f"{chat_id}:{message_id}",
        channel=_channel(chat, msg, where),
        author=_author(msg, chat_id, ctx, where),
        text=text,
        created_at=f.timestamp(msg, "date", where),
        received_at=ctx.received_at,
        reply_to=None if reply is None else f"{chat_id}:{f.req_int(reply, 'message_id', where)}",
        thread_id=None if thread_id is None else str(thread_id),
        permalink=permalink(chat, message_id),
        is_dm=chat.get("type") == "private",
        edited_at=edited_at,
        mentions_bot=_mentions_bot(msg, text, reply, ctx),
        attachments=attachments(msg, where),
        raw=dict(update),
    )


def _channel(chat: f.JSON, msg: f.JSON, where: str) -> Channel:
    chat_id = f.req_int(chat, "id", f"{where}.chat")
    chat_type = f.req_str(chat, "type", f"{where}.chat")
    if chat_type == "private":
        return Channel(id=str(chat_id), name=f.full_name(chat), kind=ChannelKind.DM)
    if chat_type not in _CHAT_KINDS:
        raise PayloadError(f"{where}.chat.type {chat_type[:32]!r} is not a known chat type")
    title = f.opt_str(chat, "title", f"{where}.chat") or ""
    thread_id = f.opt_int(msg, "message_thread_id")
    if msg.get("is_topic_message") is True and thread_id is not None:
        topic = _topic_name(msg)
        name = f"{title} / {topic}" if topic else title
        return Channel(id=f"{chat_id}/{thread_id}", name=name, kind=ChannelKind.THREAD)
    return Channel(id=str(chat_id), name=title, kind=_CHAT_KINDS[chat_type])


def _topic_name(msg: f.JSON) -> str:
    # Every message of a topic that is not a real reply carries the topic's creation message
    # as ``reply_to_message``; its ``forum_topic_created.name`` is the only place the name shows.
    root = msg.get("reply_to_message")
    created = root.get("forum_topic_created") if isinstance(root, Mapping) else None
    name = created.get("name") if isinstance(created, Mapping) else None
    return name if isinstance(name, str) else ""


def _real_reply(msg: f.JSON, where: str) -> f.JSON | None:
    """Return the replied-to message, unless it is only the forum topic's root."""
    reply = f.opt_obj(msg, "reply_to_message", where)
    if reply is None or "forum_topic_created" in reply:
        return None
    thread_id = f.opt_int(msg, "message_thread_id")
    is_root = msg.get("is_topic_message") is True and reply.get("message_id") == thread_id
    return None if is_root else reply


def _author(msg: f.JSON, chat_id: int, ctx: TranslateContext, where: str) -> Author:
    sender_chat = f.opt_obj(msg, "sender_chat", where)
    if sender_chat is not None:
        return _chat_author(sender_chat, msg, chat_id, ctx, where)
    user = f.opt_obj(msg, "from", where)
    if user is None:
        raise PayloadError(f"{where} has neither 'from' nor 'sender_chat'")
    return _user_author(user, ctx, f"{where}.from")


def _user_author(user: f.JSON, ctx: TranslateContext, where: str) -> Author:
    user_id = f.req_int(user, "id", where)
    f.req_str(user, "first_name", where)  # required by the Bot API; its absence means garbage
    return Author(
        id=str(user_id),
        handle=f.opt_str(user, "username", where) or "",
        display_name=f.full_name(user),
        is_staff=user_id in ctx.staff_ids,
        is_bot=user.get("is_bot") is True,
    )


def _chat_author(
    sender: f.JSON, msg: f.JSON, chat_id: int, ctx: TranslateContext, where: str
) -> Author:
    """The author of a post made as a chat: an anonymous admin, or a channel."""
    sender_id = f.req_int(sender, "id", f"{where}.sender_chat")
    title = f.opt_str(sender, "title", f"{where}.sender_chat") or ""
    signature = f.opt_str(msg, "author_signature", where)
    # Only the group's admins can post as the group, and only its linked channel is
    # auto-forwarded into it: both speak for the brand.
    official = sender_id == chat_id or msg.get("is_automatic_forward") is True
    return Author(
        id=str(sender_id),
        handle=f.opt_str(sender, "username", f"{where}.sender_chat") or "",
        display_name=f"{title} ({signature})" if signature else title,
        is_staff=official or sender_id in ctx.staff_ids,
        is_bot=False,
    )


def _is_member(member: f.JSON) -> bool:
    status = member.get("status")
    return status in _MEMBER_STATUSES or (
        status == "restricted" and member.get("is_member") is True
    )


def _mentions_bot(msg: f.JSON, text: str, reply: f.JSON | None, ctx: TranslateContext) -> bool:
    if reply is not None:
        replied_to = reply.get("from")
        if isinstance(replied_to, Mapping) and replied_to.get("id") == ctx.bot_id:
            return True
    if ctx.bot_username:
        name = re.escape(ctx.bot_username)
        # "@name" as a word of its own, or a command addressed to us: "/ticket@name".
        pattern = rf"(?<![\w@])@{name}(?!\w)|^/\w+@{name}(?!\w)"
        if re.search(pattern, text, re.IGNORECASE):
            return True
    entities = msg.get("entities") or msg.get("caption_entities") or []
    return isinstance(entities, list) and any(_is_mention_of(e, ctx.bot_id) for e in entities)


def _is_mention_of(entity: object, bot_id: int) -> bool:
    if not isinstance(entity, Mapping) or entity.get("type") != "text_mention":
        return False
    user = entity.get("user")
    return isinstance(user, Mapping) and user.get("id") == bot_id


def permalink(chat: f.JSON, message_id: int) -> str | None:
    """Return a link to a group message, or ``None`` where Telegram has none.

    Public chats link by username (``https://t.me/<username>/<id>``); private supergroups
    by their internal id (``https://t.me/c/<internal>/<id>``, members only). Basic groups and
    private chats have no message links.
    """
    username = chat.get("username")
    if isinstance(username, str) and username and chat.get("type") != "private":
        return f"https://t.me/{username}/{message_id}"
    chat_id = f.opt_int(chat, "id")
    if chat.get("type") == "supergroup" and chat_id is not None and chat_id < -_SUPERGROUP_ID_BASE:
        return f"https://t.me/c/{-chat_id - _SUPERGROUP_ID_BASE}/{message_id}"
    return None


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error["loc"])
    return f"{where}: {error['msg']}"
