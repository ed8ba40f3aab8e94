"""Declare every event queue of some services before they start (a deploy step).

`python -m chassis.topology services.identity.service:IdentityService ...` declares, for each
event handler of each named service, its durable queue bound to the producer's exchange and its
delay queues. Services do the same when they start; running this first (a one-shot job in
compose or Kubernetes) keeps the events published before a consumer's very first start.
"""

from __future__ import annotations

import argparse
import inspect
import sys

from kombu import Queue

from chassis.config import load_settings
from chassis.messaging import (
    ReliableEventHandler,
    declare_queues,
    handler_queue_name,
    handler_queues,
)
from chassis.service import load_service_class


def service_queues(service_cls, delays: tuple[float, ...]) -> list[Queue]:
    """The queues the event handlers of a service class consume, with their delay queues."""
    queues = []
    for method_name, method in inspect.getmembers(service_cls, inspect.isfunction):
        for entrypoint in getattr(method, "nameko_entrypoints", ()):
            if isinstance(entrypoint, ReliableEventHandler):
                source, event_type = entrypoint.source_service, entrypoint.event_type
                name = handler_queue_name(source, event_type, service_cls.name, method_name)
                queues += handler_queues(source, event_type, name, delays)
    return queues


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chassis.topology", description=__doc__)
    parser.add_argument("services", nargs="+", help="module:Class of each nameko service")
    args = parser.parse_args(argv)
    settings = load_settings()
    for path in args.services:
        queues = service_queues(load_service_class(path), settings.retry_delays)
        declare_queues(settings["AMQP_URI"], queues)
        print(f"{path}: {len(queues)} queues declared")
    return 0


if __name__ == "__main__":
    sys.exit(main())
