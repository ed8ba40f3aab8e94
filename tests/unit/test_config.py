"""Settings: parsed from the environment, with clear errors, and all documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chassis.config import SETTINGS, ConfigError, load_settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_defaults_give_the_embedded_platform():
    settings = load_settings({})
    assert settings["MONGO_URI"] is None
    assert settings["S3_ENDPOINT"] is None
    assert settings["GATEWAY_PORT"] == 8080
    assert settings["PAYMENTS_BANK_PORT"] == 8090
    assert settings.data_dir == Path("./var").absolute()
    assert settings.retry_delays == (1.0, 5.0, 30.0, 120.0)


def test_environment_and_overrides_win_over_defaults():
    settings = load_settings({"GATEWAY_PORT": "9000", "S3_SECURE": "yes"}, RPC_TIMEOUT="2.5")
    assert settings["GATEWAY_PORT"] == 9000
    assert settings["S3_SECURE"] is True
    assert settings["RPC_TIMEOUT"] == 2.5


@pytest.mark.parametrize(
    ("name", "value"),
    [("GATEWAY_PORT", "eighty"), ("RPC_TIMEOUT", "0"), ("EVENT_RETRY_DELAYS", " , ")],
)
def test_a_bad_value_names_the_variable(name, value):
    with pytest.raises(ConfigError, match=name):
        load_settings({name: value})


def test_nameko_gets_json_only_and_the_settings():
    config = load_settings({"AMQP_URI": "amqp://x/"}).nameko_config()
    assert config["AMQP_URI"] == "amqp://x/"
    assert config["serializer"] == "json"
    assert config["ACCEPT"] == ["json"]


def test_every_setting_is_in_the_readme_table_and_nothing_else_is():
    rows = re.findall(r"^\| `([A-Z0-9_]+)` \|", README.read_text(), flags=re.MULTILINE)
    assert sorted(rows) == sorted(setting.env for setting in SETTINGS)
