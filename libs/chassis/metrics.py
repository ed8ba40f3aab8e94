"""The metric families every process exposes (ARCHITECTURE §7) and the provider that feeds them."""

from __future__ import annotations

import time
from pathlib import Path

from nameko.events import EventHandler
from nameko.extensions import DependencyProvider
from nameko.rpc import Rpc
from prometheus_client import Counter, Gauge, Histogram, disable_created_metrics

# The *_created series double every family's size and no dashboard of ours reads them.
disable_created_metrics()

# Labels never carry ids or personal data: only service, method, outcome and the like.
RPC_REQUESTS = Counter("rpc_requests_total", "RPC calls handled", ["service", "method", "outcome"])
RPC_DURATION = Histogram(
    "rpc_request_duration_seconds",
    "Time to handle an RPC call",
    ["service", "method"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
EVENTS_PUBLISHED = Counter(
    "events_published_total", "Events published from the outbox", ["service", "event_type"]
)
EVENTS_HANDLED = Counter(
    "events_handled_total",
    "Events handled (outcome: ok, error, duplicate, retried, parked)",
    ["service", "event_type", "outcome"],
)
EVENT_DURATION = Histogram(
    "event_handler_duration_seconds",
    "Time to handle an event",
    ["service", "event_type"],
    buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10),
)
OUTBOX_PENDING = Gauge("outbox_pending", "Events stored but not yet published", ["service"])
DEAD_LETTERS = Gauge("dead_letters", "Messages parked after their last retry", ["service"])
HTTP_REQUESTS = Counter(
    "http_requests_total", "HTTP requests answered", ["route", "method", "status"]
)
# Ed25519 keys carry no expiry date of their own: the age of the key file tells when the planned
# rotation is due (docs/OPERATIONS.md), and the alert rules compare it with the policy.
SIGNING_KEY_WRITTEN = Gauge(
    "signing_key_file_timestamp_seconds",
    "When the signing key in use was written (its file's modification time)",
    ["key"],
)
HTTP_DURATION = Histogram(
    "http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["route", "method"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def record_signing_key(key: str, path: Path) -> None:
    """Publish when the key file `path` (token or certificate key) was written."""
    SIGNING_KEY_WRITTEN.labels(key).set(path.stat().st_mtime)


def rpc_outcome(exc_info, expected: tuple[type[BaseException], ...]) -> str:
    if exc_info is None:
        return "ok"
    return "refused" if issubclass(exc_info[0], expected) else "error"


class WorkerMetrics(DependencyProvider):
    """Times every RPC worker of the service; event handlers count themselves (see messaging)."""

    def setup(self):
        self.started: dict[object, float] = {}

    def worker_setup(self, worker_ctx):
        self.started[worker_ctx] = time.perf_counter()

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        started = self.started.pop(worker_ctx, None)
        entrypoint = worker_ctx.entrypoint
        if started is None or isinstance(entrypoint, EventHandler):
            return
        if isinstance(entrypoint, Rpc):
            service, method = worker_ctx.service_name, entrypoint.method_name
            RPC_DURATION.labels(service, method).observe(time.perf_counter() - started)
            outcome = rpc_outcome(exc_info, entrypoint.expected_exceptions or ())
            RPC_REQUESTS.labels(service, method, outcome).inc()

    def worker_teardown(self, worker_ctx):
        self.started.pop(worker_ctx, None)
