"""The whole platform as `make up` starts it, on free ports, a temp data dir and its own vhost."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devstack.launcher import METRICS_BASE_ENV, SERVICES, Platform, port_is_free
from tests.support import rabbit
from tests.support.processes import REPO

READY_TIMEOUT = 60.0
# Below Linux's ephemeral range (32768-60999): an outgoing connection of some other test can take
# a port there between our check and the platform's bind.
PORT_RANGE = (20000, 32000)


def free_port_block(size: int) -> int:
    """A base port such that base+1 .. base+size are all free (the launcher's numbering)."""
    for _ in range(200):
        base = random.randrange(*PORT_RANGE)
        if all(port_is_free(base + offset) for offset in range(1, size + 1)):
            return base
    raise RuntimeError(f"no block of {size} free ports found")


def platform_environ(data_dir: Path, amqp_uri: str) -> dict[str, str]:
    """A platform on free ports: services base+1..+5, gateway +6, bank +7, documents +8."""
    base = free_port_block(len(SERVICES) + 3)
    return {
        **os.environ,
        "GASPOL_DATA_DIR": str(data_dir),
        "AMQP_URI": amqp_uri,
        METRICS_BASE_ENV: str(base),
        "GATEWAY_PORT": str(base + len(SERVICES) + 1),
        "PAYMENTS_BANK_PORT": str(base + len(SERVICES) + 2),
        "DOCUMENTS_PORT": str(base + len(SERVICES) + 3),
        "LOG_FORMAT": "json",
    }


@pytest.fixture(scope="session")
def platform_env(tmp_path_factory) -> Iterator[Callable[[str], dict[str, str]]]:
    """Makes the environment of one more platform: its own data dir, vhost and ports.

    Its own vhost, so neither a running `make up` nor another platform of the tests can take
    its RPC calls or events; the vhosts are deleted at the end of the session.
    """
    vhosts = []

    def make(name: str) -> dict[str, str]:
        vhosts.append(rabbit.create_vhost())
        data_dir = tmp_path_factory.mktemp(f"platform-{name}")
        return platform_environ(data_dir, rabbit.amqp_uri(vhosts[-1]))

    yield make
    for vhost in vhosts:
        rabbit.delete_vhost(vhost)


@pytest.fixture
def offline_environ(tmp_path) -> dict[str, str]:
    """Free ports and a temp data dir, no broker: for launcher tests with stand-in processes."""
    return platform_environ(tmp_path / "data", "amqp://guest:guest@127.0.0.1:1/unused")


@pytest.fixture(scope="session")
def platform(platform_env) -> Iterator[Platform]:
    """The running platform, shared by the whole e2e session; ready_seconds says how fast."""
    running = Platform(platform_env("session"))
    running.start()
    try:
        running.wait_ready(timeout=READY_TIMEOUT)
        yield running
    finally:
        running.stop()


def run_demo(platform: Platform) -> subprocess.CompletedProcess:
    """`make demo` against a running platform: one permit walked from draft to issued."""
    finished = subprocess.run(
        [sys.executable, "-m", "devstack", "demo"],
        env=platform.environ,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return finished
