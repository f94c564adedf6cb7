"""A tiny deterministic training run on precomputed (fake) embeddings: no encoder needed."""

from pathlib import Path

import numpy as np
import pytest

from classifier.model.artifacts import ArtifactError, read_artifacts
from classifier.model.dataset import Example, default_data_dir, load_training_data
from classifier.model.features import model_text
from classifier.model.heads import Heads
from classifier.model.train import fit_and_write


def _small_set() -> tuple[list[Example], np.ndarray]:
    examples = sorted(load_training_data(default_data_dir()), key=lambda e: e.id)[::57][:60]
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(len(examples), 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return examples, vectors


def _train(out: Path) -> str:
    examples, vectors = _small_set()
    result = fit_and_write(
        examples, vectors, out, encoder_version="fake@1", data_sha256="d" * 64, folds=3
    )
    return result.heads_sha256


def test_training_is_deterministic_to_the_byte(tmp_path: Path) -> None:
    first, second = _train(tmp_path / "a"), _train(tmp_path / "b")
    assert first == second
    for name in ("heads.npz", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_manifest_records_data_and_encoder(tmp_path: Path) -> None:
    digest = _train(tmp_path)
    artifacts = read_artifacts(tmp_path)
    assert artifacts.sha256 == digest == artifacts.manifest["heads_sha256"]
    assert artifacts.manifest["encoder_version"] == "fake@1"
    assert artifacts.manifest["data_sha256"] == "d" * 64
    assert set(artifacts.manifest["thresholds"]) == {"urgent", "security", "complaint"}
    assert all(0.0 <= t <= 1.0 for t in artifacts.arrays["thresholds"])


def test_saved_heads_score_like_fresh_ones(tmp_path: Path) -> None:
    examples, vectors = _small_set()
    texts = [model_text(e.text) for e in examples]
    labels = [e.labels for e in examples]
    from classifier.model.heads import HeadConfig

    fresh = Heads.fit(vectors, texts, labels, HeadConfig())
    from classifier.model.artifacts import write_artifacts

    write_artifacts(tmp_path, fresh.to_arrays(), {})
    loaded = Heads.from_arrays(read_artifacts(tmp_path).arrays)
    np.testing.assert_allclose(
        loaded.probabilities(vectors, texts), fresh.probabilities(vectors, texts), atol=1e-9
    )
    assert loaded.probabilities(vectors[:0], []).shape == (0, 3)


def test_tampered_or_missing_artifacts_are_refused(tmp_path: Path) -> None:
    _train(tmp_path)
    data = bytearray((tmp_path / "heads.npz").read_bytes())
    data[-30] ^= 0xFF
    (tmp_path / "heads.npz").write_bytes(bytes(data))
    with pytest.raises(ArtifactError, match="does not match"):
        read_artifacts(tmp_path)
    with pytest.raises(ArtifactError, match="watchdesk train"):
        read_artifacts(tmp_path / "nowhere")


def test_committed_artifacts_are_small_and_valid() -> None:
    from classifier.model.artifacts import default_artifacts_dir

    directory = default_artifacts_dir()
    total = sum(p.stat().st_size for p in directory.iterdir() if p.is_file())
    assert total < 20 * 1024 * 1024
    artifacts = read_artifacts(directory)
    assert artifacts.manifest["name"] == "e5-heads"
    assert artifacts.manifest["encoder_version"].startswith("e5-small")
