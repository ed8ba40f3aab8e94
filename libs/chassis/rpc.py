"""Service-to-service RPC with a deadline: a call that takes too long fails, it never hangs."""

from __future__ import annotations

import eventlet
from nameko.rpc import RpcProxy

from chassis.config import settings_from_nameko
from chassis.errors import DeadlineExceeded


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
