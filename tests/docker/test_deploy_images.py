"""The images of deploy/Dockerfile build, run as a non-root user with a health check, and the
compose stack of deploy/compose comes up with every health check passing."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from devstack.launcher import GATEWAY, SERVICES
from tests.deploy.support import DEPLOY, make_secrets
from tests.support.processes import REPO, free_port

TARGETS = [GATEWAY, *(name for name, _ in SERVICES), "tools"]
COMPOSE_FILE = DEPLOY / "compose" / "compose.yaml"
TAG = "gaspol-test"

pytestmark = pytest.mark.slow


def docker(*args: str, timeout: float = 900, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


@pytest.mark.parametrize("target", TARGETS)
def test_the_image_builds_small_and_runs_as_non_root(target):
    image = f"{TAG}/{target}:latest"
    dockerfile = str(DEPLOY / "Dockerfile")
    built = docker("build", "-f", dockerfile, "--target", target, "-t", image, str(REPO))
    assert built.returncode == 0, built.stderr[-3000:]
    (config,) = json.loads(docker("image", "inspect", image).stdout)
    assert config["Config"]["User"] == "10001:10001"
    assert config["Size"] < 400 * 1024 * 1024, config["Size"]
    if target != "tools":
        assert config["Config"]["Healthcheck"]["Test"][0] == "CMD-SHELL"


@pytest.fixture(scope="module")
def compose_env(tmp_path_factory) -> dict[str, str]:
    """The environment `docker compose` needs: secrets in a temp dir, free published ports."""
    if docker("compose", "version").returncode != 0:
        pytest.skip("the Docker engine answers but the `docker compose` plugin is missing")
    secrets = tmp_path_factory.mktemp("compose") / "secrets"
    assert make_secrets(secrets).returncode == 0
    lines = (secrets / "secrets.env").read_text().splitlines()
    return {
        **dict(line.split("=", 1) for line in lines if "=" in line),
        "PATH": os.environ["PATH"],
        "GASPOL_SECRETS_DIR": str(secrets),
        "GASPOL_REGISTRY": TAG,
        "GASPOL_HTTP_PORT": str(free_port()),
        "GASPOL_HTTPS_PORT": str(free_port()),
        "GASPOL_BANK_PORT": str(free_port()),
    }


def test_the_compose_stack_comes_up_healthy(compose_env):
    compose = ("compose", "-f", str(COMPOSE_FILE), "-p", "gaspol-test")
    try:
        up = ("up", "-d", "--build", "--wait", "--wait-timeout", "600")
        started = docker(*compose, *up, env=compose_env)
        assert started.returncode == 0, started.stderr[-5000:]
        listed = docker(*compose, "ps", "--format", "json", env=compose_env).stdout
        containers = [json.loads(line) for line in listed.splitlines() if line.strip()]
        unhealthy = [c["Name"] for c in containers if c.get("Health") not in ("healthy", "")]
        assert not unhealthy, unhealthy
        running = {c["Service"] for c in containers}
        assert {GATEWAY, *(name for name, _ in SERVICES), "edge"} <= running
    finally:
        docker(*compose, "down", "-v", "--remove-orphans", env=compose_env)
