"""Integration fixtures: the probe service run through the real runner, on its own vhost."""

from __future__ import annotations

import pytest

from tests.support.processes import ServiceProcess

PROBE = "tests.support.probe_service:ProbeService"


@pytest.fixture
def start_probe(tmp_path, amqp_uri):
    """Start the probe service with extra settings; stopped (SIGTERM) after the test."""
    started = []

    def start(**settings: str) -> ServiceProcess:
        env = {
            "GASPOL_DATA_DIR": str(tmp_path / "data"),
            "AMQP_URI": amqp_uri,
            "OUTBOX_SWEEP_SECONDS": "60",
            **settings,
        }
        process = ServiceProcess(PROBE, env, tmp_path / f"probe-{len(started)}.log")
        started.append(process)
        return process.start()

    yield start
    for process in started:
        process.stop()
