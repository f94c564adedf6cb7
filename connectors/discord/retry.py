"""Bounded exponential back-off with jitter, for reconnects and outbound retries."""

import asyncio
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait between attempts.

    Attributes:
        base: First delay in seconds.
        factor: Growth per attempt.
        max_delay: Longest single delay (the back-off is bounded).
        attempts: Tries of one outbound call before giving up (server errors, network).
        identify_delay: Pause before re-IDENTIFYing after a lost session (Discord allows one
            IDENTIFY per 5 seconds; tests set it to 0).
    """

    base: float = 1.0
    factor: float = 2.0
    max_delay: float = 60.0
    attempts: int = 4
    identify_delay: float = 5.0

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Delay before retry number ``attempt`` (0-based): half fixed, half random.

        The jitter spreads reconnects of many processes so they do not hit Discord in step.
        """
        ceiling = min(self.max_delay, self.base * self.factor**attempt)
        draw = (rng or random).random()
        return ceiling * (0.5 + draw / 2)


class Backoff:
    """Counts consecutive failures and sleeps accordingly; ``reset`` after a success."""

    def __init__(self, policy: RetryPolicy) -> None:
        self._policy = policy
        self._attempt = 0
        self._rng = random.Random()  # noqa: S311 - jitter, not cryptography

    def reset(self) -> None:
        """Start over after a success."""
        self._attempt = 0

    async def sleep(self) -> float:
        """Sleep for the next delay and return it."""
        delay = self._policy.delay(self._attempt, self._rng)
        self._attempt += 1
        await asyncio.sleep(delay)
        return delay
