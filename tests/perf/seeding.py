"""Open applications for the store benchmark, made by the applications service's own use cases.

Files are created and submitted by `ApplicationUseCases` on a scratch store in memory, with a
clock spread over the past four weeks, and left as today's SLA monitor leaves them (warned,
breached). Each such file then stands for `COPIES` applicants who filed the same form in the
same minute: copies with their own id, receipt number and owner go into the platform's store,
as they look once the outbox relay has published their events. (Making every one of 20,000
files through the use cases would take the bench minutes of CPU for no other difference.)
"""

from __future__ import annotations

import copy
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
from services.applications.handlers import CODE_ALPHABET, ApplicationUseCases, Office
from services.applications.store import ApplicationStore

BATCH = 20  # files made through the use cases at a time
COPIES = 50  # applicants per such file
# Files arrive over the past four weeks, so their SLA clocks (and the queue's order) differ.
SPREAD = timedelta(days=28)
RECEIPT_CODE_LENGTH = 6  # GSP-2612-XXXXXX, as the use cases number receipts


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
        self.receipts: set[str] = set()

    def add(self, count: int) -> list[str]:
        """Put `count` more submitted files into the target; returns their receipt numbers."""
        receipts: list[str] = []
        while len(receipts) < count:
            made = [self._submitted()["id"] for _ in range(BATCH)]
            copies = [
                self._copy(original) for original in self._as_monitored(made) for _ in range(COPIES)
            ][: count - len(receipts)]
            self.target.applications.insert_many(copies)
            self.scratch.applications.delete_many({"_id": {"$in": made}})
            receipts += [copy["receipt_number"] for copy in copies]
        return receipts

    def _copy(self, original: dict) -> dict:
        """The same file from another applicant: own id, receipt number and owner."""
        prefix = original["receipt_number"][:-RECEIPT_CODE_LENGTH]
        while (receipt := prefix + self._code()) in self.receipts:
            continue
        self.receipts.add(receipt)
        return {
            **copy.deepcopy(original),
            "_id": uuid.uuid4().hex,
            "receipt_number": receipt,
            "owner_id": uuid.uuid4().hex,
        }

    def _code(self) -> str:
        return "".join(self.random.choice(CODE_ALPHABET) for _ in range(RECEIPT_CODE_LENGTH))

    def _submitted(self) -> dict:
        """A file filed and submitted at a moment in the past four weeks (its view)."""
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
        return applicant.submit(application_id=draft["id"])

    def _as_monitored(self, ids: list[str]) -> list[dict]:
        """The files as the SLA monitor has left them today (warned, breached), their events
        published long ago as far as the benchmark is concerned: none goes out again."""
        self.clock.now = datetime.now(UTC)
        self.use_cases(Caller.from_context({"user_id": "seed"})).monitor_sla()
        files = list(self.scratch.applications.find({"_id": {"$in": ids}}))
        for stored in files:
            stored.pop("outbox", None)
            stored.pop(PENDING, None)
        return files


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
