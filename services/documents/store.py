"""The documents service's data: one record per stored file version, and the permit certificates."""

from __future__ import annotations

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from chassis.outbox import new_document_with_events, with_events


class VersionTaken(Exception):
    """Another upload for the same requirement took this version number first."""


class DocumentStore:
    def __init__(self, database):
        self.documents = database["documents"]

    def create_indexes(self) -> None:
        # One number per version of a requirement's document: two racing uploads cannot share it.
        self.documents.create_index(
            [("application_id", 1), ("requirement", 1), ("version", 1)], unique=True
        )
        self.documents.create_index("application_id")

    def latest_version(self, application_id: str, requirement: str) -> int:
        versions = self.documents.find(
            {"application_id": application_id, "requirement": requirement}, {"version": 1}
        )
        return max((doc["version"] for doc in versions), default=0)

    def insert(self, document: dict, events: list[dict]) -> None:
        try:
            self.documents.insert_one(new_document_with_events(document, events))
        except DuplicateKeyError:
            raise VersionTaken(document["requirement"]) from None

    def get(self, document_id: str) -> dict | None:
        return self.documents.find_one({"_id": document_id})

    def of_application(self, application_id: str) -> list[dict]:
        return list(
            self.documents.find({"application_id": application_id}).sort(
                [("requirement", 1), ("version", 1)]
            )
        )

    def certificate_of(self, application_id: str) -> dict | None:
        return self.documents.find_one(
            {"application_id": application_id, "requirement": "certificate"}
        )

    def review(self, document_id: str, changes: dict, events: list[dict]) -> dict | None:
        """Record a verdict once: only a document still waiting for review takes it."""
        return self.documents.find_one_and_update(
            {"_id": document_id, "status": "uploaded"},
            with_events({"$set": changes}, events),
            return_document=ReturnDocument.AFTER,
        )

    def mark_archived(self, document_id: str, storage_key: str, retain_until: str) -> None:
        self.documents.update_one(
            {"_id": document_id},
            {"$set": {"storage_key": storage_key, "archived": True, "retain_until": retain_until}},
        )
