"""``load_encoder``: convert if needed, then load the requested encoder."""

from __future__ import annotations

from pathlib import Path

from classifier.encoder.base import Encoder, EncoderKind
from classifier.encoder.cache import ensure_converted


def load_encoder(cache_dir: Path, kind: EncoderKind = "onnx-int8") -> Encoder:
    """Convert the packaged model if needed, then load an encoder.

    Slow (about a second for ``onnx-int8``, several for ``torch-fp32``, plus one conversion of
    ~15 s on first use): call once per process, off the event loop.

    Args:
        cache_dir: the model cache root (see ``default_cache_dir``).
        kind: ``"onnx-int8"`` (production) or ``"torch-fp32"`` (plain transformers).

    Returns:
        The loaded encoder.

    Raises:
        ValueError: for an unknown kind.
        SourceFormatError: when a conversion is needed and the packaged source is wrong.
    """
    if kind not in ("onnx-int8", "torch-fp32"):
        raise ValueError(f"unknown encoder kind {kind!r}; use 'onnx-int8' or 'torch-fp32'")
    directory = ensure_converted(cache_dir)
    # Imported on demand so the production path never imports torch (about 1 s and 200 MB).
    if kind == "onnx-int8":
        from classifier.encoder.onnx_encoder import OnnxE5Encoder  # noqa: PLC0415

        return OnnxE5Encoder(directory)
    from classifier.encoder.torch_encoder import TorchE5Encoder  # noqa: PLC0415

    return TorchE5Encoder(directory)
