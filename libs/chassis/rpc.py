"""Service-to-service RPC with a deadline: a call that takes too long fails, it never hangs;
and a reply the broker cannot take does not bring the service down."""

from __future__ import annotations

import logging

import eventlet
from kombu.exceptions import OperationalError
from nameko.rpc import Rpc, RpcConsumer, RpcProxy

from chassis.config import settings_from_nameko
from chassis.errors import DeadlineExceeded

log = logging.getLogger(__name__)


class DeadlineProxy:
    """`proxy.call("method", **kwargs)`: nameko's proxy with RPC_TIMEOUT on every call."""

    def __init__(self, proxy, service: str, timeout: float):
        self.proxy = proxy
        self.service = service
        self.timeout = timeout

    def call(self, method: str, **kwargs):
        reply = getattr(self.proxy, method).call_async(**kwargs)
        timeout = eventlet.Timeout(self.timeout, False)
        with timeout:
            return reply.result()
        raise DeadlineExceeded(f"{self.service} did not answer within {self.timeout:g} s")


class ServiceRpc(RpcProxy):
    """Declare as `applications = ServiceRpc("applications")`; the caller's context (correlation
    id, user, roles) travels with every call, as nameko does for its own proxies."""

    def setup(self):
        super().setup()
        self.timeout = settings_from_nameko(self.container.config)["RPC_TIMEOUT"]

    def get_dependency(self, worker_ctx):
        return DeadlineProxy(super().get_dependency(worker_ctx), self.target_service, self.timeout)


class BrokerTolerantRpcConsumer(RpcConsumer):
    """nameko's RPC consumer, except that a reply which cannot be published because the broker
    is away is logged and dropped. nameko lets that error end the worker's thread, which kills
    the whole service container: one RPC finishing during a broker restart stopped the service
    for good. The caller has its deadline (504 at the gateway), and the unacknowledged request
    goes back to the queue, where it expires at that deadline."""

    def handle_result(self, message, result, exc_info):
        try:
            return super().handle_result(message, result, exc_info)
        except (OperationalError, ConnectionError, OSError) as error:
            log.warning("could not send an RPC reply, the broker is away: %s", error)
            return result, exc_info


def install_broker_tolerant_replies() -> None:
    """Every `@rpc` entrypoint (nameko's own decorator, which the services use) shares this one
    consumer from now on."""
    Rpc.rpc_consumer = BrokerTolerantRpcConsumer()
