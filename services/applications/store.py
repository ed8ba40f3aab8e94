"""The applications service's data: catalogue, applications (working set, archive), counters."""

from __future__ import annotations

import contextlib
from datetime import datetime

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from chassis.outbox import new_document_with_events, with_events
from chassis.storage import find_page, next_in_series


class StaleApplication(Exception):
    """Someone else changed the application first (its state or version moved on)."""


class ApplicationStore:
    """Repository over the applications database."""

    def __init__(self, database):
        self.permit_types = database["permit_types"]
        self.permit_type_versions = database["permit_type_versions"]
        self.applications = database["applications"]
        self.archive = database["applications_archive"]
        self.database = database
        self.people = database["people"]

    def create_indexes(self) -> None:
        self.applications.create_index("receipt_number", unique=True)
        self.applications.create_index("permit.verification_code", unique=True, sparse=True)
        # The hot queries: an applicant's own files, a role's queue, open files for the monitor;
        # each with its sort, so MongoDB reads a page off the index instead of sorting them all.
        self.applications.create_index([("owner_id", 1), ("created_at", -1)])
        self.applications.create_index([("queue_role", 1), ("sla.due_at", 1)])
        self.applications.create_index([("state", 1), ("sla.due_at", 1)])
        self.archive.create_index("receipt_number", unique=True)
        self.archive.create_index("permit.verification_code", unique=True, sparse=True)
        self.archive.create_index("owner_id")

    # --- catalogue (the current version in permit_types, every version kept)

    def permit_type(self, code: str) -> dict | None:
        return self.permit_types.find_one({"_id": code})

    def all_permit_types(self) -> list[dict]:
        return list(self.permit_types.find({}).sort("_id", 1))

    def permit_type_version(self, code: str, version: int) -> dict | None:
        return self.permit_type_versions.find_one({"_id": f"{code}@{version}"})

    def save_permit_type(self, permit_type: dict, expected_version: int) -> dict:
        """Store a new version; refuses when another admin saved a version in between."""
        code, version = permit_type["code"], expected_version + 1
        stored = {**permit_type, "_id": code, "version": version}
        try:
            self.permit_type_versions.insert_one({**stored, "_id": f"{code}@{version}"})
        except DuplicateKeyError:
            raise StaleApplication(code) from None
        if expected_version == 0:
            self.permit_types.insert_one(stored)
        else:
            replaced = self.permit_types.replace_one(
                {"_id": code, "version": expected_version}, stored
            )
            if replaced.matched_count == 0:
                raise StaleApplication(code)
        return stored

    # --- applications

    def insert(self, application: dict, events: list[dict]) -> None:
        self.applications.insert_one(new_document_with_events(application, events))

    def get(self, application_id: str) -> dict | None:
        found = self.applications.find_one({"_id": application_id})
        return found or self.archive.find_one({"_id": application_id})

    def by_receipt(self, receipt_number: str) -> dict | None:
        query = {"receipt_number": receipt_number}
        return self.applications.find_one(query) or self.archive.find_one(query)

    def by_verification_code(self, code: str) -> dict | None:
        query = {"permit.verification_code": code}
        return self.applications.find_one(query) or self.archive.find_one(query)

    def receipt_taken(self, receipt_number: str) -> bool:
        return self.by_receipt(receipt_number) is not None

    def update(
        self, application: dict, changes: dict, events: list[dict], push: dict | None = None
    ) -> dict:
        """Apply changes if nobody changed the application since it was read (same state and
        version); the write that carries a transition also carries its events."""
        update = {"$set": changes, "$inc": {"version": 1}}
        if push:
            update["$push"] = {field: {"$each": items} for field, items in push.items()}
        result = self.applications.find_one_and_update(
            {
                "_id": application["_id"],
                "state": application["state"],
                "version": application["version"],
            },
            with_events(update, events),
            return_document=ReturnDocument.AFTER,
        )
        if result is None:
            raise StaleApplication(application["_id"])
        return result

    def owned_by(self, owner_id: str, state: str | None, skip: int, limit: int):
        query = {"owner_id": owner_id, **({"state": state} if state else {})}
        return self._page(self.applications, query, [("created_at", -1)], skip, limit)

    def queue(self, role: str, state: str | None, skip: int, limit: int):
        query = {"queue_role": role, **({"state": state} if state else {})}
        return self._page(self.applications, query, [("sla.due_at", 1)], skip, limit)

    def in_state(self, state: str, skip: int, limit: int):
        return self._page(self.applications, {"state": state}, [("sla.due_at", 1)], skip, limit)

    def open_files(self) -> list[dict]:
        """Every file not yet finished (the working set), for the SLA monitor."""
        return list(
            self.applications.find(
                {"state": {"$nin": ["issued", "rejected", "withdrawn", "archived"]}}
            )
        )

    def finished_before(self, moment: datetime) -> list[dict]:
        return list(
            self.applications.find(
                {
                    "state": {"$in": ["issued", "rejected", "withdrawn"]},
                    "finished_at": {"$lt": moment},
                }
            )
        )

    def move_to_archive(self, application: dict) -> None:
        """Copy, then delete: a crash in between leaves a copy the next run completes."""
        with contextlib.suppress(DuplicateKeyError):  # copied by an earlier, interrupted run
            self.archive.insert_one(application)
        self.applications.delete_one({"_id": application["_id"], "version": application["version"]})

    def update_archived(self, application_id: str, changes: dict) -> dict | None:
        return self.archive.find_one_and_update(
            {"_id": application_id}, {"$set": changes}, return_document=ReturnDocument.AFTER
        )

    @staticmethod
    def _page(collection, query, sort, skip, limit):
        return find_page(collection, query, sort, skip, limit)

    # --- numbering

    def next_number(self, series: str) -> int:
        return next_in_series(self.database, series)

    # --- people (names of applicants, from identity's events, for permits and officers' lists)

    def remember_person(self, user_id: str, name: str) -> None:
        self.people.update_one({"_id": user_id}, {"$set": {"name": name}}, upsert=True)

    def person_name(self, user_id: str) -> str | None:
        person = self.people.find_one({"_id": user_id})
        return person["name"] if person else None
