"""The transactional outbox: events stored in the same document write as the change they report.

A use case never publishes directly. It writes its state change and the events it causes in one
single-document update (MongoDB guarantees that much atomicity), under the document's `outbox`
field. The relay then publishes those events with publisher confirms and removes them. A broker
outage therefore delays events but never loses them, and never leaves a change without its event.
"""

from __future__ import annotations

import logging
import threading

import eventlet
from nameko.extensions import DependencyProvider

from chassis.config import settings_from_nameko
from chassis.events import new_event
from chassis.messaging import EventPublisher
from chassis.metrics import EVENTS_PUBLISHED, OUTBOX_PENDING
from chassis.storage import open_database

log = logging.getLogger(__name__)

PENDING = "outbox_pending"


def with_events(update: dict, events: list[dict]) -> dict:
    """Add events to a MongoDB update document, to be written by the same update_one."""
    if not events:
        return update
    merged = {op: dict(fields) for op, fields in update.items()}
    merged.setdefault("$set", {})[PENDING] = True
    merged.setdefault("$push", {})["outbox"] = {"$each": list(events)}
    return merged


def new_document_with_events(document: dict, events: list[dict]) -> dict:
    """A document to insert together with the events its creation causes."""
    if not events:
        return document
    return {**document, "outbox": list(events), PENDING: True}


class OutboxRelay:
    """Publishes the pending events of some collections, oldest document first."""

    def __init__(self, database, collections: list[str], publish, service: str):
        self.collections = [database[name] for name in collections]
        self.publish = publish
        self.service = service
        self.lock = threading.Lock()
        for collection in self.collections:
            # Sparse: only documents with unpublished events are indexed, so a sweep stays cheap
            # however many documents the collection holds.
            collection.create_index(PENDING, sparse=True)

    def publish_pending(self) -> int:
        """Publish what is pending; returns how many events went out. Safe to call any time."""
        with self.lock:
            published = sum(self._drain(collection) for collection in self.collections)
        OUTBOX_PENDING.labels(self.service).set(self.pending_count())
        return published

    def pending_count(self) -> int:
        return sum(
            len(doc.get("outbox", []))
            for collection in self.collections
            for doc in collection.find({PENDING: True}, {"outbox": 1})
        )

    def _drain(self, collection) -> int:
        published = 0
        for doc in list(collection.find({PENDING: True}, {"outbox": 1})):
            for envelope in doc.get("outbox", []):
                try:
                    self.publish(envelope)
                except Exception as error:  # the broker is away: keep the event for later
                    log.warning(
                        "outbox relay could not publish %s: %s", envelope.get("event_type"), error
                    )
                    return published
                # Removed only after the broker confirmed; a crash in between republishes the
                # event, which consumers absorb by event id. Never zero times, at worst twice.
                collection.update_one(
                    {"_id": doc["_id"]}, {"$pull": {"outbox": {"event_id": envelope["event_id"]}}}
                )
                EVENTS_PUBLISHED.labels(self.service, envelope["event_type"]).inc()
                published += 1
            collection.update_one(
                {"_id": doc["_id"], "outbox": {"$size": 0}}, {"$unset": {PENDING: "", "outbox": ""}}
            )
        return published


class EventFactory:
    """Given to a worker: makes envelopes carrying the worker's correlation id and user."""

    def __init__(self, producer: str, context: dict):
        self.producer = producer
        self.context = context
        self.made = 0

    def new(self, event_type: str, data: dict) -> dict:
        self.made += 1
        return new_event(
            event_type,
            data,
            producer=self.producer,
            correlation_id=self.context.get("correlation_id"),
            user_id=self.context.get("user_id"),
        )


class Outbox(DependencyProvider):
    """Relays the outbox of the named collections: right after each worker that made events,
    and every OUTBOX_SWEEP_SECONDS to recover what could not be published then."""

    def __init__(self, collections: list[str]):
        self.collection_names = list(collections)

    def setup(self):
        settings = settings_from_nameko(self.container.config)
        service = self.container.service_name
        publisher = EventPublisher(settings["AMQP_URI"], service)
        database = open_database(settings, service)
        self.relay = OutboxRelay(database, self.collection_names, publisher.publish, service)
        self.sweep_seconds = settings["OUTBOX_SWEEP_SECONDS"]
        self.factories: dict[object, EventFactory] = {}
        self.sweeper = None

    def start(self):
        self.sweeper = self.container.spawn_managed_thread(self._sweep_forever)

    def stop(self):
        if self.sweeper is not None:
            self.sweeper.kill()

    def get_dependency(self, worker_ctx):
        factory = EventFactory(self.container.service_name, dict(worker_ctx.context_data))
        self.factories[worker_ctx] = factory
        return factory

    def worker_teardown(self, worker_ctx):
        factory = self.factories.pop(worker_ctx, None)
        if factory is not None and factory.made:
            self.relay.publish_pending()

    def _sweep_forever(self):
        while True:
            try:
                self.relay.publish_pending()
            except Exception:
                log.exception("outbox sweep failed")
            eventlet.sleep(self.sweep_seconds)
