"""Messages that are not JSON, put on every queue a service consumes (its RPC queue and each
event handler's queue): refused, never unpickled or run, and the service keeps working."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from kombu import Connection, Producer, Queue

from chassis.config import load_settings
from chassis.service import load_service_class
from chassis.topology import service_queues
from devstack.launcher import SERVICES
from gateway.rpc import RpcPool
from tests.support.waiting import wait_for

pytestmark = pytest.mark.slow

REFUSAL_LINES = ("refused a message of content type", "Can't decode message body")


class CreatesAFile:
    """Unpickling this runs `touch <path>`: the marker proves whether anyone unpickled it."""

    def __init__(self, path: Path):
        self.path = path

    def __reduce__(self):
        return (os.system, (f"touch {self.path}",))


def hostile_messages(marker: Path) -> dict[str, dict]:
    """kombu publish arguments of each kind of message that is not JSON."""
    raw = {"content_encoding": "binary"}
    return {
        "pickle": {"body": CreatesAFile(marker), "serializer": "pickle"},
        "raw bytes": {"body": b"\x00\x01\xff", "content_type": "application/data", **raw},
        "text": {"body": b'{"args": [], "kwargs": {}}', "content_type": "application/text", **raw},
        "octet-stream": {"body": b"\x00\x01", "content_type": "application/octet-stream", **raw},
        "XML": {"body": b"<args/>", "content_type": "application/xml", **raw},
    }


def consumed_queues(environ: dict) -> dict[str, list[str]]:
    """Per service: its RPC queue and the queue of each of its event handlers."""
    delays = load_settings(environ).retry_delays
    queues = {}
    for name, cls in SERVICES:
        service_cls = load_service_class(f"services.{name}.service:{cls}")
        handlers = [q.name for q in service_queues(service_cls, delays) if ".retry." not in q.name]
        queues[name] = [f"rpc-{name}", *handlers]
    return queues


def refusals_logged(log_dir: Path, name: str) -> int:
    text = (log_dir / f"{name}.log").read_text(errors="replace")
    return sum(text.count(line) for line in REFUSAL_LINES)


def test_messages_that_are_not_json_are_refused_by_every_consumer(platform, tmp_path):
    amqp_uri = platform.environ["AMQP_URI"]
    marker = tmp_path / "unpickled"
    queues = consumed_queues(platform.environ)
    messages = hostile_messages(marker)
    logged_before = {name: refusals_logged(platform.log_dir, name) for name in queues}

    with Connection(amqp_uri) as connection:
        producer = Producer(connection.default_channel)
        for queue in (queue for names in queues.values() for queue in names):
            for message in messages.values():
                # reply_to: an RPC consumer that took the message would try to answer.
                producer.publish(exchange="", routing_key=queue, reply_to="nobody", **message)
        wait_for(
            lambda: all(ready(connection, q) == 0 for names in queues.values() for q in names),
            30,
            what="every queue drained",
        )

    assert [child.name for child in platform.exited()] == []
    sent = {name: len(names) * len(messages) for name, names in queues.items()}

    def refused() -> dict[str, int]:
        return {n: refusals_logged(platform.log_dir, n) - logged_before[n] for n in queues}

    wait_for(lambda: refused() == sent, 15, what="every refusal logged")
    total = sum(sent.values())
    print(
        f"non-JSON messages: {total} ({len(messages)} kinds x {sum(map(len, queues.values()))} "
        f"queues of {len(queues)} services), refused {sum(refused().values())}, "
        f"unpickled {int(marker.exists())}, services down {len(platform.exited())}"
    )
    assert not marker.exists(), "a pickle was unpickled"
    rpc = RpcPool(amqp_uri, size=1, timeout=5)
    try:
        for name in queues:
            assert rpc.call(name, "health", {}) == {"service": name, "status": "ok"}
    finally:
        rpc.close()


def ready(connection, queue: str) -> int:
    """Messages in the queue that no consumer has taken yet."""
    return (
        Queue(queue, channel=connection.default_channel).queue_declare(passive=True).message_count
    )
