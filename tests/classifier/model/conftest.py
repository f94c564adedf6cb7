"""Fixtures of the model tests: the real encoder (converted once) and the committed heads."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from classifier.model import ModelClassifier

REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def _offline() -> Iterator[None]:
    # Nothing may reach a model hub: fail loudly instead of downloading.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        yield


@pytest.fixture(scope="session")
def model_cache_dir() -> Path:
    # The same cache as the encoder tests, so a test session converts the model once.
    return Path(os.environ.get("WATCHDESK_TEST_MODEL_CACHE") or REPO_ROOT / "var" / "test-models")


@pytest.fixture(scope="session")
def model_classifier(model_cache_dir: Path, _offline: None) -> ModelClassifier:
    return ModelClassifier.load(model_cache_dir)
