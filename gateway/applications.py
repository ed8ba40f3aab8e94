"""Applications: the catalogue, an applicant's files, officers' actions, public tracking."""

from __future__ import annotations

from flask import Blueprint, request

from chassis.errors import NotFound
from gateway.auth import signed_in
from gateway.services import call_service
from gateway.validation import json_body

applications_blueprint = Blueprint("applications", __name__, url_prefix="/api/v1")


def _paging() -> dict:
    return {
        "page": request.args.get("page", 1, type=int),
        "per_page": request.args.get("per_page", 20, type=int),
    }


@applications_blueprint.get("/permit-types")
def list_permit_types():
    return {"items": call_service("applications", "list_permit_types")}


@applications_blueprint.get("/permit-types/<code>")
def get_permit_type(code):
    return call_service("applications", "get_permit_type", code=code)


@applications_blueprint.put("/permit-types/<code>")
@signed_in
def save_permit_type(code):
    body = json_body("PermitTypeDocument")
    return call_service("applications", "save_permit_type", permit_type={**body, "code": code})


@applications_blueprint.post("/applications")
@signed_in
def create_application():
    body = json_body("ApplicationCreate")
    return call_service("applications", "create_application", **body), 201


@applications_blueprint.get("/applications")
@signed_in
def list_applications():
    return call_service(
        "applications",
        "list_applications",
        state=request.args.get("state") or None,
        role_queue=request.args.get("role_queue") or None,
        **_paging(),
    )


@applications_blueprint.get("/applications/<application_id>")
@signed_in
def get_application(application_id):
    return call_service("applications", "get_application", application_id=application_id)


@applications_blueprint.patch("/applications/<application_id>")
@signed_in
def update_application(application_id):
    body = json_body("ApplicationUpdate")
    return call_service(
        "applications", "update_application", application_id=application_id, data=body["data"]
    )


@applications_blueprint.post("/applications/<application_id>/submit")
@signed_in
def submit_application(application_id):
    return call_service("applications", "submit_application", application_id=application_id)


@applications_blueprint.post("/applications/<application_id>/withdraw")
@signed_in
def withdraw_application(application_id):
    body = json_body("WithdrawRequest") if request.content_length else {}
    return call_service(
        "applications", "withdraw_application", application_id=application_id, note=body.get("note")
    )


@applications_blueprint.post("/applications/<application_id>/actions")
@signed_in
def act(application_id):
    body = json_body("ActionRequest")
    action, note = body.pop("action"), body.pop("note", None)
    if action == "review_document":
        # Documents are the documents service's; the file learns the verdict by event.
        return call_service(
            "documents",
            "review_document",
            document_id=body.get("document_id"),
            decision=body.get("decision"),
            note=note,
        )
    return call_service(
        "applications", "act", application_id=application_id, action=action, note=note, payload=body
    )


@applications_blueprint.get("/applications/<application_id>/permit")
@signed_in
def get_permit(application_id):
    application = call_service("applications", "get_application", application_id=application_id)
    if not application.get("permit"):
        raise NotFound("no permit has been issued for this application yet", code="no_permit")
    return application["permit"]


@applications_blueprint.post("/applications/<application_id>/permit/status")
@signed_in
def set_permit_status(application_id):
    body = json_body("PermitStatusRequest")
    return call_service(
        "applications",
        "set_permit_status",
        application_id=application_id,
        status=body["status"],
        reason=body["reason"],
    )


@applications_blueprint.get("/track/<receipt_number>")
def track(receipt_number):
    return call_service("applications", "track", receipt_number=receipt_number)


@applications_blueprint.get("/verify/<verification_code>")
def verify(verification_code):
    """Genuine (the office's signature over the stored certificate checks) and valid now."""
    permit = call_service("applications", "verify_permit", verification_code=verification_code)
    signature = call_service(
        "documents", "certificate_status", application_id=permit.pop("application_id")
    )
    permit.pop("certificate", None)
    return {
        **permit,
        "genuine": signature["genuine"],
        "signature": {k: signature[k] for k in ("present", "genuine", "reason")},
    }


@applications_blueprint.post("/applications/<application_id>/survey-response")
@signed_in
def answer_survey(application_id):
    body = json_body("SurveyAnswer")
    answered = call_service(
        "applications",
        "answer_survey",
        application_id=application_id,
        scores=body["scores"],
        comment=body.get("comment"),
        complaint=body.get("complaint"),
    )
    return answered, 201


@applications_blueprint.get("/applications/<application_id>/survey-response")
@signed_in
def survey_response(application_id):
    return call_service("applications", "survey_response", application_id=application_id)


# --- national integration (OSS RBA)


@applications_blueprint.put("/applications/<application_id>/business")
@signed_in
def attach_business(application_id):
    body = json_body("BusinessRequest")
    return call_service(
        "applications", "attach_business", application_id=application_id, nib=body["nib"]
    )


@applications_blueprint.get("/integrations/oss")
@signed_in
def oss_integration():
    return call_service("applications", "oss_integration")


@applications_blueprint.post("/integrations/oss/replay")
@signed_in
def replay_oss_reports():
    body = json_body("OssReplayRequest") if request.content_length else {}
    return call_service("applications", "replay_oss_reports", ids=body.get("ids"))
