"""A small service built only on the chassis, so the chassis can be tested through a real runner."""

from __future__ import annotations

import logging
import time

import eventlet
from nameko.rpc import rpc
from pymongo.errors import DuplicateKeyError

from chassis.errors import EXPECTED, Conflict
from chassis.logs import current_context
from chassis.messaging import event_handler
from chassis.outbox import Outbox, new_document_with_events
from chassis.service import ServiceBase

PROBE_SOURCE = "probe_source"

log = logging.getLogger(__name__)


class ProbeService(ServiceBase):
    name = "probe"

    outbox = Outbox(collections=["things"])

    @rpc(expected_exceptions=EXPECTED)
    def create_things(self, ids: list[str], pause_seconds: float = 0) -> int:
        """Store one thing per id with its `thing_created` event, after a pause in which a test
        can take the broker away. A redelivered call creates nothing twice."""
        eventlet.sleep(pause_seconds)
        log.info("creating %s things", len(ids))
        created = 0
        for thing_id in ids:
            event = self.outbox.new("thing_created", {"thing_id": thing_id})
            try:
                self.db["things"].insert_one(new_document_with_events({"_id": thing_id}, [event]))
            except DuplicateKeyError:
                continue
            created += 1
        return created

    @rpc(expected_exceptions=EXPECTED)
    def whoami(self) -> dict:
        """The log context this worker runs under, as the chassis bound it from the call."""
        log.info("answering whoami")
        return dict(current_context())

    @rpc(expected_exceptions=EXPECTED)
    def refuse(self):
        raise Conflict("already decided", code="already_decided")

    @rpc(expected_exceptions=EXPECTED)
    def crash(self):
        raise RuntimeError("a bug, not the caller's fault")

    @rpc(expected_exceptions=EXPECTED)
    def slow(self, seconds: float) -> str:
        eventlet.sleep(seconds)
        return "done"

    @rpc(expected_exceptions=EXPECTED)
    def cure(self) -> None:
        """From now on, poisoned events are handled fine (to test replaying dead letters)."""
        self.db["flags"].update_one({"_id": "cured"}, {"$set": {"on": True}}, upsert=True)

    @rpc(expected_exceptions=EXPECTED)
    def handled(self) -> dict:
        """How many times each event id was delivered and applied, and when each poisoned attempt
        happened."""
        return {
            "delivered": {doc["_id"]: doc["count"] for doc in self.db["delivered"].find()},
            "applied": {doc["_id"]: doc["count"] for doc in self.db["applied"].find()},
            "poison_attempts": [doc["at"] for doc in self.db["attempts"].find().sort("at", 1)],
        }

    @event_handler(PROBE_SOURCE, "thing_happened")
    def on_thing_happened(self, event: dict) -> None:
        log.info("handling a thing that happened")
        self._count(event, "delivered")
        # A worker that is busy (or stuck, the first time only) when a test kills, stops or
        # disconnects the service.
        eventlet.sleep(event["data"].get("pause_seconds", 0))
        if event["data"].get("stall_once") and self._first_stall(event):
            eventlet.sleep(3600)
        if event["data"].get("poison") and not self._cured():
            self.db["attempts"].insert_one({"at": time.time()})
            raise ValueError("poisoned event")
        self._count(event, "applied")

    def _count(self, event: dict, collection: str) -> None:
        self.db[collection].update_one(
            {"_id": event["event_id"]}, {"$inc": {"count": 1}}, upsert=True
        )

    def _first_stall(self, event: dict) -> bool:
        try:
            self.db["stalls"].insert_one({"_id": event["event_id"]})
        except DuplicateKeyError:
            return False
        return True

    def _cured(self) -> bool:
        return self.db["flags"].find_one({"_id": "cured", "on": True}) is not None
