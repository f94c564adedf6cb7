"""``evaluate`` end to end on a small data set with the real model (seconds, not minutes)."""

import json
from pathlib import Path

import numpy as np

from classifier.evaluation import evaluate
from classifier.evaluation.peers import TfidfPeer, ZeroShotPeer
from classifier.evaluation.run import (
    load_labelled,
    production_redactor,
    text_detectors,
    to_messages,
)
from classifier.exact import WithExactDetectors
from classifier.model import ModelClassifier
from classifier.model.dataset import TRAIN_FILES, Example, default_data_dir, fold_ids


def _small_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    for name in TRAIN_FILES:
        lines = (default_data_dir() / name).read_text(encoding="utf-8").splitlines()
        (data / name).write_text("\n".join(lines[:: max(1, len(lines) // 35)]) + "\n")
    return data


def test_evaluate_writes_report_and_chart(tmp_path: Path, eval_model: ModelClassifier) -> None:
    data = _small_data(tmp_path)
    eval_file = tmp_path / "eval.jsonl"
    rows = [
        {
            "text": "my USDT was drained to 0x" + "ab" * 20,
            "urgent": 1,
            "security": 1,
            "complaint": 0,
        },
        {"text": "提现三个小时还没到账，客服也不回", "urgent": 1, "security": 0, "complaint": 1},
        {"text": "gm frens", "urgent": 0, "security": 0, "complaint": 0},
        {
            "text": "claim your airdrop at nova-wallet-claim.xyz now",
            "urgent": 0,
            "security": 1,
            "complaint": 0,
        },
    ]
    eval_file.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    stages: list[str] = []
    report = evaluate(
        eval_file,
        classifier=eval_model,
        data_dir=data,
        report_dir=tmp_path / "reports",
        embeddings_dir=tmp_path / "cache",
        progress=lambda stage, _done, _total: stages.append(stage),
    )
    assert [s.name for s in report.sections[0].systems] == [
        "model",
        "keyword",
        "tfidf",
        "zero-shot",
    ]
    assert report.sections[0].count == 4
    assert {"train peers", "score"} <= set(stages)
    assert report.markdown_path is not None
    assert report.chart_path is not None
    text = report.markdown_path.read_text()
    assert "## eval.jsonl (4 messages)" in text
    assert "## Goals" in text
    assert report.chart_path.read_bytes()[:4] == b"\x89PNG"


def test_replay_feed_with_labels_file_is_joined(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"platform": "telegram", "external_id": "1", "text": "我的钱包被盗了"}) + "\n"
    )
    (tmp_path / "feed.labels.jsonl").write_text(
        json.dumps(
            {"platform": "telegram", "external_id": "1", "urgent": 1, "security": 1, "complaint": 0}
        )
        + "\n"
    )
    (example,) = load_labelled(feed)
    assert (example.id, example.text, example.labels, example.lang) == (
        "telegram:1",
        "我的钱包被盗了",
        (1, 1, 0),
        "zh",
    )


def test_text_detectors_force_security_in_the_model(eval_model: ModelClassifier) -> None:
    with_detectors = WithExactDetectors(eval_model, text_detectors(["novawallet.io"]))
    messages = to_messages(
        [
            Example("p", "gm, see https://novawa11et.io/claim", 0, 1, 0, "en"),
            Example("s", "DM me your 12 words and I will fix your wallet", 0, 1, 0, "en"),
        ],
        production_redactor(),
    )
    phishing, solicitation = with_detectors.classify(messages)
    assert phishing.security.forced_by == "phishing_url"
    assert phishing.entities[0].verdict == "lookalike"
    assert solicitation.security.forced_by == "solicitation"
    assert solicitation.security.value


class _FakeEncoder:
    version = "fake@1"
    dim = 4

    def embed(self, texts, batch_size=32):  # type: ignore[no-untyped-def]
        out = np.zeros((len(texts), 4), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row, 0 if ("scam" in text or "诈骗" in text) else 1] = 1.0
        return out


def test_zero_shot_scores_similarity_and_tunes_thresholds() -> None:
    peer = ZeroShotPeer(_FakeEncoder(), {f: ("scam",) for f in ("urgent", "security", "complaint")})
    examples = [Example("a", "scam here", 0, 1, 0, "en"), Example("b", "hello", 0, 0, 0, "en")]
    peer.tune(examples, _FakeEncoder().embed([e.text for e in examples]))
    probs = peer.probabilities(["scam!", "hi"])
    assert probs[0, 1] > peer.thresholds[1] > probs[1, 1]


def test_tfidf_peer_learns_a_clear_signal() -> None:
    examples = [
        Example(
            f"e{i}", ("refund now, worst app" if i % 2 else "thanks, all good"), 0, 0, i % 2, "en"
        )
        for i in range(40)
    ]
    peer = TfidfPeer.fit(examples, fold_ids(examples, 4))
    probs = peer.probabilities(["worst app, refund", "thanks"])
    assert probs[0, 2] >= peer.thresholds[2] > probs[1, 2]
