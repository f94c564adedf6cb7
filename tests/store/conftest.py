"""Fixtures of the store tests: every test runs on SQLite and on a real PostgreSQL.

PostgreSQL: ``WATCHDESK_TEST_PG_URL`` is an admin URL (default: the local server's ``postgres``
database); each session creates its own databases there and drops them at the end. When the
server cannot be reached the PostgreSQL cases are skipped, except under ``CI=true`` where they
fail, because CI promises a server.
"""

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from core import (
    Attachment,
    Author,
    Channel,
    ChannelKind,
    Classification,
    Detection,
    DetectionKind,
    Entity,
    EntityKind,
    FlagResult,
    Language,
    Message,
    Redaction,
)
from store import Store, make_engine, upgrade
from store.models import Base

PG_ENV = "WATCHDESK_TEST_PG_URL"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BACKENDS = ("sqlite", "postgresql")
BASE_TIME = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


class PgServer:
    """Creates and drops throw-away databases on the test PostgreSQL server."""

    def __init__(self, admin: Engine) -> None:
        self._admin = admin
        self._created: list[str] = []

    def create_database(self) -> str:
        # Unique per session and call: other engineers and parallel runs share the server.
        name = f"watchdesk_test_store_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with self._admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self._created.append(name)
        return self._admin.url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self._admin.connect() as conn:
            for name in self._created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._created.clear()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    url = make_url(os.environ.get(PG_ENV, PG_DEFAULT))
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    admin = create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    try:
        with admin.connect():
            pass
    except OperationalError as exc:
        admin.dispose()
        shown = url.render_as_string(hide_password=True)
        reason = f"PostgreSQL is not reachable at {shown} (set {PG_ENV}): {exc.orig}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true requires PostgreSQL for the store tests. {reason}", pytrace=False)
        pytest.skip(reason)
    server = PgServer(admin)
    yield server
    server.drop_all()
    admin.dispose()


@pytest.fixture(scope="session")
def pg_migrated_url(pg_server: PgServer) -> str:
    """A PostgreSQL database migrated to head, shared by the session and emptied per test."""
    url = pg_server.create_database()
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("store-template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


def _empty_tables(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a migrated, empty database of the test's backend."""
    if backend == "sqlite":
        path = tmp_path / "store.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("pg_migrated_url")
    _empty_tables(url)
    return url


@pytest.fixture
def empty_db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a brand-new database with no tables at all."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    server: PgServer = request.getfixturevalue("pg_server")
    return server.create_database()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


class Clock:
    """A settable clock for the store's bookkeeping timestamps."""

    def __init__(self) -> None:
        self.now = datetime(2025, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: float = 1.0) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(engine: Engine, clock: Clock) -> Store:
    return Store(engine, clock=clock)


MessageFactory = Callable[..., Message]
ClassificationFactory = Callable[..., Classification]


def _message(external_id: str = "1", text: str = "hello", **changes: Any) -> Message:
    values: dict[str, Any] = {
        "platform": "telegram",
        "external_id": external_id,
        "channel": Channel(id="-100123", name="Wallet Community", kind=ChannelKind.GROUP),
        "author": Author(id="42", handle="alice", display_name="Alice"),
        "text": text,
        "created_at": BASE_TIME
        + timedelta(seconds=int(external_id) if external_id.isdigit() else 0),
        "received_at": BASE_TIME + timedelta(minutes=1),
        "raw": {"message_id": external_id, "text": text},
    }
    values.update(changes)
    return Message(**values)


@pytest.fixture
def make_message() -> MessageFactory:
    """Build a message; ``created_at`` follows a numeric external id (second by second)."""
    return _message


@pytest.fixture
def rich_message() -> Message:
    """A message with every optional field set, for round trips."""
    return Message(
        platform="discord",
        external_id="1234567890123456789",
        channel=Channel(id="987", name="support-中文", kind=ChannelKind.THREAD),
        author=Author(
            id="555", handle="bob_🚀", display_name="Bob 鲍勃", is_staff=True, is_bot=False
        ),
        text="my seed is [REDACTED seed phrase] 帮帮我 🙏 <@123>",
        created_at=datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=UTC),
        received_at=datetime(2024, 3, 1, 0, 0, 1, 5, tzinfo=UTC),
        reply_to="1234567890123456000",
        thread_id="1234567890123450000",
        permalink="https://discord.com/channels/1/987/1234567890123456789",
        is_dm=True,
        edited_at=datetime(2024, 3, 1, 0, 5, tzinfo=UTC),
        mentions_bot=True,
        attachments=(
            Attachment(kind="image", name="screen.png", mime_type="image/png", size=123456),
            Attachment(kind="file", url="https://cdn.example/x.log"),
        ),
        raw={
            "id": "1234567890123456789",
            "content": "my seed is [REDACTED seed phrase] 帮帮我 🙏",
            "nested": {"list": [1, 2.5, None, True, "文字"], "big": 2**62, "empty": {}},
            "emoji": "🧧",
        },
        redactions=(
            Redaction(kind="seed_phrase", detail="12 words, english", start=11, end=33, marker="x"),
        ),
    )


def _classification(
    *,
    urgent: bool = False,
    security: bool = False,
    complaint: bool = False,
    model_version: str = "rules-1",
    language: Language = Language.EN,
    entities: tuple[Entity, ...] = (),
    detections: tuple[Detection, ...] = (),
) -> Classification:
    def flag(value: bool) -> FlagResult:
        return FlagResult(value=value, score=0.9 if value else 0.1, threshold=0.5)

    return Classification(
        urgent=flag(urgent),
        security=flag(security),
        complaint=flag(complaint),
        language=language,
        entities=entities,
        detections=detections,
        model_version=model_version,
    )


@pytest.fixture
def make_classification() -> ClassificationFactory:
    """Build a classification with the given flags set (score 0.9) or unset (score 0.1)."""
    return _classification


@pytest.fixture
def rich_classification() -> Classification:
    """A classification with every field used, forced flag included, for round trips."""
    return Classification(
        urgent=FlagResult(value=True, score=0.25, threshold=0.6, forced_by="seed_phrase"),
        security=FlagResult(value=True, score=0.987654321, threshold=0.5),
        complaint=FlagResult(value=False, score=0.0, threshold=1.0),
        language=Language.MIXED,
        entities=(
            Entity(
                kind=EntityKind.TX_HASH, value="0x" + "ab" * 32, chain="ethereum", start=1, end=67
            ),
            Entity(
                kind=EntityKind.URL,
                value="https://evil.example",
                verdict="phishing",
                start=70,
                end=90,
            ),
            Entity(kind=EntityKind.ADDRESS, value="bc1qxyz", chain="bitcoin", start=0, end=7),
        ),
        detections=(
            Detection(kind=DetectionKind.SEED_PHRASE, detail="12 words", start=11, end=33),
            Detection(kind=DetectionKind.PHISHING_URL, detail="lookalike", evidence="evil.example"),
            Detection(kind=DetectionKind.IMPERSONATION, detail="staff 'Bob'", evidence="B0b"),
        ),
        model_version="encoder-v3+rules-7",
    )
