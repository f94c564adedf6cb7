"""What the heads read: the model's view of a text and cached sentence embeddings.

The encoder keeps only its first 256 tokens. Long messages often end with the part that
matters ("... and support still has not answered"), so a text over the budget is cut to its
head and its tail, joined by an ellipsis. The exact detectors never see this cut: they read
the whole message.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from core.text import clean_text, detector_view

#: Estimated tokens the model is given per text (the encoder cap is 256 with specials).
TOKEN_BUDGET = 240
#: Share of the budget given to the head of a long text; the rest goes to its tail.
HEAD_SHARE = 0.6
_ELLIPSIS = " … "

Vectors = npt.NDArray[np.float32]
Progress = Callable[[str, int, int], None]


class TextEncoder(Protocol):
    """The part of ``classifier.encoder.Encoder`` the model uses."""

    version: str
    dim: int

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> Vectors:
        """Return (len(texts), dim) float32 L2-normalised embeddings."""
        ...


def _token_cost(char: str) -> float:
    # CJK characters are about one XLM-R token each; other scripts about four characters a
    # token. An estimate is enough: it only decides where to cut, the encoder cuts exactly.
    return 1.0 if "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" else 0.25


def _prefix_within(text: str, budget: float) -> int:
    spent = 0.0
    for index, char in enumerate(text):
        spent += _token_cost(char)
        if spent > budget:
            return index
    return len(text)


def model_text(text: str, budget: int = TOKEN_BUDGET) -> str:
    """Return the normalised text the encoder sees: the whole text, or its head and tail.

    Args:
        text: A (redacted) message text of any size.
        budget: Estimated token budget.

    Returns:
        The NFKC text without invisible characters, cut to about ``budget`` tokens.
    """
    # Normalising a 100 KB text costs little; cap first anyway so a huge one costs nothing.
    cap = budget * 8
    if len(text) > 2 * cap:
        text = text[:cap] + _ELLIPSIS + text[-cap:]
    # clean_text: a lone surrogate would make the tokenizer raise instead of classifying.
    clean = detector_view(clean_text(text)).strip()
    if sum(_token_cost(c) for c in clean) <= budget:
        return clean
    head_end = _prefix_within(clean, budget * HEAD_SHARE)
    tail_len = _prefix_within(clean[::-1], budget * (1 - HEAD_SHARE))
    return clean[:head_end].rstrip() + _ELLIPSIS + clean[len(clean) - tail_len :].lstrip()


def text_key(prepared: str) -> str:
    """Return the cache key of one prepared text."""
    return hashlib.sha256(prepared.encode("utf-8", "surrogatepass")).hexdigest()


class EmbeddingCache:
    """Embeddings of prepared texts on disk, one file per encoder version.

    Re-runs of training and evaluation embed only the texts not seen before.

    Args:
        directory: Where cache files live (under ``var/``, never committed).
        encoder: The loaded encoder; its ``version`` names the cache file.
    """

    def __init__(self, directory: Path, encoder: TextEncoder) -> None:
        self._encoder = encoder
        safe = "".join(c if c.isalnum() or c in "-_.@" else "_" for c in encoder.version)
        # "single": every vector was computed alone (see embed); older caches are not reused.
        self.path = directory / f"embeddings-single-{safe}.npz"

    def embed(
        self, texts: Sequence[str], progress: Progress | None = None, chunk: int = 256
    ) -> Vectors:
        """Return the embeddings of ``texts`` (prepared with ``model_text``), cached.

        Args:
            texts: Raw (redacted) texts.
            progress: Called as ``progress("embed", done, total)`` while new texts are embedded.
            chunk: Texts embedded between progress reports.

        Returns:
            (len(texts), dim) float32 array.
        """
        prepared = [model_text(t) for t in texts]
        keys = [text_key(p) for p in prepared]
        known = self._load()
        missing = sorted(
            {k: p for k, p in zip(keys, prepared, strict=True) if k not in known}.items()
        )
        for start in range(0, len(missing), chunk):
            part = missing[start : start + chunk]
            # One text per encoder call: the int8 graph quantises activations per batch, so a
            # vector computed beside other texts depends on them, and a rebuilt cache (and
            # the artifacts trained from it) would differ from the first.
            vectors = self._encoder.embed([p for _, p in part], batch_size=1)
            known.update({k: v for (k, _), v in zip(part, vectors, strict=True)})
            if progress is not None:
                progress("embed", min(start + chunk, len(missing)), len(missing))
        if missing:
            self._save(known)
        out = np.zeros((len(texts), self._encoder.dim), dtype=np.float32)
        for row, key in enumerate(keys):
            out[row] = known[key]
        return out

    def _load(self) -> dict[str, Vectors]:
        if not self.path.exists():
            return {}
        try:
            with np.load(self.path) as data:
                keys = [str(k) for k in data["keys"]]
                vectors = np.asarray(data["vectors"], dtype=np.float32)
        except (OSError, ValueError, KeyError):
            return {}  # a damaged cache is rebuilt, never trusted
        return dict(zip(keys, vectors, strict=True))

    def _save(self, known: dict[str, Vectors]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(known)
        vectors = np.stack([known[k] for k in keys]) if keys else np.zeros((0, 0), np.float32)
        # Written beside the target and renamed, so a crash never leaves half a cache.
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".npz")
        os.close(fd)
        np.savez(tmp, keys=np.asarray(keys), vectors=vectors)
        os.replace(tmp, self.path)
