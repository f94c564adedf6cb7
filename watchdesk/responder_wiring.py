"""Builds the responder and what it needs from the settings (the composition root's part).

Until ``Settings`` carries a ``responder`` section, `responder_config` falls back to the
defaults (disabled), so this module works before and after that field is added.
"""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from connectors.base import ConnectorBundle
from connectors.replay.outbox import RecordedAction, RecordingOutbox
from core import Button, DecisionHandler, ModeratorChat, Outbox, Outcome, OutcomeStatus
from core._base import utc_now
from responder.config import ResponderConfig
from responder.desk import Desk, Identity
from responder.faq import SHIPPED_FAQ, Embedder, FaqIndex, load_faq
from responder.policy import Policy
from responder.sender import Sender
from responder.service import Responder
from store import ResponderStore, Store
from watchdesk.settings import Settings

DRAIN_TIMEOUT_S = 30.0


class ObservedPipeline(Protocol):
    """What the responder needs of ``watchdesk.pipeline.Pipeline``."""

    def add_observer(self, observer: Callable[[Any], None]) -> None:
        """Call ``observer`` with every batch result."""
        ...


PLATFORMS = ("telegram", "discord", "twitter", "reddit", "replay")
"""Platforms a replayed message may name."""


def responder_config(settings: Settings) -> ResponderConfig:
    """The ``responder`` section, or the defaults while Settings has none."""
    config = getattr(settings, "responder", None)
    return config if isinstance(config, ResponderConfig) else ResponderConfig()


def identity_from(settings: Settings) -> Identity:
    """Brand name and staff ids of every platform section that has them."""
    staff: dict[str, set[str]] = {p: set() for p in PLATFORMS}
    for platform in ("telegram", "discord"):
        ids = getattr(getattr(settings, platform, None), "staff_ids", None) or []
        staff[platform].update(str(i) for i in ids)
    # The replay section names staff as ``platform:author_id``.
    for entry in getattr(getattr(settings, "replay", None), "staff_ids", None) or []:
        platform, _, author = str(entry).partition(":")
        staff.setdefault(platform, set()).add(author)
    frozen = {p: frozenset(ids) for p, ids in staff.items()}
    mod_chats: dict[str, str] = {}
    telegram_mods = getattr(getattr(settings, "telegram", None), "mod_chat_id", None)
    discord_mods = getattr(getattr(settings, "discord", None), "mod_channel_id", None)
    if telegram_mods is not None:
        mod_chats["telegram"] = str(telegram_mods)
    if discord_mods is not None:
        mod_chats["discord"] = str(discord_mods)
    return Identity(brand=settings.brand.name, staff_ids=frozen, mod_chats=mod_chats)


@dataclass
class RecordingModChat:
    """Moderators' chat of the replay platform: the posts join the recorded actions."""

    outbox: RecordingOutbox
    platform: str = "replay"

    async def post_for_review(self, text: str, buttons: Sequence[Button]) -> Outcome:
        """Record the post and its buttons."""
        labels = ", ".join(f"{b.label}={b.data}" for b in buttons)
        self.outbox.actions.append(RecordedAction("mod_post", "moderators", text, labels))
        return Outcome(status=OutcomeStatus.SENT, external_id=f"mod-{len(self.outbox.actions)}")


def mod_chats_for(outboxes: Mapping[str, Outbox]) -> dict[str, ModeratorChat]:
    """The moderators' chat of each platform whose outbox can post one."""
    chats: dict[str, ModeratorChat] = {}
    for platform, outbox in outboxes.items():
        if isinstance(outbox, RecordingOutbox):
            chats[platform] = RecordingModChat(outbox, platform)
        elif hasattr(outbox, "post_for_review"):
            chats[platform] = outbox  # type: ignore[assignment]  # checked structurally above
    return chats


class EncoderEmbedder:
    """Adapts ``classifier.encoder`` (loaded lazily, once) to the FAQ's `Embedder`."""

    def __init__(self, settings: Settings) -> None:
        self._cache = settings.classifier.model_cache
        self._encoder: Embedder | None = None

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embed with the multilingual encoder (L2-normalised)."""
        if self._encoder is None:
            from classifier.encoder import load_encoder  # noqa: PLC0415 - heavy, on first use

            self._encoder = load_encoder(self._cache)
        return self._encoder.embed(texts)


def build_faq(config: ResponderConfig, embedder: Embedder) -> FaqIndex:
    """Load the knowledge base and embed its questions (slow: call off the event loop)."""
    return FaqIndex(load_faq(config.faq_path or SHIPPED_FAQ), embedder)


def build_desk(
    settings: Settings,
    store: Store,
    outboxes: Mapping[str, Outbox],
    *,
    clock: Callable[[], datetime] = utc_now,
    monotonic: Callable[[], float] = time.monotonic,
    config: ResponderConfig | None = None,
) -> Desk:
    """The desk over the outboxes of the enabled connectors (``config``: override settings)."""
    config = config or responder_config(settings)
    rstore = ResponderStore(store.engine, clock=clock)
    sender = Sender(
        outboxes, mod_chats_for(outboxes), rstore, config, now=clock, monotonic=monotonic
    )
    return Desk(
        store, rstore, sender=sender, config=config, identity=identity_from(settings), clock=clock
    )


def build_responder(
    settings: Settings,
    store: Store,
    outboxes: Mapping[str, Outbox],
    *,
    embedder: Embedder | None = None,
    with_faq: bool = True,
    config: ResponderConfig | None = None,
) -> Responder:
    """The responder, with its FAQ index unless ``with_faq`` is false."""
    desk = build_desk(settings, store, outboxes, config=config)
    faq = build_faq(desk.config, embedder or EncoderEmbedder(settings)) if with_faq else None
    return Responder(desk, Policy(), faq)


async def build_responder_async(
    settings: Settings, store: Store, outboxes: Mapping[str, Outbox]
) -> Responder:
    """`build_responder` off the event loop (the encoder and the FAQ embeddings take seconds)."""
    return await asyncio.to_thread(build_responder, settings, store, outboxes)


def outboxes_of(bundles: Mapping[str, ConnectorBundle]) -> dict[str, Outbox]:
    """The outboxes of built connectors, by platform.

    Replayed messages keep their original platform (``telegram``, ``discord``...): every
    platform without a live connector is served by the replay connector's recording outbox,
    so a demo shows each action the bot would take. A platform with a live connector keeps
    its real outbox, so do not replay a feed of a platform that is also live.
    """
    live = {
        b.outbox.platform: b.outbox
        for b in bundles.values()
        if b.outbox is not None and not isinstance(b.outbox, RecordingOutbox)
    }
    recording = next(
        (b.outbox for b in bundles.values() if isinstance(b.outbox, RecordingOutbox)), None
    )
    if recording is not None:
        for platform in PLATFORMS:
            live.setdefault(platform, recording)
    return live


@contextlib.asynccontextmanager
async def responder_running(
    settings: Settings,
    store: Store,
    pipeline: ObservedPipeline,
    bundles: Mapping[str, ConnectorBundle],
    *,
    config: ResponderConfig | None = None,
    drain_timeout_s: float = DRAIN_TIMEOUT_S,
) -> AsyncIterator[Responder | None]:
    """Run the responder for the duration of the block (nothing when it is disabled).

    Builds it off the event loop (encoder and FAQ embeddings), makes it an observer of the
    pipeline, hands it the moderators' button taps of every connector that has them, runs it
    as a task, and on the way out lets it finish what the pipeline handed it.

    Yields:
        The running responder, or ``None`` when ``responder.enabled`` is false.
    """
    config = config or responder_config(settings)
    if not config.enabled:
        yield None
        return
    outboxes = outboxes_of(bundles)
    responder = await asyncio.to_thread(build_responder, settings, store, outboxes, config=config)
    pipeline.add_observer(responder.observe)
    connect_decisions(bundles, responder.approvals.handle)
    task = asyncio.create_task(responder.run(), name="responder")
    try:
        yield responder
    finally:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(responder.drain(), drain_timeout_s)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def connect_decisions(bundles: Mapping[str, ConnectorBundle], handler: DecisionHandler) -> None:
    """Give moderators' button taps of every connector that has them to ``handler``."""
    for bundle in bundles.values():
        register = getattr(bundle.connector, "on_decision", None)
        if callable(register):
            register(handler)
