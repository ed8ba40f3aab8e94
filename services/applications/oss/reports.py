"""Status reports to OSS: recorded once per event, sent in order per file, retried until sent.

The file's state change and its event are one write (the outbox). The event handler records a
pending report keyed by the event id, so a redelivered event adds nothing. A timer sends what is
due, oldest first; a file's later report waits for its earlier one, so OSS hears the steps in
order. An OSS outage leaves reports pending (the circuit breaker keeps the timer from waiting on
a dead OSS); a report OSS refuses as malformed is failed until an admin replays it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pymongo import DESCENDING
from pymongo.errors import DuplicateKeyError

from services.applications.oss.client import (
    OssError,
    OssGateway,
    OssUnavailable,
    ReportRejected,
    StatusReport,
)
from services.applications.oss.mapping import oss_status

# How long a sender holds a report it claimed; a sender that died mid-call frees it then.
CLAIM_SECONDS = 60
# A report waits this long after its step, so that a step's event handled a moment late (they
# travel on separate queues) still reaches OSS before the next step's.
SETTLE_SECONDS = 1
LISTED = 20


class OssReportStore:
    """The `oss_reports` collection: one document per reported event."""

    def __init__(self, database):
        self.reports = database["oss_reports"]

    def create_indexes(self) -> None:
        self.reports.create_index([("status", 1), ("occurred_at", 1)])
        self.reports.create_index("sent_at")

    def add(self, report: dict) -> bool:
        try:
            self.reports.insert_one(report)
        except DuplicateKeyError:
            return False
        return True

    def pending(self, limit: int = 500) -> list[dict]:
        return list(self.reports.find({"status": "pending"}).sort("occurred_at", 1).limit(limit))

    def claim(self, report_id: str, now: datetime) -> bool:
        """Take a due report for sending; False when another sender took it first."""
        result = self.reports.update_one(
            {"_id": report_id, "status": "pending", "next_attempt_at": {"$lte": now}},
            {"$set": {"next_attempt_at": now + timedelta(seconds=CLAIM_SECONDS)}},
        )
        return result.modified_count == 1

    def release(self, report_id: str, now: datetime) -> None:
        self.reports.update_one({"_id": report_id}, {"$set": {"next_attempt_at": now}})

    def mark_sent(self, report_id: str, now: datetime) -> None:
        self.reports.update_one(
            {"_id": report_id},
            {
                "$set": {"status": "sent", "sent_at": now, "last_attempt_at": now},
                "$inc": {"attempts": 1},
            },
        )

    def mark_retry(self, report_id: str, now: datetime, error: str, next_at: datetime) -> None:
        self.reports.update_one(
            {"_id": report_id},
            {
                "$set": {"last_error": error, "last_attempt_at": now, "next_attempt_at": next_at},
                "$inc": {"attempts": 1},
            },
        )

    def mark_failed(self, report_id: str, now: datetime, error: str) -> None:
        self.reports.update_one(
            {"_id": report_id},
            {
                "$set": {"status": "failed", "last_error": error, "last_attempt_at": now},
                "$inc": {"attempts": 1},
            },
        )

    def replay(self, ids: list[str] | None, now: datetime) -> int:
        """Every unsent report (or the chosen ones) is due now, the failed ones pending again."""
        query = {"status": {"$in": ["failed", "pending"]}}
        if ids:
            query["_id"] = {"$in": list(ids)}
        result = self.reports.update_many(
            query, {"$set": {"status": "pending", "next_attempt_at": now}}
        )
        return result.modified_count

    def count(self, status: str) -> int:
        return self.reports.count_documents({"status": status})

    def latest(self, field: str) -> dict | None:
        found = self.reports.find({field: {"$ne": None}}).sort(field, DESCENDING).limit(1)
        return next(iter(found), None)

    def troubled(self, limit: int = LISTED) -> list[dict]:
        """Failed reports, and pending ones that already failed once: the newest first."""
        query = {"$or": [{"status": "failed"}, {"status": "pending", "last_error": {"$ne": None}}]}
        return list(self.reports.find(query).sort("last_attempt_at", DESCENDING).limit(limit))

    def in_status(self, status: str, limit: int = LISTED) -> list[dict]:
        return list(self.reports.find({"status": status}).sort("occurred_at", 1).limit(limit))


@dataclass(frozen=True)
class SyncResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0


class OssReporting:
    """Record, send and show the status reports OSS tracks."""

    def __init__(
        self,
        reports: OssReportStore,
        applications,
        gateway: OssGateway,
        *,
        sync_seconds: float,
        max_delay_seconds: float,
        caller=None,
        audit=None,
        now=lambda: datetime.now(UTC),
    ):
        self.reports = reports
        self.applications = applications
        self.gateway = gateway
        self.caller = caller
        self.audit = audit
        self.sync_seconds = sync_seconds
        self.max_delay_seconds = max_delay_seconds
        self.now = now

    def record(self, event: dict) -> bool:
        """Keep a pending report for an event OSS should hear of; True when one was added."""
        data = event["data"]
        status = oss_status(event["event_type"], data)
        if status is None:
            return False
        application = self.applications.get(data["application_id"])
        business = (application or {}).get("business")
        if not business:
            return False  # OSS tracks a permit only through its business (NIB)
        occurred_at = datetime.fromisoformat(event["occurred_at"])
        return self.reports.add(
            {
                "_id": event["event_id"],
                "application_id": data["application_id"],
                "receipt_number": data["receipt_number"],
                "permit_type": data["permit_type"],
                "nib": business["nib"],
                "event_type": event["event_type"],
                "status_code": status.code,
                "status_name": status.name,
                "officer": data.get("actor_id") or "",
                "note": data.get("note") or data.get("reason") or "",
                "occurred_at": occurred_at,
                "status": "pending",
                "attempts": 0,
                "last_error": None,
                "last_attempt_at": None,
                "next_attempt_at": self.now() + timedelta(seconds=SETTLE_SECONDS),
                "sent_at": None,
            }
        )

    def sync(self) -> SyncResult:
        """Send every due report, oldest first; a file whose earlier report waits, waits."""
        sent = retried = failed = 0
        waiting: set[str] = set()
        for report in self.reports.pending():
            application_id, now = report["application_id"], self.now()
            if application_id in waiting:
                continue
            if _aware(report["next_attempt_at"]) > now or not self.reports.claim(
                report["_id"], now
            ):
                waiting.add(application_id)
                continue
            try:
                self.gateway.report_status(status_report(report))
            except OssUnavailable:
                self.reports.release(report["_id"], now)
                break  # the circuit is open: nothing is sent until it lets a trial through
            except ReportRejected as refused:
                self.reports.mark_failed(report["_id"], self.now(), f"refused by OSS: {refused}")
                failed += 1
            except OssError as error:
                attempt = report["attempts"] + 1
                next_at = self.now() + timedelta(seconds=self._delay(attempt))
                self.reports.mark_retry(report["_id"], self.now(), str(error), next_at)
                waiting.add(application_id)
                retried += 1
            else:
                self.reports.mark_sent(report["_id"], self.now())
                sent += 1
        return SyncResult(sent=sent, retried=retried, failed=failed)

    def _delay(self, attempt: int) -> float:
        """Seconds before a failed report is tried again: doubling, capped."""
        return min(self.max_delay_seconds, self.sync_seconds * 2 ** (attempt - 1))

    def replay(self, ids: list[str] | None) -> dict:
        """An admin sends every unsent report (or the chosen ones) again now."""
        self.caller.require_role("admin")
        replayed = self.reports.replay(ids, self.now())
        self.audit.record("oss_reports_replayed", subject="oss", details={"count": replayed})
        return {"replayed": replayed}

    def status(self) -> dict:
        """For admins and auditors: the circuit, the counts, the last sync and the troubles."""
        self.caller.require_role("admin", "auditor")
        last_sent = self.reports.latest("sent_at")
        last_attempt = self.reports.latest("last_attempt_at")
        return {
            "circuit": self.gateway.circuit_state(),
            "pending": self.reports.count("pending"),
            "sent": self.reports.count("sent"),
            "failed": self.reports.count("failed"),
            "last_sync_at": _iso(last_sent["sent_at"]) if last_sent else None,
            "last_attempt_at": _iso(last_attempt["last_attempt_at"]) if last_attempt else None,
            "last_error": last_attempt.get("last_error") if last_attempt else None,
            "failures": [report_view(r) for r in self.reports.troubled()],
            "pending_reports": [report_view(r) for r in self.reports.in_status("pending")],
        }


def status_report(report: dict) -> StatusReport:
    return StatusReport(
        report_id=report["_id"],
        nib=report["nib"],
        permit_id=report["receipt_number"],
        permit_code=report["permit_type"],
        status_code=report["status_code"],
        status_name=report["status_name"],
        at=_aware(report["occurred_at"]),
        officer=report["officer"],
        note=report["note"],
    )


def report_view(report: dict) -> dict:
    return {
        "id": report["_id"],
        "application_id": report["application_id"],
        "receipt_number": report["receipt_number"],
        "nib": report["nib"],
        "event_type": report["event_type"],
        "status_code": report["status_code"],
        "status_name": report["status_name"],
        "status": report["status"],
        "attempts": report["attempts"],
        "last_error": report.get("last_error"),
        "occurred_at": _iso(report["occurred_at"]),
        "last_attempt_at": _iso(report.get("last_attempt_at")),
        "sent_at": _iso(report.get("sent_at")),
    }


def _aware(moment: datetime) -> datetime:
    """The store may give back naive UTC datetimes (MongoDB does)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _iso(moment: datetime | None) -> str | None:
    return _aware(moment).isoformat() if moment else None
