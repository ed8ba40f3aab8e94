"""The reports' read model: one record per file, built from events, and the survey answers.

Events arrive in any order (each type has its own queue), so every write here is order-free:
transitions are appended and sorted when read, first and last moments use $min and $max.
"""

from __future__ import annotations

from datetime import datetime

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from chassis.outbox import new_document_with_events, with_events


class SurveyAlreadyAnswered(Exception):
    """The file's survey was answered before."""


class ReportStore:
    def __init__(self, database):
        self.files = database["report_files"]
        self.surveys = database["surveys"]

    def create_indexes(self) -> None:
        self.files.create_index("submitted_at")
        self.files.create_index("finished_at")
        self.files.create_index("paid.at")
        self.surveys.create_index("answered_at")
        self.surveys.create_index([("complaint.status", 1), ("complaint.opened_at", 1)])

    # --- files, from events

    def record_transition(self, application_id: str, facts: dict, transition: dict) -> None:
        update = {"$set": facts, "$push": {"transitions": transition}}
        if transition["from"] == "draft":
            update["$min"] = {"submitted_at": transition["at"]}
        if transition["final"]:
            update["$max"] = {"finished_at": transition["at"]}
        self.files.update_one({"_id": application_id}, update, upsert=True)

    def record_payment(self, application_id: str, payment: dict) -> None:
        self.files.update_one({"_id": application_id}, {"$set": {"paid": payment}}, upsert=True)

    def record_sla(self, application_id: str, flag: str) -> None:
        self.files.update_one({"_id": application_id}, {"$set": {flag: True}}, upsert=True)

    def submitted_between(self, start: datetime, end: datetime) -> list[dict]:
        return list(self.files.find({"submitted_at": {"$gte": start, "$lt": end}}))

    def finished_between(self, start: datetime, end: datetime) -> list[dict]:
        return list(self.files.find({"finished_at": {"$gte": start, "$lt": end}}))

    def paid_between(self, start: datetime, end: datetime) -> list[dict]:
        return list(self.files.find({"paid.at": {"$gte": start, "$lt": end}}))

    def open_files(self) -> list[dict]:
        return list(self.files.find({"submitted_at": {"$ne": None}, "finished_at": None}))

    # --- surveys and complaints

    def insert_survey(self, survey: dict, events: list[dict]) -> None:
        try:
            self.surveys.insert_one(new_document_with_events(survey, events))
        except DuplicateKeyError:
            raise SurveyAlreadyAnswered(survey["_id"]) from None

    def survey(self, application_id: str) -> dict | None:
        return self.surveys.find_one({"_id": application_id}, {"outbox": 0})

    def surveys_between(self, start: datetime, end: datetime) -> list[dict]:
        return list(self.surveys.find({"answered_at": {"$gte": start, "$lt": end}}, {"outbox": 0}))

    def complaints(self, status: str | None, skip: int, limit: int) -> tuple[list[dict], int]:
        query = {"complaint.status": status} if status else {"complaint": {"$ne": None}}
        found = self.surveys.find(query, {"outbox": 0}).sort("complaint.opened_at", 1)
        total = self.surveys.count_documents(query)
        return list(found.skip(skip).limit(limit)), total

    def answer_complaint(self, application_id: str, answer: dict, events: list[dict]):
        """The complaint with its answer, or None when it was not open any more."""
        changes = {f"complaint.{key}": value for key, value in answer.items()}
        changes["complaint.status"] = "answered"
        return self.surveys.find_one_and_update(
            {"_id": application_id, "complaint.status": "open"},
            with_events({"$set": changes}, events),
            projection={"outbox": 0},
            return_document=ReturnDocument.AFTER,
        )
