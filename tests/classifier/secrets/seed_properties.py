"""What the secret property tests share: one redactor, hypothesis settings, real mnemonics."""

import hashlib

from hypothesis import HealthCheck, settings
from mnemonic import Mnemonic

from classifier.secrets import SecretRedactor
from classifier.secrets.wordlists import LANGUAGES

REDACTOR = SecretRedactor.default()  # built once: hypothesis calls the tests many times
HELPERS = {lang: Mnemonic(lang) for lang in LANGUAGES}
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def mnemonic(lang: str, seed: bytes, words: int) -> list[str]:
    """Return a valid ``words``-word mnemonic of ``lang`` derived from hypothesis' bytes.

    Real mnemonics come from a CSPRNG: hashing hypothesis' bytes keeps that distribution (raw
    bytes shrink to all-zero entropy, a test vector covered by a unit test).
    """
    entropy = hashlib.sha256(seed).digest()[: words * 4 // 3]
    helper = HELPERS[lang]
    return helper.to_mnemonic(entropy).split(helper.delimiter)
