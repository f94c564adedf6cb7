"""``python -m classifier.encoder [CACHE_DIR]``: convert the packaged model into the cache."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from classifier.encoder.cache import default_cache_dir, ensure_converted


def main(argv: list[str]) -> int:
    """Convert (if needed) and print the model directory; returns the exit status."""
    cache = Path(argv[0]) if argv else default_cache_dir()
    start = time.monotonic()
    directory = ensure_converted(cache, progress=lambda line: print(line, file=sys.stderr))
    print(directory)
    print(f"ready in {time.monotonic() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
