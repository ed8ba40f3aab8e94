"""The gateway's RPC: every call ends within its deadline as an answer or a clear problem."""

from __future__ import annotations

import json
import time

import pytest

from chassis.config import load_settings
from chassis.events import new_event
from gateway.app import create_app
from gateway.services import call_service
from tests.support.amqp import publish_event
from tests.support.probe_service import PROBE_SOURCE
from tests.support.tcp_proxy import TcpProxy

DEADLINE = 1.0


def _gateway(amqp_uri: str):
    settings = load_settings({"AMQP_URI": amqp_uri, "RPC_TIMEOUT": str(DEADLINE)})
    app = create_app(settings)

    # A route like every real endpoint: one call to a service with the request's context.
    @app.post("/probe/<method>")
    def probe(method):
        return {"result": call_service("probe", method)}

    return app.test_client()


def _timed(client, method: str, path: str, **kwargs):
    started = time.monotonic()
    response = client.open(path, method=method, **kwargs)
    return response, time.monotonic() - started


def test_a_stopped_service_answers_504_within_the_deadline(start_probe, amqp_uri):
    start_probe().stop()  # its queue stays; nobody consumes it
    response, elapsed = _timed(_gateway(amqp_uri), "POST", "/probe/health")
    assert response.status_code == 504
    assert response.mimetype == "application/problem+json"
    assert response.json["code"] == "deadline_exceeded"
    assert DEADLINE <= elapsed < DEADLINE + 1


def test_a_service_that_never_ran_answers_503_at_once(amqp_uri):
    response, elapsed = _timed(_gateway(amqp_uri), "POST", "/probe/health")
    assert response.status_code == 503
    assert response.json["code"] == "service_unavailable"
    assert elapsed < DEADLINE


def test_an_unreachable_broker_answers_503_quickly():
    proxy = TcpProxy("127.0.0.1", 5672)
    proxy.cut()
    try:
        client = _gateway(f"amqp://guest:guest@127.0.0.1:{proxy.port}/")
        response, elapsed = _timed(client, "POST", "/probe/health")
    finally:
        proxy.close()
    assert response.status_code == 503
    assert elapsed < DEADLINE + 1


def test_the_pool_heals_after_the_broker_link_breaks(start_probe, amqp_uri):
    start_probe()
    proxy = TcpProxy("127.0.0.1", 5672)
    try:
        client = _gateway(amqp_uri.replace("127.0.0.1:5672", f"127.0.0.1:{proxy.port}"))
        assert client.post("/probe/health").status_code == 200
        proxy.cut()
        assert client.post("/probe/health").status_code in (503, 504)
        proxy.restore()
        assert client.post("/probe/health").json["result"]["status"] == "ok"
    finally:
        proxy.close()


def test_wire_errors_keep_their_status_and_code_and_bugs_become_502(start_probe, amqp_uri):
    start_probe()
    client = _gateway(amqp_uri)
    refused = client.post("/probe/refuse")
    assert refused.status_code == 409
    assert refused.json["code"] == "already_decided"
    assert refused.json["detail"] == "already decided"
    crashed = client.post("/probe/crash")
    assert crashed.status_code == 502
    assert crashed.json["code"] == "upstream_error"
    assert "RuntimeError" not in crashed.get_data(as_text=True)


def test_readiness_names_the_services_that_do_not_answer(start_probe, amqp_uri):
    response, elapsed = _timed(_gateway(amqp_uri), "GET", "/readyz")
    assert response.status_code == 503
    assert set(response.json["services"]) == {
        "identity",
        "applications",
        "documents",
        "payments",
        "notifications",
    }
    assert all(status != "ok" for status in response.json["services"].values())
    assert elapsed < 3


def test_the_correlation_id_reaches_the_service_logs_over_rpc_and_events(start_probe, amqp_uri):
    probe = start_probe()
    response = _gateway(amqp_uri).post("/probe/whoami", headers={"X-Request-ID": "req-12345678"})
    assert response.headers["X-Request-ID"] == "req-12345678"
    assert response.json["result"]["correlation_id"] == "req-12345678"

    envelope = new_event("thing_happened", {"n": 1}, producer=PROBE_SOURCE, correlation_id="c-42")
    publish_event(amqp_uri, PROBE_SOURCE, "thing_happened", {}, envelope=envelope)
    _wait_for_log(probe, "handling a thing that happened")

    lines = [
        json.loads(line) for line in probe.log_path.read_text().splitlines() if line.startswith("{")
    ]
    by_message = {line["message"]: line for line in lines}
    assert by_message["answering whoami"]["correlation_id"] == "req-12345678"
    assert by_message["handling a thing that happened"]["correlation_id"] == "c-42"
    assert by_message["handling a thing that happened"]["event_id"] == envelope["event_id"]


def test_a_forged_request_id_is_replaced(amqp_uri):
    response = _gateway(amqp_uri).get("/healthz", headers={"X-Request-ID": "bad id <script>"})
    assert response.headers["X-Request-ID"] != "bad id <script>"
    assert len(response.headers["X-Request-ID"]) == 32


def _wait_for_log(probe, text: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while text not in probe.log_path.read_text():
        if time.monotonic() > deadline:
            pytest.fail(f"{text!r} never logged")
        time.sleep(0.1)
