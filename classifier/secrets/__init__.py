"""Exposed-secret detection and redaction: BIP39 seed phrases, private keys, keystores.

The pipeline builds one ``SecretRedactor`` (``SecretRedactor.default()``) and runs every text
and raw payload through it before anything is written, logged or queued.
"""

from classifier.secrets.findings import Finding
from classifier.secrets.redactor import Redacted, SecretRedactor
from classifier.secrets.wordlists import LANGUAGES, Bip39Wordlists

__all__ = ["LANGUAGES", "Bip39Wordlists", "Finding", "Redacted", "SecretRedactor"]
