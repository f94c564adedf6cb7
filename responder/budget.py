"""Token buckets: per chat, per group per minute and per platform; callers wait, never drop."""

from collections.abc import Awaitable, Callable

from responder.config import Budget

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class TokenBucket:
    """``rate`` tokens per second up to ``burst``; one token per message.

    Args:
        rate: Tokens added per second.
        burst: Most tokens held (and the starting amount).
        clock: Monotonic seconds.
    """

    def __init__(self, rate: float, burst: float, clock: Clock) -> None:
        self._rate = rate
        self._burst = burst
        self._tokens = burst
        self._clock = clock
        self._last = clock()

    def wait_time(self) -> float:
        """Seconds until a token is available (0 when one is)."""
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + (now - self._last) * self._rate)
        self._last = now
        return 0.0 if self._tokens >= 1 else (1 - self._tokens) / self._rate

    def take(self) -> None:
        """Spend one token (call only when `wait_time` is 0)."""
        self._tokens -= 1


class Budgets:
    """The buckets of one platform.

    Args:
        budget: The platform's settings.
        clock: Monotonic seconds (tests pass a fake clock).
        sleep: How to wait (tests pass one that advances the fake clock).
    """

    def __init__(self, budget: Budget, clock: Clock, sleep: Sleep) -> None:
        self._budget = budget
        self._clock = clock
        self._sleep = sleep
        self._global = TokenBucket(budget.global_per_s, budget.global_burst, clock)
        self._chats: dict[str, TokenBucket] = {}
        self._groups: dict[str, TokenBucket] = {}

    async def acquire(self, chat: str, *, group: bool) -> float:
        """Wait until one more message may go to ``chat``; return how long it waited."""
        buckets = [self._global, self._chat(chat)]
        if group:
            buckets.append(self._group(chat))
        waited = 0.0
        while True:
            wait = max(bucket.wait_time() for bucket in buckets)
            if wait <= 0:
                for bucket in buckets:
                    bucket.take()
                return waited
            waited += wait
            await self._sleep(wait)

    def _chat(self, chat: str) -> TokenBucket:
        if chat not in self._chats:
            b = self._budget
            self._chats[chat] = TokenBucket(b.per_chat_per_s, b.per_chat_burst, self._clock)
        return self._chats[chat]

    def _group(self, chat: str) -> TokenBucket:
        if chat not in self._groups:
            per_s = self._budget.per_group_per_min / 60
            # Telegram's 20 a minute per group is the tighter ceiling there: after the chat's
            # burst, a group gets one message every 3 s.
            burst = max(1.0, min(self._budget.per_group_per_min, self._budget.per_chat_burst))
            self._groups[chat] = TokenBucket(per_s, burst, self._clock)
        return self._groups[chat]
