"""Open applications for the store benchmark, made by the applications service's own use cases.

Each file is created and submitted by `ApplicationUseCases` on a scratch store in memory (with a
clock spread over the past weeks, as if filed then), then copied into the platform's store
without its outbox: as it looks once the relay has published its events.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import litemongo
from litemongo.client import create_store

from chassis.auth import Caller
from chassis.config import load_settings
from chassis.events import new_event
from chassis.outbox import PENDING
from chassis.storage import open_database
from services.applications.domain.sla import INDONESIA_HOLIDAYS_2026, WorkCalendar
from services.applications.handlers import ApplicationUseCases, Office
from services.applications.store import ApplicationStore

BATCH = 500
# Files arrive over the past four weeks, so their SLA clocks (and the queue's order) differ.
SPREAD = timedelta(days=28)


class _Events:
    def new(self, event_type: str, data: dict) -> dict:
        return new_event(event_type, data, producer="applications")


class _Audit:
    def record(self, action, subject=None, details=None) -> None:
        """Applicants' steps are not audited; the seed takes none of an officer's."""


class _Clock:
    def __init__(self):
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def applications_store(data_dir: Path) -> ApplicationStore:
    """The applications service's own store under a data dir (the embedded engine)."""
    settings = load_settings({"GASPOL_DATA_DIR": str(data_dir)})
    return ApplicationStore(open_database(settings, "applications"))


class Seeder:
    """Makes submitted files on a scratch store and moves them into a target store."""

    def __init__(self, target: ApplicationStore, seed: int = 11):
        self.target = target
        self.random = random.Random(seed)
        # In memory: the seed's own writes need no disk, only the copies in the target do.
        memory = create_store(f"seed://{uuid.uuid4().hex}?engine=memory")
        self.scratch = ApplicationStore(
            litemongo.MongoClient(memory, tz_aware=True)["applications"]
        )
        self.scratch.create_indexes()
        self.clock = _Clock()
        office = Office("DPMPTSP", WorkCalendar(INDONESIA_HOLIDAYS_2026), timedelta(days=30))
        self.use_cases = lambda caller: ApplicationUseCases(
            self.scratch, office, events=_Events(), audit=_Audit(), caller=caller, now=self.clock
        )
        self.use_cases(Caller.from_context({"user_id": "seed"})).seed_catalogue()
        self.permit_types = [t["_id"] for t in self.scratch.all_permit_types()]

    def add(self, count: int) -> list[str]:
        """Put `count` more submitted files into the target; returns their receipt numbers."""
        receipts = []
        while len(receipts) < count:
            batch = [self._submitted() for _ in range(min(BATCH, count - len(receipts)))]
            self.target.applications.insert_many(batch)
            self.scratch.applications.delete_many({"_id": {"$in": [a["_id"] for a in batch]}})
            receipts += [a["receipt_number"] for a in batch]
        return receipts

    def _submitted(self) -> dict:
        now = datetime.now(UTC)
        self.clock.now = now - SPREAD * self.random.random()
        applicant = self.use_cases(
            Caller.from_context({"user_id": uuid.uuid4().hex, "roles": ["applicant"]})
        )
        draft = applicant.create(permit_type=self.random.choice(self.permit_types), data={})
        # What the documents service's upload events leave on the file, written in one go.
        uploaded = {
            f"requirements.{requirement['code']}": _uploaded_document()
            for requirement in draft["requirements"]
            if requirement["required"]
        }
        self.scratch.update(self.scratch.get(draft["id"]), uploaded, [])
        applicant.submit(application_id=draft["id"])
        stored = self.scratch.get(draft["id"])
        # Published long ago, as far as the benchmark is concerned: no event goes out again.
        stored.pop("outbox", None)
        stored.pop(PENDING, None)
        return stored


def _uploaded_document() -> dict:
    return {
        "document_id": uuid.uuid4().hex,
        "version": 1,
        "filename": "berkas.pdf",
        "content_type": "application/pdf",
        "size": 48_213,
        "status": "uploaded",
        "reason": None,
    }
