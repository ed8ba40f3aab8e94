"""The messaging ceiling: a raw AMQP request/reply round trip with py-amqp, no framework.

`python -m tests.perf.amqp_echo AMQP_URI` answers every message on the echo queue to its
reply_to, in one plain loop; `EchoClient` sends one request at a time and waits for its reply.
Set next to a nameko RPC hop on the same broker, it shows what the framework adds.
"""

from __future__ import annotations

import sys
import time
import uuid

import amqp
from kombu.utils.url import parse_url

QUEUE = "bench-amqp-echo"


def connect(amqp_uri: str) -> amqp.Connection:
    url = parse_url(amqp_uri)
    connection = amqp.Connection(
        host=f"{url['hostname']}:{url['port'] or 5672}",
        userid=url["userid"],
        password=url["password"],
        virtual_host=url["virtual_host"] or "/",
    )
    connection.connect()
    return connection


def serve(amqp_uri: str) -> None:
    connection = connect(amqp_uri)
    channel = connection.channel()
    channel.queue_declare(QUEUE, auto_delete=True)

    def answer(message):
        reply = amqp.Message(message.body, correlation_id=message.properties["correlation_id"])
        channel.basic_publish(reply, exchange="", routing_key=message.properties["reply_to"])

    channel.basic_consume(QUEUE, callback=answer, no_ack=True)
    print("ready", flush=True)
    while True:
        connection.drain_events()


class EchoClient:
    def __init__(self, amqp_uri: str):
        self.connection = connect(amqp_uri)
        self.channel = self.connection.channel()
        self.reply_to, _, _ = self.channel.queue_declare("", exclusive=True)
        self.reply: str | None = None
        self.channel.basic_consume(self.reply_to, callback=self._on_reply, no_ack=True)

    def _on_reply(self, message):
        self.reply = message.properties["correlation_id"]

    def round_trip(self, timeout: float = 5.0) -> float:
        """Seconds from publishing a request to having its reply."""
        correlation_id = uuid.uuid4().hex
        request = amqp.Message(
            b'{"args":[],"kwargs":{}}', correlation_id=correlation_id, reply_to=self.reply_to
        )
        started = time.perf_counter()
        self.channel.basic_publish(request, exchange="", routing_key=QUEUE)
        while self.reply != correlation_id:
            self.connection.drain_events(timeout=timeout)
        return time.perf_counter() - started

    def close(self) -> None:
        self.connection.close()


if __name__ == "__main__":
    serve(sys.argv[1])
