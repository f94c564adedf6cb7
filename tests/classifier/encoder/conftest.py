"""Fixtures of the encoder tests: one real conversion per session, shared by every test.

The cache lives in ``var/test-models`` at the repository root (gitignored), or in
``$WATCHDESK_TEST_MODEL_CACHE``. The first session converts (about 15 s); later sessions only
verify the manifest hashes (under a second).
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from classifier.encoder import ensure_converted

REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session", autouse=True)
def _offline_hub() -> Iterator[None]:
    # Any attempt to reach a model hub must fail loudly instead of downloading.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        yield


@pytest.fixture(scope="session")
def e5_cache_dir() -> Path:
    return Path(os.environ.get("WATCHDESK_TEST_MODEL_CACHE") or REPO_ROOT / "var" / "test-models")


@pytest.fixture(scope="session")
def e5_model_dir(e5_cache_dir: Path, _offline_hub: None) -> Path:
    return ensure_converted(e5_cache_dir)
