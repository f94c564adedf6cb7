"""Helpers of the responder tests: messages, classifications, clocks, a hashing embedder, a desk."""

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from core import (
    Author,
    Button,
    Channel,
    ChannelKind,
    Classification,
    Detection,
    DetectionKind,
    FlagResult,
    Language,
    Message,
    Outbox,
    Outcome,
    OutcomeStatus,
    Redaction,
)
from responder.config import ResponderConfig
from responder.desk import Desk, Identity
from responder.sender import Sender
from store import ResponderStore, Store

NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
GROUP = "-100777"
STAFF_ID = "900"
BOT_ID = "7000001"


class FakeClock:
    """Wall and monotonic clocks that only move when told (sleep moves them)."""

    def __init__(self) -> None:
        self.now = NOW
        self.mono = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.mono

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.now += timedelta(seconds=seconds)


class HashEmbedder:
    """Bag of words (and Han characters) hashed into 256 dimensions, L2-normalised."""

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), 256), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in re.findall(r"[a-z0-9]+|[\u4e00-\u9fff]", text.lower()):
                digest = hashlib.blake2b(token.encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "big") % 256] += 1.0
            norm = float(np.linalg.norm(out[row]))
            if norm:
                out[row] /= norm
        return out


@dataclass
class RecordingModChat:
    """A moderators' chat that keeps the posts."""

    platform: str = "replay"
    posts: list[tuple[str, tuple[Button, ...]]] = field(default_factory=list)

    async def post_for_review(self, text: str, buttons: Sequence[Button]) -> Outcome:
        self.posts.append((text, tuple(buttons)))
        return Outcome(status=OutcomeStatus.SENT, external_id=f"mod-{len(self.posts)}")


def message(
    text: str = "hello",
    *,
    external_id: str = "1",
    author_id: str = "42",
    is_dm: bool = False,
    is_staff: bool = False,
    is_bot: bool = False,
    platform: str = "replay",
    redacted: bool = False,
    **extra: Any,
) -> Message:
    channel = (
        Channel(id=author_id, kind=ChannelKind.DM)
        if is_dm
        else Channel(id=GROUP, name="Help", kind=ChannelKind.GROUP)
    )
    redactions = (
        (Redaction(kind="seed_phrase", detail="12 words", start=0, end=10, marker="[x]"),)
        if redacted
        else ()
    )
    return Message(
        platform=platform,
        external_id=external_id,
        channel=channel,
        author=Author(id=author_id, handle="alice", is_staff=is_staff, is_bot=is_bot),
        text=text,
        created_at=NOW,
        is_dm=is_dm,
        redactions=redactions,
        **extra,
    )


def classification(
    *flags: str, detections: Sequence[DetectionKind] = (), language: Language = Language.EN
) -> Classification:
    def flag(name: str) -> FlagResult:
        on = name in flags
        return FlagResult(value=on, score=0.9 if on else 0.1, threshold=0.5)

    return Classification(
        urgent=flag("urgent"),
        security=flag("security"),
        complaint=flag("complaint"),
        language=language,
        detections=tuple(Detection(kind=k, detail=f"{k.value} found") for k in detections),
        model_version="test",
    )


def build_desk(
    store: Store,
    outboxes: Mapping[str, Outbox],
    mod_chats: Mapping[str, Any],
    clock: FakeClock,
    config: ResponderConfig | None = None,
) -> Desk:
    config = config or ResponderConfig(enabled=True)
    rstore = ResponderStore(store.engine, clock=clock)
    sender = Sender(
        outboxes, mod_chats, rstore, config, now=clock, monotonic=clock.monotonic, sleep=clock.sleep
    )
    identity = Identity(
        brand="NovaWallet",
        staff_ids={p: frozenset({STAFF_ID}) for p in ("replay", "telegram")},
        bot_ids={p: frozenset({BOT_ID}) for p in ("replay", "telegram")},
    )
    return Desk(store, rstore, sender=sender, config=config, identity=identity, clock=clock)
