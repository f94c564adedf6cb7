"""The responder's CLI on a real SQLite database, mounted on a root app like ``watchdesk``'s."""

import asyncio
import os
from pathlib import Path

import pytest
import typer
import yaml
from responder_testkit import FakeClock, RecordingModChat, build_desk, classification, message
from typer.testing import CliRunner

from connectors.replay.outbox import RecordingOutbox
from core._base import utc_now
from responder.config import ResponderConfig
from responder.faq import SHIPPED_FAQ
from responder.policy import Policy
from responder.service import Responder
from store import Store
from watchdesk import responder_cli
from watchdesk import responder_wiring as rw
from watchdesk.settings import DatabaseSettings, Settings

# The encoder tests' cache: converted once per machine (about 15 s), shared by every suite.
ENCODER_CACHE = Path(
    os.environ.get("WATCHDESK_TEST_MODEL_CACHE")
    or Path(__file__).resolve().parents[2] / "var" / "test-models"
)


def app_for(settings: Settings) -> typer.Typer:
    root = typer.Typer()

    @root.callback()
    def main(ctx: typer.Context) -> None:
        ctx.obj = settings

    responder_cli.mount(root)
    return root


@pytest.fixture
def settings(store: Store) -> Settings:
    return Settings(database=DatabaseSettings(url=str(store.engine.url)))


async def seeded(store: Store, clock: FakeClock) -> None:
    outbox = RecordingOutbox()
    desk = build_desk(store, {"replay": outbox}, {"replay": RecordingModChat()}, clock)
    responder = Responder(desk, Policy(), None)
    await responder.handle_message(
        message("worst app, withdrawal stuck", external_id="1"),
        classification("urgent", "complaint"),
    )
    await responder.handle_message(
        message("fees are too high!!", external_id="2", author_id="43"), classification("complaint")
    )


def test_drafts_and_tickets_commands(store: Store, clock: FakeClock, settings: Settings) -> None:
    clock.now = utc_now()  # the CLI runs on the real clock: drafts must not look expired
    asyncio.run(seeded(store, clock))
    app, runner = app_for(settings), CliRunner()

    listed = runner.invoke(app, ["drafts", "list"])
    assert listed.exit_code == 0, listed.output
    assert "ticket_reply" in listed.output
    shown = runner.invoke(app, ["drafts", "show", "1"])
    assert "flagged urgent, complaint" in shown.output
    empty = runner.invoke(app, ["drafts", "edit", "1", "  "])
    assert empty.exit_code == 2
    assert "the edited text is empty" in empty.output
    long = runner.invoke(app, ["drafts", "edit", "1", "x" * 2001])
    assert "the limit is 2000" in long.output
    rejected = runner.invoke(app, ["drafts", "reject", "2", "--reason", "tone"])
    assert rejected.output.strip() == "Draft #2 rejected."
    again = runner.invoke(app, ["drafts", "reject", "2", "--reason", "tone"])
    assert "draft #2 is already rejected: tone" in again.output
    unknown = runner.invoke(app, ["drafts", "approve", "99"])
    assert "there is no draft #99" in unknown.output
    # No connector is enabled in these settings: approval is recorded, posting fails clearly.
    approved = runner.invoke(app, ["drafts", "approve", "1"])
    assert "approved but posting failed" in approved.output

    assert "urgent" in runner.invoke(app, ["tickets", "list"]).output
    assert "assigned to alice" in runner.invoke(app, ["tickets", "assign", "1", "alice"]).output
    assert "Note added" in runner.invoke(app, ["tickets", "note", "1", "called the user"]).output
    history = runner.invoke(app, ["tickets", "show", "1"]).output
    assert "called the user" in history
    assert "in_progress" in history
    missing = runner.invoke(app, ["tickets", "show", "9"])
    assert "there is no ticket #9" in missing.output
    reply = runner.invoke(app, ["tickets", "reply", "1", "We are looking into it."])
    assert reply.exit_code == 1
    assert "the DM was not delivered (failed: no outbox for platform 'replay')" in reply.output
    resolved = runner.invoke(app, ["tickets", "resolve", "2"])
    assert "Ticket #2 resolved." in resolved.output

    report = runner.invoke(app, ["report", "--since", "2024-01-01T00:00:00"])
    assert report.exit_code == 0, report.output
    assert "replay" in report.output
    assert "urgent" in report.output


def test_faq_test_with_the_real_encoder(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = yaml.safe_load(SHIPPED_FAQ.read_text(encoding="utf-8"))
    wanted = {"supported-chains", "add-custom-token", "token-not-showing"}
    small = tmp_path / "faq.yaml"
    small.write_text(yaml.safe_dump([e for e in entries if e["id"] in wanted]), encoding="utf-8")
    config = ResponderConfig(faq_path=small)
    monkeypatch.setattr(rw, "responder_config", lambda _settings: config)
    app = app_for(
        settings.model_copy(
            update={
                "classifier": settings.classifier.model_copy(
                    update={"model_cache": ENCODER_CACHE.resolve()}
                )
            }
        )
    )

    result = CliRunner().invoke(app, ["faq", "test", "怎么用合约地址加币"])
    assert result.exit_code == 0, result.output
    assert "match: add-custom-token" in result.output
    assert "answer (zh): 在资产列表" in result.output
    score = float(result.output.split("score: ")[1].split()[0])
    assert score >= config.faq_min_score
