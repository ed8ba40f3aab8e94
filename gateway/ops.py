"""Operator endpoints of the gateway: liveness, readiness of every service, metrics."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from flask import Blueprint, current_app, jsonify
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from chassis.errors import WireError

ops_blueprint = Blueprint("ops", __name__)

SERVICES = ("identity", "applications", "documents", "payments", "notifications")
# Readiness must answer quickly even when a service hangs: a probe that waits the full RPC
# deadline would make the orchestrator think the gateway itself is stuck.
READINESS_DEADLINE = 1.5


@ops_blueprint.get("/healthz")
def healthz():
    return jsonify(status="ok", service="gateway")


@ops_blueprint.get("/readyz")
def readyz():
    rpc = current_app.extensions["rpc"]
    with ThreadPoolExecutor(max_workers=len(SERVICES)) as pool:
        checks = dict(
            zip(SERVICES, pool.map(lambda name: _check(rpc, name), SERVICES), strict=True)
        )
    ready = all(status == "ok" for status in checks.values())
    body = {"status": "ready" if ready else "unavailable", "services": checks}
    return jsonify(body), 200 if ready else 503


def _check(rpc, service: str) -> str:
    try:
        rpc.call(service, "health", timeout=READINESS_DEADLINE)
    except WireError as error:
        return error.detail
    return "ok"


@ops_blueprint.get("/metrics")
def metrics():
    return generate_latest(), 200, {"Content-Type": CONTENT_TYPE_LATEST}
