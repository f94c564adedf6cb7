"""From gateway frames to core events: filtering, translation, cursors, dedupe, backfill.

``Stream`` is fed the gateway's frames in order (one at a time, by the connector's queue
consumer) and emits core events into the sink. It holds no discord.py object: REST reads go
through the small ``Rest`` protocol, so the whole path can be driven by hand in tests.
"""

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol

from connectors.base import ConnectorHealth
from connectors.discord.backfill import fetch_since
from connectors.discord.commands import parse_command
from connectors.discord.cursors import CursorBook, Recent
from connectors.discord.directory import Directory, WatchList
from connectors.discord.translate import (
    ChannelInfo,
    Context,
    Skipped,
    decode_frame,
    message_ids,
    needs_previous,
    translate_delete,
    translate_delete_bulk,
    translate_member,
    translate_message,
    translate_update,
)
from core import (
    CursorReader,
    CursorUpdate,
    EventSink,
    InvalidPayload,
    Message,
    MessageEdited,
    MessageReceived,
    PayloadError,
)

log = logging.getLogger(__name__)

SOURCE = "discord"
SEEN_CAPACITY = 100_000  # message ids remembered to never emit one twice in a process
RECENT_CAPACITY = 5_000  # messages kept to complete partial edits


class Rest(Protocol):
    """REST reads the stream needs (raw JSON in and out)."""

    async def fetch_page(self, channel_id: str, after: int, limit: int) -> list[Any]:
        """``GET /channels/{id}/messages?after=&limit=``."""
        ...

    async def fetch_message(self, channel_id: str, message_id: str) -> Any:
        """``GET /channels/{id}/messages/{message_id}``."""
        ...


class Stream:
    """Turns the gateway's dispatches into core events.

    Args:
        watch: Which servers and channels to watch.
        staff_ids: Staff user ids.
        backfill_limit: Most messages read per channel when catching up.
        cursors: Saved positions.
        health: The connector's health record.
        clock: Source of "now".
        connector: Name the cursors are saved under.
    """

    def __init__(
        self,
        *,
        watch: WatchList,
        staff_ids: frozenset[str],
        backfill_limit: int,
        cursors: CursorReader,
        health: ConnectorHealth,
        clock: Callable[[], datetime],
        connector: str = SOURCE,
    ) -> None:
        self.directory = Directory()
        self.cursors = CursorBook(cursors, connector)
        self.bot_user_id: str | None = None
        self._watch = watch
        self._staff_ids = staff_ids
        self._backfill_limit = backfill_limit
        self._health = health
        self._clock = clock
        self._seen: Recent[bool] = Recent(SEEN_CAPACITY)
        self._recent: Recent[Message] = Recent(RECENT_CAPACITY)

    async def handle_frame(self, text: str, sink: EventSink, rest: Rest) -> None:
        """Process one gateway frame; bad payloads become ``InvalidPayload`` events."""
        try:
            frame = decode_frame(text)
        except PayloadError as exc:
            await self._invalid(sink, exc.reason, text, "gateway", None)
            return
        if frame.get("op") != 0 or not isinstance(frame.get("t"), str):
            return
        event, data = frame["t"], frame.get("d")
        location = f"gateway {event} seq={frame.get('s')}"
        self.directory.apply(event, data)
        handler = _HANDLERS.get(event)
        if handler is not None:
            await handler(self, data, sink, rest, location)

    async def backfill(self, channels: Iterable[ChannelInfo], sink: EventSink, rest: Rest) -> None:
        """Emit what each watched channel received since its saved position."""
        if self._backfill_limit <= 0:
            return
        for channel in channels:
            after = self.cursors.resume_point(channel.id)
            if after is None or self._watch.refusal(channel) is not None:
                continue
            try:
                backlog = await fetch_since(
                    rest.fetch_page, channel.id, after, self._backfill_limit
                )
            except Exception as exc:  # noqa: BLE001 - one channel must not stop the others
                self._health.count("backfill_failed")
                log.warning("discord backfill of channel %s failed: %s", channel.id, _name(exc))
                continue
            if backlog.truncated:
                self._health.count("backfill_truncated")
                log.warning(
                    "discord channel %s had more than %d messages to catch up; older ones "
                    "were not read (raise backfill_limit)",
                    channel.id,
                    self._backfill_limit,
                )
            self._health.count("backfilled", len(backlog.items))
            location = f"rest GET /channels/{channel.id}/messages"
            for item in backlog.items:
                await self._on_message(item, sink, rest, location)

    def _context(self) -> Context:
        return Context(self._staff_ids, self.bot_user_id, self._clock())

    def _channel(self, channel_id: str, data: Mapping[str, Any]) -> ChannelInfo | None:
        info = self.directory.resolve(channel_id, data)
        refusal = self._watch.refusal(info)
        if refusal is not None:
            self._health.count(refusal)
            return None
        return info

    async def _on_ready(self, data: Any, sink: EventSink, rest: Rest, location: str) -> None:
        user = data.get("user") if isinstance(data, Mapping) else None
        if isinstance(user, Mapping) and user.get("id"):
            self.bot_user_id = str(user["id"])
        self.cursors.begin_epoch()
        self._health.connected()
        # Server channels are caught up as each GUILD_CREATE arrives; DMs seen earlier now.
        dms = [c for c in self.directory.channels() if c.guild_id is None]
        await self.backfill(dms, sink, rest)

    async def _on_resumed(self, data: Any, sink: EventSink, rest: Rest, location: str) -> None:
        self.cursors.begin_epoch()
        self._health.connected()
        await self.backfill(self.directory.channels(), sink, rest)

    async def _on_guild(self, data: Any, sink: EventSink, rest: Rest, location: str) -> None:
        guild_id = str(data.get("id", "")) if isinstance(data, Mapping) else ""
        if not guild_id or not self._watch.watches_guild(guild_id):
            return
        await self.backfill(self.directory.channels(guild_id), sink, rest)

    async def _on_message(self, data: Any, sink: EventSink, rest: Rest, location: str) -> None:
        ids = message_ids(data)
        if ids is None:
            await self._invalid(sink, "message without a numeric id and channel_id", data, location)
            return
        channel_id, message_id = ids
        channel = self._channel(channel_id, data)
        if channel is None:
            return
        if self._is_own(data):
            self._health.count("own_messages")
            return
        if not self._seen.add(message_id, True):
            self._health.count("duplicates")
            return
        try:
            result = translate_message(data, channel, self._context())
        except PayloadError as exc:
            # The position stays put: an id from an unreadable payload is not trusted to
            # move it (a bogus far-future id would make every later catch-up read nothing).
            await self._invalid(sink, exc.reason, data, location, self.cursors.update(channel_id))
            return
        if isinstance(result, Skipped):
            self._health.count(result.reason)
            return
        await self._emit_message(result, sink)

    async def _emit_message(self, message: Message, sink: EventSink) -> None:
        cursor = self.cursors.advance(message.channel.id, message.external_id)
        self._recent.put(message.external_id, message)
        command = parse_command(message, self.bot_user_id)
        if command is None:
            await sink.emit(MessageReceived(message=message, cursor=cursor))
        else:
            # The command carries its message, which the pipeline stores like any other.
            await sink.emit(command.model_copy(update={"cursor": cursor}))
            self._health.count("commands")
        self._health.event()

    async def _on_update(self, data: Any, sink: EventSink, rest: Rest, location: str) -> None:
        ids = message_ids(data)
        if ids is None:
            await self._invalid(sink, "update without a numeric id and channel_id", data, location)
            return
        channel_id, message_id = ids
        channel = self._channel(channel_id, data)
        if channel is None or self._is_own(data):
            return
        previous = self._recent.get(message_id)
        if previous is None and needs_previous(data):
            data = await self._fetch_full(rest, channel_id, message_id, data)
        try:
            result = translate_update(data, channel, self._context(), previous)
        except PayloadError as exc:
            await self._invalid(sink, exc.reason, data, location, self.cursors.update(channel_id))
            return
        if isinstance(result, Skipped):
            self._health.count(result.reason)
            return
        self._recent.put(message_id, result)
        # An edit never moves the position: the message may predate messages not yet read.
        await sink.emit(MessageEdited(message=result, cursor=self.cursors.update(channel_id)))
        self._health.event()

    async def _fetch_full(self, rest: Rest, channel_id: str, message_id: str, data: Any) -> Any:
        # A partial edit of a message this process never saw: read the whole message.
        try:
            full = await rest.fetch_message(channel_id, message_id)
        except Exception as exc:  # noqa: BLE001 - falls back to reporting the partial payload
            log.info("discord could not read message %s: %s", message_id, _name(exc))
            return data
        return full if isinstance(full, Mapping) else data

    async def _on_delete(self, data: Any, sink: EventSink, rest: Rest, location: str) -> None:
        try:
            if isinstance(data, Mapping) and "ids" in data:
                events = translate_delete_bulk(data, self._clock())
            else:
                events = [translate_delete(data, self._clock())]
        except PayloadError as exc:
            await self._invalid(sink, exc.reason, data, location)
            return
        channel = self._channel(events[0].channel_id, data) if events else None
        if channel is None:
            return
        for event in events:
            await sink.emit(event)
        self._health.count("deletions", len(events))
        self._health.event()

    async def _on_member_add(self, data: Any, sink: EventSink, rest: Rest, location: str) -> None:
        await self._on_member(data, sink, location, joined=True)

    async def _on_member_update(
        self, data: Any, sink: EventSink, rest: Rest, location: str
    ) -> None:
        await self._on_member(data, sink, location, joined=False)

    async def _on_member(self, data: Any, sink: EventSink, location: str, joined: bool) -> None:
        guild_id = str(data.get("guild_id", "")) if isinstance(data, Mapping) else ""
        if guild_id and not self._watch.watches_guild(guild_id):
            self._health.count("ignored_guild")
            return
        changed, previous = self.directory.rename(guild_id, data) if guild_id else (True, None)
        if not changed and not joined:
            # Role or avatar changes: the name, which impersonation checks read, is the same.
            self._health.count("member_updates_unchanged")
            return
        if joined:
            previous = None
        try:
            event = translate_member(
                data, self._context(), self.directory.guild_name(guild_id), previous
            )
        except PayloadError as exc:
            await self._invalid(sink, exc.reason, data, location)
            return
        await sink.emit(event)
        self._health.event()

    def _is_own(self, data: Any) -> bool:
        author = data.get("author") if isinstance(data, Mapping) else None
        return (
            self.bot_user_id is not None
            and isinstance(author, Mapping)
            and str(author.get("id")) == self.bot_user_id
        )

    async def _invalid(
        self,
        sink: EventSink,
        reason: str,
        payload: Any,
        location: str,
        cursor: CursorUpdate | None = None,
    ) -> None:
        self._health.count("dead_letters")
        log.warning("discord payload refused at %s: %s", location, reason)
        await sink.emit(
            InvalidPayload(
                source=SOURCE,
                reason=reason,
                payload=_as_text(payload),
                location=location,
                cursor=cursor,
            )
        )


def _as_text(payload: Any) -> str:
    if isinstance(payload, str):
        return payload
    try:
        return json.dumps(payload, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(payload)


def _name(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


_HANDLERS = {
    "READY": Stream._on_ready,
    "RESUMED": Stream._on_resumed,
    "GUILD_CREATE": Stream._on_guild,
    "MESSAGE_CREATE": Stream._on_message,
    "MESSAGE_UPDATE": Stream._on_update,
    "MESSAGE_DELETE": Stream._on_delete,
    "MESSAGE_DELETE_BULK": Stream._on_delete,
    "GUILD_MEMBER_ADD": Stream._on_member_add,
    "GUILD_MEMBER_UPDATE": Stream._on_member_update,
}
