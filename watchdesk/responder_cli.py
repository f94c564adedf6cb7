"""``watchdesk drafts | tickets | faq | report``: the responder's command line (typer).

Mount with `mount` (``drafts``, ``tickets`` and ``faq`` groups, and the ``report`` command).
Settings come from ``watchdesk.cli._settings`` (imported when a command runs, so the two
modules do not import each other at load time). Whoever can run the CLI is an operator: its
decisions are audited as ``cli:<login>``.
"""

import asyncio
import getpass
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from core import ConfigError
from responder.approvals import Approvals, DraftError
from responder.desk import Desk
from responder.report import build_report
from responder.tickets import TicketError
from watchdesk import app as wiring
from watchdesk import responder_wiring as rw
from watchdesk.settings import Settings

T = TypeVar("T")

drafts_cli = typer.Typer(help="Drafted public answers waiting for approval.", no_args_is_help=True)
tickets_cli = typer.Typer(help="Private support tickets.", no_args_is_help=True)
faq_cli = typer.Typer(help="The FAQ knowledge base.", no_args_is_help=True)

IdArg = Annotated[int, typer.Argument(help="Draft id.", min=1)]
TicketArg = Annotated[int, typer.Argument(help="Ticket number.", min=1)]


def mount(cli: typer.Typer) -> None:
    """Add the responder's commands to the ``watchdesk`` app."""
    cli.add_typer(drafts_cli, name="drafts")
    cli.add_typer(tickets_cli, name="tickets")
    cli.add_typer(faq_cli, name="faq")
    cli.command("report")(report)


def _settings(ctx: typer.Context) -> Settings:
    from watchdesk.cli import _settings as load  # noqa: PLC0415 - avoids an import cycle

    return load(ctx)


def _fail(message: str, code: int = 2) -> NoReturn:
    Console(stderr=True).print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _offline_desk(settings: Settings) -> Desk:
    """A desk without outboxes: enough to read and to change what needs no platform."""
    return rw.build_desk(settings, wiring.build_store(settings), {})


def _with_desk(settings: Settings, work: Callable[[Desk], Awaitable[T]]) -> T:
    """Run ``work`` with a desk over the enabled connectors' outboxes."""

    async def main() -> T:
        store = wiring.build_store(settings)
        built = wiring.build_connectors(settings, store)
        return await work(rw.build_desk(settings, store, rw.outboxes_of(built.bundles)))

    try:
        return asyncio.run(main())
    except (ConfigError, DraftError, TicketError) as exc:
        _fail(str(exc))


# -- drafts ------------------------------------------------------------------------------------


@drafts_cli.command("list")
def drafts_list(
    ctx: typer.Context,
    status: Annotated[str, typer.Option(help="pending, sent, rejected, expired, ...")] = "pending",
) -> None:
    """List drafts of one status (pending by default)."""
    desk = _offline_desk(_settings(ctx))
    table = Table(title=f"drafts: {status}")
    for column in ("id", "platform", "kind", "created", "expires", "text"):
        table.add_column(column)
    for d in desk.rstore.drafts(status=status):
        created, expires = f"{d.created_at:%Y-%m-%d %H:%M}", f"{d.expires_at:%H:%M}"
        shown = d.text or d.reason  # an alert has no text of its own: show why it was raised
        table.add_row(str(d.id), d.platform, d.kind, created, expires, shown[:60])
    Console().print(table)


@drafts_cli.command("show")
def drafts_show(ctx: typer.Context, draft_id: IdArg) -> None:
    """Show one draft with what caused it."""
    desk = _offline_desk(_settings(ctx))
    draft = desk.rstore.draft(draft_id)
    if draft is None:
        _fail(f"there is no draft #{draft_id}")
    console = Console()
    console.print(f"[bold]Draft #{draft.id}[/] {draft.kind} on {draft.platform}: {draft.status}")
    console.print(f"reason: {draft.reason}")
    console.print(f"original: {draft.permalink or draft.message_external_id}")
    if draft.faq_id:
        console.print(f"faq: {draft.faq_id} (score {draft.score})")
    if draft.decided_by:
        console.print(
            f"decided by {draft.decided_by} at {draft.decided_at}: {draft.decision_reason}"
        )
    console.print(f"\n{draft.text}", highlight=False)


@drafts_cli.command("approve")
def drafts_approve(ctx: typer.Context, draft_id: IdArg) -> None:
    """Approve a draft and post it as a threaded reply."""
    decided = _with_desk(_settings(ctx), lambda desk: _approvals(desk).approve(draft_id, _actor()))
    Console().print(decided.message)


@drafts_cli.command("edit")
def drafts_edit(
    ctx: typer.Context,
    draft_id: IdArg,
    text: Annotated[str, typer.Argument(help="The new text; it is approved and posted.")],
) -> None:
    """Replace a draft's text, then approve and post it."""
    decided = _with_desk(
        _settings(ctx), lambda desk: _approvals(desk).approve(draft_id, _actor(), text)
    )
    Console().print(decided.message)


@drafts_cli.command("reject")
def drafts_reject(
    ctx: typer.Context,
    draft_id: IdArg,
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why (kept in the audit log).")],
) -> None:
    """Reject a draft with a reason."""
    decided = _with_desk(
        _settings(ctx), lambda desk: _approvals(desk).reject(draft_id, _actor(), reason)
    )
    Console().print(decided.message)


def _approvals(desk: Desk) -> Approvals:
    return Approvals(desk)


# -- tickets -----------------------------------------------------------------------------------


@tickets_cli.command("list")
def tickets_list(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="open, waiting_on_user, ...")] = None,
) -> None:
    """List tickets, newest first."""
    desk = _offline_desk(_settings(ctx))
    table = Table(title="tickets")
    for column in ("#", "platform", "priority", "status", "user", "assignee", "opened", "due"):
        table.add_column(column)
    for t in desk.rstore.tickets(status=status, limit=200):
        table.add_row(
            str(t.id),
            t.platform,
            t.priority,
            t.status,
            t.user_handle or t.user_id,
            t.assignee or "-",
            f"{t.created_at:%Y-%m-%d %H:%M}",
            f"{t.resolution_due:%Y-%m-%d %H:%M}",
        )
    Console().print(table)


@tickets_cli.command("show")
def tickets_show(ctx: typer.Context, number: TicketArg) -> None:
    """Show a ticket and its history."""
    desk = _offline_desk(_settings(ctx))
    try:
        t = desk.tickets.get(number)
    except TicketError as exc:
        _fail(str(exc))
    console = Console()
    console.print(f"[bold]Ticket #{t.id}[/] {t.kind}, {t.priority}, {t.status} on {t.platform}")
    console.print(
        f"user: {t.user_handle or t.user_id} ({t.user_id}); assignee: {t.assignee or '-'}"
    )
    console.print(f"first response due {t.first_response_due}, resolution due {t.resolution_due}")
    flags = [
        n
        for n, v in (
            ("first response SLA breached", t.first_response_breached),
            ("resolution SLA breached", t.resolution_breached),
            ("user blocked DMs", t.dm_blocked),
        )
        if v
    ]
    if flags:
        console.print("; ".join(flags), style="red")
    if t.csat_score is not None:
        console.print(f"CSAT {t.csat_score}/5 {t.csat_comment or ''}")
    for event in desk.rstore.ticket_events(number):
        console.print(
            f"{event.at:%Y-%m-%d %H:%M:%S} {event.kind} {event.actor}: {event.text}",
            highlight=False,
        )


@tickets_cli.command("assign")
def tickets_assign(
    ctx: typer.Context, number: TicketArg, assignee: Annotated[str, typer.Argument()]
) -> None:
    """Assign a ticket (it is then in progress)."""
    desk = _offline_desk(_settings(ctx))
    try:
        ticket = desk.tickets.assign(number, assignee, _actor())
    except TicketError as exc:
        _fail(str(exc))
    desk.store.audit(_actor(), "assign_ticket", f"ticket:{number}", {"assignee": assignee})
    Console().print(f"Ticket #{number} assigned to {ticket.assignee}.")


@tickets_cli.command("note")
def tickets_note(
    ctx: typer.Context, number: TicketArg, text: Annotated[str, typer.Argument()]
) -> None:
    """Add an internal note (never shown to the user)."""
    desk = _offline_desk(_settings(ctx))
    try:
        desk.tickets.note(number, text, _actor())
    except TicketError as exc:
        _fail(str(exc))
    Console().print(f"Note added to ticket #{number}.")


@tickets_cli.command("reply")
def tickets_reply(
    ctx: typer.Context, number: TicketArg, text: Annotated[str, typer.Argument()]
) -> None:
    """DM the ticket's user (the first response of the SLA, when it is the first)."""
    outcome = _with_desk(_settings(ctx), lambda desk: desk.reply_to_user(number, text, _actor()))
    if not outcome.ok:
        _fail(f"the DM was not delivered ({outcome.status.value}: {outcome.detail})", 1)
    Console().print(f"Replied to ticket #{number}.")


@tickets_cli.command("resolve")
def tickets_resolve(ctx: typer.Context, number: TicketArg) -> None:
    """Resolve a ticket and send the satisfaction survey."""
    ticket = _with_desk(_settings(ctx), lambda desk: desk.resolve(number, _actor()))
    Console().print(f"Ticket #{ticket.id} resolved.")


# -- faq and report ----------------------------------------------------------------------------


@faq_cli.command("test")
def faq_test(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="A question as a user would write it.")],
) -> None:
    """Show the FAQ entry a question matches, its score and the answer that would be drafted."""
    settings = _settings(ctx)
    config = rw.responder_config(settings)
    try:
        index = rw.build_faq(config, rw.EncoderEmbedder(settings))
    except ConfigError as exc:
        _fail(str(exc))
    match = index.match(question)
    if match is None:
        _fail("the question is empty")
    verdict = "answers" if match.score >= config.faq_min_score else "below faq_min_score"
    han = sum(1 for ch in question if "\u4e00" <= ch <= "\u9fff")
    language = "zh" if han > sum(ch.isascii() and ch.isalpha() for ch in question) else "en"
    console = Console(soft_wrap=True)
    console.print(f"match: {match.entry.id} (topic {match.entry.topic})")
    console.print(f"score: {match.score:.3f} ({verdict}; min {config.faq_min_score})")
    console.print(f"closest question: {match.question}", highlight=False)
    console.print(f"answer ({language}): {match.entry.answer(language)}", highlight=False)


def report(
    ctx: typer.Context,
    since: Annotated[
        datetime | None, typer.Option(help="Only tickets and drafts created since (UTC).")
    ] = None,
) -> None:
    """Print first-response and resolution times, SLA breaches, CSAT and draft outcomes."""
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    desk = _offline_desk(_settings(ctx))
    result = build_report(desk.rstore, since)
    tickets = Table(title="tickets" + (f" since {since:%Y-%m-%d %H:%M}" if since else ""))
    for column in (
        "platform",
        "priority",
        "tickets",
        "first response (median)",
        "resolution (median)",
        "SLA breaches (first/resolution)",
        "CSAT",
    ):
        tickets.add_column(column)
    for f in result.tickets:
        csat = f"{f.csat_average} ({f.csat_answers})" if f.csat_average is not None else "-"
        tickets.add_row(
            f.platform,
            f.priority,
            str(f.tickets),
            _duration(f.first_response_median_s),
            _duration(f.resolution_median_s),
            f"{f.first_response_breaches}/{f.resolution_breaches}",
            csat,
        )
    drafts = Table(title="drafts")
    for column in (
        "platform",
        "approved",
        "edited",
        "rejected",
        "expired",
        "cancelled",
        "pending",
        "auto-sent",
    ):
        drafts.add_column(column)
    for d in result.drafts:
        drafts.add_row(
            d.platform,
            *(
                str(v)
                for v in (
                    d.approved,
                    d.edited,
                    d.rejected,
                    d.expired,
                    d.cancelled,
                    d.pending,
                    d.auto_sent,
                )
            ),
        )
    Console().print(tickets)
    Console().print(drafts)


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
