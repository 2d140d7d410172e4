from __future__ import annotations

import pytest

from coopwatch.errors import ConfigError
from coopwatch.settings import load_settings


def test_layers_default_file_env(tmp_path):
    (tmp_path / "coopwatch.toml").write_text('timezone = "Europe/Berlin"\nbatch_size = 50\n')
    s = load_settings(data_dir=tmp_path, env={"COOPWATCH_BATCH_SIZE": "7"})
    assert s.timezone == "Europe/Berlin"  # file beats default
    assert s.batch_size == 7  # env beats file
    assert s.backend == "sqlite"  # default
    assert s.store_url.endswith("coopwatch.db")


def test_home_from_env(tmp_path):
    s = load_settings(env={"COOPWATCH_HOME": str(tmp_path / "h")})
    assert s.data_dir == tmp_path / "h"


@pytest.mark.parametrize(
    "toml, message",
    [
        ('timezone = "Mars/Olympus"', "IANA timezone"),
        ('backend = "solr"', "backend must be"),
        ('batch_size = "many"', "invalid value"),
        ('colour = "blue"', "unknown setting 'colour'"),
        ("timezone = ", "not valid TOML"),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path, toml, message):
    (tmp_path / "coopwatch.toml").write_text(toml)
    with pytest.raises(ConfigError, match=message):
        load_settings(data_dir=tmp_path, env={})


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("max_page_bytes = 1e400", "max_page_bytes"),
        ("download_timeout = -1", "download_timeout must be a positive"),
        ("download_timeout = inf", "download_timeout"),
        ("es_replicas = -3", "es_replicas must be 0 or more"),
        ("batch_size = 2.5", "batch_size"),
    ],
)
def test_out_of_range_config_values_are_config_errors(tmp_path, line, says) -> None:
    from coopwatch.errors import ConfigError
    from coopwatch.settings import load_settings

    (tmp_path / "coopwatch.toml").write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=says):
        load_settings(tmp_path)
