"""The contract's figures: recall 1.0 over the secret corpus, no false redaction elsewhere."""

import json
from pathlib import Path

import pytest

from classifier.secrets import SecretRedactor

DATA = Path(__file__).resolve().parents[3] / "classifier" / "data" / "secrets"


def load(name: str) -> list[dict[str, object]]:
    with (DATA / name).open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def redactor() -> SecretRedactor:
    return SecretRedactor.default()


def test_corpora_are_big_and_varied() -> None:
    secrets, ordinary = load("secrets.jsonl"), load("ordinary.jsonl")
    assert len(secrets) >= 400
    assert len(ordinary) >= 5000
    kinds = {(s["kind"], s.get("language", s.get("format"))) for e in secrets for s in e["secrets"]}  # type: ignore[union-attr]
    assert len(kinds) >= 14


def test_recall_is_one(redactor: SecretRedactor) -> None:
    missed = []
    for entry in load("secrets.jsonl"):
        text = str(entry["text"])
        spans = [(f.start, f.end) for f in redactor.findings(text)]
        for secret in entry["secrets"]:  # type: ignore[attr-defined]
            if not any(s <= secret["start"] and secret["end"] <= e for s, e in spans):
                missed.append(entry["id"])
        redacted = redactor.redact(text).text
        for secret in entry["secrets"]:  # type: ignore[attr-defined]
            assert text[secret["start"] : secret["end"]] not in redacted
    assert missed == []


def test_no_false_redaction(redactor: SecretRedactor) -> None:
    flagged = [e["id"] for e in load("ordinary.jsonl") if redactor.redact(str(e["text"])).found]
    assert flagged == []
