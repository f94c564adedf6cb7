"""Moderators' buttons: inline keyboards out, ``callback_query`` updates in.

A tap on a button under a draft in the moderators' chat arrives as a ``callback_query``; it
becomes a ``core.ModeratorDecision`` for the responder, whose answer is shown to the moderator
with ``answerCallbackQuery``. Taps on buttons outside the moderators' chat, or with data that is
not ours, are answered and otherwise ignored. Nothing here raises: a failed answer is logged.
"""

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import TelegramError

from connectors.telegram.client import BotSession
from core import Button, DecisionHandler, ModeratorDecision, parse_button_data

log = logging.getLogger(__name__)

ANSWER_LIMIT = 200  # answerCallbackQuery text: 0-200 characters


def keyboard(buttons: Sequence[Button]) -> InlineKeyboardMarkup:
    """One row of inline buttons carrying ``wd:<action>:<id>`` callback data."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in buttons]]
    )


def is_callback(update: object) -> bool:
    """True for a ``callback_query`` update."""
    return isinstance(update, Mapping) and isinstance(update.get("callback_query"), Mapping)


def to_decision(query: Mapping[str, Any], mod_chat_id: int | None) -> ModeratorDecision | None:
    """Translate a callback query from the moderators' chat; ``None`` when it is not ours."""
    parsed = parse_button_data(str(query.get("data") or ""))
    message = query.get("message")
    chat = message.get("chat") if isinstance(message, Mapping) else None
    chat_id = chat.get("id") if isinstance(chat, Mapping) else None
    sender = query.get("from")
    if parsed is None or mod_chat_id is None or chat_id != mod_chat_id:
        return None
    if not isinstance(sender, Mapping) or not isinstance(sender.get("id"), int):
        return None
    name = str(sender.get("username") or sender.get("first_name") or "")
    action, draft_id = parsed
    try:
        return ModeratorDecision(
            platform="telegram",
            moderator_id=str(sender["id"]),
            moderator_name=name,
            draft_id=draft_id,
            action=action,
        )
    except ValidationError:
        return None


class CallbackRouter:
    """Hands moderators' taps to the responder and answers them.

    Args:
        session: The shared Bot session.
        mod_chat_id: The moderators' chat; taps elsewhere are refused.
        handler: The responder's decision handler.
    """

    def __init__(
        self, session: BotSession, mod_chat_id: int | None, handler: DecisionHandler
    ) -> None:
        self._session = session
        self._mod_chat_id = mod_chat_id
        self._handler = handler

    async def handle(self, update: Mapping[str, Any]) -> None:
        """Act on one ``callback_query`` update and answer it."""
        query = update["callback_query"]
        decision = to_decision(query, self._mod_chat_id)
        if decision is None:
            text = "This button is not one of ours, or not in the moderators' chat."
        else:
            try:
                text = await self._handler(decision)
            except Exception as exc:  # noqa: BLE001 - the moderator must get an answer
                log.error("telegram: decision failed with %s", type(exc).__name__)
                text = "Something went wrong; try again or use the CLI."
        query_id = str(query.get("id") or "")
        if not query_id:
            return
        try:
            await self._session.bot.answer_callback_query(query_id, text=text[:ANSWER_LIMIT])
        except TelegramError as exc:
            log.warning("telegram: answerCallbackQuery failed: %s", self._session.scrub(str(exc)))
