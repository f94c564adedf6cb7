"""The demo: the shipped feed replayed through the pipeline and the responder, built as the
composition root builds them; the replay connector's recording outbox shows every action."""

from collections import Counter
from pathlib import Path

from connectors.replay import Config as ReplayConfig
from connectors.replay.outbox import RecordingOutbox
from responder.config import Budget, ResponderConfig
from store import Store
from watchdesk import app as wiring
from watchdesk import responder_wiring as rw
from watchdesk.runtime import Service, run_until_stopped
from watchdesk.settings import DatabaseSettings, Settings

DEMO = Path("examples/demo_feed.jsonl")


async def test_demo_feed_shows_every_action(store: Store) -> None:
    settings = Settings(
        database=DatabaseSettings(url=str(store.engine.url)),
        replay=ReplayConfig(enabled=True, path=DEMO, speed="max"),
    )
    built = wiring.build_connectors(settings, store)
    outboxes = rw.outboxes_of(built.bundles)
    recording = outboxes["telegram"]
    assert isinstance(recording, RecordingOutbox)
    assert outboxes["discord"] is recording
    # Recorded actions need no platform budgets; live ones would trickle out at 20/min a group.
    fast = Budget(per_chat_per_s=1000, per_chat_burst=1000, per_group_per_min=60_000)
    config = ResponderConfig(enabled=True, budgets={p: fast for p in rw.PLATFORMS})
    pipeline = wiring.build_pipeline(settings, store, wiring.build_classifier(settings))
    async with rw.responder_running(
        settings, store, pipeline, built.bundles, config=config
    ) as responder:
        assert responder is not None
        service = Service(pipeline, built.bundles, built.health)
        await run_until_stopped(service, until_sources_done=True)

    kinds = Counter(a.action for a in recording.actions)
    print("demo actions:", dict(kinds))
    leaks = [m for m, _ in store.export() if m.redactions and not m.is_dm and not m.author.is_staff]
    assert leaks, "the demo feed holds exposed secrets"
    deleted = {a.target for a in recording.actions if a.action == "delete"}
    for leak in leaks:
        assert f"{leak.channel.id}/{leak.external_id}" in deleted
    assert kinds["dm"] >= len(leaks)
    assert kinds["mod_post"] > 0
    for draft in responder.desk.rstore.drafts():
        if draft.kind == "faq":
            found = store.get_message(draft.platform, draft.message_external_id)
            print(f"FAQ {draft.faq_id} {draft.score}: {found[0].text[:70] if found else '?'}")
    rows = responder.desk.rstore.outbound()
    assert len(rows) == len(recording.actions)
    assert all(r.caused_by for r in rows)


async def test_a_disabled_responder_is_not_built(store: Store) -> None:
    settings = Settings(database=DatabaseSettings(url=str(store.engine.url)))
    pipeline = wiring.build_pipeline(settings, store, wiring.build_classifier(settings))
    async with rw.responder_running(settings, store, pipeline, {}) as responder:
        assert responder is None
