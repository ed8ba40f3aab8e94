"""The applications use cases on the embedded engine with a controllable clock: SLA warnings,
pauses, archiving and permit status, without a broker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chassis.auth import Caller
from chassis.config import load_settings
from chassis.errors import Conflict
from chassis.storage import close_all, open_database
from services.applications.domain.sla import INDONESIA_HOLIDAYS_2026, WorkCalendar
from services.applications.handlers import ApplicationUseCases, Office
from services.applications.store import ApplicationStore
from tests.support.fakes import Audit, Clock, Events

# Monday 7 December 2026, 09:00 in Jakarta.
MONDAY = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


@pytest.fixture
def world(tmp_path):
    store = ApplicationStore(
        open_database(load_settings({"GASPOL_DATA_DIR": str(tmp_path)}), "applications")
    )
    store.create_indexes()
    clock, events, audit = Clock(MONDAY), Events(), Audit()
    office = Office("DPMPTSP", WorkCalendar(INDONESIA_HOLIDAYS_2026), timedelta(days=30))

    def as_(user_id, *roles):
        caller = Caller.from_context({"user_id": user_id, "roles": list(roles)})
        return ApplicationUseCases(
            store, office, events=events, audit=audit, caller=caller, now=clock
        )

    as_("system").seed_catalogue()
    yield {"as": as_, "clock": clock, "events": events, "audit": audit, "store": store}
    close_all()


def submitted(world, permit_type="SIP-DOK") -> dict:
    applicant = world["as"]("u1", "applicant")
    draft = applicant.create(permit_type=permit_type, data={})
    for requirement in draft["requirements"]:
        if requirement["required"]:
            document = {
                "document_id": f"d-{requirement['code']}",
                "version": 1,
                "filename": "x.pdf",
                "content_type": "application/pdf",
                "size": 10,
                "status": "uploaded",
                "reason": None,
            }
            applicant.on_document_uploaded(
                application_id=draft["id"], requirement=requirement["code"], document=document
            )
            applicant.on_document_reviewed(
                application_id=draft["id"],
                requirement=requirement["code"],
                document_id=f"d-{requirement['code']}",
                decision="accepted",
                reason=None,
            )
    return applicant.submit(application_id=draft["id"])


def test_sla_warning_and_breach_are_announced_once_each(world):
    application = submitted(world)  # SIP-DOK: 5 working days
    monitor = world["as"]("system")
    world["clock"].now = MONDAY + timedelta(days=3)  # Thursday: 3 of 5 days used
    assert monitor.monitor_sla() == []
    world["clock"].now = MONDAY + timedelta(days=4, hours=1)  # Friday 10:00: 4.04 of 5 days
    assert monitor.monitor_sla() == [(application["id"], "warning")]
    assert monitor.monitor_sla() == []
    world["clock"].now = MONDAY + timedelta(days=8)  # Tuesday next week: past the SLA
    assert monitor.monitor_sla() == [(application["id"], "breached")]
    assert monitor.monitor_sla() == []
    assert world["events"].types().count("sla_warning") == 1
    assert world["events"].types().count("sla_breached") == 1
    warning = next(e for e in world["events"].made if e["event_type"] == "sla_warning")
    assert warning["data"]["queue_role"] == "frontdesk"


def test_a_revision_pauses_the_clock_with_its_reason(world):
    application = submitted(world)
    frontdesk = world["as"]("o1", "frontdesk")
    world["clock"].now = MONDAY + timedelta(days=1)
    paused = frontdesk.act(
        application_id=application["id"], action="request_revision", note="KTP buram"
    )
    assert paused["sla"]["running"] is False
    assert paused["sla"]["pauses"][-1]["reason"].endswith("KTP buram")
    assert paused["sla"]["used_days"] == 1.0

    world["clock"].now = MONDAY + timedelta(days=3)  # two days with the applicant: not counted
    resumed = world["as"]("u1", "applicant").submit(application_id=application["id"])
    assert resumed["sla"]["used_days"] == 1.0
    assert resumed["sla"]["pauses"][-1]["end"] is not None
    # 4 working days left from Thursday 10 December 09:00: due Wednesday 16 December 09:00.
    assert resumed["sla"]["due_at"] == "2026-12-16T09:00:00+07:00"


def test_finished_files_move_to_the_archive_and_stay_findable(world):
    application = submitted(world, "PENELITIAN")
    world["as"]("o1", "frontdesk").act(application_id=application["id"], action="verify")
    issued = world["as"]("o2", "head").act(application_id=application["id"], action="approve")
    assert issued["state"] == "issued"

    world["clock"].now = MONDAY + timedelta(days=29)
    assert world["as"]("system").archive_finished() == 0
    world["clock"].now = MONDAY + timedelta(days=31)
    assert world["as"]("system").archive_finished() == 1
    assert world["store"].applications.count_documents({}) == 0

    public = world["as"]("anyone")
    assert public.track(receipt_number=issued["receipt_number"])["state"] == "archived"
    code = issued["permit"]["verification_code"]
    assert public.verify_permit(verification_code=code)["status"] == "valid"
    head = world["as"]("o2", "head")
    head.set_permit_status(application_id=application["id"], status="revoked", reason="Palsu")
    assert public.verify_permit(verification_code=code)["status"] == "revoked"
    with pytest.raises(Conflict):
        head.set_permit_status(application_id=application["id"], status="valid", reason="Salah")


def test_permit_numbers_count_per_type_and_year(world):
    numbers = []
    for _ in range(2):
        application = submitted(world, "PENELITIAN")
        world["as"]("o1", "frontdesk").act(application_id=application["id"], action="verify")
        issued = world["as"]("o2", "head").act(application_id=application["id"], action="approve")
        numbers.append(issued["permit"]["number"])
    assert numbers == ["503/0001/PENELITIAN/DPMPTSP/2026", "503/0002/PENELITIAN/DPMPTSP/2026"]
