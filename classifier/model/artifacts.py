"""The trained heads on disk: one ``heads.npz`` and a ``manifest.json`` describing it.

Both files are written byte for byte the same from the same data: the archive members carry a
fixed timestamp and a fixed order, and the manifest has sorted keys and no clock time. The
manifest records the sha256 of the archive, the data hash and the encoder version, so a loaded
classifier can say exactly what it is.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

HEADS_FILE = "heads.npz"
MANIFEST_FILE = "manifest.json"
FORMAT = "watchdesk-heads/1"
_EPOCH = (1980, 1, 1, 0, 0, 0)


class ArtifactError(RuntimeError):
    """The artifacts are missing, damaged or of another format."""


@dataclass(frozen=True)
class Artifacts:
    """Arrays and manifest as loaded from an artifacts directory.

    Attributes:
        arrays: The named arrays of ``heads.npz``.
        manifest: The parsed ``manifest.json``.
        sha256: The sha256 of ``heads.npz``.
    """

    arrays: dict[str, npt.NDArray[Any]]
    manifest: dict[str, Any]
    sha256: str


def default_artifacts_dir() -> Path:
    """Return ``classifier/artifacts``, where the committed heads live."""
    return Path(__file__).resolve().parent.parent / "artifacts"


def npz_bytes(arrays: dict[str, npt.NDArray[Any]]) -> bytes:
    """Serialise arrays as an ``.npz`` archive whose bytes depend only on the arrays."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(
                member, np.ascontiguousarray(arrays[name]), allow_pickle=False
            )
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, member.getvalue(), compresslevel=9)
    return buffer.getvalue()


def write_artifacts(
    directory: Path, arrays: dict[str, npt.NDArray[Any]], manifest: dict[str, Any]
) -> str:
    """Write ``heads.npz`` and ``manifest.json`` into ``directory``.

    Args:
        directory: Created if missing.
        arrays: The head arrays (numeric or unicode; no objects).
        manifest: JSON-able description; ``format`` and ``heads_sha256`` are added.

    Returns:
        The sha256 of ``heads.npz``.
    """
    data = npz_bytes(arrays)
    digest = hashlib.sha256(data).hexdigest()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / HEADS_FILE).write_bytes(data)
    full = {**manifest, "format": FORMAT, "heads_sha256": digest}
    text = json.dumps(full, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    (directory / MANIFEST_FILE).write_text(text, encoding="utf-8")
    return digest


def read_artifacts(directory: Path) -> Artifacts:
    """Load and verify the artifacts of ``directory``.

    Raises:
        ArtifactError: when a file is missing, the format is unknown or the archive does not
            match the sha256 its manifest records.
    """
    try:
        manifest = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
        data = (directory / HEADS_FILE).read_bytes()
    except (OSError, ValueError) as exc:
        raise ArtifactError(
            f"{directory}: no usable heads ({exc}); run `watchdesk train` to build them"
        ) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArtifactError(f"{directory / MANIFEST_FILE}: not a {FORMAT} manifest")
    digest = hashlib.sha256(data).hexdigest()
    if digest != manifest.get("heads_sha256"):
        raise ArtifactError(
            f"{directory / HEADS_FILE}: sha256 {digest[:12]} does not match the manifest; "
            "run `watchdesk train` to rebuild"
        )
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        arrays = {name: np.asarray(archive[name]) for name in archive.files}
    return Artifacts(arrays=arrays, manifest=manifest, sha256=digest)
