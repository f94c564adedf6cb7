"""Counters of the pipeline, fed as an observer; read by the replay summary and the live view."""

import time
from collections import Counter
from dataclasses import dataclass, field

from store import SaveStatus
from watchdesk.pipeline import BatchResult

_RESERVOIR = 100_000


@dataclass
class PipelineStats:
    """Running totals of what the pipeline did since start."""

    started: float = field(default_factory=time.monotonic)
    statuses: Counter[str] = field(default_factory=Counter)
    flags: Counter[str] = field(default_factory=Counter)
    dead_letters: int = 0
    deletions: int = 0
    commands: int = 0
    latencies_s: list[float] = field(default_factory=list)

    def __call__(self, result: BatchResult) -> None:
        """Observer entry point: add one batch."""
        for item in result.processed:
            self.statuses[item.status.value] += 1
            if item.classification is not None:
                self.flags.update(f.value for f in item.classification.flag_names)
                if item.classification.flagged:
                    self.flags["any"] += 1
            if len(self.latencies_s) < _RESERVOIR:
                self.latencies_s.append(item.latency_s)
        self.dead_letters += len(result.dead_letters)
        self.deletions += len(result.deletions)
        self.commands += len(result.commands)

    @property
    def messages(self) -> int:
        """Messages seen, duplicates included."""
        return sum(self.statuses.values())

    @property
    def stored(self) -> int:
        """Messages inserted or updated."""
        return self.statuses[SaveStatus.INSERTED.value] + self.statuses[SaveStatus.UPDATED.value]

    def rate(self) -> float:
        """Messages per second since start."""
        elapsed = time.monotonic() - self.started
        return self.messages / elapsed if elapsed > 0 else 0.0

    def latency_percentile(self, q: float) -> float:
        """Latency (seconds) at quantile ``q`` in [0, 1]; 0 when nothing was seen."""
        if not self.latencies_s:
            return 0.0
        ordered = sorted(self.latencies_s)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def summary(self) -> dict[str, float | int]:
        """Totals as a flat mapping (the replay summary and benchmark output)."""
        return {
            "messages": self.messages,
            "inserted": self.statuses[SaveStatus.INSERTED.value],
            "updated": self.statuses[SaveStatus.UPDATED.value],
            "duplicates": self.statuses[SaveStatus.DUPLICATE.value],
            "flagged": self.flags["any"],
            "urgent": self.flags["urgent"],
            "security": self.flags["security"],
            "complaint": self.flags["complaint"],
            "dead_letters": self.dead_letters,
            "deletions": self.deletions,
            "msgs_per_s": round(self.rate(), 1),
            "latency_p50_ms": round(self.latency_percentile(0.5) * 1000, 2),
            "latency_p99_ms": round(self.latency_percentile(0.99) * 1000, 2),
        }
