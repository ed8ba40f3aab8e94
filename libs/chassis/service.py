"""What every GASPOL service is built on: its store, ops port, metrics, log context, health RPCs."""

from __future__ import annotations

import dataclasses
import importlib

from nameko.extensions import DependencyProvider, Entrypoint
from nameko.rpc import rpc
from nameko.timer import Timer

from chassis.audit import Audit
from chassis.auth import CallerProvider
from chassis.config import settings_from_nameko
from chassis.deadletters import DeadLetterStore
from chassis.errors import EXPECTED
from chassis.logs import bind, unbind
from chassis.messaging import install_json_only_consumers
from chassis.metrics import WorkerMetrics
from chassis.ops import OpsPort
from chassis.rpc import install_broker_tolerant_replies
from chassis.storage import Database, open_database

install_broker_tolerant_replies()
install_json_only_consumers()


def load_service_class(path: str) -> type[ServiceBase]:
    """The service class named `module:Class`."""
    module_name, _, class_name = path.partition(":")
    return getattr(importlib.import_module(module_name), class_name)


class LogContext(DependencyProvider):
    """Binds the caller's correlation id and user (and an event's id) to the worker's log lines."""

    def setup(self):
        self.tokens = {}

    def worker_setup(self, worker_ctx):
        data = worker_ctx.context_data
        fields = {key: data.get(key) for key in ("correlation_id", "user_id")}
        first = worker_ctx.args[0] if worker_ctx.args else None
        if isinstance(first, dict) and "event_id" in first:
            fields["event_id"] = first["event_id"]
            fields["correlation_id"] = fields["correlation_id"] or first.get("correlation_id")
        self.tokens[worker_ctx] = bind(**fields)

    def worker_teardown(self, worker_ctx):
        token = self.tokens.pop(worker_ctx, None)
        if token is not None:
            unbind(token)


class SettingsProvider(DependencyProvider):
    """The process's Settings, as the runner read them from the environment."""

    def get_dependency(self, worker_ctx):
        return settings_from_nameko(self.container.config)


class OnStart(Entrypoint):
    """Runs the decorated method once as the service starts, with every dependency ready (index
    creation, bootstrap data). A failure is logged by nameko and does not stop the service."""

    def start(self):
        self.container.spawn_worker(self, (), {})


on_start = OnStart.decorator


class Every(Timer):
    """nameko's timer with its interval read from a setting, e.g. `@every("SLA_MONITOR_SECONDS")`,
    so operators tune it without a code change."""

    def __init__(self, setting: str, **kwargs):
        self.setting = setting
        super().__init__(interval=1, **kwargs)

    def setup(self):
        self.interval = settings_from_nameko(self.container.config)[self.setting]
        super().setup()


every = Every.decorator


class DeadLetters(DependencyProvider):
    """The service's dead-letter store, for the replay RPCs."""

    def setup(self):
        settings = settings_from_nameko(self.container.config)
        self.amqp_uri = settings["AMQP_URI"]
        service = self.container.service_name
        self.store = DeadLetterStore(open_database(settings, service), service)

    def get_dependency(self, worker_ctx):
        return self


class ServiceBase:
    """Subclass it and set `name`; the entrypoints below come with every service."""

    name: str
    # The setting naming this service's HTTP port, for services with @http entrypoints.
    http_port_setting: str | None = None

    db = Database()
    settings = SettingsProvider()
    caller = CallerProvider()
    audit = Audit()
    ops = OpsPort()
    worker_metrics = WorkerMetrics()
    log_context = LogContext()
    parked = DeadLetters()

    @rpc(expected_exceptions=EXPECTED)
    def health(self) -> dict:
        """Answers while the service can take work: the gateway's readiness asks every service."""
        return {"service": self.name, "status": "ok"}

    @rpc(expected_exceptions=EXPECTED)
    def audit_entries(self, subject=None, actor=None, limit=100, before_seq=None) -> list[dict]:
        """The service's audit log, newest first, for admins and auditors."""
        self.caller.require_role("admin", "auditor")
        limit = min(max(1, int(limit)), 500)
        return self.audit.log.entries(
            subject=subject, actor=actor, limit=limit, before_seq=before_seq
        )

    @rpc(expected_exceptions=EXPECTED)
    def verify_audit(self) -> dict:
        """Check the audit chain; names the first broken entry if any."""
        self.caller.require_role("admin", "auditor")
        return dataclasses.asdict(self.audit.verify())

    @rpc(expected_exceptions=EXPECTED)
    def list_dead_letters(self, limit: int = 100) -> list[dict]:
        return self.parked.store.list(limit)

    @rpc(expected_exceptions=EXPECTED)
    def replay_dead_letters(self, ids: list[str] | None = None) -> int:
        return self.parked.store.replay(self.parked.amqp_uri, ids)
