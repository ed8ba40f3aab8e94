"""The one-server compose file: valid against the Compose Specification, and complete."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest
import yaml

from devstack.launcher import GATEWAY, SERVICES
from tests.deploy.support import DEPLOY

COMPOSE_FILE = DEPLOY / "compose" / "compose.yaml"
PROCESSES = [GATEWAY, *(name for name, _ in SERVICES)]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def compose_spec() -> dict:
    """The Compose Specification's JSON Schema, as check-jsonschema ships it."""
    vendor = resources.files("check_jsonschema.builtin_schemas.vendor")
    return json.loads((vendor / "compose-spec.json").read_text())


def test_the_compose_file_follows_the_compose_specification(compose):
    jsonschema.validate(compose, compose_spec())


def test_the_specification_refuses_a_malformed_service(compose):
    broken = {**compose, "services": {"gateway": {"image": "gaspol/gateway", "replicas": 2}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, compose_spec())


def test_every_process_runs_replicated_from_its_image_target_with_a_health_check(compose):
    services = compose["services"]
    for name in PROCESSES:
        service = services[name]
        assert service["build"]["target"] == name
        assert service["build"]["dockerfile"] == "deploy/Dockerfile"
        assert service["deploy"]["replicas"] >= 2, name
        assert service["healthcheck"]["test"][0] == "CMD", name
        assert "/readyz" in " ".join(service["healthcheck"]["test"]), name
        assert service["environment"]["GASPOL_ENV"] == "production", name


def test_services_start_after_the_queues_are_declared(compose):
    services = compose["services"]
    topology = services["topology"]
    assert topology["command"][:3] == ["python", "-m", "chassis.topology"]
    assert topology["command"][3:] == [f"services.{name}.service:{cls}" for name, cls in SERVICES]
    for name, _ in SERVICES:
        condition = services[name]["depends_on"]["topology"]["condition"]
        assert condition == "service_completed_successfully", name
    for name, _ in SERVICES:
        assert services[GATEWAY]["depends_on"][name]["condition"] == "service_healthy"


def test_the_stateful_components_and_the_monitoring_are_there(compose):
    services = compose["services"]
    assert "rabbitmq_prometheus" in compose["configs"]["rabbitmq-plugins"]["content"]
    assert "rabbitmq_management" in compose["configs"]["rabbitmq-plugins"]["content"]
    assert "--replSet" in services["mongodb"]["command"]
    assert "rs.initiate" in " ".join(services["mongodb"]["healthcheck"]["test"])
    assert services["minio"]["command"][0] == "server"
    for name in ("rabbitmq", "mongodb", "minio", "prometheus", "grafana"):
        assert services[name]["healthcheck"]["test"], name
    mounts = {volume.split(":")[1] for volume in services["prometheus"]["volumes"]}
    assert {"/etc/prometheus/prometheus.yml", "/etc/prometheus/rules"} <= mounts


def test_only_the_edge_listens_beyond_the_servers_loopback(compose):
    services = compose["services"]
    published = {name: service["ports"] for name, service in services.items() if "ports" in service}
    public = {
        name
        for name, ports in published.items()
        if any(not port.startswith("127.0.0.1:") for port in ports)
    }
    assert public == {"edge"}
    assert sorted(port.rsplit(":", 1)[1] for port in published["edge"]) == ["443", "80", "8443"]
