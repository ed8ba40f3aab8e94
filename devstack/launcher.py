"""Start, watch and stop the six processes of the platform: what `make up` and the e2e tests use.

Unless OSS_BASE_URL names the real OSS RBA endpoint, the launcher also serves the OSS stand-in
from a thread of its own process, on a free port, and points the services at it.
"""

from __future__ import annotations

import contextlib
import ctypes
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from chassis.config import load_settings
from services.applications.oss.standin import StandinServer

# (process name, nameko class) in start order; the gateway comes last, it asks them all.
SERVICES = (
    ("identity", "IdentityService"),
    ("applications", "ApplicationsService"),
    ("documents", "DocumentsService"),
    ("payments", "PaymentsService"),
    ("notifications", "NotificationsService"),
)
GATEWAY = "gateway"
DEMO_ADMIN_EMAIL = "admin@demo.gaspol.id"
STANDIN_USER_KEY = "gaspol-standin-key"
HOST = "127.0.0.1"
# Services get METRICS_PORT = base + 1 .. base + 5 in the order above.
METRICS_BASE_ENV = "GASPOL_METRICS_BASE_PORT"
# Children drain for up to 20 s after SIGTERM (chassis.runner, gunicorn); a little more here.
DEFAULT_GRACE = 30.0
LOG_TAIL_LINES = 20

_PR_SET_PDEATHSIG = 1
# The ordinary HTTP opener would send 127.0.0.1 through an http_proxy from the environment.
_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class PlatformError(RuntimeError):
    """The platform could not start, or one of its processes failed."""


@dataclass
class Child:
    """One process of the platform and where it answers /readyz."""

    name: str
    argv: list[str]
    env: dict[str, str]
    port: int
    process: subprocess.Popen | None = None
    log_path: Path | None = None
    log_offset: int = 0

    @property
    def ready_url(self) -> str:
        return f"http://{HOST}:{self.port}/readyz"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def exit_code(self) -> int | None:
        return self.process.poll() if self.process else None

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        """The last lines this run wrote (earlier runs append to the same file)."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        with open(self.log_path, "rb") as log:
            log.seek(self.log_offset)
            text = log.read().decode(errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def demo_admin(environ: Mapping[str, str], data_dir: Path) -> tuple[str, str]:
    """The first admin's email and password: from the environment, else a demo account whose
    password is made once and kept under the data dir, so it survives restarts."""
    if environ.get("GASPOL_ADMIN_EMAIL") and environ.get("GASPOL_ADMIN_PASSWORD"):
        return environ["GASPOL_ADMIN_EMAIL"], environ["GASPOL_ADMIN_PASSWORD"]
    path = data_dir / "demo-admin.json"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        account = {"email": DEMO_ADMIN_EMAIL, "password": secrets.token_urlsafe(12)}
        path.write_text(json.dumps(account))
        path.chmod(0o600)
    account = json.loads(path.read_text())
    return account["email"], account["password"]


def default_metrics_ports(base: int) -> dict[str, int]:
    return {name: base + offset for offset, (name, _) in enumerate(SERVICES, start=1)}


class Platform:
    """The five services and the gateway, each its own process, configured by one environment."""

    def __init__(
        self,
        environ: Mapping[str, str] | None = None,
        data_dir: str | Path | None = None,
        python: str = sys.executable,
    ):
        self.environ = dict(os.environ if environ is None else environ)
        if data_dir is not None:
            self.environ["GASPOL_DATA_DIR"] = str(data_dir)
        settings = load_settings(self.environ)  # fails early, naming a malformed variable
        self.data_dir = settings.data_dir
        self.admin = demo_admin(self.environ, self.data_dir)
        self.environ.update(GASPOL_ADMIN_EMAIL=self.admin[0], GASPOL_ADMIN_PASSWORD=self.admin[1])
        self.gateway_port = settings["GATEWAY_PORT"]
        self.bank_port = settings["PAYMENTS_BANK_PORT"]
        self.documents_port = settings["DOCUMENTS_PORT"]
        self.metrics_ports = default_metrics_ports(settings[METRICS_BASE_ENV])
        self.oss_standin: StandinServer | None = None
        self.oss_standin_port = None if settings["OSS_BASE_URL"] else free_port()
        if self.oss_standin_port:
            self.environ["OSS_BASE_URL"] = f"http://{HOST}:{self.oss_standin_port}"
            self.environ["OSS_USER_KEY"] = self.environ.get("OSS_USER_KEY") or STANDIN_USER_KEY
        self.children = self._plan(python)
        self.started_at: float | None = None
        self.ready_seconds: float | None = None
        self.exit_codes: dict[str, int | None] = {}
        self.killed: list[str] = []

    def _plan(self, python: str) -> list[Child]:
        common = {
            **self.environ,
            # Absolute, so every child agrees whatever its working directory.
            "GASPOL_DATA_DIR": str(self.data_dir),
            "GATEWAY_PORT": str(self.gateway_port),
            "PAYMENTS_BANK_PORT": str(self.bank_port),
            "PYTHONUNBUFFERED": "1",
        }
        children = [
            Child(
                name=name,
                argv=[python, "-m", "chassis.runner", f"services.{name}.service:{cls}"],
                env={**common, "METRICS_PORT": str(self.metrics_ports[name])},
                port=self.metrics_ports[name],
            )
            for name, cls in SERVICES
        ]
        children.append(Child(GATEWAY, [python, "-m", "gateway"], dict(common), self.gateway_port))
        return children

    @property
    def partners_file(self) -> Path:
        """Where the partner banks are: configured, or the demo bank payments makes."""
        configured = self.environ.get("PAYMENTS_PARTNERS_FILE")
        return Path(configured) if configured else self.data_dir / "bank-partners" / "partners.yaml"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    def urls(self) -> list[tuple[str, str]]:
        """What a person wants to open, as (label, URL) pairs."""
        gateway = f"http://{HOST}:{self.gateway_port}"
        urls = [
            ("gateway", f"{gateway}/"),
            ("API docs", f"{gateway}/api/docs"),
            ("OpenAPI", f"{gateway}/api/openapi.json"),
            ("bank (SNAP) port", f"http://{HOST}:{self.bank_port}/v1.0/"),
            ("gateway metrics", f"{gateway}/metrics"),
        ]
        urls += [
            (f"{name} metrics", f"http://{HOST}:{port}/metrics")
            for name, port in self.metrics_ports.items()
        ]
        if self.oss_standin_port:
            urls.append(
                ("OSS stand-in reports", f"{self.environ['OSS_BASE_URL']}/_standin/reports")
            )
        return urls

    def start(self) -> None:
        """Launch every process; their output goes to <data_dir>/logs/<name>.log."""
        if self.started_at is not None:
            raise PlatformError("this platform was already started")
        self._check_ports_free()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.started_at = time.monotonic()
        try:
            if self.oss_standin_port:
                self.oss_standin = StandinServer(
                    self.oss_standin_port, HOST, user_key=self.environ["OSS_USER_KEY"]
                ).start()
            for child in self.children:
                self._spawn(child)
        except BaseException:
            self.stop(grace=5)
            raise

    def _check_ports_free(self) -> None:
        ports = [child.port for child in self.children] + [self.bank_port, self.documents_port]
        if len(set(ports)) != len(ports):
            raise PlatformError(f"the same port is given to two processes: {ports}")
        busy = [port for port in ports if not port_is_free(port)]
        if busy:
            # Most often a `make up` still running; otherwise another program holds the port.
            raise PlatformError(
                f"port(s) {busy} already in use: is the platform already running? Set "
                f"GATEWAY_PORT, PAYMENTS_BANK_PORT, DOCUMENTS_PORT or {METRICS_BASE_ENV} "
                "to move them."
            )

    def _spawn(self, child: Child) -> None:
        child.log_path = self.log_dir / f"{child.name}.log"
        with open(child.log_path, "ab") as log:
            child.log_offset = log.tell()
            child.process = subprocess.Popen(
                child.argv,
                env=child.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own process group: a terminal's Ctrl-C reaches only the launcher, which
                # then stops the children in order; and a straggler's helpers die with it.
                start_new_session=True,
                preexec_fn=die_with_parent(),
            )

    def exited(self) -> list[Child]:
        """The children that are no longer running."""
        return [child for child in self.children if child.exit_code() is not None]

    def wait_ready(self, timeout: float = 60.0) -> float:
        """Poll every /readyz until all answer 200; return seconds since start()."""
        if self.started_at is None:
            raise PlatformError("start() the platform before waiting for it")
        deadline = time.monotonic() + timeout
        pending = list(self.children)
        while True:
            self._fail_if_any_exited()
            pending = [child for child in pending if not answers_ready(child.ready_url)]
            if not pending:
                break
            if time.monotonic() > deadline:
                names = ", ".join(child.name for child in pending)
                raise PlatformError(f"not ready after {timeout:.0f} s: {names}\n" + _tails(pending))
            time.sleep(0.2)
        self.ready_seconds = time.monotonic() - self.started_at
        return self.ready_seconds

    def _fail_if_any_exited(self) -> None:
        dead = self.exited()
        if dead:
            codes = ", ".join(f"{child.name} (exit code {child.exit_code()})" for child in dead)
            raise PlatformError(f"process exited while starting: {codes}\n" + _tails(dead))

    def wait_for_exit(self) -> Child:
        """Block until a child exits, and return it."""
        while not (dead := self.exited()):
            time.sleep(0.2)
        return dead[0]

    def stop(self, grace: float = DEFAULT_GRACE) -> dict[str, int | None]:
        """SIGTERM every child, wait up to `grace` seconds, SIGKILL the rest; return exit codes."""
        running = [child for child in self.children if child.exit_code() is None]
        # The gateway first, so it stops taking requests before the services behind it go.
        for child in reversed(running):
            _send(child.process, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for child in running:
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.killed.append(child.name)
                _kill_group(child.process.pid)
                child.process.wait()
        for child in running:
            # Helpers a child started (gunicorn's worker) must not outlive it.
            _kill_group(child.process.pid)
        if self.oss_standin is not None:
            self.oss_standin.stop()
            self.oss_standin = None
        self.exit_codes = {
            child.name: child.exit_code() for child in self.children if child.process
        }
        return self.exit_codes


def _tails(children: list[Child]) -> str:
    parts = []
    for child in children:
        parts.append(f"--- last lines of {child.log_path} ---\n{child.log_tail()}")
    return "\n".join(parts)


def _send(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signum)


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def port_is_free(port: int) -> bool:
    """True when nothing listens on the port (on any address), as our servers bind it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # Like the servers themselves: a port in TIME_WAIT after a restart counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port nothing listens on now, as the system picks one."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def answers_ready(url: str, timeout: float = 3.0) -> bool:
    try:
        with _http.open(url, timeout=timeout) as response:
            return response.status == 200
    except (OSError, http.client.HTTPException):  # refused, timed out, 503, not HTTP at all
        return False


def die_with_parent() -> Callable[[], None] | None:
    """A preexec_fn that makes the child get SIGTERM when the launcher dies (Linux only).

    SIGTERM rather than SIGKILL: the child then drains and takes its own helpers down with it
    (gunicorn's worker). The signal fires when the *thread* that forked exits, so start the
    platform from a thread that lives as long as it does (the main thread in the CLI and tests).
    """
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)  # loaded here: the forked child should not load
    parent = os.getpid()

    def preexec() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the launcher died between fork and prctl
            os._exit(1)

    return preexec
