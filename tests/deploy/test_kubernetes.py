"""The Kubernetes manifests: valid against the Kubernetes schemas (offline), and shaped as the
operations team needs them: probes, limits, autoscalers, disruption budgets, policies, TLS."""

from __future__ import annotations

import copy
import shutil
import subprocess

import kubernetes_validate
import pytest
import yaml

from devstack.launcher import GATEWAY, SERVICES
from tests.deploy.support import DEPLOY, tool, yaml_documents

K8S = DEPLOY / "k8s"
BASE = K8S / "base"
# The oldest Kubernetes release the manifests promise to work on.
KUBERNETES_VERSION = "1.29.0"
PROCESSES = [GATEWAY, *(name for name, _ in SERVICES)]
# Namespaces whose pods may reach into ours: the ingress controller, and Prometheus.
INGRESS_NAMESPACE, MONITORING_NAMESPACE = "ingress-nginx", "monitoring"
# Certificates of the public hosts come from cert-manager, not from the overlay.
CERT_MANAGER_SECRETS = {"gaspol-public-tls", "gaspol-bank-tls"}


def validate(resource: dict) -> None:
    kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, made_secrets) -> list[dict]:
    """The production overlay as kubectl renders it, with secrets made by make-secrets.sh."""
    kubectl = tool("kubectl", "kubectl, which bundles kustomize")
    tree = tmp_path_factory.mktemp("k8s") / "k8s"
    shutil.copytree(K8S, tree, ignore=shutil.ignore_patterns("secrets"))
    shutil.copytree(made_secrets, tree / "overlays" / "production" / "secrets")
    finished = subprocess.run(
        [kubectl, "kustomize", str(tree / "overlays" / "production")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    return [doc for doc in yaml.safe_load_all(finished.stdout) if doc]


def of_kind(resources: list[dict], kind: str) -> dict[str, dict]:
    return {r["metadata"]["name"]: r for r in resources if r["kind"] == kind}


@pytest.mark.parametrize("path", sorted(BASE.glob("*.yaml")), ids=lambda path: path.name)
def test_every_base_manifest_is_valid(path):
    if path.name == "kustomization.yaml":
        listed = yaml.safe_load(path.read_text())["resources"]
        assert sorted(listed) == sorted(p.name for p in BASE.glob("*.yaml") if p != path)
        return
    for resource in yaml_documents(path):
        validate(resource)


def test_the_validator_refuses_a_broken_manifest():
    deployment = yaml_documents(BASE / "gateway.yaml")[0]
    broken = copy.deepcopy(deployment)
    broken["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = "http"
    with pytest.raises(kubernetes_validate.ValidationError):
        validate(broken)


def test_the_production_overlay_renders_valid_resources(rendered):
    for resource in rendered:
        validate(resource)
    assert {r["metadata"].get("namespace") for r in rendered if r["kind"] != "Namespace"} == {
        "gaspol"
    }


def test_every_process_has_probes_limits_an_autoscaler_and_a_disruption_budget(rendered):
    deployments = of_kind(rendered, "Deployment")
    autoscalers = of_kind(rendered, "HorizontalPodAutoscaler")
    budgets = of_kind(rendered, "PodDisruptionBudget")
    assert sorted(deployments) == sorted(PROCESSES)
    for name, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            assert container[probe]["httpGet"]["path"] in {"/healthz", "/readyz"}, (name, probe)
        assert set(container["resources"]["requests"]) == {"cpu", "memory"}, name
        assert set(container["resources"]["limits"]) == {"cpu", "memory"}, name
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert container["securityContext"]["readOnlyRootFilesystem"] is True, name
        assert "replicas" not in deployment["spec"], f"{name}: the autoscaler owns replicas"
        assert autoscalers[name]["spec"]["scaleTargetRef"]["name"] == name
        assert autoscalers[name]["spec"]["minReplicas"] >= 2, name
        assert budgets[name]["spec"]["selector"]["matchLabels"] == {"app.kubernetes.io/name": name}


def test_every_process_is_configured_by_environment_only(rendered):
    settings = of_kind(rendered, "ConfigMap")["gaspol-config"]["data"]
    assert settings["GASPOL_ENV"] == "production"
    for name, deployment in of_kind(rendered, "Deployment").items():
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert "command" not in container and "args" not in container, name
        environment = {variable["name"]: variable for variable in container["env"]}
        assert environment["AMQP_URI"]["value"].startswith("amqps://"), name
        if name != GATEWAY:
            assert "tls=true" in environment["MONGO_URI"]["value"], name


def test_the_stateful_components_are_clustered_with_tls(rendered):
    stateful = of_kind(rendered, "StatefulSet")
    assert {name: s["spec"]["replicas"] for name, s in stateful.items()} == {
        "rabbitmq": 3,
        "mongodb": 3,
        "minio": 4,
    }
    rabbitmq_conf = of_kind(rendered, "ConfigMap")["rabbitmq-config"]["data"]["rabbitmq.conf"]
    assert "listeners.tcp = none" in rabbitmq_conf
    assert "listeners.ssl.default = 5671" in rabbitmq_conf
    mongod = stateful["mongodb"]["spec"]["template"]["spec"]["containers"][0]["args"]
    assert "--tlsMode=requireTLS" in mongod and "--replSet=rs0" in mongod
    minio = stateful["minio"]["spec"]["template"]["spec"]["containers"][0]["args"]
    assert any(arg.startswith("https://") for arg in minio)
    assert of_kind(rendered, "ConfigMap")["gaspol-config"]["data"]["S3_SECURE"] == "true"


def test_every_secret_a_pod_uses_is_rendered(rendered):
    secrets = set(of_kind(rendered, "Secret"))
    used = set()
    for resource in rendered:
        if resource["kind"] in {"Deployment", "StatefulSet", "Job"}:
            used |= _secret_names(resource["spec"]["template"]["spec"])
    assert used and used <= secrets
    tls = {name for r in of_kind(rendered, "Ingress").values() for name in _ingress_secrets(r)}
    assert tls == CERT_MANAGER_SECRETS


def test_only_the_gateway_and_the_bank_port_are_reachable_from_outside(rendered):
    services = of_kind(rendered, "Service")
    assert all(s["spec"].get("type", "ClusterIP") == "ClusterIP" for s in services.values())
    policies = of_kind(rendered, "NetworkPolicy")
    deny = policies["default-deny-ingress"]["spec"]
    assert (
        deny["podSelector"] == {} and deny["policyTypes"] == ["Ingress"] and not deny.get("ingress")
    )
    from_outside = set()
    for policy in policies.values():
        target = policy["spec"]["podSelector"].get("matchLabels", {})
        for rule in policy["spec"].get("ingress", []):
            namespaces = _namespaces(rule)
            assert namespaces <= {INGRESS_NAMESPACE, MONITORING_NAMESPACE, None}
            if INGRESS_NAMESPACE in namespaces:
                for port in rule["ports"]:
                    from_outside.add((target.get("app.kubernetes.io/name"), port["port"]))
    assert from_outside == {("gateway", 8080), ("payments", 8090)}
    backends = {
        (path["backend"]["service"]["name"], path["backend"]["service"]["port"]["name"])
        for ingress in of_kind(rendered, "Ingress").values()
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert backends == {("gateway", "http"), ("payments", "bank")}


def test_queues_are_declared_by_a_job_for_every_service(rendered):
    job = of_kind(rendered, "Job")["gaspol-topology"]
    command = job["spec"]["template"]["spec"]["containers"][0]["command"]
    assert command[:3] == ["python", "-m", "chassis.topology"]
    assert command[3:] == [f"services.{name}.service:{cls}" for name, cls in SERVICES]


def _secret_names(pod: dict) -> set[str]:
    names = {v["secret"]["secretName"] for v in pod.get("volumes", []) if "secret" in v}
    for container in pod.get("initContainers", []) + pod["containers"]:
        for variable in container.get("env", []):
            reference = variable.get("valueFrom", {}).get("secretKeyRef")
            if reference:
                names.add(reference["name"])
    return names


def _ingress_secrets(ingress: dict) -> set[str]:
    return {tls["secretName"] for tls in ingress["spec"].get("tls", [])}


def _namespaces(rule: dict) -> set[str | None]:
    """Who a rule lets in: namespace names, or None for pods of our own namespace."""
    names = set()
    for peer in rule.get("from", []):
        selector = peer.get("namespaceSelector")
        names.add(selector["matchLabels"]["kubernetes.io/metadata.name"] if selector else None)
    return names
