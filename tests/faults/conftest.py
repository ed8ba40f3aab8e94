"""Fault tests run against a RabbitMQ node of their own (see rabbit_node.py), shared by the whole
session and restarted only by the tests that need a broker restart; each test gets its own vhost."""

from __future__ import annotations

import pytest

from tests.faults.rabbit_node import RabbitNode
from tests.integration.conftest import start_probe  # noqa: F401 - the probe, on the node's vhost


@pytest.fixture(scope="session")
def rabbit_node(tmp_path_factory):
    node = RabbitNode(tmp_path_factory.mktemp("rabbit-node"))
    seconds = node.start()
    print(f"test-owned RabbitMQ node {node.name} on port {node.port} up in {seconds:.1f} s")
    try:
        yield node
    finally:
        node.stop()


@pytest.fixture
def amqp_uri(rabbit_node):
    """A fresh vhost on the test-owned node (replaces the shared broker's vhost of other tiers)."""
    return rabbit_node.uri(rabbit_node.add_vhost())
