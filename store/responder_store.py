"""`ResponderStore`: the responder's repository (claims, tickets, drafts, outbound messages).

Same rules as `Store`: every method opens its own transaction, so one instance may be shared by
the threads of ``asyncio.to_thread``. Decisions on drafts are compare-and-set on the status, so
two moderators tapping at once cannot both send.
"""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, Table, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from core._base import utc_now
from store.engine import read_transaction, write_transaction
from store.responder_models import DRAFTS, OUTBOUND, RESPONSE_CLAIMS, TICKET_EVENTS, TICKETS
from store.responder_records import DraftRecord, OutboundRecord, TicketEventRecord, TicketRecord

R = TypeVar("R")
OPEN_STATUSES = ("open", "waiting_on_user", "in_progress")


class ResponderStore:
    """Repository of the responder's tables.

    Args:
        engine: The engine of a database upgraded to the current schema.
        clock: Source of "now" for claims.
    """

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._engine = engine
        self._clock = clock

    # -- claims ------------------------------------------------------------------------------

    def claim(self, platform: str, external_id: str) -> bool:
        """Take a message on; False when it was taken before (then nothing must be done)."""
        row = {"platform": platform, "external_id": external_id, "claimed_at": self._clock()}
        try:
            with write_transaction(self._engine) as conn:
                conn.execute(insert(RESPONSE_CLAIMS), [row])
        except IntegrityError:
            return False
        return True

    # -- tickets -----------------------------------------------------------------------------

    def add_ticket(self, values: Mapping[str, Any]) -> TicketRecord:
        """Insert a ticket; returns it with its number."""
        return self._insert(TICKETS, values, TicketRecord)

    def ticket(self, number: int) -> TicketRecord | None:
        """Return ticket ``number``."""
        return self._one(TICKETS, TicketRecord, TICKETS.c.id == number)

    def tickets(
        self, *, status: str | None = None, since: datetime | None = None, limit: int = 1000
    ) -> list[TicketRecord]:
        """Return tickets, newest first, optionally of one status or created since a time."""
        query = select(TICKETS).order_by(TICKETS.c.id.desc()).limit(limit)
        if status is not None:
            query = query.where(TICKETS.c.status == status)
        if since is not None:
            query = query.where(TICKETS.c.created_at >= since)
        with read_transaction(self._engine) as conn:
            return [TicketRecord(**row._asdict()) for row in conn.execute(query)]

    def latest_ticket_of(self, platform: str, user_id: str) -> TicketRecord | None:
        """Return the user's newest ticket that is not closed."""
        query = (
            select(TICKETS)
            .where(TICKETS.c.platform == platform, TICKETS.c.user_id == user_id)
            .where(TICKETS.c.status != "closed")
            .order_by(TICKETS.c.id.desc())
            .limit(1)
        )
        with read_transaction(self._engine) as conn:
            row = conn.execute(query).first()
        return None if row is None else TicketRecord(**row._asdict())

    def update_ticket(self, number: int, values: Mapping[str, Any]) -> TicketRecord | None:
        """Change columns of a ticket (``updated_at`` too) and return it."""
        changes = {"updated_at": self._clock(), **values}
        with write_transaction(self._engine) as conn:
            conn.execute(update(TICKETS).where(TICKETS.c.id == number).values(**changes))
        return self.ticket(number)

    def add_ticket_event(
        self,
        number: int,
        kind: str,
        actor: str,
        text: str = "",
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        """Append a line to a ticket's history."""
        row = {
            "ticket_id": number,
            "at": self._clock(),
            "kind": kind,
            "actor": actor,
            "text": text,
            "detail": dict(detail or {}),
        }
        with write_transaction(self._engine) as conn:
            conn.execute(insert(TICKET_EVENTS), [row])

    def ticket_events(self, number: int) -> list[TicketEventRecord]:
        """Return a ticket's history, oldest first."""
        query = (
            select(TICKET_EVENTS)
            .where(TICKET_EVENTS.c.ticket_id == number)
            .order_by(TICKET_EVENTS.c.id)
        )
        with read_transaction(self._engine) as conn:
            return [TicketEventRecord(**row._asdict()) for row in conn.execute(query)]

    # -- drafts ------------------------------------------------------------------------------

    def add_draft(self, values: Mapping[str, Any]) -> DraftRecord:
        """Insert a draft; returns it with its id."""
        return self._insert(DRAFTS, values, DraftRecord)

    def draft(self, draft_id: int) -> DraftRecord | None:
        """Return draft ``draft_id``."""
        return self._one(DRAFTS, DraftRecord, DRAFTS.c.id == draft_id)

    def draft_by_mod_post(self, platform: str, mod_post_id: str) -> DraftRecord | None:
        """Return the draft whose review post in the moderators' chat is ``mod_post_id``."""
        where = (DRAFTS.c.platform == platform) & (DRAFTS.c.mod_post_id == mod_post_id)
        return self._one(DRAFTS, DraftRecord, where)

    def drafts(
        self, *, status: str | None = None, since: datetime | None = None, limit: int = 1000
    ) -> list[DraftRecord]:
        """Return drafts, oldest first, optionally of one status or created since a time."""
        query = select(DRAFTS).order_by(DRAFTS.c.id).limit(limit)
        if status is not None:
            query = query.where(DRAFTS.c.status == status)
        if since is not None:
            query = query.where(DRAFTS.c.created_at >= since)
        with read_transaction(self._engine) as conn:
            return [DraftRecord(**row._asdict()) for row in conn.execute(query)]

    def update_draft(
        self, draft_id: int, values: Mapping[str, Any], *, expect_status: str | None = None
    ) -> bool:
        """Change a draft; with ``expect_status`` only if it still has that status.

        Returns:
            True when a row was changed (False: someone else decided first, or no such draft).
        """
        statement = update(DRAFTS).where(DRAFTS.c.id == draft_id).values(**values)
        if expect_status is not None:
            statement = statement.where(DRAFTS.c.status == expect_status)
        with write_transaction(self._engine) as conn:
            return conn.execute(statement).rowcount == 1

    # -- outbound ----------------------------------------------------------------------------

    def add_outbound(self, values: Mapping[str, Any]) -> OutboundRecord:
        """Record an outbound call before it is made."""
        return self._insert(OUTBOUND, values, OutboundRecord)

    def update_outbound(self, outbound_id: int, values: Mapping[str, Any]) -> None:
        """Record how an outbound call ended."""
        with write_transaction(self._engine) as conn:
            conn.execute(update(OUTBOUND).where(OUTBOUND.c.id == outbound_id).values(**values))

    def outbound(self, *, caused_by: str | None = None, limit: int = 1000) -> list[OutboundRecord]:
        """Return outbound calls, oldest first, optionally those caused by one message."""
        query = select(OUTBOUND).order_by(OUTBOUND.c.id).limit(limit)
        if caused_by is not None:
            query = query.where(OUTBOUND.c.caused_by == caused_by)
        with read_transaction(self._engine) as conn:
            return [OutboundRecord(**row._asdict()) for row in conn.execute(query)]

    def count_tickets(self) -> int:
        """Return how many tickets exist."""
        with read_transaction(self._engine) as conn:
            return int(conn.execute(select(func.count()).select_from(TICKETS)).scalar_one())

    # -- helpers -----------------------------------------------------------------------------

    def _insert(self, table: Table, values: Mapping[str, Any], record: Callable[..., R]) -> R:
        with write_transaction(self._engine) as conn:
            new_id = conn.execute(insert(table).returning(table.c.id), [dict(values)]).scalar_one()
            row = conn.execute(select(table).where(table.c.id == new_id)).one()
        return record(**row._asdict())

    def _one(self, table: Table, record: Callable[..., R], where: Any) -> R | None:
        with read_transaction(self._engine) as conn:
            row = conn.execute(select(table).where(where)).first()
        return None if row is None else record(**row._asdict())
