"""Events on RabbitMQ: confirmed publishing, and handlers that dedupe, retry with delay, park."""

from __future__ import annotations

import logging
import time
import traceback
from datetime import UTC, datetime, timedelta

import kombu.serialization
from kombu import Connection, Exchange, Queue
from nameko.amqp.publish import Publisher
from nameko.events import EventHandler
from nameko.messaging import Consumer, QueueConsumer
from nameko.rpc import ReplyListener, RpcConsumer

from chassis.config import settings_from_nameko
from chassis.deadletters import DeadLetterStore
from chassis.logs import bound_context
from chassis.metrics import EVENT_DURATION, EVENTS_HANDLED
from chassis.storage import open_database

log = logging.getLogger(__name__)

ATTEMPT_HEADER = "x-gaspol-attempt"
# How long a handled event id is remembered; redeliveries come within minutes, not weeks.
PROCESSED_RETENTION = timedelta(days=30)


def events_exchange(producer: str) -> Exchange:
    """The topic exchange a service publishes to; the same name nameko's own events use."""
    return Exchange(f"{producer}.events", type="topic", durable=True, auto_delete=False)


def handler_queue_name(source: str, event_type: str, service: str, method: str) -> str:
    """The durable queue of one handler: one per (service, handler), shared by its replicas."""
    return f"evt-{source}-{event_type}--{service}.{method}"


def retry_queue_name(queue: str, delay: float) -> str:
    return f"{queue}.retry.{int(delay * 1000)}ms"


def handler_queues(
    source: str, event_type: str, queue: str, delays: tuple[float, ...]
) -> list[Queue]:
    """The handler's queue and one delay queue per retry step.

    A failed message waits in a delay queue until its TTL ends, then RabbitMQ dead-letters it
    back to the handler's own queue through the default exchange. So retries never block other
    messages (no hot requeue) and never reach the other subscribers of the event.
    """
    main = Queue(queue, exchange=events_exchange(source), routing_key=event_type, durable=True)
    delay_queues = [
        Queue(
            retry_queue_name(queue, delay),
            durable=True,
            queue_arguments={
                "x-message-ttl": int(delay * 1000),
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": queue,
            },
        )
        for delay in sorted(set(delays))
    ]
    return [main, *delay_queues]


def declare_queues(amqp_uri: str, queues: list[Queue]) -> None:
    with Connection(amqp_uri) as connection:
        channel = connection.default_channel
        for queue in queues:
            queue.bind(channel).declare()


class JsonOnlyQueueConsumer(QueueConsumer):
    """nameko's queue consumer, passing on only messages of an accepted content type (JSON).

    kombu refuses the types outside the service's ACCEPT list (pickle, octet-stream, ...)
    before decoding them: it logs and drops them. But it trusts `application/data` and
    `application/text` (a message without a content type is `application/data`) and hands
    their raw bytes on. An RPC then failed on them, and answering in that unknown type killed
    the whole service. Such messages are logged and dropped here, before any entrypoint."""

    def handle_message(self, provider, body, message):
        accepted = {kombu.serialization.registry.name_to_type[name] for name in self.accept}
        if message.content_type not in accepted:
            log.error(
                "refused a message of content type %r on queue %s",
                message.content_type,
                message.delivery_info.get("routing_key"),
            )
            self.ack_message(message)
            return
        super().handle_message(provider, body, message)


def install_json_only_consumers() -> None:
    """Every entrypoint that consumes a queue (RPC, events) and every RPC reply listener
    shares this consumer from now on."""
    for user in (RpcConsumer, ReplyListener, Consumer):
        user.queue_consumer = JsonOnlyQueueConsumer()


class EventPublisher:
    """Publishes envelopes to the producer's exchange and waits for the broker's confirm."""

    def __init__(self, amqp_uri: str, producer: str):
        self.exchange = events_exchange(producer)
        self.publisher = Publisher(
            amqp_uri,
            use_confirms=True,
            serializer="json",
            declare=[self.exchange],
            # Fail fast: the outbox keeps the event and the relay tries again later.
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.5},
        )

    def publish(self, envelope: dict) -> None:
        headers = {
            f"nameko.{key}": envelope[key]
            for key in ("correlation_id", "user_id")
            if envelope.get(key)
        }
        self.publisher.publish(
            envelope,
            exchange=self.exchange,
            routing_key=envelope["event_type"],
            headers=headers,
            message_id=envelope["event_id"],
        )


class ReliableEventHandler(EventHandler):
    """nameko's event handler, made safe for at-least-once delivery.

    - A message whose event id this handler already handled is acknowledged and skipped.
    - A failure is retried after growing delays (EVENT_RETRY_DELAYS), then parked in the
      service's dead-letter store with its error, to be replayed by command.
    - The handler's queue and its delay queues are declared when the service starts (and by
      `python -m chassis.topology`), so an event published before the first start is kept.
    """

    def setup(self):
        settings = settings_from_nameko(self.container.config)
        service = self.container.service_name
        self.delays = settings.retry_delays
        queues = handler_queues(
            self.source_service,
            self.event_type,
            handler_queue_name(self.source_service, self.event_type, service, self.method_name),
            self.delays,
        )
        declare_queues(settings["AMQP_URI"], queues)
        self.queue = queues[0]
        database = open_database(settings, service)
        self.processed = database["processed_events"]
        self.processed.create_index("expires_at", expireAfterSeconds=0)
        self.dead_letters = DeadLetterStore(database, service)
        self.retry_publisher = Publisher(settings["AMQP_URI"], use_confirms=True, serializer="json")
        self.received_at: dict[int, float] = {}
        self.in_progress: set[str] = set()
        # nameko's EventHandler.setup would build the same queue without the delay queues;
        # the consumer only needs `self.queue`.
        Consumer.setup(self)

    def handle_message(self, body, message):
        service = self.container.service_name
        if self._already_processed(body):
            EVENTS_HANDLED.labels(service, self.event_type, "duplicate").inc()
            self.queue_consumer.ack_message(message)
            return
        key = self._processed_key(body)
        if key in self.in_progress and self.delays:
            # A redelivery, after a lost link, of an event a worker here still handles: it comes
            # back after the first retry delay, to be skipped once that worker is done.
            self._publish_retry(
                body, message, self.delays[0], int(message.headers.get(ATTEMPT_HEADER, 0))
            )
            EVENTS_HANDLED.labels(service, self.event_type, "postponed").inc()
            self.queue_consumer.ack_message(message)
            return
        if key is not None:
            self.in_progress.add(key)
        self.received_at[id(message)] = time.perf_counter()
        super().handle_message(body, message)

    def handle_result(self, message, worker_ctx, result=None, exc_info=None):
        service = self.container.service_name
        started = self.received_at.pop(id(message), None)
        if started is not None:
            EVENT_DURATION.labels(service, self.event_type).observe(time.perf_counter() - started)
        envelope = worker_ctx.args[0] if worker_ctx.args else {}
        self.in_progress.discard(self._processed_key(envelope))
        with bound_context(event_id=_event_id(envelope)):
            if exc_info is None:
                self._remember(envelope)
                outcome = "ok"
            else:
                outcome = self._retry_or_park(message, envelope, exc_info)
        EVENTS_HANDLED.labels(service, self.event_type, outcome).inc()
        # Acknowledge last: a crash before this line redelivers, so nothing is ever lost.
        self.queue_consumer.ack_message(message)
        return result, exc_info

    def _processed_key(self, envelope) -> str | None:
        event_id = _event_id(envelope)
        return f"{self.queue.name}:{event_id}" if event_id else None

    def _already_processed(self, envelope) -> bool:
        key = self._processed_key(envelope)
        return key is not None and self.processed.find_one({"_id": key}) is not None

    def _remember(self, envelope) -> None:
        key = self._processed_key(envelope)
        if key is None:
            return
        expires_at = datetime.now(UTC) + PROCESSED_RETENTION
        self.processed.update_one(
            {"_id": key}, {"$setOnInsert": {"expires_at": expires_at}}, upsert=True
        )

    def _retry_or_park(self, message, envelope, exc_info) -> str:
        attempt = int(message.headers.get(ATTEMPT_HEADER, 0)) + 1
        error = "".join(traceback.format_exception_only(exc_info[0], exc_info[1])).strip()
        if attempt <= len(self.delays):
            delay = self.delays[attempt - 1]
            log.warning(
                "event handler failed (attempt %s), retrying in %ss: %s", attempt, delay, error
            )
            self._publish_retry(envelope, message, delay, attempt)
            return "retried"
        log.error("event handler failed %s times, parking the message: %s", attempt, error)
        self.dead_letters.park(
            queue=self.queue.name,
            event_type=self.event_type,
            envelope=envelope,
            headers=_nameko_headers(message),
            error=error,
            attempts=attempt,
        )
        return "parked"

    def _publish_retry(self, envelope, message, delay: float, attempt: int) -> None:
        """Back to this handler's queue after `delay` seconds, through its delay queue."""
        self.retry_publisher.publish(
            envelope,
            exchange="",
            routing_key=retry_queue_name(self.queue.name, delay),
            headers={**_nameko_headers(message), ATTEMPT_HEADER: attempt},
        )


def _event_id(envelope) -> str | None:
    return envelope.get("event_id") if isinstance(envelope, dict) else None


def _nameko_headers(message) -> dict:
    return {k: v for k, v in message.headers.items() if k.startswith("nameko.")}


event_handler = ReliableEventHandler.decorator
