"""End to end: fake Bot API -> Telegram connector -> Pipeline -> SQLite store."""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from fake_bot_api import FakeBotApi
from mnemonic import Mnemonic
from sqlalchemy import text
from telegram_testkit import make_config, wait_until

from classifier.baseline import KeywordClassifier
from classifier.secrets import SecretRedactor
from connectors.base import ConnectorDeps, ConnectorHealth
from connectors.telegram import build
from store import Store
from store.testing import sqlite_store
from watchdesk.pipeline import Pipeline, PipelineOptions

GROUP = -1001987654321


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with sqlite_store(tmp_path) as opened:
        yield opened


@contextlib.asynccontextmanager
async def pipeline_running(store: Store) -> AsyncIterator[Pipeline]:
    options = PipelineOptions(batch_size=16, flush_interval_s=0.01, retry_delays_s=(0.01,))
    pipeline = Pipeline(store, SecretRedactor.default(), KeywordClassifier(), options)
    task = asyncio.create_task(pipeline.run())
    try:
        yield pipeline
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def run_connector_until(store: Store, fake_api: FakeBotApi, cursor: str) -> None:
    health = ConnectorHealth("telegram")
    bundle = build(make_config(fake_api), ConnectorDeps(cursors=store, health=health))
    async with pipeline_running(store) as pipeline:
        task = asyncio.create_task(bundle.connector.run(pipeline))
        try:
            await wait_until(lambda: store.get_cursor("telegram", "updates") == cursor, 10)
            await pipeline.drain()
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def everything_stored(store: Store) -> str:
    dump = []
    with store.engine.connect() as conn:
        tables = [
            r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
        ]
        for table in tables:
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                dump.append(json.dumps([str(v) for v in row], ensure_ascii=False))
    return "\n".join(dump)


async def test_telegram_messages_are_stored_redacted_classified_and_flagged(
    store: Store, fake_api: FakeBotApi
) -> None:
    phrase = str(Mnemonic("english").to_mnemonic(bytes(range(16))))
    group = fake_api.supergroup(GROUP, "NovaWallet Help")
    alice = fake_api.user(555001, "Alice", "alice_c")
    leak = fake_api.message(group, alice, f"help my wallet is empty!! my phrase is {phrase}")
    fake_api.push("message", leak)
    complaint = fake_api.message(
        group, alice, "withdrawal stuck for 6 hours, support never replies, worst app"
    )
    fake_api.push("message", complaint)
    fake_api.push("message", fake_api.message(group, alice, "gm everyone"))
    last = fake_api.push("chat_member", fake_api.member_update(group, alice, "left", "member"))

    await run_connector_until(store, fake_api, str(last + 1))

    stored, classification = store.get_message("telegram", f"{GROUP}:{leak['message_id']}") or (
        None,
        None,
    )
    assert stored is not None
    assert classification is not None
    assert "[redacted: seed phrase" in stored.text
    assert classification.security.value
    assert classification.urgent.value
    _, flagged = store.get_message("telegram", f"{GROUP}:{complaint['message_id']}") or (
        None,
        None,
    )
    assert flagged is not None
    assert flagged.complaint.value
    assert store.counts().messages == 3
    assert [m.author.display_name for m in store.members("telegram")] == ["Alice"]
    assert phrase not in everything_stored(store)  # neither in texts nor in raw payloads

    # A second run on the same store resumes after the saved offset: nothing is stored twice.
    fake_api.push("message", fake_api.message(group, alice, "one more"))
    await run_connector_until(store, fake_api, str(last + 2))
    assert store.counts().messages == 4


async def test_a_malformed_update_reaches_the_dead_letter_table_redacted(
    store: Store, fake_api: FakeBotApi
) -> None:
    phrase = str(Mnemonic("english").to_mnemonic(bytes(range(16))))
    group = fake_api.supergroup(GROUP, "NovaWallet Help")
    alice = fake_api.user(555001, "Alice")
    fake_api.push_raw({"update_id": 600_000, "message": {"message_id": 1, "text": phrase}})
    last = fake_api.push("message", fake_api.message(group, alice, "after the bad one"))

    await run_connector_until(store, fake_api, str(last + 1))

    letter = store.dead_letters()[0]
    assert letter.reason == "message.chat is missing or not an object"
    assert letter.location == "update 600000"
    assert phrase not in letter.payload
    assert store.counts().messages == 1
