"""A throwaway RabbitMQ virtual host per test, so tests never see each other's queues."""

from __future__ import annotations

import os
import subprocess
import uuid

BROKER = os.environ.get("GASPOL_TEST_BROKER", "127.0.0.1:5672")


def _ctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)


def create_vhost() -> str:
    name = f"gaspol-test-{uuid.uuid4().hex[:12]}"
    _ctl("add_vhost", name)
    _ctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*")
    return name


def delete_vhost(name: str) -> None:
    _ctl("delete_vhost", name)


def amqp_uri(vhost: str, broker: str = BROKER) -> str:
    return f"amqp://guest:guest@{broker}/{vhost}"
