"""Back-off, flood-control waits and the mapping of Bot API errors to outcomes.

Telegram answers ``429`` with ``parameters.retry_after`` (python-telegram-bot raises
``RetryAfter``): we wait exactly as told. ``5xx`` answers and network errors are transient:
bounded exponential back-off with jitter. ``400``/``403`` answers are refusals that no retry
will change; their description says which kind (see ``refusal_status``).
"""

import random
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.warnings import PTBDeprecationWarning

from core import OutcomeStatus

Sleep = Callable[[float], Awaitable[None]]

# Descriptions Telegram gives to 400 answers, lower case, mapped to what the caller can do.
_NOT_FOUND = ("not found", "participant_id_invalid", "user_id_invalid", "message_id_invalid")
_FORBIDDEN = (
    "not enough rights",
    "can't be deleted",
    "have no rights",
    "administrator",
    "chat owner",
    "can't remove",
    "chat_admin_required",
    "need administrator rights",
    "not a member",
)
_TOO_LONG = ("too long",)


@dataclass(frozen=True)
class Backoff:
    """Exponential back-off with "equal jitter": between half and all of the capped delay.

    Jitter keeps many clients from retrying in step; the lower half-bound keeps a burst of
    failures from hammering the API with near-zero waits.

    Attributes:
        base: Delay before the first retry, in seconds.
        cap: Longest delay, in seconds.
        rng: Source of jitter (seeded in tests).
    """

    base: float
    cap: float
    rng: random.Random

    def delay(self, failures: int) -> float:
        """Return the wait after the ``failures``-th consecutive failure (1-based)."""
        exponent = min(max(failures - 1, 0), 32)  # 2**32 * base is past any sane cap
        ceiling = min(self.cap, self.base * 2.0**exponent)
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)


def retry_after_seconds(error: RetryAfter) -> float:
    """Return how long Telegram asked us to wait, in seconds."""
    with warnings.catch_warnings():
        # PTB 22 warns that ``retry_after`` will become a timedelta; both forms are handled.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: object = error.retry_after
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(str(value))
    return max(seconds, 0.0)


def is_transient(error: BaseException) -> bool:
    """True for errors a later attempt may not repeat: 5xx answers, timeouts, network faults.

    ``BadRequest`` is a ``NetworkError`` subclass in python-telegram-bot but is a definite
    refusal, so it is excluded.
    """
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


def refusal_status(error: TelegramError) -> OutcomeStatus:
    """Map a non-transient Bot API error to the outcome the caller can act on."""
    if isinstance(error, Forbidden):
        return OutcomeStatus.FORBIDDEN  # blocked by the user, kicked, or not allowed
    if isinstance(error, BadRequest):
        text = error.message.lower()
        if any(marker in text for marker in _TOO_LONG):
            return OutcomeStatus.TOO_LONG
        if any(marker in text for marker in _NOT_FOUND):
            return OutcomeStatus.NOT_FOUND
        if any(marker in text for marker in _FORBIDDEN):
            return OutcomeStatus.FORBIDDEN
    return OutcomeStatus.FAILED


def describe(error: BaseException) -> str:
    """A short description of an error for logs and outcomes (scrub it before use)."""
    if isinstance(error, ChatMigrated):
        return f"the group became a supergroup; its new id is {error.new_chat_id}"
    if isinstance(error, InvalidToken):
        return "the bot token was rejected by Telegram"  # PTB's own message quotes the token
    if isinstance(error, TimedOut):
        return "timed out"
    if isinstance(error, TelegramError):
        name = type(error).__name__
        # Telegram's own descriptions often start with the kind already ("Forbidden: ...").
        if error.message.lower().startswith(name.lower()):
            return error.message
        return f"{name}: {error.message}"
    return f"{type(error).__name__}: {error}"
