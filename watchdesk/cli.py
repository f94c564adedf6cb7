"""The ``watchdesk`` command line (typer). Parsing only; the work is in ``watchdesk.commands``."""

import asyncio
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import make_url

from classifier.detectors import BlocklistError, refresh_blocklist
from classifier.secrets import SecretRedactor
from core import ConfigError
from store import upgrade
from watchdesk import app as wiring
from watchdesk import commands, responder_cli
from watchdesk.logging import configure_logging
from watchdesk.settings import Settings, load_settings

cli = typer.Typer(
    name="watchdesk",
    help="Monitoring and support bot for crypto-wallet communities.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_cli = typer.Typer(help="Database schema.", no_args_is_help=True)
blocklist_cli = typer.Typer(help="The phishing blocklist.", no_args_is_help=True)
settings_cli = typer.Typer(help="Settings.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(blocklist_cli, name="blocklist")
cli.add_typer(settings_cli, name="settings")
responder_cli.mount(cli)

SettingsOption = Annotated[
    Path | None,
    typer.Option(
        "--settings",
        envvar="WATCHDESK_SETTINGS",
        help="YAML settings file (default ./settings.yaml).",
        dir_okay=False,
    ),
]


def _fail(message: str, code: int = 2) -> NoReturn:
    Console(stderr=True).print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def _settings(ctx: typer.Context) -> Settings:
    """Load and validate the settings once per invocation, and set up logging from them."""
    if isinstance(ctx.obj, Settings):
        return ctx.obj
    path = ctx.obj if isinstance(ctx.obj, Path) else None
    try:
        settings = load_settings(path)
    except ConfigError as exc:
        _fail(str(exc))
    configure_logging(settings.logging.level, settings.logging.format)
    ctx.obj = settings
    return settings


@cli.callback()
def main_options(ctx: typer.Context, settings: SettingsOption = None) -> None:
    """Global options."""
    ctx.obj = settings


@cli.command()
def run(ctx: typer.Context) -> None:
    """Run every connector enabled in the settings, the pipeline and the live view."""
    settings = _settings(ctx)
    console = Console()
    try:
        stats = asyncio.run(commands.run(settings, console))
    except ConfigError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        return
    console.print(_summary_table(stats.summary()))


@cli.command()
def replay(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="JSONL file in the interchange format.")],
    speed: Annotated[float, typer.Option(help="N times the recorded pace.", min=0.001)] = 1.0,
    fast: Annotated[bool, typer.Option("--max", help="As fast as possible.")] = False,
    from_start: Annotated[bool, typer.Option(help="Ignore the saved position.")] = False,
) -> None:
    """Play one file through the full pipeline, then print a summary."""
    settings = _settings(ctx)
    console = Console(stderr=True)
    try:
        stats = asyncio.run(
            commands.replay(
                settings, file, "max" if fast else speed, from_start=from_start, console=console
            )
        )
    except (ConfigError, FileNotFoundError) as exc:
        _fail(str(exc))
    summary = stats.summary()
    Console().print(_summary_table(summary))
    print(json.dumps(summary))


@cli.command()
def classify(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="JSONL or plain-text lines; - for stdin.")] = "-",
) -> None:
    """Classify lines without storing them; one JSON object per input line, in order."""
    settings = _settings(ctx)
    if file != "-" and not Path(file).is_file():
        _fail(f"no such file: {file}")
    try:
        classifier = wiring.build_classifier(settings)
    except ConfigError as exc:
        _fail(str(exc))
    commands.classify_stream(
        commands.read_lines(file),
        SecretRedactor.default(),
        classifier,
        sys.stdout,
        batch=settings.classifier.batch_size,
    )


@cli.command()
def export(
    ctx: typer.Context,
    flagged: Annotated[bool, typer.Option("--flagged", help="Only flagged messages.")] = False,
    since: Annotated[
        datetime | None, typer.Option(help="Only messages created at or after this time (UTC).")
    ] = None,
) -> None:
    """Write the stored messages as JSONL (text redacted) with their classification."""
    settings = _settings(ctx)
    commands.export(settings, sys.stdout, flagged=flagged, since=_aware(since))


@cli.command()
def status(ctx: typer.Context) -> None:
    """Show each connector's health, last event and saved cursors."""
    settings = _settings(ctx)
    path = settings.state_dir / "status.json"
    health = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    store = wiring.build_store(settings)
    cursors = store.cursors()
    table = Table(title="connectors")
    for column in ("connector", "state", "last event", "last error", "cursor"):
        table.add_column(column)
    names = sorted(
        set(health) | {c.connector for c in cursors} | set(wiring.enabled_connectors(settings))
    )
    for name in names:
        info = health.get(name, {})
        saved = "; ".join(f"{c.key[-40:]}={c.value}" for c in cursors if c.connector == name)
        table.add_row(
            name,
            info.get("state", "not running"),
            info.get("last_event_at") or "-",
            info.get("last_error") or "-",
            saved or "-",
        )
    counts = store.counts()
    totals = Table(title="store")
    totals.add_column("figure")
    totals.add_column("value", justify="right")
    rows = [
        ("messages", counts.messages),
        ("classified", counts.classified),
        ("unclassified", counts.unclassified),
        *((f"flagged {flag.value}", n) for flag, n in counts.flagged.items()),
        ("dead letters", counts.dead_letters),
        ("deleted", counts.deleted),
    ]
    for name, value in rows:
        totals.add_row(name, str(value))
    Console().print(table)
    Console().print(totals)


@db_cli.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Bring the database schema of ``database.url`` to the newest version."""
    settings = _settings(ctx)
    upgrade(settings.database.url)
    Console().print(f"database schema is up to date: {_safe_url(settings.database.url)}")


@cli.command()
def train(
    ctx: typer.Context,
    data: Annotated[
        Path | None, typer.Option(help="Labelled JSONL files (default: shipped).")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Artifacts folder (default: shipped).")] = None,
) -> None:
    """Rebuild the classifier heads from the labelled data, deterministically."""
    settings = _settings(ctx)
    from classifier.model.progress import RichProgress  # noqa: PLC0415 - heavy, only here
    from classifier.model.train import train as run_training  # noqa: PLC0415

    with RichProgress() as progress:
        result = run_training(data, out, settings.classifier.model_cache, progress=progress)
    Console().print(result)


@cli.command("eval")
def evaluate(
    ctx: typer.Context,
    file: Annotated[
        Path | None, typer.Argument(help="Labelled JSONL (default: the test split).")
    ] = None,
    also: Annotated[list[Path] | None, typer.Option(help="More labelled files to report.")] = None,
    report_dir: Annotated[Path, typer.Option(help="Where eval.md and eval.png go.")] = Path(
        "reports"
    ),
) -> None:
    """Score the model and its peers (keyword, TF-IDF, zero-shot) per flag and language."""
    settings = _settings(ctx)
    from classifier.evaluation.run import evaluate as run_eval  # noqa: PLC0415
    from classifier.model.progress import RichProgress  # noqa: PLC0415

    detectors = wiring.build_detectors(settings)
    for path in [file, *(also or [])]:
        if path is not None and not path.is_file():
            _fail(f"no such file: {path}")
    with RichProgress() as progress:
        result = run_eval(
            file,
            cache_dir=settings.classifier.model_cache,
            detectors=detectors,
            external=also or [],
            report_dir=report_dir,
            progress=progress,
        )
    print(result.markdown())


@blocklist_cli.command("refresh")
def blocklist_refresh(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="A file path or an http(s) URL.")],
    dest: Annotated[
        Path | None, typer.Option(help="Where to write it (default classifier.blocklist_path).")
    ] = None,
) -> None:
    """Replace the phishing blocklist with the domains of SOURCE (validated, written atomically)."""
    settings = _settings(ctx)
    target = dest or settings.classifier.blocklist_path
    if target is None:
        _fail("set classifier.blocklist_path (or --dest) to a file of your own to refresh")
    try:
        count = refresh_blocklist(source, target)
    except BlocklistError as exc:
        _fail(str(exc))
    Console().print(f"blocklist {target}: {count} domains (restart watchdesk to use it)")


@settings_cli.command("check")
def settings_check(ctx: typer.Context) -> None:
    """Validate the settings and print them (secrets hidden)."""
    settings = _settings(ctx)
    shown = settings.model_dump(mode="json")
    shown["database"]["url"] = _safe_url(settings.database.url)
    Console().print_json(json.dumps(shown))
    Console(stderr=True).print("[green]settings are valid[/]")


def _summary_table(summary: dict[str, float | int]) -> Table:
    table = Table(title="summary")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, value in summary.items():
        table.add_row(key.replace("_", " "), str(value))
    return table


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def main() -> None:
    """Console-script entry point."""
    cli()
