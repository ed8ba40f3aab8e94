"""A service's own small HTTP port for operators: /metrics, /healthz (alive), /readyz (can work)."""

from __future__ import annotations

import json
import logging
import threading

import eventlet
from eventlet import wsgi
from kombu import Connection
from nameko.extensions import DependencyProvider
from prometheus_client import make_wsgi_app

from chassis.config import settings_from_nameko
from chassis.storage import open_database, ping

log = logging.getLogger(__name__)

# The ops port is up before the service's queues are consumed; readiness waits for the runner to
# say every entrypoint has started, so nobody sends work to a queue no consumer reads yet.
_entrypoints_started = threading.Event()


def mark_started() -> None:
    _entrypoints_started.set()


def _started() -> None:
    if not _entrypoints_started.is_set():
        raise RuntimeError("still starting its entrypoints")


def broker_reachable(amqp_uri: str, timeout: float = 2.0) -> None:
    """Raise unless a fresh AMQP connection opens within the timeout."""
    with Connection(amqp_uri, connect_timeout=timeout) as connection:
        connection.ensure_connection(max_retries=1, timeout=timeout)


def _json(start_response, status: str, body: dict):
    payload = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
    )
    return [payload]


class OpsApp:
    """The WSGI app of the operations port; `checks` name what readiness depends on."""

    def __init__(self, service: str, checks: dict):
        self.service = service
        self.checks = checks
        self.metrics = make_wsgi_app()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            return self.metrics(environ, start_response)
        if path == "/healthz":
            return _json(start_response, "200 OK", {"status": "ok", "service": self.service})
        if path == "/readyz":
            failures = self._failures()
            status = "503 Service Unavailable" if failures else "200 OK"
            return _json(
                start_response,
                status,
                {
                    "status": "unavailable" if failures else "ready",
                    "service": self.service,
                    "failures": failures,
                },
            )
        return _json(start_response, "404 Not Found", {"status": "not found"})

    def _failures(self) -> dict:
        failures = {}
        for name, check in self.checks.items():
            try:
                check()
            except Exception as error:
                failures[name] = str(error) or type(error).__name__
        return failures


class OpsPort(DependencyProvider):
    """Serves the operations port (METRICS_PORT) for as long as the service runs."""

    def setup(self):
        settings = settings_from_nameko(self.container.config)
        database = open_database(settings, self.container.service_name)
        amqp_uri = settings["AMQP_URI"]
        self.app = OpsApp(
            self.container.service_name,
            {
                "started": _started,
                "broker": lambda: broker_reachable(amqp_uri),
                "store": lambda: ping(database),
            },
        )
        self.socket = eventlet.listen(("0.0.0.0", settings["METRICS_PORT"]))
        self.port = self.socket.getsockname()[1]

    def start(self):
        log.info("operations port listening on %s", self.port)
        self.server = self.container.spawn_managed_thread(self._serve)

    def _serve(self):
        wsgi.server(self.socket, self.app, log_output=False)

    def stop(self):
        self.server.kill()
        self.socket.close()
