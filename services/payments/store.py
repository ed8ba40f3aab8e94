"""The payments service's data: invoices with their VAs, bank calls, answers, tokens, counters."""

from __future__ import annotations

from datetime import datetime

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from chassis.outbox import new_document_with_events, with_events
from chassis.storage import next_in_series


class PaymentStore:
    def __init__(self, database):
        self.invoices = database["invoices"]
        self.answers = database["payment_answers"]
        self.calls = database["bank_calls"]
        self.external_ids = database["external_ids"]
        self.tokens = database["bank_tokens"]
        self.database = database

    def create_indexes(self) -> None:
        self.invoices.create_index("number", unique=True)
        self.invoices.create_index("application_id")
        self.invoices.create_index("virtual_accounts.va_digits")
        self.invoices.create_index("status")
        self.calls.create_index("at")
        self.external_ids.create_index("forget_at", expireAfterSeconds=0)
        self.tokens.create_index("expires_at", expireAfterSeconds=0)

    def next_number(self, series: str) -> int:
        return next_in_series(self.database, series)

    # --- invoices

    def insert_invoice(self, invoice: dict, events: list[dict]) -> bool:
        """False when this assessment already has its invoice (a redelivered event)."""
        try:
            self.invoices.insert_one(new_document_with_events(invoice, events))
        except DuplicateKeyError:
            return False
        return True

    def open_invoice_of(self, application_id: str) -> dict | None:
        return self.invoices.find_one({"application_id": application_id, "status": "open"})

    def latest_invoice_of(self, application_id: str) -> dict | None:
        invoices = list(self.invoices.find({"application_id": application_id}))
        return max(invoices, key=lambda i: i["issued_at"], default=None)

    def invoice_by_number(self, number: str) -> dict | None:
        return self.invoices.find_one({"number": number})

    def invoice_by_va(self, virtual_account_no: str) -> dict | None:
        # Banks send the VA with its prefix padded by spaces; people type it without them.
        digits = virtual_account_no.replace(" ", "")
        return self.invoices.find_one({"virtual_accounts.va_digits": digits})

    def move(
        self, invoice: dict, from_status: str, changes: dict, events: list[dict]
    ) -> dict | None:
        """Change an invoice only if it is still `from_status`: a paid invoice never moves back,
        and of two racing payments only one finds it open."""
        return self.invoices.find_one_and_update(
            {"_id": invoice["_id"], "status": from_status},
            with_events({"$set": changes}, events),
            return_document=ReturnDocument.AFTER,
        )

    def open_invoices(self) -> list[dict]:
        return list(self.invoices.find({"status": "open"}))

    def invoices_between(self, start: datetime, end: datetime) -> list[dict]:
        return list(
            self.invoices.find(
                {
                    "$or": [
                        {"issued_at": {"$gte": start, "$lt": end}},
                        {"paid_at": {"$gte": start, "$lt": end}},
                        {"expired_at": {"$gte": start, "$lt": end}},
                    ]
                }
            )
        )

    # --- the bank side

    def record_call(self, call: dict) -> None:
        """Every bank call, accepted or refused, without secrets: for audit and reconciliation."""
        self.calls.insert_one(call)

    def last_call_of(self, bank: str) -> dict | None:
        return self.calls.find_one({"bank": bank}, sort=[("at", -1)])

    def calls_between(self, start: datetime, end: datetime) -> list[dict]:
        return list(self.calls.find({"at": {"$gte": start, "$lt": end}}))

    def claim_external_id(self, key: str, forget_at: datetime) -> bool:
        try:
            self.external_ids.insert_one({"_id": key, "forget_at": forget_at})
        except DuplicateKeyError:
            return False
        return True

    def save_token(self, token_hash: str, partner: str, expires_at: datetime) -> None:
        self.tokens.insert_one({"_id": token_hash, "partner": partner, "expires_at": expires_at})

    def token(self, token_hash: str) -> dict | None:
        return self.tokens.find_one({"_id": token_hash})

    def answer_of(self, key: str) -> dict | None:
        return self.answers.find_one({"_id": key})

    def keep_answer(self, key: str, answer: dict) -> dict:
        """Keep the first answer to a paymentRequestId; a racing twin gets the kept one."""
        try:
            self.answers.insert_one({"_id": key, **answer})
            return answer
        except DuplicateKeyError:
            kept = self.answers.find_one({"_id": key})
            return {k: v for k, v in kept.items() if k != "_id"}
