"""The platform as a whole: six processes ready within a minute, metrics served, clean stops."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families

from devstack.launcher import SERVICES, Platform, PlatformError

REPO = Path(__file__).resolve().parents[2]
CHASSIS_FAMILIES = (
    "rpc_requests_total",
    "rpc_request_duration_seconds",
    "outbox_pending",
    "dead_letters",
)
GATEWAY_FAMILIES = ("http_requests_total", "http_request_duration_seconds")
READY_LINE = "GASPOL is ready"

pytestmark = pytest.mark.slow

# Straight to 127.0.0.1, never through an http_proxy from the environment.
http = requests.Session()
http.trust_env = False


def processes_mentioning(text: str) -> list[int]:
    """Pids of live processes whose command line or environment contains the text."""
    needle = text.encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            seen = (entry / "cmdline").read_bytes() + (entry / "environ").read_bytes()
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if needle in seen:
            found.append(int(entry.name))
    return found


def is_alive(pid: int) -> bool:
    """A zombie is dead, only not yet reaped by whoever adopted it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def descendants(pid: int) -> list[int]:
    """Children, grandchildren... of a process, read from /proc (psutil is not installed)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def metric_families(url: str) -> dict[str, Metric]:
    """The families a Prometheus /metrics page declares, by name (counters keep `_total`)."""
    text = http.get(url, timeout=5).text
    return {
        f"{family.name}_total" if family.type == "counter" else family.name: family
        for family in text_string_to_metric_families(text)
    }


def test_all_six_processes_are_ready_within_a_minute(platform, record_property):
    record_property("ready_seconds", round(platform.ready_seconds, 2))
    print(f"platform ready in {platform.ready_seconds:.2f} s")
    assert [child.name for child in platform.children] == [name for name, _ in SERVICES] + [
        "gateway"
    ]
    assert platform.ready_seconds < 60
    for child in platform.children:
        assert http.get(child.ready_url, timeout=5).status_code == 200, child.name


@pytest.mark.parametrize("service", [name for name, _ in SERVICES])
def test_each_service_serves_the_chassis_metric_families(platform, service):
    port = platform.metrics_ports[service]
    url = f"http://127.0.0.1:{port}/metrics"
    families = metric_families(url)
    for family in CHASSIS_FAMILIES:
        assert family in families, f"{family} missing from {url}"
    # The gateway's readiness asked every service's `health` over RPC: it was counted.
    health_calls = [
        sample
        for sample in families["rpc_requests_total"].samples
        if sample.labels == {"service": service, "method": "health", "outcome": "ok"}
    ]
    assert health_calls and health_calls[0].value >= 1


def test_the_gateway_serves_its_http_metric_families(platform):
    families = metric_families(f"http://127.0.0.1:{platform.gateway_port}/metrics")
    for family in GATEWAY_FAMILIES:
        assert family in families


def test_stop_leaves_no_process_behind(platform_env):
    own = Platform(platform_env("stop"))
    own.start()
    try:
        own.wait_ready(timeout=60)
        pids = [child.pid for child in own.children]
        helpers = [pid for child in own.children for pid in descendants(child.pid)]
    finally:
        codes = own.stop()
    assert codes == {child.name: 0 for child in own.children}
    assert own.killed == []
    assert [pid for pid in pids + helpers if is_alive(pid)] == []
    assert processes_mentioning(str(own.data_dir)) == []


def fake_python(tmp_path: Path, script: str) -> str:
    """An executable that stands in for python: the launcher runs `<it> -m <module> ...`."""
    path = tmp_path / "fake-python"
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)
    return str(path)


def test_wait_ready_names_a_process_that_died_and_shows_its_log(tmp_path, offline_environ):
    python = fake_python(tmp_path, 'echo "cannot start $3" >&2; exit 3')
    failing = Platform(offline_environ, python=python)
    failing.start()
    try:
        with pytest.raises(PlatformError) as error:
            failing.wait_ready(timeout=10)
    finally:
        failing.stop(grace=5)
    assert "process exited while starting" in str(error.value)
    assert "identity (exit code 3)" in str(error.value)
    assert "cannot start services.identity.service:IdentityService" in str(error.value)


def test_wait_ready_names_the_processes_not_ready_in_time(tmp_path, offline_environ):
    slow = Platform(
        offline_environ, python=fake_python(tmp_path, 'echo "booting $2"; exec sleep 60')
    )
    slow.start()
    try:
        with pytest.raises(PlatformError) as error:
            slow.wait_ready(timeout=1)
    finally:
        codes = slow.stop(grace=5)
    message = str(error.value)
    assert (
        "not ready after 1 s: identity, applications, documents, payments, notifications, gateway"
        in message
    )
    assert "booting chassis.runner" in message and "booting gateway" in message
    assert set(codes.values()) == {-signal.SIGTERM}


def test_start_refuses_a_port_already_taken(tmp_path, offline_environ):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", int(offline_environ["GATEWAY_PORT"])))
        taken.listen()
        with pytest.raises(PlatformError, match=offline_environ["GATEWAY_PORT"]):
            Platform(offline_environ, python=fake_python(tmp_path, "exit 1")).start()


class Launcher:
    """`python -m devstack up` in a child process, its output collected line by line."""

    def __init__(self, env: dict[str, str]):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "devstack", "up"],
            env=env,
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)
            if line.startswith(READY_LINE):
                self.ready.set()

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while not self.ready.wait(0.2):
            assert self.process.poll() is None, f"launcher exited:\n{self.output}"
            assert time.monotonic() < deadline, f"launcher not ready:\n{self.output}"

    def wait(self, timeout: float = 60) -> int:
        code = self.process.wait(timeout)
        self.reader.join(5)
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def launcher(platform_env):
    started = []

    def start(name: str) -> tuple[Launcher, str]:
        env = platform_env(name)
        started.append(Launcher(env))
        return started[-1], env["GASPOL_DATA_DIR"]

    yield start
    for each in started:
        each.kill()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_cli_up_stops_cleanly_on_a_signal(launcher, signum):
    cli, data_dir = launcher(signum.name.lower())
    cli.wait_ready()
    family = descendants(cli.process.pid)
    assert len(family) >= 6, cli.output

    cli.process.send_signal(signum)

    assert cli.wait() == 0, cli.output
    assert "every process exited with code 0" in cli.output
    assert [pid for pid in family if is_alive(pid)] == []
    assert processes_mentioning(data_dir) == []


def test_cli_up_stops_everything_when_a_process_dies(launcher):
    cli, data_dir = launcher("child-dies")
    cli.wait_ready()
    family = descendants(cli.process.pid)
    identity = next(pid for pid in family if b"services.identity" in cmdline(pid))

    os.kill(identity, signal.SIGKILL)

    assert cli.wait() != 0, cli.output
    assert "identity killed by SIGKILL; stopping everything" in cli.output
    assert [pid for pid in family if is_alive(pid)] == []
    assert processes_mentioning(data_dir) == []


def test_children_die_when_the_launcher_is_killed(launcher):
    cli, data_dir = launcher("launcher-killed")
    cli.wait_ready()
    family = descendants(cli.process.pid)

    cli.process.kill()  # no chance to clean up: the kernel's parent-death signal must do it
    cli.wait()

    deadline = time.monotonic() + 30
    while any(is_alive(pid) for pid in family) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [pid for pid in family if is_alive(pid)] == []
    assert processes_mentioning(data_dir) == []


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""
