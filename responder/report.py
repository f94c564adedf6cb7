"""The numbers of ``watchdesk report``: response and resolution times, SLA, CSAT, drafts."""

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from store import DraftRecord, ResponderStore, TicketRecord

AUTO = "bot:auto-send"


@dataclass(frozen=True)
class TicketFigures:
    """Tickets of one platform and priority."""

    platform: str
    priority: str
    tickets: int
    first_response_median_s: float | None
    resolution_median_s: float | None
    first_response_breaches: int
    resolution_breaches: int
    csat_average: float | None
    csat_answers: int


@dataclass(frozen=True)
class DraftFigures:
    """Drafts of one platform by outcome."""

    platform: str
    approved: int
    edited: int
    rejected: int
    expired: int
    cancelled: int
    pending: int
    auto_sent: int


@dataclass(frozen=True)
class Report:
    """Everything ``watchdesk report`` prints."""

    since: datetime | None
    tickets: tuple[TicketFigures, ...]
    drafts: tuple[DraftFigures, ...]


def build_report(store: ResponderStore, since: datetime | None = None) -> Report:
    """Compute the report from the store (tickets and drafts created since ``since``)."""
    groups: dict[tuple[str, str], list[TicketRecord]] = defaultdict(list)
    for ticket in store.tickets(since=since, limit=1_000_000):
        groups[(ticket.platform, ticket.priority)].append(ticket)
    by_platform: dict[str, list[DraftRecord]] = defaultdict(list)
    for draft in store.drafts(since=since, limit=1_000_000):
        if draft.kind != "alert":
            by_platform[draft.platform].append(draft)
    return Report(
        since,
        tuple(_tickets(p, prio, ts) for (p, prio), ts in sorted(groups.items())),
        tuple(_drafts(p, ds) for p, ds in sorted(by_platform.items())),
    )


def _tickets(platform: str, priority: str, tickets: list[TicketRecord]) -> TicketFigures:
    first = [
        (t.first_response_at - t.created_at).total_seconds()
        for t in tickets
        if t.first_response_at is not None
    ]
    resolved = [
        (t.resolved_at - t.created_at).total_seconds() for t in tickets if t.resolved_at is not None
    ]
    scores = [t.csat_score for t in tickets if t.csat_score is not None]
    return TicketFigures(
        platform=platform,
        priority=priority,
        tickets=len(tickets),
        first_response_median_s=statistics.median(first) if first else None,
        resolution_median_s=statistics.median(resolved) if resolved else None,
        first_response_breaches=sum(t.first_response_breached for t in tickets),
        resolution_breaches=sum(t.resolution_breached for t in tickets),
        csat_average=round(statistics.mean(scores), 2) if scores else None,
        csat_answers=len(scores),
    )


def _drafts(platform: str, drafts: list[DraftRecord]) -> DraftFigures:
    decided = [d for d in drafts if d.status in ("approved", "sent", "failed")]
    by_people = [d for d in decided if d.decided_by != AUTO]
    return DraftFigures(
        platform=platform,
        approved=sum(d.text == d.original_text for d in by_people),
        edited=sum(d.text != d.original_text for d in by_people),
        rejected=sum(d.status == "rejected" for d in drafts),
        expired=sum(d.status == "expired" for d in drafts),
        cancelled=sum(d.status == "cancelled" for d in drafts),
        pending=sum(d.status == "pending" for d in drafts),
        auto_sent=sum(d.decided_by == AUTO for d in decided),
    )
