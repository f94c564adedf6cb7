"""Plain records the responder's repository reads and writes (one field per column)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class TicketRecord:
    """A ticket as stored; ``id`` is the ticket number."""

    id: int
    platform: str
    user_id: str
    user_handle: str
    channel_id: str
    message_external_id: str
    kind: str
    priority: str
    status: str
    assignee: str | None
    language: str
    summary: str
    created_at: datetime
    updated_at: datetime
    first_response_due: datetime
    resolution_due: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    waiting_since: datetime | None
    follow_up_at: datetime | None
    first_response_breached: bool
    resolution_breached: bool
    dm_blocked: bool
    csat_score: int | None
    csat_comment: str | None


@dataclass(frozen=True)
class TicketEventRecord:
    """One line of a ticket's history."""

    id: int
    ticket_id: int
    at: datetime
    kind: str
    actor: str
    text: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class DraftRecord:
    """A draft as stored."""

    id: int
    platform: str
    kind: str
    status: str
    channel_id: str
    message_external_id: str
    author_id: str
    permalink: str | None
    language: str
    original_text: str
    text: str
    reason: str
    faq_id: str | None
    score: float | None
    ticket_id: int | None
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    decision_reason: str | None
    mod_post_id: str | None
    sent_external_id: str | None


@dataclass(frozen=True)
class OutboundRecord:
    """One outbound call and how it ended."""

    id: int
    platform: str
    kind: str
    target: str
    text: str
    status: str
    external_id: str | None
    detail: str
    attempts: int
    caused_by: str
    reason: str
    draft_id: int | None
    ticket_id: int | None
    created_at: datetime
    sent_at: datetime | None
