"""Test-side AMQP helpers: collect the events a service publishes, publish events to it."""

from __future__ import annotations

import time
import uuid

from kombu import Connection, Consumer, Producer, Queue

from chassis.events import new_event
from chassis.messaging import events_exchange


class EventCollector:
    """A queue bound to a producer's exchange that keeps every event body it receives."""

    def __init__(self, amqp_uri: str, producer: str, routing_key: str = "#"):
        self.connection = Connection(amqp_uri)
        channel = self.connection.channel()
        queue = Queue(
            f"test-collector-{uuid.uuid4().hex[:8]}",
            exchange=events_exchange(producer),
            routing_key=routing_key,
            durable=False,
            auto_delete=True,
        )
        self.events: list[dict] = []
        self.consumer = Consumer(channel, [queue], callbacks=[self._keep], accept=["json"])
        self.consumer.consume()

    def _keep(self, body, message):
        self.events.append(body)
        message.ack()

    def wait_for(self, count: int, timeout: float) -> list[dict]:
        """Drain until `count` events arrived or the timeout passed; then a little longer to
        catch any extra (duplicate) deliveries."""
        deadline = time.monotonic() + timeout
        while len(self.events) < count and time.monotonic() < deadline:
            self._drain(min(0.2, max(0.01, deadline - time.monotonic())))
        self._drain(0.5)
        return self.events

    def _drain(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                self.connection.drain_events(timeout=max(0.01, end - time.monotonic()))
            except TimeoutError:
                return

    def close(self):
        self.connection.release()


def publish_event(
    amqp_uri: str, producer: str, event_type: str, data: dict, envelope: dict | None = None
) -> dict:
    """Publish like a producer's outbox relay would (persistent, confirmed)."""
    envelope = envelope or new_event(event_type, data, producer=producer)
    with Connection(amqp_uri) as connection:
        exchange = events_exchange(producer)
        producer_ = Producer(connection.channel(), exchange=exchange, serializer="json")
        exchange(producer_.channel).declare()
        producer_.publish(envelope, routing_key=event_type, delivery_mode=2)
    return envelope
