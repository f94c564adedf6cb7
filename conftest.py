"""Suite-wide test settings.

They live here, not in tests/: a conftest there would put tests/ on the import path, where
tests/classifier would shadow the classifier package.
"""

import os

from hypothesis import settings

# Locally, property tests explore new examples on every run (and keep failures in their
# database); under CI they replay a fixed sequence, so a landing never depends on luck.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")
