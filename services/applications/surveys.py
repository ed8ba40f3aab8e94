"""The satisfaction survey (IKM) after a file ends, and the complaints it opens."""

from __future__ import annotations

from datetime import UTC, datetime

from chassis.auth import Caller
from chassis.errors import Conflict, NotFound, ValidationFailed
from services.applications.domain import ikm, lifecycle
from services.applications.metrics import COMPLAINTS, SURVEY_RESPONSES
from services.applications.report_store import ReportStore, SurveyAlreadyAnswered

# Who reads a file's answers and the complaint list; who answers complaints for the office.
READERS = ("head", "frontdesk", "admin", "auditor")
ANSWERERS = ("head", "frontdesk")
ANSWER_MAX = 4000
COMPLAINT_STATUSES = ("open", "answered")


class SurveyUseCases:
    def __init__(
        self,
        store: ReportStore,
        *,
        application,
        events,
        audit,
        caller: Caller,
        names=lambda user_id: None,
        now=lambda: datetime.now(UTC),
    ):
        self.store = store
        self.application = application  # application id -> the stored file, or None
        self.events = events
        self.audit = audit
        self.caller = caller
        self.names = names
        self.now = now

    def answer(self, *, application_id: str, scores, comment=None, complaint=None) -> dict:
        file = self._own_file(application_id)
        if file["state"] not in lifecycle.FINAL_STATES:
            raise Conflict("the survey opens when the file has ended", code="survey_not_open")
        try:
            response = ikm.check_response(scores, comment, complaint)
        except ikm.SurveyInvalid as invalid:
            raise ValidationFailed("the survey needs fixing", errors=invalid.errors) from None
        now = self.now()
        survey = {
            "_id": application_id,
            "owner_id": file["owner_id"],
            "receipt_number": file["receipt_number"],
            "permit_type": file["permit_type"],
            "permit_name": file["spec"]["name"],
            "permit_name_en": file["spec"].get("name_en"),
            "answered_at": now,
            "scores": response.scores,
            "average": response.average,
            "satisfied": response.satisfied,
            "comment": response.comment,
            "complaint": _complaint(response, now),
        }
        try:
            self.store.insert_survey(survey, [])
        except SurveyAlreadyAnswered:
            raise Conflict(
                "this file's survey was answered already", code="survey_already_answered"
            ) from None
        SURVEY_RESPONSES.labels(file["permit_type"], str(response.satisfied).lower()).inc()
        if survey["complaint"]:
            COMPLAINTS.labels(survey["complaint"]["reason"]).inc()
        return self._view(survey)

    def response(self, *, application_id: str) -> dict:
        self._visible_file(application_id)
        survey = self.store.survey(application_id)
        if survey is None:
            raise NotFound("this file's survey has not been answered")
        return self._view(survey)

    def summary_for(self, file_view: dict) -> dict:
        """What a file's page shows of its satisfaction survey (not the field survey, `survey`):
        the answer's outline, or whether it is open to its owner."""
        survey = self.store.survey(file_view["id"])
        is_owner = self.caller.user_id == file_view["owner_id"]
        may_read = is_owner or self.caller.has_role(*READERS)
        return {
            "satisfaction": _outline(survey) if survey and may_read else None,
            "satisfaction_open": bool(
                is_owner and survey is None and file_view["state"] in lifecycle.FINAL_STATES
            ),
        }

    def complaints(self, *, status=None, page=1, per_page=20) -> dict:
        self.caller.require_role(*READERS)
        if status is not None and status not in COMPLAINT_STATUSES:
            raise ValidationFailed(
                "status must be open or answered",
                errors=[{"field": "status", "code": "choice", "message": "open, answered"}],
            )
        page, per_page = max(1, int(page)), min(100, max(1, int(per_page)))
        found, total = self.store.complaints(status, (page - 1) * per_page, per_page)
        return {
            "items": [self._complaint_view(s) for s in found],
            "total": total,
            "page": page,
            "per_page": per_page,
        }

    def answer_complaint(self, *, application_id: str, answer: str) -> dict:
        officer = self.caller.require_role(*ANSWERERS)
        text = (answer or "").strip() if isinstance(answer, str) else ""
        if not text or len(text) > ANSWER_MAX:
            raise ValidationFailed(
                "write the office's answer",
                errors=[
                    {
                        "field": "answer",
                        "code": "required" if not text else "maxLength",
                        "message": f"1 to {ANSWER_MAX} characters",
                    }
                ],
            )
        survey = self.store.survey(application_id)
        if survey is None or not survey.get("complaint"):
            raise NotFound("no complaint for this file")
        now = self.now()
        event = self.events.new(
            "complaint_answered",
            {
                "application_id": application_id,
                "receipt_number": survey["receipt_number"],
                "owner_id": survey["owner_id"],
                "permit_type": survey["permit_type"],
                "permit_name": survey["permit_name"],
                "permit_name_en": survey.get("permit_name_en"),
                "answer": text,
            },
        )
        answered = self.store.answer_complaint(
            application_id,
            {"answer": text, "answered_at": now, "answered_by": officer.user_id},
            [event],
        )
        if answered is None:
            raise Conflict("this complaint was answered already", code="complaint_answered")
        self.audit.record("complaint_answered", subject=application_id, details={})
        return self._complaint_view(answered)

    # --- who sees what

    def _own_file(self, application_id: str) -> dict:
        """Only the applicant answers the survey: no role reads it in their place, and someone
        else's file is a refused (audited) attempt that looks like a missing one."""
        return self.caller.visible(self.application(application_id), what="application")

    def _visible_file(self, application_id: str) -> dict:
        return self.caller.visible(self.application(application_id), *READERS, what="application")

    def _view(self, survey: dict) -> dict:
        return {
            "application_id": survey["_id"],
            "receipt_number": survey["receipt_number"],
            "permit_type": survey["permit_type"],
            "answered_at": _iso(survey["answered_at"]),
            "scores": survey["scores"],
            "average": survey["average"],
            "satisfied": survey["satisfied"],
            "comment": survey["comment"],
            "complaint": self._complaint_view(survey) if survey.get("complaint") else None,
        }

    def _complaint_view(self, survey: dict) -> dict:
        complaint = survey["complaint"]
        return {
            "application_id": survey["_id"],
            "receipt_number": survey["receipt_number"],
            "permit_type": survey["permit_type"],
            "permit_name": survey["permit_name"],
            "permit_name_en": survey.get("permit_name_en"),
            "reason": complaint["reason"],
            "comment": survey["comment"],
            "average": survey["average"],
            "opened_at": _iso(complaint["opened_at"]),
            "status": complaint["status"],
            "answer": complaint.get("answer"),
            "answered_at": _iso(complaint.get("answered_at")),
            "answered_by_name": self.names(complaint["answered_by"])
            if complaint.get("answered_by")
            else None,
        }


def _complaint(response: ikm.Response, now: datetime) -> dict | None:
    reason = response.complaint_reason
    return {"reason": reason, "status": "open", "opened_at": now} if reason else None


def _outline(survey: dict) -> dict:
    complaint = survey.get("complaint")
    return {
        "answered_at": _iso(survey["answered_at"]),
        "average": survey["average"],
        "satisfied": survey["satisfied"],
        "complaint": {
            "status": complaint["status"],
            "answer": complaint.get("answer"),
            "answered_at": _iso(complaint.get("answered_at")),
        }
        if complaint
        else None,
    }


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()
