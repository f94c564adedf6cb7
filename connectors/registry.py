"""Names of connectors mapped to their factories.

Adding a platform is a new subpackage exposing ``build(config, deps) -> ConnectorBundle`` and a
``Config`` model, one line here, and one settings field in ``watchdesk.settings``. Entries are
import paths so that an unused platform's SDK is never imported.
"""

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from connectors.base import ConnectorBundle, ConnectorDeps
from core import ConfigError

Factory = Callable[[Any, ConnectorDeps], ConnectorBundle]

CONNECTORS: Mapping[str, str] = {
    "replay": "connectors.replay",
    "telegram": "connectors.telegram",
    "discord": "connectors.discord",
}


def load_factory(name: str, registry: Mapping[str, str] = CONNECTORS) -> Factory:
    """Import the connector package registered as ``name`` and return its ``build``.

    Raises:
        ConfigError: If no connector of that name is registered.
    """
    try:
        module_path = registry[name]
    except KeyError:
        known = ", ".join(sorted(registry))
        raise ConfigError(f"unknown connector {name!r}; known connectors: {known}") from None
    module = importlib.import_module(module_path)
    factory: Factory = module.build
    return factory
