"""The plain transformers fp32 encoder (``AutoModel`` / ``AutoTokenizer``): the reference."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

from classifier.encoder.base import DIM, MAX_LENGTH, Embeddings, length_batches, prefixed
from classifier.encoder.cache import file_sha256


class TorchE5Encoder:
    """e5 as a transformers ``BertModel`` in fp32, loaded from the converted directory.

    Loading takes several seconds and imports torch: do it once per process, off the event
    loop.

    Args:
        model_dir: a directory made by ``ensure_converted``.
        max_length: token cap per text, special tokens included.
    """

    dim = DIM

    def __init__(self, model_dir: Path, *, max_length: int = MAX_LENGTH) -> None:
        self.max_length = max_length
        digest = file_sha256(model_dir, "model.safetensors")
        self.version = f"e5-small-q4-torch-fp32@{digest[:12]}"
        # local_files_only: a directory path never reaches the hub, and this makes sure.
        self._tokenizer: Any = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
        # The checkpoint has no pooler (e5 mean-pools); without add_pooling_layer=False
        # transformers would add a randomly initialised one and warn about it.
        self._model: Any = AutoModel.from_pretrained(
            str(model_dir), local_files_only=True, add_pooling_layer=False
        ).eval()

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> Embeddings:
        """Return (len(texts), 384) float32 L2-normalised embeddings, in input order."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        ids = self._tokenizer(
            prefixed(texts, self.max_length), truncation=True, max_length=self.max_length
        )["input_ids"]
        with torch.inference_mode():
            for idx in length_batches([len(x) for x in ids], batch_size):
                enc = self._tokenizer.pad({"input_ids": [ids[i] for i in idx]}, return_tensors="pt")
                hidden = self._model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
                out[idx] = torch.nn.functional.normalize(mean, dim=-1).numpy()
        return out
