"""The applications use cases: catalogue, drafts, transitions, queues, tracking, issuance."""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from chassis.auth import Caller, denial
from chassis.errors import Conflict, Forbidden, NotFound, ValidationFailed
from services.applications import views
from services.applications.domain import catalogue, lifecycle
from services.applications.domain.sla import SlaClock, WorkCalendar
from services.applications.metrics import SLA_EVENTS, count_open, record_transition
from services.applications.oss.nib import business_of
from services.applications.store import ApplicationStore, StaleApplication

OFFICER_ROLES = frozenset(
    {"frontdesk", "surveyor", "technical", "head", "treasurer", "admin", "auditor"}
)
MAX_DATA_BYTES = 16 * 1024
# The objects of an officer's action whose names the file keeps (a revision's reasons per
# requirement, the fee's inputs): checked like the applicant's data.
STORED_PAYLOAD_OBJECTS = ("requirements", "fee_inputs")
# Receipt and verification codes are read aloud and typed from paper: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PERMIT_STATUSES = ("valid", "suspended", "revoked")

# The event each action publishes (DOMAIN.md's steps, in the past tense).
EVENT_OF_ACTION = {
    "submit": "application_submitted",
    "request_revision": "revision_requested",
    "verify": "application_verified",
    "schedule_survey": "survey_scheduled",
    "report_survey": "survey_reported",
    "recommend": "application_recommended",
    "reject": "application_rejected",
    "assess_fee": "fee_assessment_requested",
    "payment_received": "application_paid",
    "invoice_closed": "application_invoice_closed",
    "approve": "permit_issued",
    "withdraw": "application_withdrawn",
    "archive": "application_archived",
}
# The reason a pause shows when the file goes back to the applicant.
PAUSE_REASONS = {
    "revision_requested": "menunggu perbaikan berkas oleh pemohon",
    "awaiting_payment": "menunggu pembayaran retribusi",
}


@dataclass(frozen=True)
class Office:
    """What the office configured: its code in permit numbers, its calendar, archive delay."""

    code: str
    calendar: WorkCalendar
    archive_after: timedelta


class ApplicationUseCases:
    """One instance per call: the store, the call's events, audit and caller."""

    def __init__(
        self,
        store: ApplicationStore,
        office: Office,
        *,
        events,
        audit,
        caller: Caller,
        payments=None,
        now=lambda: datetime.now(UTC),
    ):
        self.store = store
        self.payments = payments
        self.office = office
        self.events = events
        self.audit = audit
        self.caller = caller
        self.now = now

    # --- catalogue

    def list_permit_types(self) -> list[dict]:
        return [catalogue.catalogue_summary(t) for t in self.store.all_permit_types()]

    def get_permit_type(self, code: str) -> dict:
        return views.permit_type(self._permit_type(code))

    def save_permit_type(self, document: dict) -> dict:
        self.caller.require_role("admin")
        # The stored _id and version are ours to set, not part of what an admin submits.
        submitted = {k: v for k, v in document.items() if k not in ("_id", "version")}
        try:
            checked = catalogue.validate_permit_type(submitted)
        except catalogue.CatalogueError as error:
            raise ValidationFailed("the permit type needs fixing", errors=error.errors) from None
        current = self.store.permit_type(checked["code"])
        try:
            saved = self.store.save_permit_type(checked, current["version"] if current else 0)
        except StaleApplication:
            raise Conflict(
                "another admin saved this permit type first; reload it", code="concurrent_change"
            ) from None
        self.audit.record(
            "permit_type_saved", subject=checked["code"], details={"version": saved["version"]}
        )
        return views.permit_type(saved)

    def seed_catalogue(self) -> int:
        """Store the seed permit types that are missing (first start); returns how many."""
        added = 0
        for permit_type in catalogue.SEED_PERMIT_TYPES:
            if self.store.permit_type(permit_type["code"]) is None:
                self.store.save_permit_type(catalogue.validate_permit_type(permit_type), 0)
                added += 1
        return added

    # --- an applicant's file

    def create(self, *, permit_type: str, data: dict | None) -> dict:
        caller = self.caller.require_role("applicant")
        spec = self._permit_type(permit_type, field="permit_type")
        now = self.now()
        application = {
            "_id": uuid.uuid4().hex,
            "receipt_number": self._new_receipt_number(now),
            "owner_id": caller.user_id,
            "permit_type": spec["code"],
            "spec": views.spec_snapshot(spec),
            "state": "draft",
            "data": _checked_data(data),
            "requirements": {},
            "timeline": [_entry(now, "create", None, "draft", caller, None, 0.0)],
            "held": [],
            "pauses": [],
            "survey": {},
            "fee": None,
            "invoice": None,
            "permit": None,
            "queue_role": None,
            "sla": {"flags": []},
            "version": 0,
            "created_at": now,
            "updated_at": now,
        }
        self.store.insert(application, [])
        return self._view(application)

    def update_data(self, *, application_id: str, data: dict) -> dict:
        application = self._owned(application_id)
        if application["state"] not in ("draft", "revision_requested"):
            raise Conflict(
                "the data can change only in a draft or when a revision is asked",
                code="not_editable",
            )
        updated = self._save(
            application, {"data": _checked_data(data), "updated_at": self.now()}, []
        )
        return self._view(updated)

    def get(self, *, application_id: str) -> dict:
        return self._view(self._visible(application_id))

    def list(self, *, state=None, role_queue=None, page=1, per_page=20) -> dict:
        caller = self.caller.require_signed_in()
        page, per_page = max(1, int(page)), min(100, max(1, int(per_page)))
        skip = (page - 1) * per_page
        if role_queue:
            caller.require_role(role_queue)
            items, total = self.store.queue(role_queue, state, skip, per_page)
        elif caller.has_role(*OFFICER_ROLES) and state:
            items, total = self.store.in_state(state, skip, per_page)
        elif caller.has_role("applicant"):
            items, total = self.store.owned_by(caller.user_id, state, skip, per_page)
        else:
            raise ValidationFailed(
                "officers list a queue (role_queue) or a state", code="queue_required"
            )
        now = self.now()
        return {
            "items": [views.summary(a, self._sla(a, now)) for a in items],
            "page": page,
            "per_page": per_page,
            "total": total,
        }

    # --- transitions

    def submit(self, *, application_id: str) -> dict:
        return self._act(self._owned(application_id), "submit", None, {})

    def withdraw(self, *, application_id: str, note: str | None = None) -> dict:
        return self._act(self._owned(application_id), "withdraw", note, {})

    def act(self, *, application_id: str, action: str, note=None, payload=None) -> dict:
        self.caller.require_role(*OFFICER_ROLES)
        application = self._visible(application_id)
        payload = dict(payload or {})
        for field in STORED_PAYLOAD_OBJECTS:
            _refuse_operator_keys(payload.get(field), field)
        if action == "assess_fee" and application["state"] == "recommended":
            # The payments service owns fee rules: it prices the inputs (or names the wrong
            # one) before the file moves, and invoices the same figure when told.
            payload["fee_quote"] = self.payments.call(
                "quote",
                rule=application["spec"]["fee_rule"],
                inputs=payload.get("fee_inputs") or {},
            )
        return self._act(application, action, note, payload)

    def upload_rules(self, *, application_id: str, requirement: str) -> dict:
        """May the caller upload for this requirement now, and what is allowed (documents asks
        before it stores a byte)."""
        application = self._owned(application_id)
        if application["state"] not in ("draft", "revision_requested"):
            raise Conflict(
                "documents can be added only to a draft or when a revision is asked",
                code="not_editable",
            )
        spec = next(
            (r for r in application["spec"]["requirements"] if r["code"] == requirement), None
        )
        if spec is None:
            raise ValidationFailed(
                "no such requirement for this permit",
                errors=[
                    {"field": "requirement", "code": "requirement_unknown", "message": requirement}
                ],
            )
        return {
            "application_id": application["_id"],
            "owner_id": application["owner_id"],
            "requirement": requirement,
            "file_types": spec["file_types"],
            "max_size_mb": spec["max_size_mb"],
        }

    def on_invoice_issued(self, *, application_id: str, invoice: dict) -> None:
        """The file shows its invoice and virtual accounts while it waits for payment."""
        application = self.store.get(application_id)
        if application and application["state"] == "awaiting_payment":
            self._save_retrying(application_id, {"invoice": invoice})

    def on_payment_received(self, *, application_id: str, invoice: dict) -> None:
        """Paid: the file goes to the head (once; a repeated event finds it moved already)."""
        application = self.store.get(application_id)
        if application and application["state"] == "awaiting_payment":
            self._transition(
                application,
                "payment_received",
                lifecycle.Actor.system(),
                "pembayaran retribusi diterima",
                {"invoice": invoice},
            )

    def on_invoice_closed(self, *, application_id: str, invoice: dict, reason: str) -> None:
        """An invoice expired or was cancelled: the timeline says so; the clock stays paused."""
        application = self.store.get(application_id)
        if application and application["state"] == "awaiting_payment":
            self._transition(
                application,
                "invoice_closed",
                lifecycle.Actor.system(),
                reason,
                {"invoice": invoice},
            )

    def on_certificate_issued(self, *, application_id: str, certificate: dict) -> None:
        """The signed certificate exists: the permit shows it, and verification can check it."""
        application = self.store.get(application_id)
        if application is None or not application.get("permit"):
            return
        if application["state"] == "archived":
            self.store.update_archived(application_id, {"permit.certificate": certificate})
        else:
            self._save_retrying(application_id, {"permit.certificate": certificate})

    def on_document_uploaded(self, *, application_id: str, requirement: str, document: dict):
        """A requirement got a new document version: it replaces the previous one, unreviewed."""
        application = self.store.get(application_id)
        if application is None or application["state"] in lifecycle.FINAL_STATES:
            return
        current = (application.get("requirements") or {}).get(requirement) or {}
        if current.get("version", 0) > document["version"]:
            return  # an older version's event arrived late
        self._save_retrying(application_id, {f"requirements.{requirement}": document})

    def on_document_reviewed(self, *, application_id, requirement, document_id, decision, reason):
        """The front desk's verdict on the current document of a requirement."""
        application = self.store.get(application_id)
        if application is None or application["state"] in lifecycle.FINAL_STATES:
            return
        current = (application.get("requirements") or {}).get(requirement) or {}
        if current.get("document_id") != document_id:
            return  # a verdict on a version that was replaced meanwhile
        self._save_retrying(
            application_id,
            {
                f"requirements.{requirement}.status": decision,
                f"requirements.{requirement}.reason": reason,
            },
        )

    def _save_retrying(self, application_id: str, changes: dict, attempts: int = 5) -> None:
        """Events change a file concurrently with officers: re-read and re-apply on a race."""
        for _ in range(attempts):
            application = self.store.get(application_id)
            try:
                self.store.update(application, {**changes, "updated_at": self.now()}, [])
                return
            except StaleApplication:
                continue
        raise Conflict(
            "the file kept changing; the event will be retried", code="concurrent_change"
        )

    def set_permit_status(self, *, application_id: str, status: str, reason: str) -> dict:
        head = self.caller.require_role("head")
        application = self._visible(application_id)
        if not application.get("permit"):
            raise Conflict("no permit was issued for this application", code="no_permit")
        if status not in PERMIT_STATUSES:
            raise ValidationFailed(
                "status must be valid, suspended or revoked",
                errors=[{"field": "status", "code": "status_invalid", "message": status}],
            )
        if not (reason or "").strip():
            raise ValidationFailed(
                "a reason is required",
                errors=[{"field": "reason", "code": "reason_required", "message": "required"}],
            )
        if application["permit"]["status"] == "revoked":
            raise Conflict("a revoked permit stays revoked", code="permit_revoked")
        now = self.now()
        permit = {
            **application["permit"],
            "status": status,
            "status_reason": reason.strip(),
            "status_changed_at": now.isoformat(),
        }
        event = self.events.new(
            "permit_status_changed",
            {
                **self._event_base(application),
                "permit_number": permit["number"],
                "status": status,
                "reason": reason.strip(),
            },
        )
        entry = _entry(
            now,
            f"permit_{status}",
            application["state"],
            application["state"],
            head,
            reason.strip(),
            None,
        )
        if application["state"] == "archived":
            updated = self.store.update_archived(application["_id"], {"permit": permit})
        else:
            updated = self._save(
                application,
                {"permit": permit, "updated_at": now},
                [event],
                push={"timeline": [entry]},
            )
        self.audit.record(
            "permit_status_changed", subject=application["_id"], details={"status": status}
        )
        return self._view(updated)

    # --- the business behind a file (its NIB, checked in OSS)

    def attach_business(self, *, application_id: str, nib: str, oss) -> dict:
        """Look the NIB up in OSS and keep the business's name, KBLI codes and address on the
        file: the owner while the file's data may change, the front desk while it checks it."""
        application = self._visible(application_id)
        by_owner = application["owner_id"] == self.caller.user_id
        if not by_owner:
            self.caller.require_role("frontdesk")
        editable = ("draft", "revision_requested") if by_owner else ("submitted",)
        if application["state"] not in editable:
            raise Conflict(
                "the business can change only while the file's data may", code="not_editable"
            )
        business = business_of(oss, nib, self.now())
        updated = self._save(application, {"business": business, "updated_at": self.now()}, [])
        if not by_owner:
            self.audit.record(
                "business_attached", subject=application["_id"], details={"nib": business["nib"]}
            )
        return self._view(updated)

    # --- public

    def track(self, *, receipt_number: str) -> dict:
        application = self.store.by_receipt((receipt_number or "").strip().upper())
        if application is None or application["state"] == "draft":
            raise NotFound("no application with this receipt number")
        return views.tracking(application, self._sla(application, self.now()))

    def verify_permit(self, *, verification_code: str) -> dict:
        application = self.store.by_verification_code((verification_code or "").strip().upper())
        if application is None or not application.get("permit"):
            raise NotFound("no permit with this verification code")
        return views.permit_verification(application, self.now().date())

    # --- the office's clockwork

    def monitor_sla(self) -> list[tuple[str, str]]:
        """Emit sla_warning / sla_breached once per file and level; returns what was emitted."""
        emitted = []
        now = self.now()
        open_files = self.store.open_files()
        count_open(open_files)
        for application in open_files:
            if application.get("queue_role") is None:
                continue  # the applicant holds it: the clock is paused
            status = self._clock_status(application, now)
            for flag in _new_flags(application["sla"].get("flags", []), status.state):
                event = self.events.new(
                    f"sla_{flag}",
                    {
                        **self._event_base(application),
                        "queue_role": application["queue_role"],
                        "percent_used": round(status.percent_used, 1),
                        "due_at": status.due_at.isoformat(),
                    },
                )
                try:
                    flags = [*application["sla"].get("flags", []), flag]
                    application = self._save(application, {"sla.flags": flags}, [event])
                except Conflict:
                    break  # an officer acted meanwhile; the next run looks again
                SLA_EVENTS.labels(application["permit_type"], flag).inc()
                emitted.append((application["_id"], flag))
        return emitted

    def archive_finished(self) -> int:
        moved = 0
        for application in self.store.finished_before(self.now() - self.office.archive_after):
            try:
                archived = self._transition(
                    application, "archive", lifecycle.Actor.system(), None, {}
                )
            except Conflict:
                continue
            self.store.move_to_archive(archived)
            moved += 1
        return moved

    # --- the machinery

    def _act(self, application: dict, action: str, note, payload: dict) -> dict:
        actor = lifecycle.Actor(
            self.caller.user_id,
            self.caller.roles,
            is_owner=application["owner_id"] == self.caller.user_id,
        )
        updated = self._transition(application, action, actor, note, payload)
        if actor.roles & OFFICER_ROLES:
            self.audit.record(
                action,
                subject=application["_id"],
                details={"from": application["state"], "to": updated["state"]},
            )
        return self._view(updated)

    def _transition(self, application, action, actor, note, payload) -> dict:
        note = (note or "").strip() or None
        try:
            decision = lifecycle.decide(
                application["state"], action, actor, _facts(application), {**payload, "note": note}
            )
        except lifecycle.TransitionRefused as refused:
            raise _refusal(refused, application["_id"]) from None
        now = self.now()
        changes, push = self._consequences(application, decision, payload, now)
        held = _held_after(application, decision, now)
        clock = self._clock_status({**application, "held": held}, now)
        entries = _timeline_entries(application, decision, actor, note, now, clock.used_days)
        changes.update(
            {
                "state": decision.to_state,
                "held": held,
                "pauses": _pauses_after(application, decision, note, now),
                "queue_role": lifecycle.QUEUE_ROLE.get(decision.to_state),
                "sla.due_at": clock.due_at,
                "updated_at": now,
            }
        )
        if decision.to_state in lifecycle.FINAL_STATES:
            changes.setdefault("finished_at", now)
        if application["state"] == "draft" and decision.to_state == "submitted":
            changes["submitted_at"] = now
        updated_view = {**application, **changes, "held": held}
        event = self.events.new(
            EVENT_OF_ACTION[action],
            self._transition_event(updated_view, decision, actor, note, payload, clock),
        )
        updated = self._save(application, changes, [event], push={"timeline": entries, **push})
        record_transition(application, updated, now)
        return updated

    def _consequences(self, application, decision, payload, now) -> tuple[dict, dict]:
        """What an action changes besides the state: survey data, fee inputs, the permit."""
        action, changes, push = decision.action, {}, {}
        if action == "schedule_survey":
            changes["survey.scheduled_for"] = str(payload["scheduled_for"])
            changes["survey.location"] = str(payload.get("location") or "")
        elif action == "report_survey":
            changes["survey.report"] = str(payload["report"])
            changes["survey.reported_at"] = now.isoformat()
        elif action == "assess_fee":
            quote = payload.get("fee_quote") or {}
            changes["fee"] = {
                "inputs": payload.get("fee_inputs") or {},
                "rule": application["spec"]["fee_rule"],
                "amount": quote.get("amount"),
                "breakdown": quote.get("breakdown"),
            }
        elif action in ("payment_received", "invoice_closed"):
            changes["invoice"] = payload.get("invoice")
        elif action == "request_revision":
            changes["revision"] = {
                "note": decision.note,
                "requirements": payload.get("requirements") or {},
            }
        elif decision.to_state == "issued":
            changes["permit"] = self._new_permit(application, now)
        return changes, push

    def _new_permit(self, application: dict, now: datetime) -> dict:
        spec = application["spec"]
        local_today = (now + timedelta(hours=7)).date()
        seq = self.store.next_number(f"permit:{spec['code']}:{local_today.year}")
        months = spec.get("validity_months")
        return {
            "number": f"503/{seq:04d}/{spec['code']}/{self.office.code}/{local_today.year}",
            "verification_code": self._new_code(self.store.by_verification_code, 10),
            "holder_name": self.store.person_name(application["owner_id"]) or "",
            "valid_from": local_today.isoformat(),
            "valid_until": _add_months(local_today, months).isoformat() if months else None,
            "status": "valid",
            "issued_at": now.isoformat(),
            "conditions": spec.get("conditions", []),
        }

    def _transition_event(self, application, decision, actor, note, payload, clock) -> dict:
        data = {
            **self._event_base(application),
            "action": decision.action,
            "from_state": decision.from_state,
            "to_state": decision.to_state,
            "path": list(decision.path),
            "actor_id": actor.user_id,
            "note": note,
            "queue_role": lifecycle.QUEUE_ROLE.get(decision.to_state),
            "sla_due_at": clock.due_at.isoformat() if clock.running else None,
            "sla_days": application["spec"]["sla_working_days"],
            "sla_used_days": round(clock.used_days, 4),
        }
        if decision.action == "schedule_survey":
            data["survey"] = {
                "scheduled_for": str(payload["scheduled_for"]),
                "location": str(payload.get("location") or ""),
            }
        if decision.action == "request_revision":
            data["requirements"] = payload.get("requirements") or {}
        if decision.action == "assess_fee":
            data["fee_rule"] = application["spec"]["fee_rule"]
            data["fee_inputs"] = payload.get("fee_inputs") or {}
        if decision.to_state == "issued":
            data["permit"] = application["permit"]
            data["holder_name"] = application["permit"]["holder_name"]
        return data

    @staticmethod
    def _event_base(application: dict) -> dict:
        return {
            "application_id": application["_id"],
            "receipt_number": application["receipt_number"],
            "owner_id": application["owner_id"],
            "permit_type": application["permit_type"],
            "permit_name": application["spec"]["name"],
            "permit_name_en": application["spec"].get("name_en"),
        }

    def _save(self, application, changes, events, push=None) -> dict:
        try:
            return self.store.update(application, changes, events, push)
        except StaleApplication:
            raise Conflict(
                "someone else changed this file first; reload it", code="concurrent_change"
            ) from None

    def _clock(self, application: dict) -> SlaClock:
        return SlaClock(application["spec"]["sla_working_days"], self.office.calendar)

    def _clock_status(self, application: dict, now: datetime):
        return self._clock(application).status(views.intervals(application), now)

    def _sla(self, application: dict, now: datetime) -> dict | None:
        if application["state"] == "draft":
            return None
        clock = self._clock(application)
        status = clock.status(views.intervals(application), now)
        share = lifecycle.remaining_share(application["state"], _facts(application))
        predicted = clock.predicted_completion(status, share, now) if share else None
        return views.sla(status, predicted, application)

    def _view(self, application: dict) -> dict:
        now = self.now()
        actor = lifecycle.Actor(
            self.caller.user_id,
            self.caller.roles,
            is_owner=application["owner_id"] == self.caller.user_id,
        )
        actions = lifecycle.actions_for(application["state"], actor, _facts(application))
        return views.application(application, self._sla(application, now), actions)

    def _permit_type(self, code: str, field: str | None = None) -> dict:
        permit_type = self.store.permit_type(str(code or "").strip().upper())
        if permit_type is None:
            if field:
                raise ValidationFailed(
                    "no such permit type",
                    errors=[{"field": field, "code": "permit_type_unknown", "message": str(code)}],
                )
            raise NotFound("no such permit type")
        return permit_type

    def _owned(self, application_id: str) -> dict:
        return self.caller.visible(self.store.get(str(application_id)), what="application")

    def _visible(self, application_id: str) -> dict:
        return self.caller.visible(
            self.store.get(str(application_id)), *OFFICER_ROLES, what="application"
        )

    def _new_receipt_number(self, now: datetime) -> str:
        prefix = f"GSP-{now:%y%m}-"
        return prefix + self._new_code(lambda c: self.store.receipt_taken(prefix + c), 6)

    @staticmethod
    def _new_code(taken, length: int) -> str:
        while True:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
            if not taken(code):
                return code


def _facts(application: dict) -> lifecycle.Facts:
    spec = application["spec"]
    requirements = application.get("requirements") or {}
    return lifecycle.Facts(
        needs_survey=spec["needs_survey"],
        needs_technical=spec["needs_technical"],
        fee_is_zero=spec["fee_rule"]["kind"] == "free",
        required_requirements=frozenset(r["code"] for r in spec["requirements"] if r["required"]),
        uploaded=frozenset(code for code, doc in requirements.items() if doc.get("document_id")),
        accepted=frozenset(
            code for code, doc in requirements.items() if doc.get("status") == "accepted"
        ),
        survey_scheduled=bool((application.get("survey") or {}).get("scheduled_for")),
    )


def _refusal(refused, application_id: str) -> Exception:
    if refused.code in ("not_allowed_in_state", "unknown_action"):
        return Conflict(refused.message, code=refused.code)
    if refused.code == "role_not_allowed":
        return denial(Forbidden(refused.message, code=refused.code), subject=application_id)
    if refused.code == "not_owner":
        return denial(NotFound("no such application"), subject=application_id)
    field = refused.field or "(body)"
    return ValidationFailed(
        refused.message,
        code=refused.code,
        errors=[{"field": field, "code": refused.code, "message": refused.message}],
    )


def _held_after(application, decision, now) -> list[dict]:
    """The office-held intervals after this transition (the SLA clock's running time)."""
    held = [dict(interval) for interval in application.get("held", [])]
    was_running = bool(held) and held[-1]["end"] is None
    runs_now = decision.to_state in lifecycle.OFFICE_HOLDS
    if was_running and not runs_now:
        held[-1]["end"] = now
    elif runs_now and not was_running:
        held.append({"start": now, "end": None})
    return held


def _pauses_after(application, decision, note, now) -> list[dict]:
    """Each pause with its reason: while the applicant holds the file, the clock waits."""
    pauses = [dict(pause) for pause in application.get("pauses", [])]
    if pauses and pauses[-1]["end"] is None and decision.to_state not in PAUSE_REASONS:
        pauses[-1]["end"] = now
    if decision.to_state in PAUSE_REASONS and application["state"] != decision.to_state:
        reason = PAUSE_REASONS[decision.to_state] + (f": {note}" if note else "")
        pauses.append({"start": now, "end": None, "reason": reason})
    return pauses


def _timeline_entries(application, decision, actor, note, now, used) -> list[dict]:
    if not decision.path:  # an action that records without moving (schedule_survey)
        return [
            _entry(
                now, decision.action, application["state"], application["state"], actor, note, used
            )
        ]
    entries, previous = [], application["state"]
    for state in decision.path:
        entries.append(_entry(now, decision.action, previous, state, actor, note, used))
        previous = state
    return entries


def _entry(now, action, from_state, to_state, actor, note, sla_used) -> dict:
    return {
        "at": now,
        "action": action,
        "from": from_state,
        "to": to_state,
        "actor_id": getattr(actor, "user_id", None),
        "actor_roles": sorted(getattr(actor, "roles", ())),
        "note": note,
        "sla_used_days": None if sla_used is None else round(sla_used, 2),
    }


def _new_flags(emitted: list[str], sla_state: str) -> list[str]:
    """The SLA levels this file reached and was not yet told about, lowest first."""
    reached = {"on_track": [], "warning": ["warning"], "breached": ["warning", "breached"]}
    return [flag for flag in reached[sla_state] if flag not in emitted]


def _checked_data(data) -> dict:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValidationFailed(
            "data must be an object",
            errors=[{"field": "data", "code": "type", "message": "an object"}],
        )
    if len(json.dumps(data, ensure_ascii=False).encode()) > MAX_DATA_BYTES:
        raise ValidationFailed(
            "data is too large",
            errors=[{"field": "data", "code": "too_large", "message": "at most 16 KiB"}],
        )
    _refuse_operator_keys(data, "data")
    return data


def _refuse_operator_keys(value, field: str) -> None:
    """Names kept in the store never start with $ or hold a dot: MongoDB would read them as
    operators or paths."""
    if any(key.startswith("$") or "." in key for key in _keys(value)):
        raise ValidationFailed(
            "field names may not start with $ or contain dots",
            errors=[{"field": field, "code": "key_invalid", "message": "no $ or dots in names"}],
        )


def _keys(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield str(key)
            yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)
