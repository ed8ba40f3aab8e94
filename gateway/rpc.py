"""The gateway's RPC client: a pool of nameko-protocol callers, each call with a deadline.

nameko's standalone proxy fixes its context data when it is built and keeps stale replies
forever; the gateway needs per-call context (correlation id, acting user), a hard deadline and
clients that heal after a broker restart. The nameko RPC wire format is small, so it is spoken
here directly with kombu: publish to the `nameko-rpc` exchange with `reply_to` and a correlation
id, then wait on a private reply queue until the answer or the deadline.
"""

from __future__ import annotations

import logging
import queue
import time
import uuid
from typing import Any

from amqp.exceptions import ConnectionError as AMQPConnectionError
from kombu import Connection, Consumer, Exchange, Producer, Queue
from kombu.exceptions import OperationalError

from chassis.errors import DeadlineExceeded, ServiceUnavailable, WireError, from_wire

log = logging.getLogger(__name__)

RPC_EXCHANGE = Exchange("nameko-rpc", type="topic", durable=True, auto_delete=False)

# What a dead or unreachable broker looks like to kombu and py-amqp.
CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    AMQPConnectionError,
    OperationalError,
)


class UpstreamError(WireError):
    """A service failed in a way it did not expect; the gateway answers 502, never 500."""

    status = 502
    title = "Upstream error"
    default_code = "upstream_error"


class _DeadlinePassed(Exception):
    """No reply came before the call's deadline."""


class _Unroutable(Exception):
    """The broker returned the request: no queue exists for that service."""


class RpcClient:
    """One AMQP connection and one private reply queue; makes one call at a time."""

    def __init__(self, amqp_uri: str, connect_timeout: float):
        self.connection = Connection(amqp_uri, connect_timeout=connect_timeout)
        # One attempt, no retry sleep: the caller has a deadline to keep.
        self.connection.ensure_connection(max_retries=0, timeout=connect_timeout)
        channel = self.connection.channel()
        reply_key = uuid.uuid4().hex
        self.reply_to = reply_key
        reply_queue = Queue(
            f"rpc.reply-gateway-{reply_key}",
            exchange=RPC_EXCHANGE,
            routing_key=reply_key,
            exclusive=True,
            auto_delete=True,
        )
        self.consumer = Consumer(
            channel, [reply_queue], callbacks=[self._on_reply], accept=["json"], no_ack=True
        )
        self.consumer.consume()
        self.producer = Producer(
            channel, exchange=RPC_EXCHANGE, serializer="json", on_return=self._on_return
        )
        self.waiting_for: str | None = None
        self.reply: dict | None = None
        self.returned = False

    def call(self, service: str, method: str, kwargs: dict, context: dict, timeout: float) -> Any:
        deadline = time.monotonic() + timeout
        self.waiting_for, self.reply, self.returned = uuid.uuid4().hex, None, False
        self.producer.publish(
            {"args": [], "kwargs": kwargs},
            routing_key=f"{service}.{method}",
            reply_to=self.reply_to,
            correlation_id=self.waiting_for,
            headers={f"nameko.{k}": v for k, v in context.items() if v is not None},
            mandatory=True,
            # A request nobody took before the caller gave up must not run later.
            expiration=timeout,
        )
        while self.reply is None:
            if self.returned:
                raise _Unroutable(service)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _DeadlinePassed(f"{service}.{method}")
            try:
                self.connection.drain_events(timeout=remaining)
            except TimeoutError:  # socket.timeout: nothing arrived yet; check the deadline again
                continue
        return self.reply

    def _on_reply(self, body, message):
        # Replies to calls that already timed out arrive late; only the awaited one counts.
        if message.properties.get("correlation_id") == self.waiting_for:
            self.reply = body

    def _on_return(self, exception, exchange, routing_key, message):
        self.returned = True

    def close(self):
        try:
            self.connection.release()
        except Exception:  # closing a broken connection may fail again; nothing to keep
            log.debug("closing a broken RPC connection failed", exc_info=True)


class RpcPool:
    """Up to `size` clients, made on demand; a client whose connection broke is replaced."""

    def __init__(self, amqp_uri: str, size: int, timeout: float):
        self.amqp_uri = amqp_uri
        self.timeout = timeout
        self.idle: queue.LifoQueue[RpcClient | None] = queue.LifoQueue()
        for _ in range(size):
            self.idle.put(None)

    def call(
        self,
        service: str,
        method: str,
        kwargs: dict | None = None,
        *,
        context: dict | None = None,
        timeout: float | None = None,
    ) -> Any:
        """Call `service.method(**kwargs)`; raises a WireError on any failure, never hangs."""
        timeout = timeout or self.timeout
        started = time.monotonic()
        client = self._checkout(timeout)
        try:
            remaining = max(0.05, timeout - (time.monotonic() - started))
            reply = client.call(service, method, kwargs or {}, context or {}, remaining)
        except _DeadlinePassed:
            # The connection holds a late reply we no longer want; a fresh client is cheaper
            # than reasoning about it.
            self._discard(client)
            raise DeadlineExceeded(f"{service} did not answer within {timeout:g} s") from None
        except _Unroutable:
            self.idle.put(client)
            raise ServiceUnavailable(f"the {service} service is not running") from None
        except CONNECTION_ERRORS as error:
            self._discard(client)
            raise ServiceUnavailable(f"message broker unreachable: {error}") from None
        self.idle.put(client)
        return _unwrap(service, reply)

    def _checkout(self, timeout: float) -> RpcClient:
        try:
            client = self.idle.get(timeout=timeout)
        except queue.Empty:
            raise ServiceUnavailable("all RPC clients are busy") from None
        if client is not None:
            return client
        try:
            return RpcClient(self.amqp_uri, connect_timeout=min(timeout, 2.0))
        except Exception as error:
            self.idle.put(None)
            raise ServiceUnavailable(f"message broker unreachable: {error}") from None

    def _discard(self, client: RpcClient) -> None:
        client.close()
        self.idle.put(None)

    def close(self) -> None:
        while True:
            try:
                client = self.idle.get_nowait()
            except queue.Empty:
                return
            if client is not None:
                client.close()


def _unwrap(service: str, reply: dict) -> Any:
    error = reply.get("error")
    if not error:
        return reply.get("result")
    wire = from_wire(error.get("exc_type", ""), error.get("exc_args"))
    if wire is not None:
        raise wire
    log.error("%s failed: %s %s", service, error.get("exc_type"), error.get("value"))
    raise UpstreamError(f"the {service} service failed")
