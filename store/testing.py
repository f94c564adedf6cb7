"""A migrated store in a scratch SQLite file, for tests of the floors above the store.

Shipped in the package (like httpx's mock transport) so that connector, pipeline and responder
tests use one helper instead of each writing their own fixture.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from store.engine import make_engine
from store.migrate import upgrade
from store.repository import Store


@contextmanager
def sqlite_store(folder: Path) -> Iterator[Store]:
    """Yield a ``Store`` on ``folder/watchdesk.db``, migrated to head; dispose of it after."""
    url = f"sqlite:///{folder / 'watchdesk.db'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        yield Store(engine)
    finally:
        engine.dispose()
