"""Queues exist before publishers need them: an event published before its consumer's very first
start is kept and handled once the consumer starts."""

from __future__ import annotations

import subprocess
import sys
import time

from gateway.rpc import RpcPool
from tests.integration.conftest import PROBE
from tests.support.amqp import publish_event
from tests.support.probe_service import PROBE_SOURCE
from tests.support.processes import REPO


def test_an_event_published_before_the_first_start_is_consumed(start_probe, amqp_uri):
    declared = subprocess.run(
        [sys.executable, "-m", "chassis.topology", PROBE],
        env={"AMQP_URI": amqp_uri, "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "queues declared" in declared.stdout
    envelope = publish_event(amqp_uri, PROBE_SOURCE, "thing_happened", {"early": True})

    start_probe()
    rpc = RpcPool(amqp_uri, size=1, timeout=5)
    deadline = time.monotonic() + 10
    while rpc.call("probe", "handled")["applied"] != {envelope["event_id"]: 1}:
        assert time.monotonic() < deadline, "the early event was never handled"
        time.sleep(0.1)
