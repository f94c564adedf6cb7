"""Settings of the replay connector."""

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


def _speed(value: object) -> float | str:
    """Accept ``"max"`` or a positive number, with one clear message otherwise."""
    if value == "max":
        return "max"
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = 0.0
    if number <= 0:
        raise ValueError(f'expected "max" or a positive number, got {value!r}')
    return number


Speed = Annotated[float | Literal["max"], BeforeValidator(_speed)]


class Config(BaseModel):
    """Replay a JSONL file in the interchange format.

    Attributes:
        enabled: Start this connector with ``watchdesk run``.
        path: The JSONL file to play.
        speed: ``1`` plays at the recorded pace, ``N`` at N times that pace, ``"max"`` as fast
            as possible.
        max_gap_seconds: Longest wait between two messages, so a feed with long quiet spells
            still looks live in a demo; ``None`` keeps every gap.
        max_text_chars: Longer texts are refused to the dead-letter table, not cut.
        staff_ids: Staff authors as ``platform:author_id`` (replayed staff posts are not
            answered and their names are what impersonators copy).
    """

    model_config = ConfigDict(extra="forbid")

    enabled: bool = False
    path: Path = Path("examples/demo_feed.jsonl")
    speed: Speed = 1.0
    max_gap_seconds: float | None = Field(default=None, gt=0)
    max_text_chars: int = Field(default=1_000_000, gt=0)
    staff_ids: list[str] = Field(default_factory=list)
