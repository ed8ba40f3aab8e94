"""Fixtures shared by every test tier."""

from __future__ import annotations

import pytest

from tests.support import rabbit


@pytest.fixture
def vhost():
    """A fresh RabbitMQ virtual host, deleted after the test."""
    name = rabbit.create_vhost()
    yield name
    rabbit.delete_vhost(name)


@pytest.fixture
def amqp_uri(vhost):
    return rabbit.amqp_uri(vhost)
