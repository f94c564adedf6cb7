"""The live terminal view of ``watchdesk run``: flagged messages as they arrive."""

from collections import deque
from collections.abc import Mapping

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from connectors.base import ConnectorHealth, HealthState
from core.text import display_text
from watchdesk.pipeline import BatchResult, Processed
from watchdesk.stats import PipelineStats

_FLAG_STYLE = {"urgent": "bold red", "security": "bold magenta", "complaint": "yellow"}
_HEALTH_STYLE = {
    HealthState.HEALTHY: "green",
    HealthState.STARTING: "cyan",
    HealthState.DEGRADED: "yellow",
    HealthState.UNHEALTHY: "bold red",
    HealthState.STOPPED: "dim",
}


class LiveFeed:
    """Keeps the latest flagged messages; an observer of the pipeline, rendered by rich."""

    def __init__(
        self, stats: PipelineStats, health: Mapping[str, ConnectorHealth], rows: int = 15
    ) -> None:
        self._stats = stats
        self._health = health
        self._rows: deque[Processed] = deque(maxlen=rows)

    def __call__(self, result: BatchResult) -> None:
        """Observer entry point: keep the flagged messages of a batch."""
        for item in result.processed:
            if item.classification is not None and item.classification.flagged:
                self._rows.appendleft(item)

    def seed(self, items: list[Processed]) -> None:
        """Show flagged messages stored before this start (newest first)."""
        for item in reversed(items):
            self._rows.appendleft(item)

    def __rich__(self) -> Group:
        """Render the header, the connectors and the feed."""
        return Group(self._header(), self._table())

    def _header(self) -> Panel:
        s = self._stats.summary()
        line = Text.assemble(
            ("watchdesk ", "bold"),
            f"messages {s['messages']}  flagged {s['flagged']}  ",
            ("urgent ", _FLAG_STYLE["urgent"]),
            f"{s['urgent']}  ",
            ("security ", _FLAG_STYLE["security"]),
            f"{s['security']}  ",
            ("complaint ", _FLAG_STYLE["complaint"]),
            f"{s['complaint']}  dead letters {s['dead_letters']}  {s['msgs_per_s']} msg/s   ",
        )
        for name, health in self._health.items():
            line.append(f"{name}:", style="bold")
            line.append(f"{health.state.value} ", style=_HEALTH_STYLE[health.state])
        return Panel(line, title="live flagged feed (Ctrl-C to stop)")

    def _table(self) -> Table:
        table = Table(expand=True, show_lines=False)
        for column, width in (("time", 8), ("where", 22), ("author", 16), ("flags", 18)):
            table.add_column(column, width=width, no_wrap=True)
        table.add_column("message", ratio=1, no_wrap=True)
        for item in self._rows:
            table.add_row(*_row(item))
        return table


def _row(item: Processed) -> tuple[str | Text, ...]:
    message, classification = item.message, item.classification
    assert classification is not None  # only flagged rows are kept
    flags = Text()
    for name in classification.flag_names:
        flags.append(name.value[:3].upper() + " ", style=_FLAG_STYLE[name.value])
    for detection in classification.detections:
        flags.append(detection.kind.value.split("_")[0] + " ", style="bold red")
    text = display_text(message.text).replace("\n", " ")
    where = f"{message.platform}/{message.channel.name or message.channel.id}"
    author = display_text(message.author.handle or message.author.display_name or message.author.id)
    # Text(), not str: message contents must never be read as rich markup ("[redacted: ...]").
    return (
        message.created_at.strftime("%H:%M:%S"),
        Text(where),
        Text(author),
        flags,
        Text(text[:200]),
    )
