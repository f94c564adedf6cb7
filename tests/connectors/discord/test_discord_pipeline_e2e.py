"""End to end: fake Discord -> discord.py -> connector -> Pipeline -> SQLite store.

Messages are stored redacted, classified and flagged; edits, deletions, dead letters and
cursors land in the store; a restart reading the store's cursors catches up without
duplicates.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from discord_testkit import ALICE, FAST, SUPPORT, eventually, make_config
from mnemonic import Mnemonic

from classifier.baseline import KeywordClassifier
from classifier.secrets import SecretRedactor
from connectors.base import ConnectorDeps, ConnectorHealth
from connectors.discord import DiscordConnector, build
from store import Store
from store.testing import sqlite_store
from watchdesk.pipeline import Pipeline, PipelineOptions


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with sqlite_store(tmp_path) as opened:
        yield opened


@contextlib.asynccontextmanager
async def live(fake, store: Store) -> AsyncIterator[tuple[Pipeline, DiscordConnector]]:
    options = PipelineOptions(batch_size=16, flush_interval_s=0.01, retry_delays_s=(0.01,))
    pipeline = Pipeline(store, SecretRedactor.default(), KeywordClassifier(), options)
    bundle = build(
        make_config(fake),
        ConnectorDeps(cursors=store, health=ConnectorHealth("discord")),
        policy=FAST,
    )
    assert isinstance(bundle.connector, DiscordConnector)
    fake.identified.clear()
    tasks = [
        asyncio.create_task(pipeline.run()),
        asyncio.create_task(bundle.connector.run(pipeline)),
    ]
    try:
        async with asyncio.timeout(5):
            await fake.identified.wait()
        yield pipeline, bundle.connector
    finally:
        for task in reversed(tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def wait_stored(store: Store, external_id: str) -> None:
    await eventually(lambda: store.get_message("discord", external_id) is not None)


async def test_discord_to_sqlite_stored_classified_flagged(fake, store: Store) -> None:
    phrase = str(Mnemonic("english").to_mnemonic(bytes(range(16))))
    async with live(fake, store) as (pipeline, _):
        leak = await fake.post(SUPPORT, ALICE, f"help my wallet is empty!! my phrase is {phrase}")
        complaint = await fake.post(
            SUPPORT, ALICE, "withdrawal stuck for 6 hours, support never replies, worst app"
        )
        calm = await fake.post(SUPPORT, ALICE, "gm, how do I add a custom token?")
        for item in (leak, complaint, calm):
            await wait_stored(store, item["id"])
        edited = {
            **calm,
            "content": "gm, found it, thanks",
            "edited_timestamp": "2030-01-01T00:00:00+00:00",
        }
        await fake.dispatch("MESSAGE_UPDATE", edited)
        await fake.dispatch(
            "MESSAGE_DELETE",
            {"id": complaint["id"], "channel_id": SUPPORT, "guild_id": "1200000000000000001"},
        )
        bad = fake.new_message(SUPPORT, ALICE, "x")
        bad["author"] = "nobody"
        await fake.dispatch("MESSAGE_CREATE", bad)
        await eventually(
            lambda: (
                store.deleted_at("discord", complaint["id"]) is not None
                and bool(store.dead_letters())
            )
        )
        await pipeline.drain()

    stored, classification = store.get_message("discord", leak["id"])
    assert "[redacted: seed phrase" in stored.text
    assert phrase not in stored.text
    assert classification is not None
    assert classification.security.value
    assert classification.urgent.value
    _, complaint_class = store.get_message("discord", complaint["id"])
    assert complaint_class is not None
    assert complaint_class.complaint.value
    assert store.get_message("discord", calm["id"])[0].text == "gm, found it, thanks"
    letter = store.dead_letters()[0]
    assert letter.source == "discord"
    assert "author" in letter.reason
    assert store.get_cursor("discord", SUPPORT) == calm["id"]


async def test_restart_with_the_store_as_cursor_reader(fake, store: Store) -> None:
    async with live(fake, store):
        first = await fake.post(SUPPORT, ALICE, "one")
        await wait_stored(store, first["id"])
    missed = [fake.post_offline(SUPPORT, ALICE, f"while down {i}") for i in range(3)]
    async with live(fake, store) as (pipeline, _):
        for item in missed:
            await wait_stored(store, item["id"])
        await pipeline.drain()
    assert store.counts().messages == 4
    assert store.get_cursor("discord", SUPPORT) == missed[-1]["id"]
