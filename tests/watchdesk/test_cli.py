import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner
from watchdesk_testkit import record, write_feed

from watchdesk.cli import cli


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in list(os.environ):
        if key.startswith("WATCHDESK_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    settings = tmp_path / "settings.yaml"
    settings.write_text(
        f"state_dir: {tmp_path / 'var'}\n"
        f"database: {{url: 'sqlite:///{tmp_path / 'w.db'}'}}\n"
        "logging: {level: WARNING, format: json}\n"
        # The model has its own tests (and one below); these test the commands.
        "classifier: {kind: baseline}\n",
        encoding="utf-8",
    )
    return settings


def _invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_classify_prints_one_object_per_line_in_order(env: Path, seed_phrase: str) -> None:
    lines = [
        "gm gm",
        json.dumps({"id": "a1", "text": f"I pasted my phrase: {seed_phrase}"}),
        json.dumps({"id": "a2", "nottext": 1}),
        "{this is not json but a plain line",
        "",
        "提现一直没到账 0x" + "ab" * 32,
    ]
    code, out, _ = _invoke("--settings", str(env), "classify", "-", stdin="\n".join(lines) + "\n")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["1", "a1", "a2", "4", "5", "6"]
    leaked = rows[1]
    assert leaked["flags"] == {"urgent": True, "security": True, "complaint": False}
    assert leaked["detections"][0]["kind"] == "seed_phrase"
    assert seed_phrase not in out
    assert "[redacted: seed phrase, 12 words]" in leaked["redacted_text"]
    assert set(leaked["scores"]) == {"urgent", "security", "complaint"}
    assert rows[2]["error"] == "object has no string field 'text'"
    assert rows[5]["language"] == "zh"
    assert rows[5]["entities"][0]["kind"] == "tx_hash"


def test_replay_then_export_then_status(env: Path, tmp_path: Path) -> None:
    feed = write_feed(
        tmp_path / "feed.jsonl",
        [record(1, "my withdrawal never arrived"), record(2, "thanks, all good"), "oops"],
    )
    code, out, err = _invoke("--settings", str(env), "replay", str(feed), "--max")
    assert code == 0, err
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["inserted"] == 2
    assert summary["dead_letters"] == 1

    code, out, _ = _invoke("--settings", str(env), "export", "--flagged")
    exported = [json.loads(line) for line in out.splitlines()]
    assert [e["external_id"] for e in exported] == ["-100:1"]
    assert exported[0]["flags"]["urgent"] is True
    assert exported[0]["channel"]["kind"] == "group"

    code, out, _ = _invoke("--settings", str(env), "status")
    assert code == 0
    assert "replay" in out


def test_bad_settings_exit_with_the_key_named(tmp_path: Path, env: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("pipeline: {batchsize: 3}\n", encoding="utf-8")
    code, _, err = _invoke("--settings", str(bad), "settings", "check")
    assert code == 2
    assert "pipeline.batchsize" in err


def test_settings_check_hides_the_database_password(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WATCHDESK_DATABASE__URL", "postgresql+psycopg://u:hunter2@db/x")
    code, out, _ = _invoke("--settings", str(env), "settings", "check")
    assert code == 0
    assert "hunter2" not in out


def test_missing_replay_file_is_a_clear_error(env: Path) -> None:
    code, _, err = _invoke("--settings", str(env), "replay", "nope.jsonl", "--max")
    assert code == 2
    assert "no such file" in err


def test_blocklist_refresh_from_a_file(env: Path, tmp_path: Path) -> None:
    source = tmp_path / "new.txt"
    source.write_text("# scams\nnova-claim.xyz\nNOVA-CLAIM.xyz\nsync-nova.app\n", encoding="utf-8")
    dest = tmp_path / "blocklist.txt"
    code, out, err = _invoke(
        "--settings", str(env), "blocklist", "refresh", str(source), "--dest", str(dest)
    )
    assert code == 0, err
    assert "2 domains" in " ".join(out.split())
    written = dest.read_text(encoding="utf-8")
    domains = [line for line in written.splitlines() if line and not line.startswith("#")]
    assert domains == ["nova-claim.xyz", "sync-nova.app"]
    bad = tmp_path / "bad.txt"
    bad.write_text("not a domain at all!!\n", encoding="utf-8")
    code, _, err = _invoke(
        "--settings", str(env), "blocklist", "refresh", str(bad), "--dest", str(dest)
    )
    assert code == 2
    assert dest.read_text(encoding="utf-8") == written  # a bad source changes nothing


REPO_ROOT = Path(__file__).resolve().parents[2]


def test_classify_uses_the_model_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_phrase: str
) -> None:
    for key in list(os.environ):
        if key.startswith("WATCHDESK_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    cache = os.environ.get("WATCHDESK_TEST_MODEL_CACHE") or str(REPO_ROOT / "var" / "test-models")
    monkeypatch.setenv("WATCHDESK_CLASSIFIER__MODEL_CACHE", cache)
    monkeypatch.chdir(tmp_path)
    lines = [
        "my USDT withdrawal has been pending for 6 hours and support ignores me",
        "gm, nice weather today",
        f"here is my phrase {seed_phrase} please help",
        "提现三个小时还没到账，客服也不回",
    ]
    code, out, err = _invoke("classify", "-", stdin="\n".join(lines) + "\n")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert all(r["model_version"].startswith("e5-heads@") for r in rows)
    assert rows[0]["flags"]["urgent"]
    assert rows[0]["flags"]["complaint"]
    assert rows[1]["flags"] == {"urgent": False, "security": False, "complaint": False}
    assert rows[2]["flags"]["security"]
    assert rows[2]["detections"][0]["kind"] == "seed_phrase"
    assert rows[3]["flags"]["urgent"]
    assert rows[3]["language"] == "zh"
