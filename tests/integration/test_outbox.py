"""The outbox: a change and its event are stored together; a broker outage delays, never loses."""

from __future__ import annotations

import contextlib
import time
import uuid
from urllib.parse import urlsplit

import pytest

from chassis.config import load_settings
from chassis.events import new_event
from chassis.messaging import EventPublisher
from chassis.outbox import OutboxRelay, new_document_with_events
from chassis.storage import open_database
from gateway.rpc import RpcPool
from tests.support.amqp import EventCollector
from tests.support.tcp_proxy import TcpProxy


def _proxied(amqp_uri: str, proxy: TcpProxy) -> str:
    parts = urlsplit(amqp_uri)
    return parts._replace(netloc=f"guest:guest@127.0.0.1:{proxy.port}").geturl()


@pytest.fixture
def proxy():
    proxy = TcpProxy("127.0.0.1", 5672)
    yield proxy
    proxy.close()


def test_relay_keeps_events_through_a_broker_outage_and_publishes_each_once(
    tmp_path, amqp_uri, proxy
):
    settings = load_settings({"GASPOL_DATA_DIR": str(tmp_path)})
    database = open_database(settings, f"relay_{uuid.uuid4().hex[:6]}")
    publisher = EventPublisher(_proxied(amqp_uri, proxy), "probe")
    relay = OutboxRelay(database, ["things"], publisher.publish, "probe")
    collector = EventCollector(amqp_uri, "probe")
    proxy.cut()

    for n in range(100):
        event = new_event("thing_created", {"n": n}, producer="probe")
        database["things"].insert_one(new_document_with_events({"_id": n}, [event]))
    assert relay.publish_pending() == 0
    assert relay.pending_count() == 100
    assert database["things"].count_documents({"outbox_pending": True}) == 100

    proxy.restore()
    assert relay.publish_pending() == 100
    events = collector.wait_for(100, timeout=10)
    assert sorted(event["data"]["n"] for event in events) == list(range(100))
    assert len({event["event_id"] for event in events}) == 100
    assert relay.pending_count() == 0
    assert database["things"].count_documents({"outbox_pending": True}) == 0


def test_service_publishes_right_after_the_write(start_probe, amqp_uri):
    start_probe()  # the sweep runs every 60 s here, so only the after-write relay can be quick
    collector = EventCollector(amqp_uri, "probe")
    rpc = RpcPool(amqp_uri, size=1, timeout=5)
    started = time.monotonic()
    assert rpc.call("probe", "create_things", {"ids": ["a"]}) == 1
    events = collector.wait_for(1, timeout=5)
    assert time.monotonic() - started < 2
    assert [event["data"] for event in events] == [{"thing_id": "a"}]
    assert events[0]["event_type"] == "thing_created"
    assert events[0]["producer"] == "probe"


# The proxy is listed first so that it outlives the service: a service stopping while its
# broker is away waits out its grace period.
def test_service_outbox_survives_the_broker_going_away(proxy, start_probe, amqp_uri):
    probe = start_probe(AMQP_URI=_proxied(amqp_uri, proxy), OUTBOX_SWEEP_SECONDS="0.5")
    collector = EventCollector(amqp_uri, "probe")
    rpc = RpcPool(amqp_uri, size=1, timeout=30)
    ids = [f"thing-{n}" for n in range(100)]

    # The worker pauses, the broker goes away during the pause, then the worker stores 100
    # changes with their events: neither the after-write relay nor the sweep can publish.
    pending = _call_in_background(rpc, "probe", "create_things", {"ids": ids, "pause_seconds": 1.0})
    time.sleep(0.5)
    proxy.cut()
    _wait_until(lambda: 'outbox_pending{service="probe"} 100.0' in probe.metrics(), 10)
    time.sleep(1)
    assert collector.wait_for(1, timeout=0.5) == []

    proxy.restore()
    events = collector.wait_for(100, timeout=30)
    assert sorted(event["data"]["thing_id"] for event in events) == sorted(ids)
    assert len({event["event_id"] for event in events}) == 100
    pending.join(timeout=30)
    _wait_until(lambda: 'outbox_pending{service="probe"} 0.0' in probe.metrics(), 10)


def _call_in_background(rpc, service, method, kwargs):
    import threading

    def call():
        # The reply may be lost with the link; the events must not be.
        with contextlib.suppress(Exception):
            rpc.call(service, method, kwargs)

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    return thread


def _wait_until(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")
