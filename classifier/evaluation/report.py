"""The evaluation report: Markdown tables, goal checks and a PNG bar chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from classifier.evaluation.metrics import LANGUAGES, SystemScores
from classifier.model.dataset import FLAGS

MODEL = "model"


@dataclass(frozen=True)
class Section:
    """All systems measured on one labelled set.

    Attributes:
        title: What the set is ("test split", a file name).
        count: Messages in it.
        systems: One entry per system, the model first.
    """

    title: str
    count: int
    systems: list[SystemScores]


@dataclass(frozen=True)
class Goal:
    """One goal of the issue, checked on the primary set."""

    name: str
    value: str
    met: bool


@dataclass
class EvalReport:
    """What ``evaluate`` measured and wrote.

    Attributes:
        sections: The primary set first, then any external sets.
        goals: The goals checked on the primary set.
        header: Lines describing versions and data.
        markdown_path: Where the Markdown report was written, if anywhere.
        chart_path: Where the PNG chart was written, if anywhere.
    """

    sections: list[Section]
    goals: list[Goal]
    header: list[str] = field(default_factory=list)
    markdown_path: Path | None = None
    chart_path: Path | None = None

    def markdown(self, chart_name: str | None = None) -> str:
        """Return the whole report as Markdown."""
        lines = ["# Classifier evaluation", "", *self.header, ""]
        if chart_name:
            lines += [f"![F1 per system, flag and language]({chart_name})", ""]
        lines += ["## Goals (primary set: " + self.sections[0].title + ")", ""]
        lines += [f"- [{'x' if g.met else ' '}] {g.name}: {g.value}" for g in self.goals]
        for section in self.sections:
            lines += ["", *section_markdown(section)]
        return "\n".join(lines) + "\n"

    def summary(self) -> str:
        """Return a plain-text summary for a terminal: tables of every section and the goals."""
        out: list[str] = []
        for section in self.sections:
            out += [f"== {section.title} ({section.count} messages)", *_plain_table(section), ""]
        out += [f"[{'ok' if g.met else '--'}] {g.name}: {g.value}" for g in self.goals]
        return "\n".join(out)


def check_goals(section: Section) -> list[Goal]:
    """Check the issue's goals for the model on one set."""
    systems = {s.name: s for s in section.systems}
    model = systems[MODEL]
    security = model.overall.flags["security"]
    en = model.by_language.get("en")
    zh = model.by_language.get("zh")
    peers = [s for s in section.systems if s.name != MODEL]
    best_peer = max(peers, key=lambda s: s.overall.macro_f1) if peers else None
    goals = [
        Goal("macro-F1 >= 0.90", f"{model.overall.macro_f1:.3f}", model.overall.macro_f1 >= 0.90),
        Goal(
            "security recall >= 0.95 with precision >= 0.85",
            f"recall {security.recall:.3f}, precision {security.precision:.3f}",
            security.recall >= 0.95 and security.precision >= 0.85,
        ),
    ]
    if en is not None and zh is not None:
        gap = abs(en.macro_f1 - zh.macro_f1)
        goals.append(
            Goal(
                "English and Chinese macro-F1 within 0.05",
                f"en {en.macro_f1:.3f}, zh {zh.macro_f1:.3f} (gap {gap:.3f})",
                gap <= 0.05,
            )
        )
    if best_peer is not None:
        margin = model.overall.macro_f1 - best_peer.overall.macro_f1
        goals.append(
            Goal(
                "ahead of every peer by >= 0.10 macro-F1",
                f"best peer {best_peer.name} {best_peer.overall.macro_f1:.3f} "
                f"(margin {margin:+.3f})",
                margin >= 0.10,
            )
        )
    return goals


def section_markdown(section: Section) -> list[str]:
    """Return the Markdown tables of one set: overall, per flag, and per language."""
    lines = [f"## {section.title} ({section.count} messages)", ""]
    head = "| system | " + " | ".join(f"{f} P / R / F1" for f in FLAGS) + " | macro-F1 |"
    lines += [head, "|---|" + "---|" * (len(FLAGS) + 1)]
    for system in section.systems:
        cells = [
            f"{s.precision:.3f} / {s.recall:.3f} / **{s.f1:.3f}**"
            for s in (system.overall.flags[f] for f in FLAGS)
        ]
        lines.append(
            f"| {system.name} | " + " | ".join(cells) + f" | **{system.overall.macro_f1:.3f}** |"
        )
    present = [lang for lang in LANGUAGES if any(lang in s.by_language for s in section.systems)]
    lines += [
        "",
        "Per language: macro-F1 (urgent / security / complaint F1), messages in brackets.",
        "",
    ]
    lines += ["| system | " + " | ".join(present) + " |", "|---|" + "---|" * len(present)]
    for system in section.systems:
        cells = []
        for lang in present:
            scores = system.by_language.get(lang)
            if scores is None:
                cells.append("-")
                continue
            per_flag = " / ".join(f"{scores.flags[f].f1:.2f}" for f in FLAGS)
            cells.append(f"**{scores.macro_f1:.3f}** ({per_flag}) [{scores.count}]")
        lines.append(f"| {system.name} | " + " | ".join(cells) + " |")
    lines += ["", "Versions: " + ", ".join(f"{s.name} `{s.version}`" for s in section.systems)]
    return lines


def _plain_table(section: Section) -> list[str]:
    """Per flag precision / recall / F1 and macro-F1, then macro-F1 per language."""
    present = [lang for lang in LANGUAGES if any(lang in s.by_language for s in section.systems)]
    header = f"{'system':<10} " + " ".join(f"{f + ' P/R/F1':>20}" for f in FLAGS)
    header += f" {'macro':>6}  " + " ".join(f"{lang:>6}" for lang in present)
    rows = [header]
    for system in section.systems:
        cells = [system.overall.flags[f] for f in FLAGS]
        row = f"{system.name:<10} " + " ".join(
            f"{c.precision:>6.3f} {c.recall:>6.3f} {c.f1:>6.3f}" for c in cells
        )
        row += f" {system.overall.macro_f1:>6.3f}  "
        row += " ".join(
            f"{system.by_language[lang].macro_f1:>6.3f}"
            if lang in system.by_language
            else f"{'-':>6}"
            for lang in present
        )
        rows.append(row)
    return rows


def write_chart(sections: Sequence[Section], path: Path) -> None:
    """Draw, per set, grouped bars of macro-F1 and per-flag F1, then macro-F1 per language."""
    import matplotlib as mpl  # noqa: PLC0415 (only when a report is written)

    mpl.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    fig, axes = plt.subplots(len(sections), 2, figsize=(13, 4.2 * len(sections)), squeeze=False)
    for row, section in enumerate(sections):
        names = [s.name for s in section.systems]
        groups = ["macro", *FLAGS]
        values = [
            [s.overall.macro_f1] + [s.overall.flags[f].f1 for f in FLAGS] for s in section.systems
        ]
        _bars(axes[row][0], groups, names, values, f"{section.title}: F1 per flag")
        langs = [lang for lang in LANGUAGES if lang in section.systems[0].by_language]
        per_lang = [
            [s.by_language[lang].macro_f1 if lang in s.by_language else 0.0 for lang in langs]
            for s in section.systems
        ]
        _bars(axes[row][1], langs, names, per_lang, f"{section.title}: macro-F1 per language")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    # No timestamp in the PNG metadata: the same numbers give the same file.
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)


def _bars(
    ax: Any, groups: list[str], names: list[str], values: list[list[float]], title: str
) -> None:
    width = 0.8 / max(1, len(names))
    for i, (name, series) in enumerate(zip(names, values, strict=True)):
        positions = [g + (i - (len(names) - 1) / 2) * width for g in range(len(groups))]
        bars = ax.bar(positions, series, width, label=name)
        ax.bar_label(bars, fmt="%.2f", fontsize=7, padding=1)
    ax.set_xticks(range(len(groups)), groups)
    ax.set_ylim(0, 1.22)  # headroom for the legend above the bars
    ax.axhline(0.9, color="grey", linewidth=0.8, linestyle="--")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="upper center", ncol=len(names), frameon=False)
