from datetime import UTC, datetime

from rich.console import Console

from connectors.base import ConnectorHealth
from core import (
    Author,
    Channel,
    ChannelKind,
    Classification,
    FlagResult,
    Language,
    Message,
)
from store import SaveStatus
from watchdesk.live import LiveFeed
from watchdesk.pipeline import BatchResult, Processed
from watchdesk.stats import PipelineStats


def _processed(text: str, urgent: bool) -> Processed:
    flag = FlagResult(value=urgent, score=0.9 if urgent else 0.1, threshold=0.5)
    off = FlagResult(value=False, score=0.0, threshold=0.5)
    message = Message(
        platform="telegram",
        external_id=text[:8],
        channel=Channel(id="1", name="[bold]group[/bold]", kind=ChannelKind.GROUP),
        author=Author(id="2", handle="[red]eve"),
        text=text,
        created_at=datetime(2026, 11, 20, 9, 5, tzinfo=UTC),
    )
    classification = Classification(
        urgent=flag, security=off, complaint=off, language=Language.EN, model_version="t"
    )
    return Processed(message, SaveStatus.INSERTED, classification, 0.01)


def test_flagged_rows_show_markers_and_names_verbatim() -> None:
    stats = PipelineStats()
    feed = LiveFeed(stats, {"replay": ConnectorHealth("replay")}, rows=5)
    result = BatchResult(
        processed=(
            _processed("my phrase is [redacted: seed phrase, 12 words] help\u202e", True),
            _processed("gm everyone", False),
        )
    )
    stats(result)
    feed(result)
    console = Console(record=True, width=200)
    console.print(feed)
    screen = console.export_text()
    assert "[redacted: seed phrase, 12 words]" in screen
    assert "[red]eve" in screen
    assert "gm everyone" not in screen  # only flagged messages are listed
    assert "\u202e" not in screen  # bidi overrides never reach the screen
    assert "messages 2" in screen
