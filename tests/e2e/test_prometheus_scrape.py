"""A real Prometheus (Debian's) scrapes the six processes of the platform with the alert rules of
deploy/prometheus loaded: every target up, the business families there, every rule and every
dashboard query evaluated without error, every metric they name served by some process."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests
import yaml

from devstack.launcher import GATEWAY
from tests.e2e.conftest import run_demo
from tests.support.processes import REPO, free_port

PROMETHEUS_DIR = REPO / "deploy" / "prometheus"
RULE_FILES = sorted((PROMETHEUS_DIR / "rules").glob("*.yml"))
DASHBOARDS = sorted((REPO / "deploy" / "grafana" / "dashboards").glob("*.json"))
# What the walk from draft to issued leaves behind in every service, beyond the chassis' own.
BUSINESS_FAMILIES = {
    "application_transitions_total",
    "application_stage_duration_seconds_bucket",
    "document_uploads_total",
    "document_bytes_stored_total",
    "bank_calls_total",
    "payments_collected_rupiah_total",
    "notifications_total",
    "signing_key_file_timestamp_seconds",
}
PLATFORM_FAMILIES = {
    "rpc_requests_total",
    "rpc_request_duration_seconds_bucket",
    "events_published_total",
    "events_handled_total",
    "outbox_pending",
    "dead_letters",
    "http_requests_total",
    "http_request_duration_seconds_bucket",
}
# Families that other exporters serve (RabbitMQ's plugin, cert-manager, kube-state-metrics).
FOREIGN = re.compile(r"^(up|rabbitmq_.*|certmanager_.*|kube_.*)$")
SCRAPE_TIMEOUT = 60.0

pytestmark = pytest.mark.slow

http = requests.Session()
http.trust_env = False


def scrape_config(platform, rule_files: list[Path]) -> dict:
    """Static targets for the processes of `make up`, with the deploy rules loaded."""
    targets = {GATEWAY: platform.gateway_port, **platform.metrics_ports}
    return {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(path) for path in rule_files],
        "scrape_configs": [
            {"job_name": job, "static_configs": [{"targets": [f"127.0.0.1:{port}"]}]}
            for job, port in targets.items()
        ],
    }


@pytest.fixture(scope="module")
def walked(platform):
    """One permit from draft to issued (`make demo`), so every business family has samples."""
    run_demo(platform)
    return platform


@pytest.fixture(scope="module")
def prometheus(walked, tmp_path_factory):
    """Prometheus on a free port with its own storage; the API's base URL."""
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.fail("prometheus is missing: `make test` installs it (Debian's prometheus package)")
    workdir = tmp_path_factory.mktemp("prometheus")
    config = workdir / "prometheus.yml"
    config.write_text(yaml.safe_dump(scrape_config(walked, RULE_FILES)))
    port = free_port()
    log = open(workdir / "prometheus.log", "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [
            binary,
            f"--config.file={config}",
            f"--storage.tsdb.path={workdir / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def api(base: str, path: str, **params) -> dict | list:
    answer = http.get(f"{base}/{path}", params=params, timeout=10).json()
    assert answer["status"] == "success", answer
    return answer["data"]


def eventually(check, what: str, timeout: float = SCRAPE_TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
        except (requests.ConnectionError, AssertionError):
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"{what} not seen within {timeout:.0f} s")
        time.sleep(0.5)


def test_every_process_is_scraped_and_up(prometheus, walked):
    def all_up():
        samples = api(prometheus, "query", query="up")["result"]
        values = {sample["metric"]["job"]: sample["value"][1] for sample in samples}
        return values if set(values.values()) == {"1"} and len(values) == 6 else None

    values = eventually(all_up, "six targets with up == 1")
    assert set(values) == {GATEWAY, *walked.metrics_ports}


def test_the_platform_and_business_families_are_collected(prometheus):
    def names():
        present = set(api(prometheus, "label/__name__/values"))
        return present if present >= (PLATFORM_FAMILIES | BUSINESS_FAMILIES) else None

    eventually(names, "every platform and business family")


def test_the_deploy_rules_are_loaded_and_evaluate_cleanly(prometheus):
    expected = {
        group["name"]: {rule["alert"] for rule in group["rules"]}
        for path in RULE_FILES
        for group in yaml.safe_load(path.read_text())["groups"]
    }

    def evaluated():
        groups = api(prometheus, "rules")["groups"]
        rules = [rule for group in groups for rule in group["rules"]]
        if not rules or not all(rule.get("lastEvaluation", "").startswith("2") for rule in rules):
            return None
        return groups if all(rule["health"] == "ok" for rule in rules) else None

    groups = eventually(evaluated, "every rule evaluated once without error")
    assert {g["name"]: {r["name"] for r in g["rules"]} for g in groups} == expected


def test_every_dashboard_query_runs(prometheus):
    for path in DASHBOARDS:
        for panel in json.loads(path.read_text())["panels"]:
            for target in panel["targets"]:
                api(prometheus, "query", query=target["expr"])  # fails on a PromQL error


def test_every_metric_the_rules_and_dashboards_name_is_served(prometheus):
    eventually(lambda: api(prometheus, "metadata"), "metric metadata")
    served = {family(name) for name in api(prometheus, "metadata")}
    named = set()
    for path in RULE_FILES:
        for group in yaml.safe_load(path.read_text())["groups"]:
            named |= {name for rule in group["rules"] for name in metric_names(rule["expr"])}
    for path in DASHBOARDS:
        for panel in json.loads(path.read_text())["panels"]:
            named |= {name for target in panel["targets"] for name in metric_names(target["expr"])}
    ours = {family(name) for name in named if not FOREIGN.match(name)}
    assert ours and ours <= served, sorted(ours - served)


def metric_names(expression: str) -> set[str]:
    """The metric families a PromQL expression selects (written name{…} or name[…])."""
    return set(re.findall(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*[{\[]", expression))


def family(name: str) -> str:
    """A sample's family name: Prometheus keeps OpenMetrics metadata without these suffixes."""
    return re.sub(r"_(total|bucket|sum|count)$", "", name)
