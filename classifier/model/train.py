"""``watchdesk train``: rebuild the committed heads from the labelled data, deterministically.

Steps: load and redact the data as production redacts it, split it with the fixed seed, embed
train+dev with the production encoder (cached under ``var/``), cross-fit the heads over five
folds to get held-out scores and choose each flag's threshold on them, fit the final heads on
all of train+dev, and write ``heads.npz`` + ``manifest.json``. The test split is never read
past the split itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from classifier.model.artifacts import default_artifacts_dir, write_artifacts
from classifier.model.dataset import (
    DEFAULT_SEED,
    FLAGS,
    Example,
    data_hash,
    default_data_dir,
    fold_ids,
    label_matrix,
    load_training_data,
    redact_examples,
    split_examples,
)
from classifier.model.features import EmbeddingCache, Progress, TextEncoder, Vectors, model_text
from classifier.model.heads import HeadConfig, Heads
from classifier.model.thresholds import best_threshold, flag_scores

#: Security recall matters more than its precision. The goal is recall >= 0.95 on unseen
#: messages; held-out train+dev scores overstate it for text by other writers (0.96 there was
#: 0.93 on the demo feed), so the floor leaves a 0.02 margin. It costs 0.02 of held-out
#: precision (0.927 -> 0.906 on 8,683 messages), far above the 0.85 goal.
MIN_RECALL: dict[str, float] = {"urgent": 0.0, "security": 0.97, "complaint": 0.0}
FOLDS = 5
HEADS_NAME = "e5-heads"


@dataclass(frozen=True)
class TrainResult:
    """What a training run produced.

    Attributes:
        directory: Where the artifacts were written.
        heads_sha256: sha256 of ``heads.npz`` (the model version is built from it).
        data_hash: sha256 of the labelled data that was read (before redaction).
        encoder_version: The encoder the embeddings came from.
        thresholds: Chosen threshold per flag.
        cv_f1: Held-out (cross-fitted) F1 per flag at those thresholds, and ``macro``.
    """

    directory: Path
    heads_sha256: str
    data_hash: str
    encoder_version: str
    thresholds: dict[str, float]
    cv_f1: dict[str, float]


def production_redact() -> Any:
    """Return the redaction function production applies before classification."""
    from classifier.secrets import SecretRedactor  # noqa: PLC0415 (built only when training)

    redactor = SecretRedactor.default()
    return lambda text: redactor.redact(text).text


def load_redacted(data_dir: Path) -> list[Example]:
    """Load every training file of ``data_dir`` with texts redacted as production does."""
    return redact_examples(load_training_data(data_dir), production_redact())


def train(
    data_dir: Path | None = None,
    out_dir: Path | None = None,
    cache_dir: Path | None = None,
    *,
    embeddings_dir: Path = Path("var/cache"),
    progress: Progress | None = None,
    encoder: TextEncoder | None = None,
    seed: int = DEFAULT_SEED,
) -> TrainResult:
    """Rebuild the heads from the labelled data.

    Args:
        data_dir: The labelled files (default ``classifier/data``).
        out_dir: Where to write the artifacts (default ``classifier/artifacts``).
        cache_dir: The encoder cache (default ``classifier.encoder.default_cache_dir()``).
        embeddings_dir: Where embeddings are cached between runs.
        progress: Called as ``progress(stage, done, total)``.
        encoder: An already loaded encoder (otherwise the production ONNX one is loaded).
        seed: The split seed.

    Returns:
        What was written, with the cross-validated scores.
    """
    report = progress or _quiet
    raw = load_training_data(data_dir or default_data_dir())
    examples = redact_examples(raw, production_redact())
    splits = split_examples(examples, seed)
    fit_set = list(splits.train + splits.dev)
    if encoder is None:
        from classifier.encoder import default_cache_dir, load_encoder  # noqa: PLC0415

        report("load encoder", 0, 1)
        encoder = load_encoder(cache_dir or default_cache_dir(), kind="onnx-int8")
        report("load encoder", 1, 1)
    vectors = EmbeddingCache(embeddings_dir, encoder).embed([e.text for e in fit_set], report)
    return fit_and_write(
        fit_set,
        vectors,
        out_dir or default_artifacts_dir(),
        encoder_version=encoder.version,
        data_sha256=data_hash(raw),
        seed=seed,
        progress=report,
        extra={"redacted_sha256": data_hash(examples)},
    )


def fit_and_write(
    examples: Sequence[Example],
    vectors: Vectors,
    out_dir: Path,
    *,
    encoder_version: str,
    data_sha256: str,
    config: HeadConfig | None = None,
    seed: int = DEFAULT_SEED,
    folds: int = FOLDS,
    progress: Progress | None = None,
    extra: dict[str, Any] | None = None,
) -> TrainResult:
    """Cross-fit for thresholds, fit the final heads and write the artifacts.

    Args:
        examples: The (redacted) examples to fit on.
        vectors: Their e5 embeddings, in the same order.
        out_dir: Artifacts directory.
        encoder_version: Recorded in the manifest.
        data_sha256: Recorded in the manifest (the hash of the labelled files as read).
        config: Head hyper-parameters (default ``HeadConfig()``).
        seed: Fold assignment seed.
        folds: Cross-validation folds.
        progress: Called as ``progress(stage, done, total)``.
        extra: More manifest entries.
    """
    report = progress or _quiet
    config = config or HeadConfig()
    texts = [model_text(e.text) for e in examples]
    labels = label_matrix(examples)
    held_out = cross_fit(
        vectors, texts, labels, fold_ids(examples, folds, seed), config=config, progress=report
    )
    thresholds = {
        flag: best_threshold(labels[:, j], held_out[:, j], min_recall=MIN_RECALL[flag])
        for j, flag in enumerate(FLAGS)
    }
    cv_f1 = {
        flag: round(flag_scores(labels[:, j], held_out[:, j] >= thresholds[flag]).f1, 4)
        for j, flag in enumerate(FLAGS)
    }
    cv_f1["macro"] = round(float(np.mean([cv_f1[f] for f in FLAGS])), 4)
    report("fit heads", 0, 1)
    heads = Heads.fit(vectors, texts, labels, config)
    report("fit heads", 1, 1)
    arrays = heads.to_arrays()
    arrays["thresholds"] = np.asarray([thresholds[f] for f in FLAGS], dtype=np.float64)
    manifest = {
        "name": HEADS_NAME,
        "encoder_version": encoder_version,
        "data_sha256": data_sha256,
        "fit_examples": len(examples),
        "fit_languages": _counts(e.lang for e in examples),
        "split_seed": seed,
        "folds": folds,
        "config": vars(config),
        "thresholds": thresholds,
        "cv_f1": cv_f1,
        **(extra or {}),
    }
    digest = write_artifacts(out_dir, arrays, manifest)
    return TrainResult(out_dir, digest, data_sha256, encoder_version, thresholds, cv_f1)


def cross_fit(
    vectors: Vectors,
    texts: Sequence[str],
    labels: npt.NDArray[np.int64],
    folds: Sequence[int],
    *,
    config: HeadConfig,
    progress: Progress,
) -> npt.NDArray[np.float64]:
    """Return held-out probabilities: each example scored by heads that never saw it."""
    fold_of = np.asarray(folds)
    out = np.zeros(labels.shape, dtype=np.float64)
    count = int(fold_of.max()) + 1 if len(fold_of) else 0
    for fold in range(count):
        progress("cross-validate", fold, count)
        train_idx = np.flatnonzero(fold_of != fold)
        test_idx = np.flatnonzero(fold_of == fold)
        heads = Heads.fit(
            vectors[train_idx], [texts[int(i)] for i in train_idx], labels[train_idx], config
        )
        out[test_idx] = heads.probabilities(vectors[test_idx], [texts[int(i)] for i in test_idx])
    progress("cross-validate", count, count)
    return out


def _counts(values: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return dict(sorted(counts.items()))


def _quiet(_stage: str, _done: int, _total: int) -> None:
    """Progress sink that shows nothing."""
