"""The applications service through its real entrypoints: a file's whole life, races, tracking."""

from __future__ import annotations

import hashlib
import threading
import time

import pytest

from chassis.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chassis.events import validate_event
from gateway.rpc import RpcPool
from tests.support import rabbit
from tests.support.amqp import EventCollector, publish_event
from tests.support.processes import REPO, ServiceProcess

CONTRACTS = REPO / "services" / "applications" / "contracts"

APPLICANT = {"user_id": "applicant-1", "roles": ["applicant"]}
STRANGER = {"user_id": "applicant-2", "roles": ["applicant"]}
FRONTDESK = {"user_id": "officer-fd", "roles": ["frontdesk"]}
FRONTDESK_2 = {"user_id": "officer-fd-2", "roles": ["frontdesk"]}
SURVEYOR = {"user_id": "officer-sv", "roles": ["surveyor"]}
TECHNICAL = {"user_id": "officer-tk", "roles": ["technical"]}
HEAD = {"user_id": "officer-kd", "roles": ["head"]}


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    vhost = rabbit.create_vhost()
    amqp_uri = rabbit.amqp_uri(vhost)
    tmp = tmp_path_factory.mktemp("applications")
    process = ServiceProcess(
        "services.applications.service:ApplicationsService",
        {
            "GASPOL_DATA_DIR": str(tmp / "data"),
            "AMQP_URI": amqp_uri,
            "MAX_WORKERS": "10",
            "SLA_MONITOR_SECONDS": "0.5",
        },
        tmp / "applications.log",
    )
    events = EventCollector(amqp_uri, "applications")
    process.start()
    publish_event(
        amqp_uri,
        "identity",
        "user_registered",
        {
            "user_id": APPLICANT["user_id"],
            "name": "Siti Rahayu",
            "email": "siti@example.id",
            "phone": None,
            "roles": ["applicant"],
            "language": "id",
        },
    )
    yield {
        "rpc": RpcPool(amqp_uri, size=4, timeout=10),
        "amqp": amqp_uri,
        "events": events,
        "process": process,
    }
    events.close()
    process.stop()
    rabbit.delete_vhost(vhost)


def call(service, who, method, **kwargs):
    return service["rpc"].call("applications", method, kwargs, context=who)


def upload_and_accept(service, application, accept=True):
    """What the documents service tells: one document per required requirement, then verdicts."""
    for requirement in application["requirements"]:
        if not requirement["required"]:
            continue
        document_id = hashlib.sha1(f"{application['id']}{requirement['code']}".encode()).hexdigest()
        publish_event(
            service["amqp"],
            "documents",
            "document_uploaded",
            {
                "application_id": application["id"],
                "requirement": requirement["code"],
                "document_id": document_id,
                "version": 1,
                "filename": f"{requirement['code']}.pdf",
                "content_type": "application/pdf",
                "size": 1000,
                "sha256": "0" * 64,
            },
        )
        if accept:
            publish_event(
                service["amqp"],
                "documents",
                "document_reviewed",
                {
                    "application_id": application["id"],
                    "requirement": requirement["code"],
                    "document_id": document_id,
                    "version": 1,
                    "decision": "accepted",
                },
            )


def wait_until(condition, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def all_documents(service, application_id, status):
    def check():
        application = call(service, APPLICANT, "get_application", application_id=application_id)
        documents = [r["document"] for r in application["requirements"] if r["required"]]
        return all(d and d["status"] == status for d in documents) and application

    return wait_until(check)


def test_the_catalogue_is_seeded_with_realistic_permits(service):
    types = call(service, {}, "list_permit_types")
    codes = {permit_type["code"] for permit_type in types}
    assert {"SIP-DOK", "REKLAME", "PBG", "IOK"} <= codes
    pbg = call(service, {}, "get_permit_type", code="PBG")
    assert pbg["needs_survey"] and pbg["needs_technical"]
    assert pbg["requirements"]


def test_a_file_walks_its_whole_life_and_is_tracked_and_verified_publicly(service):
    draft = call(
        service,
        APPLICANT,
        "create_application",
        permit_type="IOK",
        data={"clinic_name": "Klinik Sehat Bersama"},
    )
    assert draft["state"] == "draft"
    assert draft["receipt_number"].startswith("GSP-")
    with pytest.raises(ValidationFailed) as missing:
        call(service, APPLICANT, "submit_application", application_id=draft["id"])
    assert missing.value.code == "documents_missing"

    upload_and_accept(service, draft, accept=False)
    all_documents(service, draft["id"], "uploaded")
    submitted = call(service, APPLICANT, "submit_application", application_id=draft["id"])
    assert submitted["state"] == "submitted"
    assert submitted["sla"]["running"] is True

    with pytest.raises(ValidationFailed):  # a revision needs a reason
        call(service, FRONTDESK, "act", application_id=draft["id"], action="request_revision")
    revised = call(
        service,
        FRONTDESK,
        "act",
        application_id=draft["id"],
        action="request_revision",
        note="Denah lokasi tidak terbaca",
        payload={"requirements": {"denah_lokasi": "resolusi terlalu rendah"}},
    )
    assert revised["state"] == "revision_requested"
    assert revised["sla"]["running"] is False
    assert "menunggu perbaikan" in revised["sla"]["pauses"][-1]["reason"]

    call(service, APPLICANT, "submit_application", application_id=draft["id"])
    with pytest.raises(ValidationFailed) as unaccepted:
        call(service, FRONTDESK, "act", application_id=draft["id"], action="verify")
    assert unaccepted.value.code == "documents_not_accepted"
    upload_and_accept(service, draft)
    all_documents(service, draft["id"], "accepted")

    verified = call(service, FRONTDESK, "act", application_id=draft["id"], action="verify")
    assert verified["state"] == "survey"
    queue = call(service, SURVEYOR, "list_applications", role_queue="surveyor")
    assert draft["id"] in [item["id"] for item in queue["items"]]

    call(
        service,
        SURVEYOR,
        "act",
        application_id=draft["id"],
        action="schedule_survey",
        payload={"scheduled_for": "2026-12-08T09:00:00+07:00", "location": "Jl. Merdeka 10"},
    )
    reported = call(
        service,
        SURVEYOR,
        "act",
        application_id=draft["id"],
        action="report_survey",
        payload={"report": "Bangunan sesuai denah; sarana lengkap."},
    )
    assert reported["state"] == "technical_review"
    recommended = call(
        service,
        TECHNICAL,
        "act",
        application_id=draft["id"],
        action="recommend",
        note="Memenuhi standar klinik pratama",
    )
    assert recommended["state"] == "approval"  # IOK costs nothing: the fee step is skipped

    with pytest.raises(Forbidden):
        call(service, TECHNICAL, "act", application_id=draft["id"], action="approve")
    issued = call(service, HEAD, "act", application_id=draft["id"], action="approve")
    assert issued["state"] == "issued"
    permit = issued["permit"]
    year = issued["finished_at"][:4]
    assert permit["number"].startswith("503/") and permit["number"].endswith(f"/IOK/DPMPTSP/{year}")
    assert permit["holder_name"] == "Siti Rahayu"
    assert [e["to"] for e in issued["timeline"]] == [
        "draft",
        "submitted",
        "revision_requested",
        "submitted",
        "verified",
        "survey",
        "survey",
        "technical_review",
        "recommended",
        "approval",
        "issued",
    ]

    verified_publicly = call(
        service, {}, "verify_permit", verification_code=permit["verification_code"]
    )
    assert (verified_publicly["status"], verified_publicly["holder_name"]) == (
        "valid",
        "Siti Rahayu",
    )
    tracked = call(service, {}, "track", receipt_number=draft["receipt_number"])
    assert tracked["state"] == "issued"
    assert tracked["stages"][-1]["state"] == "issued"

    call(
        service,
        HEAD,
        "set_permit_status",
        application_id=draft["id"],
        status="suspended",
        reason="Izin lingkungan sedang ditinjau",
    )
    suspended = call(service, {}, "verify_permit", verification_code=permit["verification_code"])
    assert suspended["status"] == "suspended"

    types = [
        e["event_type"]
        for e in service["events"].wait_for(12, timeout=10)
        if e["data"].get("application_id") == draft["id"]
    ]
    assert types == [
        "application_submitted",
        "revision_requested",
        "application_submitted",
        "application_verified",
        "survey_scheduled",
        "survey_reported",
        "application_recommended",
        "permit_issued",
        "permit_status_changed",
    ]
    for event in service["events"].events:
        validate_event(event, CONTRACTS)


def test_two_officers_racing_on_one_file_produce_one_winner(service):
    application = _submitted_file(service, "SIP-DOK")
    outcomes = []

    def verify(officer):
        try:
            call(service, officer, "act", application_id=application["id"], action="verify")
            outcomes.append("won")
        except Conflict as conflict:
            outcomes.append(conflict.code)

    racers = [threading.Thread(target=verify, args=(o,)) for o in (FRONTDESK, FRONTDESK_2)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert outcomes.count("won") == 1
    loser = next(outcome for outcome in outcomes if outcome != "won")
    assert loser in {"concurrent_change", "not_allowed_in_state"}


def test_strangers_and_wrong_roles_are_refused_and_change_nothing(service):
    application = _submitted_file(service, "SIP-BID")
    with pytest.raises(NotFound):
        call(service, STRANGER, "get_application", application_id=application["id"])
    with pytest.raises(Forbidden):
        call(service, SURVEYOR, "act", application_id=application["id"], action="verify")
    with pytest.raises(Forbidden):
        call(service, APPLICANT, "act", application_id=application["id"], action="verify")
    unchanged = call(service, APPLICANT, "get_application", application_id=application["id"])
    assert unchanged["state"] == "submitted"
    assert len(unchanged["timeline"]) == len(application["timeline"])


def test_tracking_shows_no_personal_data(service):
    application = _submitted_file(service, "SIP-PER")
    tracked = call(service, {}, "track", receipt_number=application["receipt_number"].lower())
    assert tracked["state"] == "submitted"
    text = str(tracked)
    for private in ("applicant-1", "Siti", "data", "owner"):
        assert private not in text
    with pytest.raises(NotFound):
        call(service, {}, "track", receipt_number="GSP-0000-XXXXXX")


def _submitted_file(service, permit_type: str) -> dict:
    """A submitted file whose documents the front desk already accepted."""
    draft = call(service, APPLICANT, "create_application", permit_type=permit_type, data={})
    upload_and_accept(service, draft)
    all_documents(service, draft["id"], "accepted")
    return call(service, APPLICANT, "submit_application", application_id=draft["id"])
