"""Ticket lifecycle: open -> waiting_on_user -> in_progress -> resolved -> closed.

A ticket is reopened when its user writes again; SLA due times come from the priority, and a
sweep records breaches, sends the follow-up to users who went quiet and closes old resolved
tickets. Store calls are synchronous: the async responder calls these through a thread.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from core import Message
from responder.actions import Priority
from responder.config import ResponderConfig
from store import ResponderStore, TicketRecord

STATUSES = ("open", "waiting_on_user", "in_progress", "resolved", "closed")
ACTIVE = ("open", "waiting_on_user", "in_progress")
_RANK = {Priority.URGENT.value: 0, Priority.HIGH.value: 1, Priority.NORMAL.value: 2}


class TicketError(ValueError):
    """A ticket request that cannot be done (unknown number, bad status)."""


@dataclass(frozen=True)
class SweepResult:
    """What one sweep found."""

    breached: tuple[int, ...] = ()
    follow_ups: tuple[TicketRecord, ...] = ()
    closed: tuple[int, ...] = ()


class Tickets:
    """Opens and moves tickets.

    Args:
        store: The responder's repository.
        config: SLA, follow-up and close times.
        clock: Source of "now".
    """

    def __init__(
        self, store: ResponderStore, config: ResponderConfig, clock: Callable[[], datetime]
    ) -> None:
        self._store = store
        self._config = config
        self._clock = clock

    def open_for(
        self, message: Message, kind: str, priority: str, language: str, reason: str
    ) -> tuple[TicketRecord, bool]:
        """Open a ticket for the author of ``message``, or reuse their active one.

        Returns:
            The ticket and whether it is new.
        """
        current = self._store.latest_ticket_of(message.platform, message.author.id)
        if current is not None and current.status in ACTIVE:
            if _RANK.get(priority, 2) < _RANK.get(current.priority, 2):
                current = self._store.update_ticket(current.id, {"priority": priority}) or current
            self._store.add_ticket_event(
                current.id, "user_message", message.author.id, reason, {"message": _key(message)}
            )
            return current, False
        now = self._clock()
        sla = self._config.sla_for(priority)
        ticket = self._store.add_ticket(
            {
                "platform": message.platform,
                "user_id": message.author.id,
                "user_handle": message.author.handle or message.author.display_name,
                "channel_id": message.channel.id,
                "message_external_id": message.external_id,
                "kind": kind,
                "priority": priority,
                "status": "open",
                "assignee": None,
                "language": language,
                "summary": reason,
                "created_at": now,
                "updated_at": now,
                "first_response_due": now + sla.first_response,
                "resolution_due": now + sla.resolution,
                "first_response_at": None,
                "resolved_at": None,
                "closed_at": None,
                "waiting_since": None,
                "follow_up_at": None,
                "first_response_breached": False,
                "resolution_breached": False,
                "dm_blocked": False,
                "csat_score": None,
                "csat_comment": None,
            }
        )
        self._store.add_ticket_event(ticket.id, "opened", "bot", reason, {"message": _key(message)})
        return ticket, True

    def acknowledged(self, number: int) -> None:
        """The automatic ticket DM reached the user: the ticket waits on their details."""
        ticket = self.get(number)
        if ticket.status == "open":
            values = {"status": "waiting_on_user", "waiting_since": self._clock()}
            self._store.update_ticket(number, values)

    def responded(self, number: int) -> None:
        """A person answered the user (an approved reply, a staff DM): the SLA's first response.

        The ticket then waits on the user.
        """
        ticket = self.get(number)
        now = self._clock()
        values: dict[str, object] = {"status": "waiting_on_user", "waiting_since": now}
        if ticket.first_response_at is None:
            values["first_response_at"] = now
        if ticket.status in ("open", "in_progress", "waiting_on_user"):
            self._store.update_ticket(number, values)
        elif ticket.first_response_at is None:
            self._store.update_ticket(number, {"first_response_at": now})

    def dm_blocked(self, number: int, detail: str) -> None:
        """Note that the user cannot be reached privately."""
        self._store.update_ticket(number, {"dm_blocked": True})
        self._store.add_ticket_event(number, "dm_blocked", "bot", detail)

    def user_wrote(self, ticket: TicketRecord, message: Message) -> TicketRecord:
        """Attach a user's later message; reopen a resolved ticket, wake a waiting one."""
        self._store.add_ticket_event(
            ticket.id, "user_message", message.author.id, message.text, {"message": _key(message)}
        )
        if ticket.status in ("waiting_on_user", "resolved"):
            event = "reopened" if ticket.status == "resolved" else "status"
            self._store.add_ticket_event(ticket.id, event, "bot", "user wrote again")
            values = {"status": "in_progress", "waiting_since": None, "resolved_at": None}
            return self._store.update_ticket(ticket.id, values) or ticket
        return ticket

    def get(self, number: int) -> TicketRecord:
        """Return ticket ``number``.

        Raises:
            TicketError: When there is no such ticket.
        """
        ticket = self._store.ticket(number)
        if ticket is None:
            raise TicketError(f"there is no ticket #{number}")
        return ticket

    def assign(self, number: int, assignee: str, actor: str) -> TicketRecord:
        """Give the ticket to someone; it is then in progress."""
        ticket = self.get(number)
        if not assignee.strip():
            raise TicketError("the assignee is empty")
        status = "in_progress" if ticket.status in ACTIVE else ticket.status
        self._store.add_ticket_event(number, "assigned", actor, assignee)
        return self._store.update_ticket(number, {"assignee": assignee, "status": status}) or ticket

    def note(self, number: int, text: str, actor: str) -> None:
        """Add an internal note (never shown to the user)."""
        self.get(number)
        if not text.strip():
            raise TicketError("the note is empty")
        self._store.add_ticket_event(number, "note", actor, text)

    def set_status(self, number: int, status: str, actor: str) -> TicketRecord:
        """Move a ticket to ``status``."""
        if status not in STATUSES:
            raise TicketError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        ticket = self.get(number)
        now = self._clock()
        values: dict[str, object] = {"status": status}
        if status == "waiting_on_user":
            values["waiting_since"] = now
        if status == "resolved":
            values["resolved_at"] = now
            late = now > ticket.resolution_due
            values["resolution_breached"] = ticket.resolution_breached or late
        if status == "closed":
            values["closed_at"] = now
        self._store.add_ticket_event(number, "status", actor, f"{ticket.status} -> {status}")
        return self._store.update_ticket(number, values) or ticket

    def record_csat(self, number: int, score: int, comment: str) -> None:
        """Store the user's rating (1 to 5) and comment."""
        if not 1 <= score <= 5:
            raise TicketError("the rating must be 1 to 5")
        self._store.update_ticket(number, {"csat_score": score, "csat_comment": comment or None})
        self._store.add_ticket_event(number, "csat", "user", f"{score} {comment}".strip())

    def sweep(self) -> SweepResult:
        """Record SLA breaches, pick follow-ups due, close old resolved tickets."""
        now = self._clock()
        breached: list[int] = []
        follow_ups: list[TicketRecord] = []
        closed: list[int] = []
        for ticket in self._store.tickets(limit=100_000):
            if ticket.status in ACTIVE:
                breached += self._breaches(ticket, now)
                waiting = ticket.waiting_since
                due = waiting is not None and now - waiting >= self._config.follow_up_after
                if ticket.status == "waiting_on_user" and due and ticket.follow_up_at is None:
                    self._store.update_ticket(ticket.id, {"follow_up_at": now})
                    follow_ups.append(ticket)
            resolved = ticket.resolved_at
            old = resolved is not None and now - resolved >= self._config.close_after
            if ticket.status == "resolved" and old:
                self.set_status(ticket.id, "closed", "bot")
                closed.append(ticket.id)
        return SweepResult(tuple(sorted(set(breached))), tuple(follow_ups), tuple(closed))

    def _breaches(self, ticket: TicketRecord, now: datetime) -> list[int]:
        values: dict[str, object] = {}
        late_first = ticket.first_response_at is None and now > ticket.first_response_due
        if late_first and not ticket.first_response_breached:
            values["first_response_breached"] = True
        if now > ticket.resolution_due and not ticket.resolution_breached:
            values["resolution_breached"] = True
        if not values:
            return []
        self._store.update_ticket(ticket.id, values)
        self._store.add_ticket_event(ticket.id, "sla_breach", "bot", ", ".join(values))
        return [ticket.id]


def _key(message: Message) -> str:
    return f"{message.platform}:{message.external_id}"
