"""What every connector is built from, and what it hands back to the composition root."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from core import Connector, CursorReader, Outbox
from core._base import utc_now


class HealthState(StrEnum):
    """Whether a connector is doing its job."""

    STARTING = "starting"
    HEALTHY = "healthy"
    DEGRADED = "degraded"  # failing, retrying with back-off
    UNHEALTHY = "unhealthy"  # kept failing past its budget; the rest of the process goes on
    STOPPED = "stopped"


@dataclass
class ConnectorHealth:
    """Mutable health record of one connector, read by ``watchdesk status`` and the live view.

    Attributes:
        name: Connector name.
        failure_budget: Consecutive failures after which the state becomes ``unhealthy``.
    """

    name: str
    failure_budget: int = 5
    state: HealthState = HealthState.STARTING
    last_event_at: datetime | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    counters: dict[str, int] = field(default_factory=dict)

    def event(self) -> None:
        """Record that an event arrived (the connector works)."""
        self.last_event_at = utc_now()
        self.consecutive_failures = 0
        self.state = HealthState.HEALTHY

    def connected(self) -> None:
        """Record a successful (re)connection."""
        self.consecutive_failures = 0
        self.state = HealthState.HEALTHY

    def failure(self, error: str) -> None:
        """Record a failure; past the budget the connector is unhealthy."""
        self.consecutive_failures += 1
        self.last_error = error
        over = self.consecutive_failures >= self.failure_budget
        self.state = HealthState.UNHEALTHY if over else HealthState.DEGRADED

    def count(self, what: str, n: int = 1) -> None:
        """Count something worth showing (ignored chats, unknown update types, ...)."""
        self.counters[what] = self.counters.get(what, 0) + n

    def stopped(self) -> None:
        """Record a clean stop."""
        self.state = HealthState.STOPPED


@dataclass(frozen=True)
class ConnectorDeps:
    """Collaborators the composition root passes to every connector factory.

    Attributes:
        cursors: Saved resume positions.
        health: This connector's health record.
        clock: Source of "now" (tests pass a fixed clock).
    """

    cursors: CursorReader
    health: ConnectorHealth
    clock: Callable[[], datetime] = utc_now


@dataclass(frozen=True)
class ConnectorBundle:
    """A built connector: its inbound half and, where the platform can act, its outbound half."""

    connector: Connector
    outbox: Outbox | None = None
