"""Fixtures of the evaluation tests: the real model, loaded once per session."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from classifier.model import ModelClassifier

REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def _offline_eval() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        yield


@pytest.fixture(scope="session")
def eval_model(_offline_eval: None) -> ModelClassifier:
    cache = Path(os.environ.get("WATCHDESK_TEST_MODEL_CACHE") or REPO_ROOT / "var" / "test-models")
    return ModelClassifier.load(cache)
