"""OSS RBA integration without a broker: the HTTP client against the local stand-in (found, not
found, error, timeout, credentials, circuit breaker), the NIB on a file, and the status reports
of a whole permit's life: one per mapped step, exactly once, in order, after an outage ends."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from chassis.auth import Caller
from chassis.config import load_settings
from chassis.errors import ServiceUnavailable, ValidationFailed
from chassis.storage import close_all, open_database
from services.applications.domain.sla import INDONESIA_HOLIDAYS_2026, WorkCalendar
from services.applications.handlers import ApplicationUseCases, Office
from services.applications.oss.client import (
    HttpOssGateway,
    NibNotFound,
    OssError,
    OssSettings,
    OssUnavailable,
    StatusReport,
)
from services.applications.oss.mapping import OSS_STATUS, REPORTED_EVENTS, oss_status
from services.applications.oss.reports import OssReporting, OssReportStore
from services.applications.oss.standin import StandinServer
from services.applications.service import ApplicationsService
from services.applications.store import ApplicationStore
from tests.support.fakes import Audit, Clock, Events

USER_KEY = "test-user-key"
KNOWN_NIB = "9120304567890"  # PT Bangun Graha Persada in the stand-in
MONDAY = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


@pytest.fixture
def standin():
    server = StandinServer(user_key=USER_KEY).start()
    yield server
    server.stop()


def gateway_to(url: str, **overrides) -> HttpOssGateway:
    settings = {
        "base_url": url,
        "user_key": USER_KEY,
        "username": "kab-contoh",
        "password": "secret",
        "agency_code": "K01",
        "timeout": 0.3,
        "retries": 1,
        "breaker_failures": 3,
        "breaker_reset_seconds": 0.3,
        **overrides,
    }
    return HttpOssGateway(OssSettings(**settings))


def a_report(report_id="r1", status_code="09") -> StatusReport:
    return StatusReport(
        report_id=report_id,
        nib=KNOWN_NIB,
        permit_id="GSP-2612-ABCDEF",
        permit_code="PBG",
        status_code=status_code,
        status_name="Telah Melengkapi Persyaratan",
        at=MONDAY,
        officer="",
        note="",
    )


# --- the client against the stand-in


def test_a_known_nib_gives_the_business_name_kbli_and_address(standin):
    business = gateway_to(standin.url).lookup_nib(KNOWN_NIB)
    assert business.nib == KNOWN_NIB
    assert business.name == "PT Bangun Graha Persada"
    assert business.kbli == ("41011", "68111")
    assert "Jl. Industri Raya No. 88" in business.address


def test_an_unknown_nib_is_not_found_and_does_not_count_against_oss(standin):
    gateway = gateway_to(standin.url, breaker_failures=1)
    with pytest.raises(NibNotFound):
        gateway.lookup_nib("1111111111111")
    assert gateway.circuit_state() == "closed"


def test_an_oss_error_is_an_oss_error(standin):
    standin.standin.set_mode("error")
    with pytest.raises(OssError, match="500"):
        gateway_to(standin.url).lookup_nib(KNOWN_NIB)


def test_a_slow_oss_times_out_after_the_retry(standin):
    standin.standin.slow_seconds = 1.0
    standin.standin.set_mode("slow")
    started = time.monotonic()
    with pytest.raises(OssError, match="unreachable"):
        gateway_to(standin.url, timeout=0.2, retries=1).lookup_nib(KNOWN_NIB)
    assert time.monotonic() - started < 0.9  # two attempts of 0.2 s, not one slow answer
    assert standin.standin.calls == 2


def test_a_proxy_answering_for_a_down_oss_is_retried_then_an_error(standin):
    standin.standin.set_mode("down")
    with pytest.raises(OssError):
        gateway_to(standin.url, retries=1).report_status(a_report())
    assert standin.standin.calls == 2


def test_wrong_credentials_are_an_oss_error(standin):
    with pytest.raises(OssError, match="401"):
        gateway_to(standin.url, user_key="wrong").lookup_nib(KNOWN_NIB)


def test_a_status_report_is_kept_once_however_often_it_is_sent(standin):
    gateway = gateway_to(standin.url)
    gateway.report_status(a_report("r1"))
    gateway.report_status(a_report("r1"))
    received = standin.standin.received()
    assert len(received) == 1
    assert received[0]["report_id"] == "r1"
    assert received[0]["kd_status"] == "09"
    assert received[0]["tgl_status"] == "2026-12-07 09:00:00"  # in WIB
    assert received[0]["kd_instansi"] == "K01"


def test_the_circuit_opens_under_failures_and_closes_when_oss_answers_again(standin):
    gateway = gateway_to(standin.url, retries=0, breaker_failures=3, breaker_reset_seconds=0.3)
    standin.standin.set_mode("error")
    for _ in range(3):
        with pytest.raises(OssError):
            gateway.lookup_nib(KNOWN_NIB)
    assert gateway.circuit_state() == "open"
    calls = standin.standin.calls
    with pytest.raises(OssUnavailable):
        gateway.lookup_nib(KNOWN_NIB)
    assert standin.standin.calls == calls  # refused here, OSS was not called
    standin.standin.set_mode("ok")
    time.sleep(0.35)
    assert gateway.lookup_nib(KNOWN_NIB).name == "PT Bangun Graha Persada"  # the trial call
    assert gateway.circuit_state() == "closed"


def test_no_endpoint_configured_is_an_oss_error():
    with pytest.raises(OssError, match="OSS_BASE_URL"):
        gateway_to("").lookup_nib(KNOWN_NIB)


# --- the mapping


def test_the_service_listens_to_exactly_the_events_the_mapping_reports():
    handled = {
        entrypoint.event_type for entrypoint in ApplicationsService.report_to_oss.nameko_entrypoints
    }
    assert handled == REPORTED_EVENTS


def test_a_resubmission_is_reported_as_resumed_and_unmapped_steps_not_at_all():
    assert oss_status("application_submitted", {"from_state": "draft"}).code == "09"
    assert oss_status("application_submitted", {"from_state": "revision_requested"}).code == "42"
    assert oss_status("permit_status_changed", {"status": "suspended"}).code == "70"
    assert oss_status("permit_status_changed", {"status": "revoked"}) is None
    assert oss_status("application_withdrawn", {"from_state": "submitted"}) is None
    assert len({status.code for status in OSS_STATUS.values()}) == len(OSS_STATUS)


# --- a file's business and its status reports


class Payments:
    """Prices every fee at Rp 150.000, as the payments service would quote it."""

    def call(self, method, **kwargs):
        assert method == "quote"
        return {"amount": 150000, "breakdown": []}


@pytest.fixture
def world(tmp_path, standin):
    database = open_database(load_settings({"GASPOL_DATA_DIR": str(tmp_path)}), "applications")
    store, reports = ApplicationStore(database), OssReportStore(database)
    store.create_indexes()
    reports.create_indexes()
    clock, events, audit = Clock(MONDAY), Events(), Audit()
    office = Office("DPMPTSP", WorkCalendar(INDONESIA_HOLIDAYS_2026), timedelta(days=30))
    gateway = gateway_to(standin.url, retries=0, breaker_failures=2, breaker_reset_seconds=0.3)

    def as_(user_id, *roles):
        caller = Caller.from_context({"user_id": user_id, "roles": list(roles)})
        return ApplicationUseCases(
            store, office, events=events, audit=audit, caller=caller, payments=Payments(), now=clock
        )

    reporting = OssReporting(
        reports,
        store,
        gateway,
        sync_seconds=2,
        max_delay_seconds=30,
        caller=Caller.from_context({"user_id": "a1", "roles": ["admin"]}),
        audit=audit,
        now=clock,
    )
    as_("system").seed_catalogue()
    yield {
        "as": as_,
        "clock": clock,
        "events": events,
        "reporting": reporting,
        "gateway": gateway,
        "standin": standin.standin,
    }
    close_all()


def a_draft_with_documents(world, permit_type="PBG") -> dict:
    applicant = world["as"]("u1", "applicant")
    draft = applicant.create(permit_type=permit_type, data={})
    for requirement in draft["requirements"]:
        code = requirement["code"]
        document = {
            "document_id": f"d-{code}",
            "version": 1,
            "filename": "x.pdf",
            "content_type": "application/pdf",
            "size": 10,
            "status": "uploaded",
            "reason": None,
        }
        applicant.on_document_uploaded(
            application_id=draft["id"], requirement=code, document=document
        )
        applicant.on_document_reviewed(
            application_id=draft["id"],
            requirement=code,
            document_id=f"d-{code}",
            decision="accepted",
            reason=None,
        )
    return draft


def test_the_owner_attaches_a_nib_and_the_file_shows_the_business(world):
    draft = a_draft_with_documents(world)
    applicant = world["as"]("u1", "applicant")
    file = applicant.attach_business(
        application_id=draft["id"], nib="912.0304.567890", oss=world["gateway"]
    )
    assert file["business"]["nib"] == KNOWN_NIB
    assert file["business"]["name"] == "PT Bangun Graha Persada"
    assert file["business"]["kbli"] == ["41011", "68111"]
    assert file["business"]["checked_at"] == MONDAY.isoformat()


@pytest.mark.parametrize(
    ("nib", "code"), [("1111111111111", "nib_unknown"), ("12345", "nib_invalid")]
)
def test_an_unknown_or_malformed_nib_is_a_validation_error_on_the_field(world, nib, code):
    draft = a_draft_with_documents(world)
    with pytest.raises(ValidationFailed) as refused:
        world["as"]("u1", "applicant").attach_business(
            application_id=draft["id"], nib=nib, oss=world["gateway"]
        )
    assert refused.value.errors[0]["field"] == "nib"
    assert refused.value.errors[0]["code"] == code


def test_oss_down_while_attaching_is_service_unavailable_and_changes_nothing(world):
    draft = a_draft_with_documents(world)
    world["standin"].set_mode("down")
    applicant = world["as"]("u1", "applicant")
    with pytest.raises(ServiceUnavailable):
        applicant.attach_business(application_id=draft["id"], nib=KNOWN_NIB, oss=world["gateway"])
    assert applicant.get(application_id=draft["id"])["business"] is None


def walk_a_permits_whole_life(world) -> str:
    """Every step OSS hears of, and some it does not; returns the application id."""
    draft = a_draft_with_documents(world)
    applicant = world["as"]("u1", "applicant")
    applicant.attach_business(application_id=draft["id"], nib=KNOWN_NIB, oss=world["gateway"])
    file_id = draft["id"]
    frontdesk = world["as"]("o1", "frontdesk")
    surveyor, technical = world["as"]("o2", "surveyor"), world["as"]("o3", "technical")
    applicant.submit(application_id=file_id)
    frontdesk.act(application_id=file_id, action="request_revision", note="IMB lama buram")
    applicant.submit(application_id=file_id)
    frontdesk.act(application_id=file_id, action="verify")
    surveyor.act(
        application_id=file_id, action="schedule_survey", payload={"scheduled_for": "2026-12-09"}
    )
    surveyor.act(application_id=file_id, action="report_survey", payload={"report": "sesuai"})
    technical.act(application_id=file_id, action="recommend", note="layak")
    technical.act(application_id=file_id, action="assess_fee", payload={"fee_inputs": {}})
    world["as"]("system").on_payment_received(
        application_id=file_id, invoice={"number": "SKRD-1", "status": "paid"}
    )
    world["as"]("o4", "head").act(application_id=file_id, action="approve")
    world["as"]("o4", "head").set_permit_status(
        application_id=file_id, status="suspended", reason="papan tanpa izin tambahan"
    )
    return file_id


def test_every_mapped_step_reaches_oss_once_in_order_after_an_outage(world):
    walk_a_permits_whole_life(world)
    reporting, standin, clock = world["reporting"], world["standin"], world["clock"]
    for event in world["events"].made:
        reporting.record(event)
        reporting.record(event)  # a redelivered event adds nothing
    expected = ["09", "41", "42", "10", "40", "45", "30", "33", "50", "70"]
    assert reporting.status()["pending"] == len(expected)

    standin.set_mode("down")  # OSS is away: reports wait, and the circuit opens
    for _ in range(4):
        clock.now += timedelta(seconds=31)
        reporting.sync()
    calls_while_open = standin.calls
    clock.now += timedelta(seconds=31)
    reporting.sync()
    assert standin.calls == calls_while_open  # the open circuit kept the timer from calling
    status = reporting.status()
    assert status["circuit"] == "open"
    assert status["pending"] == len(expected) and status["sent"] == 0
    assert status["failures"][0]["last_error"]

    standin.set_mode("ok")  # OSS is back
    time.sleep(0.35)
    clock.now += timedelta(seconds=31)
    reporting.sync()
    assert [report["kd_status"] for report in standin.received()] == expected
    status = reporting.status()
    assert (status["pending"], status["sent"], status["circuit"]) == (0, len(expected), "closed")
    assert status["last_sync_at"] == clock.now.isoformat()
    reporting.sync()
    assert len(standin.received()) == len(expected)  # nothing sent twice


def test_a_rejection_is_reported_and_a_file_without_nib_is_not(world):
    tracked = a_draft_with_documents(world)
    applicant = world["as"]("u1", "applicant")
    applicant.attach_business(application_id=tracked["id"], nib=KNOWN_NIB, oss=world["gateway"])
    untracked = a_draft_with_documents(world, permit_type="REKLAME")
    for file_id in (tracked["id"], untracked["id"]):
        applicant.submit(application_id=file_id)
    technical = world["as"]("o3", "technical")
    world["as"]("o1", "frontdesk").act(application_id=tracked["id"], action="verify")
    world["as"]("o2", "surveyor").act(
        application_id=tracked["id"], action="schedule_survey", payload={"scheduled_for": "x"}
    )
    world["as"]("o2", "surveyor").act(
        application_id=tracked["id"], action="report_survey", payload={"report": "tidak sesuai"}
    )
    technical.act(application_id=tracked["id"], action="reject", note="melanggar RTRW")
    for event in world["events"].made:
        world["reporting"].record(event)
    world["clock"].now += timedelta(seconds=2)
    assert world["reporting"].sync().sent == 4
    received = world["standin"].received()
    assert [report["kd_status"] for report in received] == ["09", "10", "40", "90"]
    assert {report["id_izin"] for report in received} == {tracked["receipt_number"]}
    assert received[-1]["keterangan"] == "melanggar RTRW"


def test_a_report_oss_refuses_is_failed_until_an_admin_replays_it(world):
    draft = a_draft_with_documents(world)
    applicant = world["as"]("u1", "applicant")
    applicant.attach_business(application_id=draft["id"], nib=KNOWN_NIB, oss=world["gateway"])
    applicant.submit(application_id=draft["id"])
    reporting = world["reporting"]
    reporting.record(world["events"].made[-1])
    reporting.reports.reports.update_many({}, {"$set": {"nib": "0000000000000"}})
    world["clock"].now += timedelta(seconds=2)
    assert reporting.sync().failed == 1
    status = reporting.status()
    assert status["failed"] == 1 and "refused by OSS" in status["failures"][0]["last_error"]
    reporting.reports.reports.update_many({}, {"$set": {"nib": KNOWN_NIB}})
    assert reporting.replay(None) == {"replayed": 1}
    assert reporting.sync().sent == 1
    assert world["standin"].received()[0]["kd_status"] == "09"
