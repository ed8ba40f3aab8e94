"""What the applications service answers: stored documents turned into API shapes."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.applications.domain.sla import Interval

SPEC_FIELDS = (
    "code",
    "version",
    "name",
    "name_en",
    "requirements",
    "sla_working_days",
    "needs_survey",
    "needs_technical",
    "fee_rule",
    "fee_summary",
    "fee_summary_en",
    "validity_months",
    "conditions",
)


def iso(moment) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()
    return str(moment)


def permit_type(stored: dict) -> dict:
    return {key: value for key, value in stored.items() if key != "_id"}


def spec_snapshot(stored: dict) -> dict:
    """The parts of a permit type a file keeps: it is judged by the version it was filed under."""
    return {field: stored.get(field) for field in SPEC_FIELDS}


def intervals(application: dict) -> list[Interval]:
    return [
        Interval(_aware(i["start"]), _aware(i["end"]) if i["end"] else None, None)
        for i in application.get("held", [])
    ]


def sla(status, predicted: datetime | None, application: dict) -> dict:
    return {
        "sla_days": status.sla_days,
        "used_days": round(status.used_days, 2),
        "left_days": round(status.left_days, 2),
        "percent_used": round(status.percent_used, 1),
        "due_at": iso(status.due_at),
        "predicted_completion": iso(predicted),
        "running": status.running,
        "state": status.state,
        "pauses": [
            {"start": iso(p["start"]), "end": iso(p["end"]), "reason": p["reason"]}
            for p in application.get("pauses", [])
        ],
    }


def application(stored: dict, sla_view: dict | None, actions: list[str]) -> dict:
    spec = stored["spec"]
    documents = stored.get("requirements") or {}
    return {
        "id": stored["_id"],
        "receipt_number": stored["receipt_number"],
        "owner_id": stored["owner_id"],
        "permit_type": stored["permit_type"],
        "permit_type_version": spec.get("version"),
        "permit_name": spec["name"],
        "permit_name_en": spec.get("name_en"),
        "state": stored["state"],
        "data": stored.get("data", {}),
        "requirements": [
            {**requirement, "document": documents.get(requirement["code"])}
            for requirement in spec["requirements"]
        ],
        "revision": stored.get("revision"),
        "survey": stored.get("survey") or {},
        "fee": stored.get("fee"),
        "business": stored.get("business"),
        "invoice": stored.get("invoice"),
        "permit": stored.get("permit"),
        "sla": sla_view,
        "timeline": [_timeline_entry(entry) for entry in stored.get("timeline", [])],
        "allowed_actions": actions,
        "created_at": iso(stored.get("created_at")),
        "submitted_at": iso(stored.get("submitted_at")),
        "finished_at": iso(stored.get("finished_at")),
    }


def summary(stored: dict, sla_view: dict | None) -> dict:
    return {
        "id": stored["_id"],
        "receipt_number": stored["receipt_number"],
        "permit_type": stored["permit_type"],
        "permit_name": stored["spec"]["name"],
        "permit_name_en": stored["spec"].get("name_en"),
        "state": stored["state"],
        "queue_role": stored.get("queue_role"),
        "submitted_at": iso(stored.get("submitted_at")),
        "sla": sla_view,
    }


def tracking(stored: dict, sla_view: dict | None) -> dict:
    """What anyone holding the receipt may see: no names, no data, no notes, no officers."""
    return {
        "receipt_number": stored["receipt_number"],
        "permit_type": stored["permit_type"],
        "permit_name": stored["spec"]["name"],
        "permit_name_en": stored["spec"].get("name_en"),
        "state": stored["state"],
        "stages": [
            {"state": entry["to"], "at": iso(entry["at"])}
            for entry in stored.get("timeline", [])
            if entry["to"] != entry["from"]
        ],
        "submitted_at": iso(stored.get("submitted_at")),
        "due_at": sla_view["due_at"] if sla_view and sla_view["running"] else None,
        "sla_working_days": stored["spec"]["sla_working_days"],
        "finished_at": iso(stored.get("finished_at")),
    }


def permit_verification(stored: dict, today: date) -> dict:
    permit = stored["permit"]
    status = permit["status"]
    if (
        status == "valid"
        and permit.get("valid_until")
        and permit["valid_until"] < today.isoformat()
    ):
        status = "expired"
    return {
        "permit_number": permit["number"],
        "verification_code": permit["verification_code"],
        "holder_name": permit["holder_name"],
        "permit_type": stored["permit_type"],
        "permit_name": stored["spec"]["name"],
        "permit_name_en": stored["spec"].get("name_en"),
        "valid_from": permit["valid_from"],
        "valid_until": permit.get("valid_until"),
        "status": status,
        "status_reason": permit.get("status_reason"),
        "issued_at": permit["issued_at"],
        "application_id": stored["_id"],
        "certificate": permit.get("certificate"),
    }


def _timeline_entry(entry: dict) -> dict:
    return {**entry, "at": iso(entry["at"])}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
