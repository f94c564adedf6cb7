"""Actions on Telegram: threaded replies, DMs, removals, bans, kicks and timeouts.

Every method returns a ``core.Outcome`` and never raises for a refusal by Telegram:

- ``forbidden``: the bot lacks the admin right, was kicked, or the user blocked it / never
  started a conversation with it (a bot may only DM users who wrote to it first);
- ``not_found``: the chat, user or message is gone;
- ``rate_limited``: Telegram asked for a longer wait than ``max_retry_after``, or kept asking;
- ``too_long``: the text would need more than ``max_message_parts`` messages;
- ``failed``: anything else, after ``max_attempts`` tries with back-off.

Texts are sent as plain text (no parse mode, so no markup injection), with link previews off.
Texts over 4096 characters are split at paragraph, line or word boundaries (see ``split``).
A send that timed out is not repeated, because Telegram may have delivered it; idempotent
actions (delete, ban, restrict) are.

Ids: ``channel_id`` is ``"<chat_id>"`` or ``"<chat_id>/<topic_id>"``; ``message_id`` is the
message's ``external_id`` (``"<chat_id>:<message_id>"``) or the bare message id; ``user_id`` is
an author id (a negative one is a chat posting as itself, banned with ``banChatSenderChat``).
"""

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from telegram import ChatPermissions, InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters
from telegram.error import RetryAfter, TelegramError, TimedOut

from connectors.base import ConnectorHealth
from connectors.telegram.callbacks import keyboard
from connectors.telegram.client import BotSession
from connectors.telegram.config import Config
from connectors.telegram.retry import (
    Backoff,
    Sleep,
    describe,
    is_transient,
    refusal_status,
    retry_after_seconds,
)
from connectors.telegram.split import split_text, utf16_len
from core import Button, Outcome, OutcomeStatus

log = logging.getLogger(__name__)

# Telegram treats a restriction shorter than 30 s or longer than 366 days as permanent.
MIN_TIMEOUT = timedelta(seconds=30)
MAX_TIMEOUT = timedelta(days=366) - timedelta(minutes=5)

_Action = Callable[[], Awaitable[Outcome]]
_PREVIEW = 4000  # UTF-16 units of a moderators' preview; Telegram's limit is 4096


@dataclass(frozen=True)
class ChatTarget:
    """A chat and, for a forum topic, the topic's thread id."""

    chat_id: int
    thread_id: int | None = None

    @classmethod
    def parse(cls, channel_id: str) -> "ChatTarget":
        """Parse ``"<chat_id>"`` or ``"<chat_id>/<thread_id>"``.

        Raises:
            ValueError: If ``channel_id`` is neither.
        """
        chat, _, thread = channel_id.partition("/")
        return cls(
            _int(chat, "channel id", channel_id),
            _int(thread, "topic id", channel_id) if thread else None,
        )


def message_number(message_id: str, chat_id: int) -> int:
    """Return the per-chat message id from an external id or a bare id.

    Raises:
        ValueError: If it is malformed or names another chat.
    """
    chat, sep, number = message_id.rpartition(":")
    if sep and _int(chat, "chat id", message_id) != chat_id:
        raise ValueError(f"message {message_id!r} is not in chat {chat_id}")
    return _int(number, "message id", message_id)


def _int(text: str, what: str, whole: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"malformed Telegram {what} in {whole!r}") from None


class TelegramOutbox:
    """Implements ``core.Outbox`` for Telegram.

    Args:
        config: Connector settings (retry budget, message parts, moderators' chat).
        session: The Bot session shared with the connector.
        health: The connector's health record (outcomes are counted there).
        clock: Source of "now", for timeouts.
        rng: Source of back-off jitter.
        sleep: How to wait.
    """

    platform = "telegram"

    def __init__(
        self,
        config: Config,
        session: BotSession,
        health: ConnectorHealth,
        clock: Callable[[], datetime],
        *,
        rng: random.Random | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._config = config
        self._session = session
        self._health = health
        self._clock = clock
        jitter = rng or random.Random()  # noqa: S311 - back-off jitter, not cryptography
        self._backoff = Backoff(config.backoff_base, config.backoff_max, jitter)
        self._sleep = sleep

    async def reply(self, channel_id: str, message_id: str, text: str) -> Outcome:
        """Post ``text`` as a threaded reply to a message, in its topic, without previews."""
        target = ChatTarget.parse(channel_id)
        number = message_number(message_id, target.chat_id)
        return await self._send_text("reply", target, text, reply_to=number)

    async def send_dm(self, user_id: str, text: str) -> Outcome:
        """Send ``text`` privately; ``forbidden`` when the user blocked the bot or never wrote."""
        return await self._send_text("dm", ChatTarget(_int(user_id, "user id", user_id)), text)

    async def notify_moderators(self, text: str) -> Outcome:
        """Post ``text`` to the moderators' chat (``mod_chat_id``)."""
        if self._config.mod_chat_id is None:
            return self._done(
                "notify", Outcome(status=OutcomeStatus.FAILED, detail="mod_chat_id is not set")
            )
        return await self._send_text("notify", ChatTarget(self._config.mod_chat_id), text)

    async def post(self, channel_id: str, text: str) -> Outcome:
        """Post ``text`` in a chat (or topic) without replying to a message (public notices)."""
        return await self._send_text("post", ChatTarget.parse(channel_id), text)

    async def post_for_review(self, text: str, buttons: Sequence[Button]) -> Outcome:
        """Post ``text`` to the moderators' chat with an inline keyboard (``core.ModeratorChat``).

        The text is cut to one message: it is a moderator's preview, not the answer itself.
        """
        if self._config.mod_chat_id is None:
            detail = "mod_chat_id is not set"
            return self._done("review", Outcome(status=OutcomeStatus.NOT_FOUND, detail=detail))
        target = ChatTarget(self._config.mod_chat_id)
        preview = text if utf16_len(text) <= _PREVIEW else text[: _PREVIEW // 2] + "…"
        send = partial(self._send_one, target, preview, None, keyboard(buttons))
        return await self._run("review", send, repeat_on_timeout=False)

    async def delete(self, channel_id: str, message_id: str) -> Outcome:
        """Remove a message (needs the "delete messages" right in groups)."""
        target = ChatTarget.parse(channel_id)
        number = message_number(message_id, target.chat_id)

        async def act() -> Outcome:
            await self._session.bot.delete_message(target.chat_id, number)
            return Outcome(status=OutcomeStatus.SENT, detail=f"deleted {target.chat_id}:{number}")

        return await self._run("delete", act)

    async def ban(self, channel_id: str, user_id: str, reason: str) -> Outcome:
        """Ban a user (or a chat posting as itself) from the chat for good."""
        chat = ChatTarget.parse(channel_id).chat_id
        user = _int(user_id, "user id", user_id)
        bot = self._session.bot

        async def act() -> Outcome:
            if user < 0:
                await bot.ban_chat_sender_chat(chat, user)
            else:
                await bot.ban_chat_member(chat, user)
            return Outcome(status=OutcomeStatus.SENT, detail=f"banned {user} from {chat}: {reason}")

        return await self._run("ban", act)

    async def kick(self, channel_id: str, user_id: str, reason: str) -> Outcome:
        """Remove a user who may come back: a ban, then an unban."""
        chat = ChatTarget.parse(channel_id).chat_id
        user = _int(user_id, "user id", user_id)
        bot = self._session.bot

        async def act() -> Outcome:
            await bot.ban_chat_member(chat, user)
            await bot.unban_chat_member(chat, user, only_if_banned=True)
            return Outcome(status=OutcomeStatus.SENT, detail=f"kicked {user} from {chat}: {reason}")

        return await self._run("kick", act)

    async def timeout(self, channel_id: str, user_id: str, seconds: int, reason: str) -> Outcome:
        """Mute a user for ``seconds``, clamped to Telegram's 30 s .. 366 days."""
        if seconds <= 0:
            raise ValueError(f"timeout must be positive, got {seconds} s")
        chat = ChatTarget.parse(channel_id).chat_id
        user = _int(user_id, "user id", user_id)
        length = min(max(timedelta(seconds=seconds), MIN_TIMEOUT), MAX_TIMEOUT)

        async def act() -> Outcome:
            until = self._clock() + length
            await self._session.bot.restrict_chat_member(
                chat, user, ChatPermissions.no_permissions(), until_date=int(until.timestamp())
            )
            detail = f"muted {user} in {chat} until {until:%Y-%m-%d %H:%M:%S}Z: {reason}"
            return Outcome(status=OutcomeStatus.SENT, detail=detail)

        return await self._run("timeout", act)

    async def _send_text(
        self, action: str, target: ChatTarget, text: str, reply_to: int | None = None
    ) -> Outcome:
        if not text.strip():
            return self._done(
                action, Outcome(status=OutcomeStatus.FAILED, detail="empty text: nothing sent")
            )
        parts = split_text(text)
        limit = self._config.max_message_parts
        if len(parts) > limit:
            detail = (
                f"{utf16_len(text)} characters would need {len(parts)} messages (limit {limit})"
            )
            return self._done(action, Outcome(status=OutcomeStatus.TOO_LONG, detail=detail))
        sent: list[str] = []
        for part in parts:
            send = partial(self._send_one, target, part, reply_to)
            outcome = await self._run(action, send, repeat_on_timeout=False)
            if not outcome.ok:
                return _partial_failure(outcome, sent, len(parts))
            sent.append(outcome.external_id or "")
        detail = f"sent as {len(parts)} messages: {', '.join(sent)}" if len(sent) > 1 else ""
        return Outcome(status=OutcomeStatus.SENT, external_id=sent[0], detail=detail)

    async def _send_one(
        self,
        target: ChatTarget,
        text: str,
        reply_to: int | None,
        markup: InlineKeyboardMarkup | None = None,
    ) -> Outcome:
        message = await self._session.bot.send_message(
            target.chat_id,
            text,
            message_thread_id=target.thread_id,
            reply_parameters=None if reply_to is None else ReplyParameters(message_id=reply_to),
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            reply_markup=markup,
        )
        return Outcome(
            status=OutcomeStatus.SENT, external_id=f"{message.chat_id}:{message.message_id}"
        )

    async def _run(self, action: str, call: _Action, *, repeat_on_timeout: bool = True) -> Outcome:
        """Try ``call`` up to ``max_attempts`` times; turn every Telegram error into an outcome."""
        attempts = 0
        while True:
            attempts += 1
            last_try = attempts >= self._config.max_attempts
            try:
                await self._session.ready()
                return self._done(action, await call())
            except RetryAfter as exc:
                wait = retry_after_seconds(exc)
                if last_try or wait > self._config.max_retry_after:
                    detail = f"Telegram asked to wait {wait:.0f} s before retrying"
                    return self._done(
                        action, Outcome(status=OutcomeStatus.RATE_LIMITED, detail=detail)
                    )
                await self._sleep(wait)
            except TimedOut as exc:
                if last_try or not repeat_on_timeout:
                    detail = "timed out; Telegram may still have done it"
                    return self._failed(action, exc, detail)
                await self._sleep(self._backoff.delay(attempts))
            except TelegramError as exc:
                if not is_transient(exc):
                    status = refusal_status(exc)
                    return self._done(action, Outcome(status=status, detail=self._why(exc)))
                if last_try:
                    return self._failed(action, exc, f"gave up after {attempts} attempts")
                await self._sleep(self._backoff.delay(attempts))

    def _failed(self, action: str, error: TelegramError, note: str) -> Outcome:
        detail = f"{self._why(error)} ({note})"
        return self._done(action, Outcome(status=OutcomeStatus.FAILED, detail=detail))

    def _done(self, action: str, outcome: Outcome) -> Outcome:
        self._health.count(f"outbound_{outcome.status.value}")
        if not outcome.ok:
            log.warning("telegram: %s %s: %s", action, outcome.status.value, outcome.detail)
        return outcome

    def _why(self, error: BaseException) -> str:
        return self._session.scrub(describe(error))


def _partial_failure(outcome: Outcome, sent: list[str], total: int) -> Outcome:
    if not sent:
        return outcome
    detail = f"{outcome.detail}; {len(sent)} of {total} parts were sent: {', '.join(sent)}"
    return outcome.model_copy(update={"external_id": sent[0], "detail": detail})
