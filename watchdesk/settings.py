"""Typed settings, validated once at start-up.

Sources, strongest first: ``WATCHDESK_*`` environment variables (nested with ``__``, e.g.
``WATCHDESK_DATABASE__URL``), then the YAML file (``--settings PATH``, ``WATCHDESK_SETTINGS``,
or ``./settings.yaml``), then the defaults below. Defaults enable no connector. Unknown keys and
bad values stop the start with the file, the key and what is expected. Tokens are accepted only
from the environment, never from the YAML file that lives in a repository.
"""

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

from connectors.discord import Config as DiscordConfig
from connectors.replay import Config as ReplayConfig
from connectors.telegram import Config as TelegramConfig
from core import ConfigError
from responder.config import ResponderConfig

DEFAULT_SETTINGS_FILE = Path("settings.yaml")
SETTINGS_ENV = "WATCHDESK_SETTINGS"
_SECRET_KEYS = frozenset({"token", "password", "secret", "api_key", "client_secret"})


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DatabaseSettings(_Section):
    """Where messages are stored.

    Attributes:
        url: SQLAlchemy URL; the default is a SQLite file under ``./var/``. PostgreSQL:
            ``postgresql+psycopg://user@host:5432/db``.
    """

    url: str = "sqlite:///var/watchdesk.db"


class LoggingSettings(_Section):
    """Structured logs.

    Attributes:
        level: Minimum level. Message bodies are never logged at INFO or above.
        format: ``console`` for people, ``json`` for machines, ``auto`` picks by terminal.
    """

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["auto", "console", "json"] = "auto"


class ClassifierSettings(_Section):
    """Which classifier flags messages, and the exact detectors' lists.

    Attributes:
        kind: ``model`` (the e5 encoder with trained heads) or ``baseline`` (keyword rules).
        batch_size: Messages classified together (the model embeds them in one pass).
        model_cache: Where the converted encoder is kept.
        blocklist_path: Phishing domains, one per line (``watchdesk blocklist refresh``
            rewrites it); ``None`` uses the list shipped with watchdesk.
        allowlist_path: Domains never called phishing; ``None`` uses the shipped list.
    """

    kind: Literal["model", "baseline"] = "model"
    batch_size: int = Field(default=32, ge=1, le=1024)
    model_cache: Path = Path("var/models")
    blocklist_path: Path | None = None
    allowlist_path: Path | None = None


class BrandSettings(_Section):
    """The brand watchdesk protects.

    Attributes:
        name: Shown in answers and warnings.
        domains: Official domains; lookalikes of these are phishing.
        handles: Official accounts (``@nova_support``): contact offered there is not a scam.
    """

    name: str = "NovaWallet"
    domains: list[str] = Field(default_factory=lambda: ["novawallet.io"])
    handles: list[str] = Field(default_factory=list)


class StaffMember(_Section):
    """One staff account: impersonators copy these names.

    Attributes:
        platform: ``telegram``, ``discord``, ``twitter``, ``reddit`` ...
        id: The account's id on that platform.
        names: Its handle and display name(s).
    """

    platform: str
    id: str
    names: list[str] = Field(min_length=1)


class PipelineSettings(_Section):
    """Batching of the message path.

    Attributes:
        batch_size: Most events written in one transaction.
        flush_interval_ms: Longest wait to fill a batch.
        queue_size: Events buffered before connectors are slowed down.
    """

    batch_size: int = Field(default=256, ge=1, le=10_000)
    flush_interval_ms: int = Field(default=50, ge=1, le=10_000)
    queue_size: int = Field(default=10_000, ge=1)


class LiveViewSettings(_Section):
    """The terminal view of ``watchdesk run``.

    Attributes:
        enabled: Show it (it is off anyway when stdout is not a terminal).
        rows: Flagged messages kept on screen.
    """

    enabled: bool = True
    rows: int = Field(default=15, ge=1, le=200)


class Settings(BaseSettings):
    """Every setting of watchdesk; see README.md for each key.

    Attributes:
        state_dir: Where the process keeps its status file (and, by default, its database).
    """

    model_config = SettingsConfigDict(
        env_prefix="WATCHDESK_",
        env_nested_delimiter="__",
        extra="forbid",
        validate_default=True,
    )

    state_dir: Path = Path("var")
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)
    classifier: ClassifierSettings = Field(default_factory=ClassifierSettings)
    brand: BrandSettings = Field(default_factory=BrandSettings)
    staff: list[StaffMember] = Field(default_factory=list)
    pipeline: PipelineSettings = Field(default_factory=PipelineSettings)
    live_view: LiveViewSettings = Field(default_factory=LiveViewSettings)
    replay: ReplayConfig = Field(default_factory=ReplayConfig)
    telegram: TelegramConfig = Field(default_factory=TelegramConfig)
    responder: ResponderConfig = Field(default_factory=ResponderConfig)
    discord: DiscordConfig = Field(default_factory=DiscordConfig)


def resolve_path(path: Path | None) -> Path | None:
    """Pick the settings file: the option, then ``WATCHDESK_SETTINGS``, then ``./settings.yaml``.

    Returns:
        The file to read, or ``None`` when no file is named and none is in the working folder.

    Raises:
        ConfigError: When a named file does not exist.
    """
    named = path or (Path(os.environ[SETTINGS_ENV]) if os.environ.get(SETTINGS_ENV) else None)
    if named is not None:
        if not named.is_file():
            raise ConfigError(f"settings file not found: {named}")
        return named
    return DEFAULT_SETTINGS_FILE if DEFAULT_SETTINGS_FILE.is_file() else None


def load_settings(path: Path | None = None) -> Settings:
    """Read and validate the settings once.

    Raises:
        ConfigError: Naming the file, the key and what is expected.
    """
    file = resolve_path(path)
    data = _read_yaml(file) if file is not None else {}
    label = str(file) if file is not None else "defaults"
    try:
        # The YAML values come in as init arguments ranked below the environment.
        return _with_yaml(data)()
    except ValidationError as exc:
        raise ConfigError(format_errors(exc, label)) from None


def _with_yaml(data: Mapping[str, Any]) -> type[Settings]:
    class _Loaded(Settings):
        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            yaml_source = YamlConfigSettingsSource(settings_cls)
            yaml_source.init_kwargs = dict(data)  # already read and checked
            return (env_settings, yaml_source)

    return _Loaded


def _read_yaml(file: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{file}: expected a mapping of sections at the top level")
    for key_path in _secret_paths(data):
        env = "WATCHDESK_" + "__".join(key_path).upper()
        dotted = ".".join(key_path)
        raise ConfigError(
            f"{file}: key '{dotted}' holds a secret; remove it from the file and set the "
            f"environment variable {env} instead"
        )
    return data


def _secret_paths(
    data: Mapping[str, Any], prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    for key, value in data.items():
        path = (*prefix, str(key))
        if str(key).lower() in _SECRET_KEYS and value not in (None, ""):
            yield path
        elif isinstance(value, Mapping):
            yield from _secret_paths(value, path)


def format_errors(exc: ValidationError, source: str) -> str:
    """Describe validation errors as ``source: key 'a.b': what is wrong (got X)``."""
    lines = [f"invalid settings ({source} and WATCHDESK_* environment):"]
    for error in exc.errors():
        key = ".".join(str(p) for p in error["loc"])
        if error["type"] == "extra_forbidden":
            lines.append(f"  key '{key}': unknown key; remove it or check its spelling")
            continue
        if error["type"] == "value_error":  # our own validators already quote the input
            lines.append(f"  key '{key}': {error['ctx']['error']}")
            continue
        got = error.get("input")
        shown = "" if isinstance(got, dict | list) else f" (got {got!r})"
        lines.append(f"  key '{key}': {error['msg']}{shown}")
    return "\n".join(lines)
