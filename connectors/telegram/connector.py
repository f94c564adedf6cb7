"""The Telegram connector: a long-poll loop of ``getUpdates`` inside watchdesk's event loop.

Why our own loop rather than ``Application``: ``run_polling`` owns the event loop, and
``Updater.start_polling`` confirms updates (advances the offset) as soon as it has fetched them,
before the pipeline has stored them; a crash then loses the fetched batch. Here the offset only
moves as events are handed to the pipeline, and every event carries the cursor
(``update_id + 1``) that the store saves in the same transaction, so a restart resumes exactly
after the last stored update: no loss, no duplicates. The loop also decides its own back-off
and health reporting, and never lets one bad update stop the stream.
"""

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, TypeVar

from telegram.error import RetryAfter

from connectors.base import ConnectorDeps
from connectors.telegram.callbacks import CallbackRouter, is_callback
from connectors.telegram.client import BotIdentity, BotSession
from connectors.telegram.config import Config
from connectors.telegram.members import MemberMemory
from connectors.telegram.retry import Backoff, Sleep, describe, retry_after_seconds
from connectors.telegram.translate import (
    ALLOWED_UPDATES,
    TranslateContext,
    Translation,
    invalid_payload,
    translate_update,
)
from core import CursorUpdate, DecisionHandler, EventSink, InboundEvent

log = logging.getLogger(__name__)

CURSOR_KEY = "updates"
T = TypeVar("T")


class _BadResponseError(Exception):
    """``getUpdates`` answered with something other than a list of updates."""


class TelegramConnector:
    """Receives group, topic and direct messages, edits and joins, and emits core events.

    Args:
        config: Connector settings.
        deps: Cursors, health record and clock from the composition root.
        session: The shared Bot session.
        rng: Source of back-off jitter (seeded in tests).
        sleep: How to wait (tests may pass a recording sleep).
    """

    name = "telegram"

    def __init__(
        self,
        config: Config,
        deps: ConnectorDeps,
        session: BotSession,
        *,
        rng: random.Random | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._config = config
        self._deps = deps
        self._session = session
        jitter = rng or random.Random()  # noqa: S311 - back-off jitter, not cryptography
        self._backoff = Backoff(config.backoff_base, config.backoff_max, jitter)
        self._sleep = sleep
        self._members = MemberMemory(deps.clock)
        self._staff = frozenset(config.staff_ids)
        self._chats = frozenset(config.chats)
        self._callbacks: CallbackRouter | None = None

    def on_decision(self, handler: DecisionHandler) -> None:
        """Hand moderators' button taps (``callback_query``) to ``handler`` from now on."""
        self._callbacks = CallbackRouter(self._session, self._config.mod_chat_id, handler)

    async def run(self, sink: EventSink) -> None:
        """Poll and emit until cancelled; failures are retried with back-off, never raised."""
        try:
            identity = await self._retrying("start", self._start)
            offset = self._saved_offset()
            while True:
                updates = await self._retrying("getUpdates", partial(self._fetch, offset))
                offset = await self._handle_batch(updates, offset, identity, sink)
        finally:
            self._deps.health.stopped()
            await asyncio.shield(self._session.close())

    async def _start(self) -> BotIdentity:
        identity = await self._session.ready()
        # A webhook, if one was ever set, makes getUpdates fail with 409 Conflict.
        await self._session.bot.delete_webhook(drop_pending_updates=False)
        self._deps.health.connected()
        log.info("telegram connected as @%s (id %s)", identity.username, identity.id)
        await self._check_rights()
        return identity

    async def _check_rights(self) -> None:
        for chat_id in self._config.chats:
            try:
                missing = await self._session.missing_rights(chat_id)
            except Exception as exc:  # noqa: BLE001 - a check only; polling must still start
                log.warning("telegram: cannot check rights in chat %s: %s", chat_id, self._why(exc))
                continue
            if missing:
                self._deps.health.count("missing_rights")
                log.warning(
                    "telegram: the bot lacks %s in chat %s; it cannot remove posts or ban there",
                    ", ".join(missing),
                    chat_id,
                )

    def _saved_offset(self) -> int | None:
        saved = self._deps.cursors.get_cursor(self.name, CURSOR_KEY)
        try:
            return int(saved) if saved else None
        except ValueError:
            log.warning("telegram: ignoring unreadable saved offset %r", saved)
            return None

    async def _fetch(self, offset: int | None) -> list[Any]:
        result = await self._session.get_updates(offset, self._config.poll_timeout, ALLOWED_UPDATES)
        if not isinstance(result, list):
            raise _BadResponseError(f"getUpdates returned {type(result).__name__}, not a list")
        self._deps.health.connected()
        return result

    async def _handle_batch(
        self, updates: list[Any], offset: int | None, identity: BotIdentity, sink: EventSink
    ) -> int | None:
        progressed = False
        for raw in updates:
            if self._callbacks is not None and is_callback(raw):
                # A tap, not a message: nothing to store; the offset moves on with the next poll.
                await self._callbacks.handle(raw)
                uid = raw.get("update_id")
                offset = uid + 1 if isinstance(uid, int) else offset
                progressed = progressed or isinstance(uid, int)
                continue
            translation = self._translate(raw, identity)
            update_id = translation.update_id
            if update_id is not None and offset is not None and update_id < offset:
                self._deps.health.count("duplicate_update")  # already confirmed: never re-emit
                continue
            if translation.ignored:
                self._deps.health.count(translation.ignored)
            next_offset = offset if update_id is None else update_id + 1
            await self._emit_all(sink, translation.events, update_id, next_offset)
            progressed = progressed or next_offset != offset
            offset = next_offset
        if updates and not progressed:
            # Only updates without an id: Telegram would send them again at once.
            self._deps.health.failure("getUpdates returned updates without a usable update_id")
            await self._sleep(self._backoff.delay(1))
        return offset

    def _translate(self, raw: object, identity: BotIdentity) -> Translation:
        ctx = TranslateContext(
            bot_id=identity.id,
            bot_username=identity.username,
            received_at=self._deps.clock(),
            staff_ids=self._staff,
            chats=self._chats,
        )
        try:
            return translate_update(raw, ctx)
        except Exception as exc:  # noqa: BLE001 - a translation bug must not stop the stream
            log.error("telegram: translation failed with %s", type(exc).__name__)
            update_id = raw.get("update_id") if isinstance(raw, dict) else None
            uid = update_id if isinstance(update_id, int) else None
            # Only the error's type: its text could quote the (not yet redacted) message.
            reason = f"internal error while translating ({type(exc).__name__})"
            event = invalid_payload(raw, reason, uid)
            return Translation(uid, (event,))

    async def _emit_all(
        self,
        sink: EventSink,
        events: tuple[InboundEvent, ...],
        update_id: int | None,
        next_offset: int | None,
    ) -> None:
        events = self._members.process(events)
        for index, event in enumerate(events):
            # Only the last event of an update moves the cursor past it: a crash between two
            # events of one update re-reads the update rather than losing its tail.
            last = index == len(events) - 1
            value = next_offset if last or update_id is None else update_id
            cursor = CursorUpdate(connector=self.name, key=CURSOR_KEY, value=str(value))
            stamped = event.model_copy(update={"cursor": cursor})
            await self._retrying("pipeline", partial(sink.emit, stamped))
            if event.type == "invalid":
                self._deps.health.count("invalid_payload")
            self._deps.health.event()

    async def _retrying(self, what: str, call: Callable[[], Awaitable[T]]) -> T:
        """Run ``call`` until it succeeds: wait as told on 429, back off on anything else."""
        failures = 0
        while True:
            try:
                result = await call()
            except RetryAfter as exc:
                self._deps.health.count("retry_after")
                wait = retry_after_seconds(exc)
                log.warning("telegram: %s rate limited; waiting %.1f s as told", what, wait)
                await self._sleep(wait)
                continue
            except Exception as exc:  # noqa: BLE001 - a live connector never gives up
                failures += 1
                reason = self._why(exc)
                self._deps.health.failure(f"{what}: {reason}")
                delay = self._backoff.delay(failures)
                log.warning(
                    "telegram: %s failed (%d in a row): %s; retrying in %.2f s",
                    what,
                    failures,
                    reason,
                    delay,
                )
                await self._sleep(delay)
                continue
            if failures:
                log.info("telegram: %s recovered after %d failures", what, failures)
            return result

    def _why(self, error: BaseException) -> str:
        return self._session.scrub(describe(error))
