"""Prometheus configuration, alert rules (with promtool's own unit tests) and dashboards."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
import yaml

from devstack.launcher import GATEWAY, SERVICES
from tests.deploy.support import DEPLOY, PROMETHEUS_DIR, RULES, tool

CONFIGS = [PROMETHEUS_DIR / "prometheus.yml", PROMETHEUS_DIR / "prometheus-kubernetes.yml"]
DASHBOARDS = sorted((DEPLOY / "grafana" / "dashboards").glob("*.json"))
PROCESS_JOBS = {GATEWAY, *(name for name, _ in SERVICES)}


def promtool(*args: str) -> subprocess.CompletedProcess:
    command = [tool("promtool", "Debian's prometheus package"), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("config", CONFIGS, ids=lambda path: path.name)
def test_promtool_accepts_the_scrape_configuration(config):
    checked = promtool("check", "config", str(config))
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize("config", CONFIGS, ids=lambda path: path.name)
def test_every_process_and_rabbitmq_is_scraped(config):
    jobs = {job["job_name"] for job in yaml.safe_load(config.read_text())["scrape_configs"]}
    assert PROCESS_JOBS | {"rabbitmq", "minio"} <= jobs


def test_promtool_accepts_the_rules():
    checked = promtool("check", "rules", *map(str, RULES))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_alerts_fire_when_they_should():
    tested = promtool("test", "rules", str(PROMETHEUS_DIR / "tests" / "gaspol.test.yml"))
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_the_rules_cover_what_operators_are_paged_for():
    alerts = {
        rule["alert"]
        for path in RULES
        for group in yaml.safe_load(path.read_text())["groups"]
        for rule in group["rules"]
    }
    assert {
        "GaspolTargetDown",
        "GaspolServiceMissing",
        "GaspolHttpErrorRatio",
        "GaspolRpcErrorRatio",
        "GaspolRpcLatencyHigh",
        "GaspolOutboxBacklog",
        "GaspolDeadLetters",
        "GaspolSlaBreached",
        "GaspolBankSignatureFailures",
        "GaspolSigningKeyRotationDue",
        "GaspolTlsCertificateExpiring",
    } <= alerts


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda path: path.name)
def test_every_dashboard_panel_queries_the_provisioned_prometheus(path):
    dashboard = json.loads(path.read_text())
    datasource = yaml.safe_load(
        (DEPLOY / "grafana" / "provisioning" / "datasources" / "prometheus.yml").read_text()
    )["datasources"][0]
    assert dashboard["panels"]
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] == datasource["uid"], panel["title"]
        assert all(re.search(r"\w", t["expr"]) for t in panel["targets"]), panel["title"]


def test_the_dashboards_are_one_each_for_health_permits_and_payments():
    uids = [json.loads(path.read_text())["uid"] for path in DASHBOARDS]
    assert sorted(uids) == ["gaspol-payments", "gaspol-permits", "gaspol-platform"]
