"""The reports over a generated year of files: the events are made in the producers' contract
shape and fed to the read model in shuffled order; every figure is then computed again here,
independently, from the plan the files were generated from."""

from __future__ import annotations

import json
import random
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from chassis.auth import Caller
from chassis.config import load_settings
from chassis.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chassis.events import new_event, validate_event
from chassis.storage import close_all, open_database
from services.applications import reports
from services.applications.domain import ikm
from services.applications.domain.sla import INDONESIA_HOLIDAYS_2026, WorkCalendar
from services.applications.report_store import ReportStore
from services.applications.surveys import SurveyUseCases
from tests.support.fakes import Audit, Events

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = {
    "applications": ROOT / "services" / "applications" / "contracts",
    "payments": ROOT / "services" / "payments" / "contracts",
}
FILES = 400
YEAR_END = datetime(2026, 12, 31, 10, 0, tzinfo=UTC)
TYPES = {  # code: (name, SLA days, stages after verification, fee)
    "REKLAME": ("Izin Reklame", 7, ["survey", "technical_review", "recommended"], True),
    "PENELITIAN": ("Izin Penelitian", 3, [], False),
    "SIP-DOK": ("Surat Izin Praktik Dokter", 5, ["recommended"], False),
}
OFFICERS = {"frontdesk": "o-desk", "surveyor": "o-survey", "technical": "o-tech", "head": "o-head"}
BANKS = ("BANKDEMO01", "BJB01")
BANK_NAMES = {"BANKDEMO01": "Bank Demo", "BJB01": "Bank BJB"}
PRIVATE = ("owner-", "o-desk", "o-survey", "o-tech", "o-head")


@dataclass
class Plan:
    """One generated file: what happened to it, as the test knows it."""

    id: str
    permit_type: str
    submitted_at: datetime
    outcome: str | None  # issued, rejected, withdrawn, or None while open
    stage_days: dict[str, float] = field(default_factory=dict)
    used_days: float = 0.0
    state: str = "submitted"
    paid: tuple[str, int, datetime] | None = None
    finished_at: datetime | None = None
    events: list[dict] = field(default_factory=list)


def event(event_type: str, data: dict, at: datetime, producer: str = "applications") -> dict:
    envelope = new_event(event_type, data, producer=producer)
    envelope["occurred_at"] = at.isoformat()
    validate_event(envelope, CONTRACTS[producer])
    return envelope


def transition(plan, event_type, action, to_state, at, actor) -> None:
    name, sla_days, _, _ = TYPES[plan.permit_type]
    data = {
        "application_id": plan.id,
        "receipt_number": f"GSP-2612-{plan.id[-6:].upper()}",
        "owner_id": f"owner-{plan.id}",
        "permit_type": plan.permit_type,
        "permit_name": name,
        "permit_name_en": None,
        "action": action,
        "from_state": plan.state,
        "to_state": to_state,
        "path": [to_state],
        "actor_id": actor,
        "note": None,
        "queue_role": None,
        "sla_due_at": None,
        "sla_days": sla_days,
        "sla_used_days": round(plan.used_days, 4),
    }
    if event_type == "survey_scheduled":
        data["survey"] = {"scheduled_for": at.isoformat(), "location": ""}
    if event_type == "fee_assessment_requested":
        data["fee_rule"], data["fee_inputs"] = {"kind": "fixed", "amount": 1}, {}
    if event_type == "permit_issued":
        data["holder_name"] = "Pemohon"
        data["permit"] = {
            "number": "1",
            "verification_code": "X",
            "holder_name": "Pemohon",
            "valid_from": "2026-01-01",
            "status": "valid",
        }
    if event_type == "revision_requested":
        data["requirements"] = {}
    plan.events.append(event(event_type, data, at))
    plan.state = to_state


def spend(plan, rng, stage, at) -> datetime:
    """The office works on the file in `stage` for a random while (SLA clock days)."""
    days = round(rng.uniform(0.1, 3.0), 4)
    plan.stage_days[stage] = plan.stage_days.get(stage, 0.0) + days
    plan.used_days += days
    return at + timedelta(days=days * 1.6)


def generate(rng: random.Random, index: int) -> Plan:
    permit_type = rng.choice(sorted(TYPES))
    _, _, later_stages, fee = TYPES[permit_type]
    start = datetime(2026, 1, 5, 2, tzinfo=UTC) + timedelta(days=rng.uniform(0, 345))
    plan = Plan(f"app{index:05d}", permit_type, start, outcome=None)
    plan.state = "draft"
    transition(plan, "application_submitted", "submit", "submitted", start, f"owner-{plan.id}")
    at = spend(plan, rng, "submitted", start)
    if rng.random() < 0.25:  # sent back once: the applicant's time is not the office's
        transition(
            plan, "revision_requested", "request_revision", "revision_requested", at, "o-desk"
        )
        at += timedelta(days=rng.uniform(1, 10))
        transition(plan, "application_submitted", "submit", "submitted", at, f"owner-{plan.id}")
        at = spend(plan, rng, "submitted", at)
    if at > YEAR_END - timedelta(days=20) or rng.random() < 0.08:
        return plan  # still open at the end of the year
    if rng.random() < 0.06:
        return finish(plan, "application_withdrawn", "withdraw", "withdrawn", at, plan)
    if rng.random() < 0.1:
        return finish(plan, "application_rejected", "reject", "rejected", at, "o-desk")
    if later_stages:
        transition(plan, "application_verified", "verify", later_stages[0], at, "o-desk")
        for stage, following in zip(later_stages, [*later_stages[1:], None], strict=True):
            if stage == "survey":
                transition(plan, "survey_scheduled", "schedule_survey", "survey", at, "o-survey")
            at = spend(plan, rng, stage, at)
            if following == "technical_review":
                transition(plan, "survey_reported", "report_survey", following, at, "o-survey")
            elif following == "recommended":
                transition(plan, "application_recommended", "recommend", following, at, "o-tech")
    else:
        transition(plan, "application_verified", "verify", "approval", at, "o-desk")
    if fee:
        transition(plan, "fee_assessment_requested", "assess_fee", "awaiting_payment", at, "o-tech")
        at += timedelta(days=rng.uniform(0.5, 5))
        amount, bank = rng.choice([150_000, 900_000, 1_800_000]), rng.choice(BANKS)
        plan.paid = (bank, amount, at)
        plan.events.append(payment(plan, bank, amount, at))
        transition(plan, "application_paid", "payment_received", "approval", at, None)
    elif later_stages:
        transition(plan, "application_recommended", "recommend", "approval", at, "o-tech")
    at = spend(plan, rng, "approval", at)
    return finish(plan, "permit_issued", "approve", "issued", at, "o-head")


def finish(plan, event_type, action, outcome, at, actor) -> Plan:
    actor = f"owner-{plan.id}" if actor is plan else actor
    transition(plan, event_type, action, outcome, at, actor)
    plan.outcome, plan.finished_at = outcome, at
    return plan


def payment(plan, bank, amount, at) -> dict:
    data = {
        "application_id": plan.id,
        "invoice_number": f"SKRD/{plan.id}",
        "amount": amount,
        "owner_id": f"owner-{plan.id}",
        "receipt_number": f"GSP-2612-{plan.id[-6:].upper()}",
        "expires_at": (at + timedelta(days=7)).isoformat(),
        "virtual_accounts": [],
        "bank": bank,
        "bank_name": BANK_NAMES[bank],
        "paid_amount": amount,
        "payment_request_id": f"pay-{plan.id}",
        "paid_at": at.isoformat(),
    }
    return event("payment_received", data, at, producer="payments")


def scores_for(rng: random.Random) -> dict[str, int]:
    mood = rng.choice([1, 2, 3, 3, 4, 4])
    return {e: min(4, max(1, mood + rng.choice([-1, 0, 0, 1]))) for e in ikm.ELEMENTS}


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """A year of files fed to the read model, with surveys answered for most ended files."""
    rng = random.Random(20261204)
    database = open_database(
        load_settings({"GASPOL_DATA_DIR": str(tmp_path_factory.mktemp("reports"))}), "applications"
    )
    store = ReportStore(database)
    store.create_indexes()
    plans = [generate(rng, i) for i in range(FILES)]
    envelopes = [e for plan in plans for e in plan.events]
    rng.shuffle(envelopes)  # each event type has its own queue: no order is promised
    for envelope in envelopes:
        if envelope["event_type"] == "payment_received":
            store.record_payment(*reports.payment_of(envelope))
        else:
            store.record_transition(*reports.transition_of(envelope))
    answered = {}
    by_id = {plan.id: plan for plan in plans}
    for plan in plans:
        if plan.outcome and rng.random() < 0.7:
            answered[plan.id] = scores_for(rng)
            surveys(store, by_id, f"owner-{plan.id}", plan.finished_at).answer(
                application_id=plan.id, scores=answered[plan.id], comment=""
            )
    yield {"plans": plans, "store": store, "answered": answered, "by_id": by_id}
    close_all()


def surveys(store, by_id, user_id, now, roles=("applicant",)) -> SurveyUseCases:
    def application(application_id):
        plan = by_id.get(application_id)
        if plan is None:
            return None
        return {
            "_id": plan.id,
            "owner_id": f"owner-{plan.id}",
            "receipt_number": f"GSP-2612-{plan.id[-6:].upper()}",
            "permit_type": plan.permit_type,
            "state": plan.outcome or plan.state,
            "spec": {"name": TYPES[plan.permit_type][0]},
        }

    return SurveyUseCases(
        store,
        application=application,
        events=Events(),
        audit=Audit(),
        caller=Caller.from_context({"user_id": user_id, "roles": list(roles)}),
        now=lambda: now,
    )


def report_use_cases(store, roles=("head",)) -> reports.ReportUseCases:
    return reports.ReportUseCases(
        store,
        calendar=WorkCalendar(INDONESIA_HOLIDAYS_2026),
        targets=reports.Targets(5, 10, 90),
        caller=Caller.from_context({"user_id": "o-head", "roles": list(roles)}),
        names={"o-desk": "Rina", "o-survey": "Agus"}.get,
        now=lambda: YEAR_END,
    )


def within_2026(plan_moment) -> bool:
    return plan_moment is not None and plan_moment.year == 2026


def median_p90(values: list[float]) -> tuple[float, float]:
    return (
        round(statistics.median(values), 2),
        round(statistics.quantiles(values, n=10, method="inclusive")[8], 2),
    )


# --- the figures --------------------------------------------------------------------------------


def test_volume_by_permit_type_and_month(year):
    figures = report_use_cases(year["store"]).report("volume", "2026-01-01", "2026-12-31")
    expected = defaultdict(Counter)
    for plan in year["plans"]:
        expected[plan.permit_type]["submitted"] += 1
        expected[plan.permit_type][plan.outcome or "open"] += 1
    for row in figures["rows"]:
        counted = expected[row["permit_type"]]
        for key in ("submitted", "issued", "rejected", "withdrawn", "open"):
            assert row[key] == counted[key], (row["permit_type"], key)
    assert figures["total"]["submitted"] == FILES
    months = Counter((p.submitted_at + timedelta(hours=7)).strftime("%Y-%m") for p in year["plans"])
    assert {m["month"]: m["submitted"] for m in figures["by_month"]} == dict(months)


def test_stage_times_and_end_to_end_in_working_days(year):
    figures = report_use_cases(year["store"]).report("stage-times", None, None)
    ended = [p for p in year["plans"] if p.outcome in ("issued", "rejected")]
    for row in figures["rows"]:
        values = [p.stage_days[row["stage"]] for p in ended if row["stage"] in p.stage_days]
        assert row["files"] == len(values), row["stage"]
        if len(values) >= 2:
            assert (row["median_days"], row["p90_days"]) == pytest.approx(
                median_p90(values), abs=0.011
            ), row["stage"]
    whole = [round(p.used_days, 4) for p in ended]
    assert figures["end_to_end"]["files"] == len(whole)
    assert (
        figures["end_to_end"]["median_days"],
        figures["end_to_end"]["p90_days"],
    ) == pytest.approx(median_p90(whole), abs=0.011)


def test_sla_compliance(year):
    figures = report_use_cases(year["store"]).report("sla", None, None)
    ended = [p for p in year["plans"] if p.outcome in ("issued", "rejected")]
    on_time = sum(1 for p in ended if round(p.used_days, 4) <= TYPES[p.permit_type][1])
    assert figures["total"]["finished"] == len(ended)
    assert figures["total"]["on_time"] == on_time
    assert figures["total"]["compliance_percent"] == round(100 * on_time / len(ended), 1)


def test_revenue_by_permit_type_and_bank(year):
    figures = report_use_cases(year["store"]).report("revenue", None, None)
    paid = [p for p in year["plans"] if p.paid]
    by_bank = defaultdict(int)
    for plan in paid:
        by_bank[plan.paid[0]] += plan.paid[1]
    assert {b["bank"]: b["amount"] for b in figures["by_bank"]} == dict(by_bank)
    assert {b["bank_name"] for b in figures["by_bank"]} == {BANK_NAMES[bank] for bank in by_bank}
    assert figures["total"] == {"payments": len(paid), "amount": sum(by_bank.values())}
    assert sum(r["amount"] for r in figures["by_permit_type"]) == sum(by_bank.values())


def test_ikm_per_permit_type(year):
    figures = report_use_cases(year["store"]).report("ikm", None, None)
    grouped = defaultdict(list)
    for application_id, scores in year["answered"].items():
        grouped[year["by_id"][application_id].permit_type].append(scores)
    for row in figures["rows"]:
        answered = grouped[row["permit_type"]]
        element_means = [statistics.fmean(a[e] for a in answered) for e in ikm.ELEMENTS]
        expected = round(statistics.fmean(element_means) * 25, 2)
        satisfied = sum(1 for a in answered if statistics.fmean(a.values()) >= 3)
        assert row["respondents"] == len(answered)
        assert row["ikm"] == pytest.approx(expected, abs=0.01)
        assert row["satisfied_percent"] == round(100 * satisfied / len(answered), 1)
        lower = {"A": 88.31, "B": 76.61, "C": 65.0, "D": 25.0}[row["band"]]
        assert row["ikm"] >= lower
    assert figures["total"]["respondents"] == len(year["answered"])


def test_backlog_per_role_and_the_officer_who_holds_the_file(year):
    figures = report_use_cases(year["store"]).report("backlog", None, None)
    open_plans = [p for p in year["plans"] if p.outcome is None]
    desk = next(r for r in figures["by_role"] if r["role"] == "frontdesk")
    assert desk["open"] == sum(1 for p in open_plans if p.state == "submitted")
    assert desk["oldest_days"] > 0
    held = sum(r["open"] for r in figures["by_officer"] if r["role"] == "frontdesk")
    assert held == desk["open"]


def test_reports_are_for_head_admin_and_auditor_only(year):
    with pytest.raises(Forbidden):
        report_use_cases(year["store"], roles=("frontdesk",)).report("volume", None, None)
    with pytest.raises(ValidationFailed):
        report_use_cases(year["store"]).report("volume", "2026-12-31", "2026-01-01")
    with pytest.raises(ValidationFailed):
        report_use_cases(year["store"]).report("everything", None, None)


def test_the_public_figures_carry_no_personal_data(year):
    stats = report_use_cases(year["store"], roles=()).public_stats(2026)
    text = json.dumps(stats)
    for private in PRIVATE:
        assert private not in text
    for key in ("owner_id", "actor_id", "officer_id", "officer_name", "holder_name", "comment"):
        assert f'"{key}"' not in text
    assert stats["targets"] == {"processing_days": 5, "baseline_days": 10, "satisfied_percent": 90}
    assert stats["processing"]["meets_target"] == (stats["processing"]["median_days"] <= 5)
    assert stats["satisfaction"]["respondents"] == len(year["answered"])


# --- one survey per file ------------------------------------------------------------------------


def test_one_survey_per_application_and_only_by_its_owner_after_the_end(year):
    plans, store, by_id = year["plans"], year["store"], year["by_id"]
    done = next(p for p in plans if p.id in year["answered"])
    with pytest.raises(Conflict) as twice:
        surveys(store, by_id, f"owner-{done.id}", YEAR_END).answer(
            application_id=done.id, scores=dict.fromkeys(ikm.ELEMENTS, 4)
        )
    assert twice.value.code == "survey_already_answered"
    still_open = next(p for p in plans if p.outcome is None)
    with pytest.raises(Conflict) as early:
        surveys(store, by_id, f"owner-{still_open.id}", YEAR_END).answer(
            application_id=still_open.id, scores=dict.fromkeys(ikm.ELEMENTS, 4)
        )
    assert early.value.code == "survey_not_open"
    with pytest.raises(NotFound):
        surveys(store, by_id, "someone-else", YEAR_END).answer(
            application_id=done.id, scores=dict.fromkeys(ikm.ELEMENTS, 4)
        )


def test_a_low_score_opens_a_complaint_the_office_answers_once(year):
    plans, store, by_id = year["plans"], year["store"], year["by_id"]
    plan = next(p for p in plans if p.outcome and p.id not in year["answered"])
    answered = surveys(store, by_id, f"owner-{plan.id}", YEAR_END).answer(
        application_id=plan.id,
        scores={**dict.fromkeys(ikm.ELEMENTS, 3), "time": 1},
        comment="Terlalu lama menunggu di loket.",
    )
    year["answered"][plan.id] = answered["scores"]
    assert answered["complaint"]["reason"] == "low_score"
    desk = surveys(store, by_id, "o-desk", YEAR_END, roles=("frontdesk",))
    first = desk.complaints(status="open", per_page=100)
    last_page = -(-first["total"] // 100)
    newest = desk.complaints(status="open", page=last_page, per_page=100)["items"][-1]
    assert newest["application_id"] == plan.id  # oldest first: the newest comes last
    reply = desk.answer_complaint(application_id=plan.id, answer="Loket kini buka lebih awal.")
    assert reply["status"] == "answered"
    with pytest.raises(Conflict):
        desk.answer_complaint(application_id=plan.id, answer="Lagi.")
    seen = surveys(store, by_id, f"owner-{plan.id}", YEAR_END).response(application_id=plan.id)
    assert seen["complaint"]["answer"] == "Loket kini buka lebih awal."
    with pytest.raises(Forbidden):
        surveys(store, by_id, f"owner-{plan.id}", YEAR_END).complaints()


def test_the_files_view_keeps_its_field_survey_beside_the_satisfaction_survey(year):
    plan = next(p for p in year["plans"] if p.id in year["answered"])
    view = {"id": plan.id, "owner_id": f"owner-{plan.id}", "state": "issued", "survey": {}}
    added = surveys(year["store"], year["by_id"], f"owner-{plan.id}", YEAR_END).summary_for(view)
    assert not set(added) & set(view)
    assert added["satisfaction"]["average"] > 0 and added["satisfaction_open"] is False
