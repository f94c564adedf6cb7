import os
from pathlib import Path

import pytest

from core import ConfigError
from watchdesk.settings import load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:

    for key in list(os.environ):
        if key.startswith("WATCHDESK_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)  # no ./settings.yaml unless a test writes one


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_enable_no_connector() -> None:
    settings = load_settings()
    assert settings.database.url == "sqlite:///var/watchdesk.db"
    assert not settings.replay.enabled


def test_shipped_settings_file_is_valid_and_enables_the_demo() -> None:
    shipped = Path(__file__).resolve().parents[2] / "settings.yaml"
    settings = load_settings(shipped)
    assert settings.replay.enabled
    assert settings.replay.path == Path("examples/demo_feed.jsonl")


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "database: {url: 'sqlite:///from-file.db'}\nreplay: {speed: 5}\n")
    monkeypatch.setenv("WATCHDESK_DATABASE__URL", "postgresql+psycopg://postgres@db/x")
    settings = load_settings(path)
    assert settings.database.url == "postgresql+psycopg://postgres@db/x"
    assert settings.replay.speed == 5


def test_settings_file_from_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, "pipeline: {batch_size: 7}\n")
    monkeypatch.setenv("WATCHDESK_SETTINGS", str(path))
    assert load_settings().pipeline.batch_size == 7


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("databse: {url: x}\n", "key 'databse': unknown key"),
        ("database: {uri: x}\n", "key 'database.uri': unknown key"),
        ("replay: {speed: fast}\n", "key 'replay.speed': expected \"max\" or a positive number"),
        ("replay: {speed: -2}\n", "key 'replay.speed'"),
        ("pipeline: {batch_size: 0}\n", "key 'pipeline.batch_size': Input should be greater"),
        ("logging: {level: LOUD}\n", "key 'logging.level'"),
        ("- a\n- b\n", "expected a mapping"),
        ("database: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_files_name_the_file_the_key_and_the_fix(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert expected in str(error.value)
    assert str(path) in str(error.value)


def test_bad_environment_value_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHDESK_PIPELINE__BATCH_SIZE", "many")
    with pytest.raises(ConfigError, match=r"pipeline\.batch_size"):
        load_settings()


def test_token_in_the_file_is_refused_and_names_the_variable(tmp_path: Path) -> None:
    path = _write(tmp_path, "replay: {token: abc123}\n")
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert "WATCHDESK_REPLAY__TOKEN" in str(error.value)
    assert "abc123" not in str(error.value)


def test_missing_named_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.yaml")
