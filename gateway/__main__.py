"""Run the gateway: `python -m gateway` (gunicorn, one process, GATEWAY_THREADS threads)."""

from __future__ import annotations

import sys

from gunicorn.app.base import BaseApplication

from chassis.config import load_settings
from chassis.logs import configure_logging
from gateway.app import create_app


class GatewayServer(BaseApplication):
    """gunicorn configured from our settings instead of its own command line."""

    def __init__(self, settings):
        self.settings = settings
        super().__init__()

    def load_config(self):
        # One process with threads: the RPC pool and Prometheus' registry live in it; the gateway
        # scales by running more replicas (containers), not more workers per container.
        self.cfg.set("bind", f"0.0.0.0:{self.settings['GATEWAY_PORT']}")
        self.cfg.set("workers", 1)
        self.cfg.set("worker_class", "gthread")
        self.cfg.set("threads", self.settings["GATEWAY_THREADS"])
        self.cfg.set("graceful_timeout", 20)
        self.cfg.set("timeout", 60)
        self.cfg.set("keepalive", 5)

    def load(self):
        return create_app(self.settings)


def main() -> int:
    settings = load_settings()
    configure_logging("gateway", settings["LOG_LEVEL"], settings["LOG_FORMAT"])
    GatewayServer(settings).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
