"""The notifications service's data: who can be reached how, and every message (inbox and log)."""

from __future__ import annotations

from datetime import datetime

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError


class NotificationStore:
    def __init__(self, database):
        self.recipients = database["recipients"]
        self.messages = database["messages"]

    def create_indexes(self) -> None:
        self.recipients.create_index("roles")
        self.messages.create_index("user_id")
        self.messages.create_index("status")
        self.messages.create_index("created_at")

    # --- recipients (a read model fed by identity's events)

    def upsert_recipient(self, user_id: str, changes: dict) -> None:
        self.recipients.update_one({"_id": user_id}, {"$set": changes}, upsert=True)

    def recipient(self, user_id: str) -> dict | None:
        return self.recipients.find_one({"_id": user_id})

    def holders_of(self, role: str) -> list[dict]:
        return list(self.recipients.find({"roles": role, "disabled": {"$ne": True}}))

    # --- messages: the _id is (event, recipient, channel), so each is kept and sent once

    def add(self, message: dict) -> bool:
        try:
            self.messages.insert_one(message)
        except DuplicateKeyError:
            return False
        return True

    def inbox(self, user_id: str, unread_only: bool, skip: int, limit: int):
        query = {"user_id": user_id, "channel": "inbox"}
        if unread_only:
            query["read_at"] = None
        total = self.messages.count_documents(query)
        unread = self.messages.count_documents(
            {"user_id": user_id, "channel": "inbox", "read_at": None}
        )
        page = self.messages.find(query).sort("created_at", -1).skip(skip).limit(limit)
        return list(page), total, unread

    def message(self, message_id: str) -> dict | None:
        return self.messages.find_one({"_id": message_id})

    def mark_read(self, message_id: str, user_id: str, now: datetime) -> dict | None:
        return self.messages.find_one_and_update(
            {"_id": message_id, "user_id": user_id, "channel": "inbox"},
            {"$set": {"read_at": now}},
            return_document=ReturnDocument.AFTER,
        )

    def due(self, now: datetime, limit: int = 100) -> list[dict]:
        """Messages to send now: pending ones whose time came, and ones whose sender died
        mid-send (their lease ran out)."""
        return list(
            self.messages.find(
                {
                    "$or": [
                        {"status": "pending", "next_attempt_at": {"$lte": now}},
                        {"status": "sending", "lease_until": {"$lte": now}},
                    ]
                }
            ).limit(limit)
        )

    def claim(self, message: dict, lease_until: datetime) -> bool:
        """Take a message to send it; of two senders (replicas) only one gets it."""
        result = self.messages.update_one(
            {"_id": message["_id"], "status": message["status"], "attempts": message["attempts"]},
            {"$set": {"status": "sending", "lease_until": lease_until}},
        )
        return result.modified_count == 1

    def settle(self, message_id: str, changes: dict) -> None:
        self.messages.update_one({"_id": message_id, "status": "sending"}, {"$set": changes})

    def deliveries(self, status: str | None, skip: int, limit: int):
        query = {"channel": {"$ne": "inbox"}, **({"status": status} if status else {})}
        total = self.messages.count_documents(query)
        return list(self.messages.find(query).sort("created_at", -1).skip(skip).limit(limit)), total
