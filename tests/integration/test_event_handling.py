"""Event handlers: a duplicate is applied once; a failure is retried with growing delay, then
parked without holding up the rest of the queue, and can be replayed."""

from __future__ import annotations

import itertools
import re

from gateway.rpc import RpcPool
from tests.support.amqp import publish_event
from tests.support.probe_service import PROBE_SOURCE
from tests.support.waiting import wait_for


def _metric(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_the_same_event_twice_is_applied_once(start_probe, amqp_uri):
    probe = start_probe()
    rpc = RpcPool(amqp_uri, size=1, timeout=5)
    envelope = publish_event(amqp_uri, PROBE_SOURCE, "thing_happened", {"n": 1})
    publish_event(amqp_uri, PROBE_SOURCE, "thing_happened", {}, envelope=envelope)

    wait_for(lambda: _metric(probe.metrics(), "events_handled_total", outcome="duplicate"), 10)
    assert rpc.call("probe", "handled")["applied"] == {envelope["event_id"]: 1}
    metrics = probe.metrics()
    assert _metric(metrics, "events_handled_total", outcome="ok") == 1
    assert _metric(metrics, "events_handled_total", outcome="duplicate") == 1


def test_failing_handler_is_retried_with_growing_delay_then_parked_while_others_flow(
    start_probe, amqp_uri
):
    delays = (0.3, 0.6, 1.2)
    probe = start_probe(EVENT_RETRY_DELAYS=",".join(map(str, delays)))
    rpc = RpcPool(amqp_uri, size=1, timeout=5)

    poison = publish_event(amqp_uri, PROBE_SOURCE, "thing_happened", {"poison": True})
    good = [publish_event(amqp_uri, PROBE_SOURCE, "thing_happened", {"n": n}) for n in range(100)]

    # The 100 good events are all applied while the poisoned one is still waiting to be retried.
    applied = wait_for(lambda: len(rpc.call("probe", "handled")["applied"]) == 100, 10)
    assert applied
    assert len(rpc.call("probe", "handled")["poison_attempts"]) < len(delays) + 1

    wait_for(lambda: _metric(probe.metrics(), "dead_letters", service="probe") == 1, 15)
    handled = rpc.call("probe", "handled")
    assert set(handled["applied"]) == {event["event_id"] for event in good}
    assert all(count == 1 for count in handled["applied"].values())

    attempts = handled["poison_attempts"]
    assert len(attempts) == len(delays) + 1  # the first try, then one per delay
    gaps = [later - earlier for earlier, later in itertools.pairwise(attempts)]
    for gap, delay in zip(gaps, delays, strict=True):
        assert gap >= delay * 0.9, (gaps, delays)
    assert gaps == sorted(gaps), f"delays must grow: {gaps}"

    letters = rpc.call("probe", "list_dead_letters")
    assert len(letters) == 1
    assert letters[0]["event_id"] == poison["event_id"]
    assert letters[0]["attempts"] == len(delays) + 1
    assert re.search(r"ValueError: poisoned event", letters[0]["error"])
    metrics = probe.metrics()
    assert _metric(metrics, "events_handled_total", outcome="retried") == len(delays)
    assert _metric(metrics, "events_handled_total", outcome="parked") == 1


def test_a_parked_message_is_replayed_by_command(start_probe, amqp_uri, tmp_path):
    import subprocess
    import sys

    probe = start_probe(EVENT_RETRY_DELAYS="0.2")
    rpc = RpcPool(amqp_uri, size=1, timeout=5)
    poison = publish_event(amqp_uri, PROBE_SOURCE, "thing_happened", {"poison": True})
    wait_for(lambda: _metric(probe.metrics(), "dead_letters", service="probe") == 1, 10)

    rpc.call("probe", "cure")
    listed = subprocess.run(
        [sys.executable, "-m", "chassis.deadletters", "list", "probe"],
        env={**probe.env},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert poison["event_id"] in listed.stdout
    replayed = subprocess.run(
        [sys.executable, "-m", "chassis.deadletters", "replay", "probe"],
        env={**probe.env},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert "replayed 1" in replayed.stdout

    wait_for(lambda: rpc.call("probe", "handled")["applied"] == {poison["event_id"]: 1}, 10)
    wait_for(lambda: _metric(probe.metrics(), "dead_letters", service="probe") == 0, 10)
    assert rpc.call("probe", "list_dead_letters") == []
