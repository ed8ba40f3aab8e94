"""A RabbitMQ node owned by the fault tests: its own name, ports and data dir, so stopping or
restarting it never touches the broker that `make up` and the other tiers use."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

from tests.support.processes import free_port

RABBIT_BIN = Path("/usr/lib/rabbitmq/bin")
SYSTEM_COOKIE = Path("/var/lib/rabbitmq/.erlang.cookie")
START_TIMEOUT = 60


class RabbitNode:
    """`rabbitmq-server` run directly (not through Debian's wrapper, which switches user and reads
    /etc/rabbitmq), listening on 127.0.0.1 only, with no plugins."""

    def __init__(self, base_dir: Path):
        self.base_dir = base_dir
        self.name = f"faults-{uuid.uuid4().hex[:8]}@localhost"
        self.port = free_port()
        self.base_dir.mkdir(parents=True, exist_ok=True)
        (base_dir / "enabled_plugins").write_text("[].\n")
        (base_dir / "rabbitmq.conf").write_text(f"listeners.tcp.1 = 127.0.0.1:{self.port}\n")
        (base_dir / "rabbitmq-env.conf").write_text("")
        self._share_cookie()
        self.env = {
            **os.environ,
            "HOME": str(base_dir),  # the CLI and the node read the cookie from here
            "RABBITMQ_NODENAME": self.name,
            "RABBITMQ_DIST_PORT": str(free_port()),
            "RABBITMQ_MNESIA_BASE": str(base_dir / "mnesia"),
            "RABBITMQ_LOG_BASE": str(base_dir / "log"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(base_dir / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(base_dir / "rabbitmq"),
            "RABBITMQ_CONF_ENV_FILE": str(base_dir / "rabbitmq-env.conf"),
        }
        self.process: subprocess.Popen | None = None

    def _share_cookie(self) -> None:
        """The same cookie as the system node's, so one epmd and one CLI serve both nodes."""
        cookie = self.base_dir / ".erlang.cookie"
        if SYSTEM_COOKIE.exists() and not cookie.exists():
            shutil.copyfile(SYSTEM_COOKIE, cookie)
            cookie.chmod(0o400)

    def uri(self, vhost: str = "/") -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/{vhost.replace('/', '%2F')}"

    def start(self) -> float:
        """Start the node and wait until it takes connections; returns the seconds it took."""
        started = time.monotonic()
        with (self.base_dir / "server.log").open("ab") as log:
            self.process = subprocess.Popen(
                [str(RABBIT_BIN / "rabbitmq-server")],
                env=self.env,
                cwd=self.base_dir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._await_startup(started + START_TIMEOUT)
        return time.monotonic() - started

    def _await_startup(self, deadline: float) -> None:
        # `await_startup` fails at once until the new VM has registered its name with epmd.
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the RabbitMQ node exited; see {self.base_dir}/server.log")
            try:
                self.ctl("await_startup", "--timeout", "5", timeout=15)
                return
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def stop(self) -> None:
        """Stop the whole node (Erlang VM included), as an operator's restart would."""
        if self.process is None or self.process.poll() is not None:
            return
        self.ctl("stop", timeout=60)
        self.process.wait(timeout=60)

    def restart(self) -> float:
        self.stop()
        return self.start()

    def ctl(self, *args: str, timeout: float = 60) -> str:
        done = subprocess.run(
            [str(RABBIT_BIN / "rabbitmqctl"), "-q", "-n", self.name, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"rabbitmqctl {' '.join(args)}: {done.stdout}{done.stderr}")
        return done.stdout

    def add_vhost(self) -> str:
        name = f"faults-{uuid.uuid4().hex[:8]}"
        self.ctl("add_vhost", name)
        self.ctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*")
        return name

    def unacknowledged(self, vhost: str) -> dict[str, int]:
        """Messages delivered to a consumer and not yet acknowledged, by queue."""
        lines = self.ctl("list_queues", "-p", vhost, "name", "messages_unacknowledged")
        counts = {}
        for line in lines.splitlines():
            name, _, count = line.rpartition("\t")
            if count.isdigit():
                counts[name] = int(count)
        return counts
