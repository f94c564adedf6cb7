"""Importing the package is free: no torch, no ONNX Runtime, no file access."""

import subprocess
import sys
from pathlib import Path

import pytest

from classifier.encoder import default_cache_dir


def test_import_loads_no_runtime() -> None:
    code = (
        "import sys, classifier.encoder as e\n"
        "heavy = [m for m in ('torch', 'onnxruntime', 'transformers', 'onnx') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def test_default_cache_dir_honours_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHDESK_MODEL_CACHE", "/srv/models")
    assert default_cache_dir() == Path("/srv/models")
    monkeypatch.delenv("WATCHDESK_MODEL_CACHE")
    assert default_cache_dir() == Path("var/models")
