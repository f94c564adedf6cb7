"""Builds every collaborator once from the settings; nothing else constructs them.

Functions here are the only place that knows which concrete store, classifier, redactor and
connectors the process uses.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from classifier.baseline import KeywordClassifier
from classifier.detectors import (
    Blocklist,
    ImpersonationDetector,
    PhishingDetector,
    SolicitationDetector,
    StaffIdentity,
    data_path,
    load_domain_list,
)
from classifier.exact import ExactDetectors, WithExactDetectors
from classifier.secrets import SecretRedactor
from connectors.base import ConnectorBundle, ConnectorDeps, ConnectorHealth
from connectors.registry import CONNECTORS, load_factory
from core import Classifier, ConfigError
from store import Store, make_engine, upgrade
from watchdesk.pipeline import Pipeline, PipelineOptions
from watchdesk.settings import Settings

ClassifierFactory = Callable[[Settings], Classifier]


def _model(settings: Settings) -> Classifier:
    """The e5 encoder (converted into ``classifier.model_cache`` on first use) and the heads."""
    # Imported here: it pulls in onnxruntime and transformers, which a baseline run never needs.
    from classifier.model import ModelClassifier  # noqa: PLC0415

    return ModelClassifier.load(
        settings.classifier.model_cache, batch_size=settings.classifier.batch_size
    )


CLASSIFIERS: Mapping[str, ClassifierFactory] = {
    "baseline": lambda _settings: KeywordClassifier(),
    "model": _model,
}


def build_store(settings: Settings, *, migrate: bool = True) -> Store:
    """Open the database of ``database.url``, bringing its schema up to date first."""
    if migrate:
        upgrade(settings.database.url)
    return Store(make_engine(settings.database.url))


def build_classifier(settings: Settings) -> Classifier:
    """Build the classifier named by ``classifier.kind``, with the exact detectors on top."""
    try:
        factory = CLASSIFIERS[settings.classifier.kind]
    except KeyError:
        raise ConfigError(f"unknown classifier.kind {settings.classifier.kind!r}") from None
    return WithExactDetectors(factory(settings), build_detectors(settings))


def build_detectors(settings: Settings) -> ExactDetectors:
    """Build the phishing, impersonation and solicitation detectors from settings."""
    lists = settings.classifier
    blocklist = Blocklist.load(lists.blocklist_path or data_path("blocklist.txt"))
    allowlist = load_domain_list(
        lists.allowlist_path or data_path("allowlist.txt"), what="allowlist"
    )
    staff = [StaffIdentity(s.platform, s.id, tuple(s.names)) for s in settings.staff]
    return ExactDetectors(
        phishing=PhishingDetector(settings.brand.domains, blocklist, allowlist),
        impersonation=ImpersonationDetector(staff, brand_names=[settings.brand.name]),
        solicitation=SolicitationDetector(settings.brand.domains, settings.brand.handles),
    )


def build_pipeline(settings: Settings, store: Store, classifier: Classifier) -> Pipeline:
    """Wire the message path with the redactor and the batching settings."""
    options = PipelineOptions(
        batch_size=settings.pipeline.batch_size,
        flush_interval_s=settings.pipeline.flush_interval_ms / 1000,
        queue_size=settings.pipeline.queue_size,
        classify_batch_size=settings.classifier.batch_size,
    )
    return Pipeline(store, SecretRedactor.default(), classifier, options)


@dataclass
class Connectors:
    """The connectors enabled in settings, with their health records."""

    bundles: dict[str, ConnectorBundle] = field(default_factory=dict)
    health: dict[str, ConnectorHealth] = field(default_factory=dict)


def enabled_connectors(settings: Settings) -> list[str]:
    """Names of the registered connectors whose settings section says ``enabled``."""
    return [name for name in CONNECTORS if _section(settings, name) is not None]


def build_connectors(settings: Settings, store: Store) -> Connectors:
    """Build every enabled connector from the registry (no per-platform branches here)."""
    built = Connectors()
    for name in enabled_connectors(settings):
        health = ConnectorHealth(name)
        factory = load_factory(name)
        built.bundles[name] = factory(_section(settings, name), ConnectorDeps(store, health))
        built.health[name] = health
    return built


def _section(settings: Settings, name: str) -> object | None:
    section = getattr(settings, name, None)
    return section if section is not None and getattr(section, "enabled", False) else None
