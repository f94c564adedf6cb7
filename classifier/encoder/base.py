"""What every encoder shares: the protocol, e5's input conventions and length batching.

Encoders apply e5's ``query: `` prefix, truncate to ``max_length`` tokens (256 by default:
chat messages are far shorter, and the model does not see anything past the cut), mean-pool
the last hidden state over the attention mask and L2-normalise. Texts are tokenised
together, sorted by token count and padded per batch only to that batch's longest text.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

QUERY_PREFIX = "query: "
MAX_LENGTH = 256
DIM = 384
PAD_ID = 1  # XLM-R <pad>
# Characters kept before tokenising: 32 per token is more than any vocabulary piece covers,
# so the cut never changes the first MAX_LENGTH tokens, and a 100 KB message costs no more to
# tokenise than a short essay.
CHARS_PER_TOKEN = 32

Embeddings = npt.NDArray[np.float32]
EncoderKind = Literal["onnx-int8", "torch-fp32"]


class Encoder(Protocol):
    """A loaded sentence encoder.

    Attributes:
        version: model identity for stored classifications, e.g.
            ``"e5-small-q4-onnx-int8@<sha12 of the model file>"``.
        dim: embedding width (384).
    """

    version: str
    dim: int

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> Embeddings:
        """Return (len(texts), dim) float32 L2-normalised embeddings, in input order."""
        ...


def prefixed(texts: Sequence[str], max_length: int) -> list[str]:
    """Return the texts with e5's query prefix, cut to a length that cannot lose tokens."""
    cap = max_length * CHARS_PER_TOKEN
    return [QUERY_PREFIX + text[:cap] for text in texts]


def length_batches(lengths: Sequence[int], batch_size: int) -> Iterator[npt.NDArray[np.intp]]:
    """Yield index arrays of up to ``batch_size`` texts of similar length (less padding).

    Raises:
        ValueError: if ``batch_size`` < 1.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    order = np.argsort(np.asarray(lengths), kind="stable")
    for start in range(0, len(order), batch_size):
        yield order[start : start + batch_size]


def default_threads() -> int:
    """Intra-op threads: the CPU count, at most 2 (the service shares a 2-core box)."""
    return max(1, min(2, os.cpu_count() or 1))
