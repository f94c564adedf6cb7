"""Tables of the responder: claims, tickets and their events, drafts, outbound messages.

They live on the same declarative `Base` as the message tables, so Alembic compares them too
(migration ``0002_responder``). Ticket numbers are the tickets' ids.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base, BigId, _table
from store.types import CleanJSON, CleanString, CleanText, UTCDateTime


class ResponseClaimRow(Base):
    """A message the responder has taken on; the unique key makes every answer happen once."""

    __tablename__ = "response_claims"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(CleanString())
    external_id: Mapped[str] = mapped_column(CleanString(256))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TicketRow(Base):
    """A private support case with one user; its id is the number the user sees."""

    __tablename__ = "tickets"
    __table_args__ = (Index(None, "platform", "user_id"), Index(None, "status"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(CleanString())
    user_id: Mapped[str] = mapped_column(CleanText())
    user_handle: Mapped[str] = mapped_column(CleanText())
    channel_id: Mapped[str] = mapped_column(CleanText())
    message_external_id: Mapped[str] = mapped_column(CleanText())
    kind: Mapped[str] = mapped_column(CleanString(32))
    priority: Mapped[str] = mapped_column(CleanString(16))
    status: Mapped[str] = mapped_column(CleanString(32))
    assignee: Mapped[str | None] = mapped_column(CleanText())
    language: Mapped[str] = mapped_column(CleanString(16))
    summary: Mapped[str] = mapped_column(CleanText())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    first_response_due: Mapped[datetime] = mapped_column(UTCDateTime())
    resolution_due: Mapped[datetime] = mapped_column(UTCDateTime())
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    follow_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_response_breached: Mapped[bool] = mapped_column(Boolean())
    resolution_breached: Mapped[bool] = mapped_column(Boolean())
    dm_blocked: Mapped[bool] = mapped_column(Boolean())
    csat_score: Mapped[int | None] = mapped_column(Integer())
    csat_comment: Mapped[str | None] = mapped_column(CleanText())


class TicketEventRow(Base):
    """Something that happened to a ticket: a note, a user's message, a status change."""

    __tablename__ = "ticket_events"
    __table_args__ = (Index(None, "ticket_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("tickets.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(CleanString(32))
    actor: Mapped[str] = mapped_column(CleanText())
    text: Mapped[str] = mapped_column(CleanText())
    detail: Mapped[dict[str, Any]] = mapped_column(CleanJSON())


class DraftRow(Base):
    """A public answer waiting for a moderator, and what became of it."""

    __tablename__ = "drafts"
    __table_args__ = (Index(None, "status"), Index(None, "platform", "message_external_id"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(CleanString())
    kind: Mapped[str] = mapped_column(CleanString(32))
    status: Mapped[str] = mapped_column(CleanString(32))
    channel_id: Mapped[str] = mapped_column(CleanText())
    message_external_id: Mapped[str] = mapped_column(CleanText())
    author_id: Mapped[str] = mapped_column(CleanText())
    permalink: Mapped[str | None] = mapped_column(CleanText())
    language: Mapped[str] = mapped_column(CleanString(16))
    original_text: Mapped[str] = mapped_column(CleanText())
    text: Mapped[str] = mapped_column(CleanText())
    reason: Mapped[str] = mapped_column(CleanText())
    faq_id: Mapped[str | None] = mapped_column(CleanText())
    score: Mapped[float | None] = mapped_column(Float())
    ticket_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(CleanText())
    decision_reason: Mapped[str | None] = mapped_column(CleanText())
    mod_post_id: Mapped[str | None] = mapped_column(CleanText())
    sent_external_id: Mapped[str | None] = mapped_column(CleanText())


class OutboundRow(Base):
    """Every message or action the bot sent to a platform, linked to what caused it."""

    __tablename__ = "outbound_messages"
    __table_args__ = (Index(None, "caused_by"), Index(None, "created_at"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(CleanString())
    kind: Mapped[str] = mapped_column(CleanString(32))
    target: Mapped[str] = mapped_column(CleanText())
    text: Mapped[str] = mapped_column(CleanText())
    status: Mapped[str] = mapped_column(CleanString(32))
    external_id: Mapped[str | None] = mapped_column(CleanText())
    detail: Mapped[str] = mapped_column(CleanText())
    attempts: Mapped[int] = mapped_column(Integer())
    caused_by: Mapped[str] = mapped_column(CleanText())
    reason: Mapped[str] = mapped_column(CleanText())
    draft_id: Mapped[int | None] = mapped_column(BigInteger)
    ticket_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


RESPONSE_CLAIMS = _table(ResponseClaimRow)
TICKETS = _table(TicketRow)
TICKET_EVENTS = _table(TicketEventRow)
DRAFTS = _table(DraftRow)
OUTBOUND = _table(OutboundRow)
