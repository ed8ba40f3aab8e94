"""The application lifecycle: every (state, action, role) combination, guards and chaining."""

from __future__ import annotations

import itertools

import pytest

from services.applications.domain.lifecycle import (
    ACTIONS,
    APPLICANT_HOLDS,
    FINAL_STATES,
    OFFICE_HOLDS,
    QUEUE_ROLE,
    STATES,
    Actor,
    Decision,
    Facts,
    TransitionRefused,
    actions_for,
    decide,
    remaining_share,
)

# --- who asks --------------------------------------------------------------------------------

OWNER = Actor("u-owner", frozenset({"applicant"}), is_owner=True)
STRANGER = Actor("u-other", frozenset({"applicant"}), is_owner=False)
ACTORS = {
    "owner": OWNER,
    "stranger": STRANGER,
    "system": Actor.system(),
    **{
        role: Actor(f"u-{role}", frozenset({role}))
        for role in ("frontdesk", "surveyor", "technical", "head", "treasurer", "admin", "auditor")
    },
}

# --- facts and a payload that satisfy every guard --------------------------------------------

REQUIRED = frozenset({"ktp", "ijazah", "str"})
FULL = Facts(
    needs_survey=True,
    needs_technical=True,
    fee_is_zero=False,
    required_requirements=REQUIRED,
    uploaded=REQUIRED,
    accepted=REQUIRED,
    survey_scheduled=True,
)
EVERYTHING = {
    "note": "alasan",
    "report": "berita acara survei",
    "scheduled_for": "2026-03-02T09:00+07:00 di lokasi",
    "fee_inputs": {"area_m2": 12},
}

# --- the expected table, written out by hand from DOMAIN.md ----------------------------------

BEFORE_APPROVAL = (
    "draft",
    "submitted",
    "revision_requested",
    "verified",
    "survey",
    "technical_review",
    "recommended",
    "awaiting_payment",
)

# (state, action, actor) -> the states entered, with FULL facts (survey and technical, fee > 0).
ALLOWED = {
    ("draft", "submit", "owner"): ("submitted",),
    ("revision_requested", "submit", "owner"): ("submitted",),
    ("submitted", "request_revision", "frontdesk"): ("revision_requested",),
    ("submitted", "verify", "frontdesk"): ("verified", "survey"),
    ("survey", "schedule_survey", "surveyor"): (),
    ("survey", "report_survey", "surveyor"): ("technical_review",),
    ("technical_review", "recommend", "technical"): ("recommended",),
    ("technical_review", "reject", "technical"): ("rejected",),
    ("recommended", "assess_fee", "technical"): ("awaiting_payment",),
    ("awaiting_payment", "payment_received", "system"): ("approval",),
    ("awaiting_payment", "invoice_closed", "system"): (),
    ("approval", "approve", "head"): ("issued",),
    **{(state, "withdraw", "owner"): ("withdrawn",) for state in BEFORE_APPROVAL},
    ("issued", "archive", "system"): ("archived",),
    ("rejected", "archive", "system"): ("archived",),
    ("withdrawn", "archive", "system"): ("archived",),
}

EXPECTED_ACTIONS = (
    "submit",
    "request_revision",
    "verify",
    "schedule_survey",
    "report_survey",
    "recommend",
    "reject",
    "assess_fee",
    "payment_received",
    "invoice_closed",
    "approve",
    "withdraw",
    "archive",
)
UNKNOWN_ACTION = "sign_without_looking"


def expected_refusal(state: str, action: str, who: str) -> str:
    """The refusal code the documented check order gives, read off the table above."""
    if action not in EXPECTED_ACTIONS:
        return "unknown_action"
    takers = {actor for (s, a, actor) in ALLOWED if (s, a) == (state, action)}
    if not takers:
        return "not_allowed_in_state"
    if who == "stranger" and "owner" in takers:
        return "not_owner"
    return "role_not_allowed"


CASES = list(itertools.product(STATES, (*EXPECTED_ACTIONS, UNKNOWN_ACTION), ACTORS))


@pytest.mark.parametrize(("state", "action", "who"), CASES)
def test_every_state_action_and_role(state, action, who):
    expected = ALLOWED.get((state, action, who))
    if expected is not None:
        decision = decide(state, action, ACTORS[who], FULL, EVERYTHING)
        assert decision.path == expected
        assert decision.to_state == (expected[-1] if expected else state)
        assert (decision.from_state, decision.action) == (state, action)
    else:
        with pytest.raises(TransitionRefused) as refused:
            decide(state, action, ACTORS[who], FULL, EVERYTHING)
        assert refused.value.code == expected_refusal(state, action, who)


def test_the_table_covers_the_documented_states_and_actions():
    assert STATES == (
        "draft",
        "submitted",
        "revision_requested",
        "verified",
        "survey",
        "technical_review",
        "recommended",
        "awaiting_payment",
        "approval",
        "issued",
        "rejected",
        "withdrawn",
        "archived",
    )
    assert ACTIONS == EXPECTED_ACTIONS
    assert len(CASES) == 13 * 14 * 10


def test_any_one_of_several_roles_is_enough():
    both = Actor("u-1", frozenset({"auditor", "frontdesk"}))
    assert decide("submitted", "verify", both, FULL).path == ("verified", "survey")


def test_an_officer_who_owns_the_file_still_needs_the_applicant_role():
    officer = Actor("u-1", frozenset({"frontdesk"}), is_owner=True)
    assert refusal(decide, "draft", "submit", officer, FULL).code == "role_not_allowed"


def test_roles_given_as_a_list_become_a_frozenset():
    assert Actor("u-1", ["head"]).roles == frozenset({"head"})  # type: ignore[arg-type]


def test_an_unknown_state_allows_nothing():
    assert refusal(decide, "limbo", "approve", ACTORS["head"], FULL).code == "not_allowed_in_state"


# --- guards, one minimal case each -----------------------------------------------------------


def refusal(call, *args) -> TransitionRefused:
    with pytest.raises(TransitionRefused) as refused:
        call(*args)
    return refused.value


def test_submit_needs_every_required_document_uploaded():
    facts = Facts(False, False, True, REQUIRED, uploaded=frozenset({"ktp"}))
    refused = refusal(decide, "draft", "submit", OWNER, facts, {})
    assert refused.code == "documents_missing"
    assert "ijazah" in refused.message and "str" in refused.message and "ktp" not in refused.message


def test_optional_documents_do_not_block_submit():
    facts = Facts(False, False, True, frozenset({"ktp"}), uploaded=frozenset({"ktp"}))
    assert decide("draft", "submit", OWNER, facts, {}).to_state == "submitted"


def test_verify_needs_every_required_document_accepted():
    facts = Facts(False, False, True, REQUIRED, uploaded=REQUIRED, accepted=frozenset({"ktp"}))
    refused = refusal(decide, "submitted", "verify", ACTORS["frontdesk"], facts, {})
    assert refused.code == "documents_not_accepted"
    assert "ijazah, str" in refused.message


@pytest.mark.parametrize(
    ("state", "action", "who"),
    [
        ("submitted", "request_revision", "frontdesk"),
        ("technical_review", "recommend", "technical"),
        ("technical_review", "reject", "technical"),
    ],
)
@pytest.mark.parametrize("note", [None, "", "   ", 42])
def test_a_reason_is_required(state, action, who, note):
    payload = {} if note is None else {"note": note}
    refused = refusal(decide, state, action, ACTORS[who], FULL, payload)
    assert (refused.code, refused.field) == ("reason_required", "note")


def test_request_revision_keeps_the_trimmed_reason():
    payload = {"note": "  KTP buram  ", "reasons": {"ktp": "foto tidak terbaca"}}
    decision = decide("submitted", "request_revision", ACTORS["frontdesk"], FULL, payload)
    assert decision == Decision(
        "submitted", ("revision_requested",), "revision_requested", "request_revision", "KTP buram"
    )


def test_schedule_survey_needs_a_date_and_changes_no_state():
    refused = refusal(decide, "survey", "schedule_survey", ACTORS["surveyor"], FULL, {})
    assert (refused.code, refused.field) == ("schedule_required", "scheduled_for")
    decision = decide(
        "survey", "schedule_survey", ACTORS["surveyor"], FULL, {"scheduled_for": "2026-03-02"}
    )
    assert (decision.path, decision.to_state) == ((), "survey")


def test_report_survey_needs_a_schedule_first():
    unscheduled = Facts(True, True, False, REQUIRED, REQUIRED, REQUIRED, survey_scheduled=False)
    payload = {"report": "berita acara"}
    refused = refusal(decide, "survey", "report_survey", ACTORS["surveyor"], unscheduled, payload)
    assert refused.code == "survey_not_scheduled"


def test_report_survey_needs_a_report():
    refused = refusal(decide, "survey", "report_survey", ACTORS["surveyor"], FULL, {"report": ""})
    assert (refused.code, refused.field) == ("survey_report_required", "report")


def test_an_unscheduled_survey_is_reported_before_a_missing_report():
    unscheduled = Facts(True, True, False, survey_scheduled=False)
    refused = refusal(decide, "survey", "report_survey", ACTORS["surveyor"], unscheduled, {})
    assert refused.code == "survey_not_scheduled"


@pytest.mark.parametrize("fee_inputs", ["12 m2", None, ["area"]])
def test_assess_fee_needs_the_fee_inputs(fee_inputs):
    payload = {} if fee_inputs is None else {"fee_inputs": fee_inputs}
    refused = refusal(decide, "recommended", "assess_fee", ACTORS["technical"], FULL, payload)
    assert (refused.code, refused.field) == ("fee_inputs_required", "fee_inputs")


def test_a_fixed_fee_is_assessed_with_empty_inputs():
    decision = decide("recommended", "assess_fee", ACTORS["technical"], FULL, {"fee_inputs": {}})
    assert decision.to_state == "awaiting_payment"


def test_a_free_file_resting_in_recommended_goes_on_to_approval():
    free = Facts(False, False, fee_is_zero=True)
    decision = decide("recommended", "assess_fee", ACTORS["technical"], free, {})
    assert decision.path == ("approval",)


def test_state_and_role_are_checked_before_the_guards():
    nothing = Facts(True, True, False, REQUIRED)  # no uploads, nothing accepted, no schedule
    assert refusal(decide, "draft", "verify", ACTORS["frontdesk"], nothing).code == (
        "not_allowed_in_state"
    )
    assert refusal(decide, "draft", "submit", STRANGER, nothing).code == "not_owner"
    assert refusal(decide, "survey", "report_survey", ACTORS["head"], nothing).code == (
        "role_not_allowed"
    )


# --- chaining --------------------------------------------------------------------------------


def facts(survey: bool, technical: bool, free: bool) -> Facts:
    return Facts(survey, technical, free, REQUIRED, REQUIRED, REQUIRED, survey_scheduled=True)


@pytest.mark.parametrize(
    ("survey", "technical", "free", "path"),
    [
        (True, True, False, ("verified", "survey")),
        (True, False, True, ("verified", "survey")),
        (False, True, False, ("verified", "technical_review")),
        (False, True, True, ("verified", "technical_review")),
        (False, False, False, ("verified", "recommended")),
        (False, False, True, ("verified", "recommended", "approval")),
    ],
)
def test_verify_lands_in_the_next_stage(survey, technical, free, path):
    decision = decide("submitted", "verify", ACTORS["frontdesk"], facts(survey, technical, free))
    assert decision.path == path
    assert decision.to_state == path[-1]


@pytest.mark.parametrize(
    ("technical", "free", "path"),
    [
        (True, False, ("technical_review",)),
        (True, True, ("technical_review",)),
        (False, False, ("recommended",)),
        (False, True, ("recommended", "approval")),
    ],
)
def test_report_survey_lands_in_the_next_stage(technical, free, path):
    payload = {"report": {"summary": "sesuai", "photos": ["p1.jpg"]}}
    decision = decide(
        "survey", "report_survey", ACTORS["surveyor"], facts(True, technical, free), payload
    )
    assert decision.path == path


@pytest.mark.parametrize(
    ("free", "path"), [(False, ("recommended",)), (True, ("recommended", "approval"))]
)
def test_recommend_skips_the_fee_stage_when_the_permit_is_free(free, path):
    decision = decide(
        "technical_review",
        "recommend",
        ACTORS["technical"],
        facts(False, True, free),
        {"note": "ok"},
    )
    assert (decision.path, decision.note) == (path, "ok")


def test_resubmission_goes_back_to_the_frontdesk():
    decision = decide("revision_requested", "submit", OWNER, FULL, {})
    assert decision == Decision(
        "revision_requested", ("submitted",), "submitted", "submit", note=None
    )


def test_an_expired_invoice_leaves_the_file_waiting_for_payment():
    decision = decide("awaiting_payment", "invoice_closed", Actor.system(), FULL, {})
    assert (decision.path, decision.to_state) == ((), "awaiting_payment")


# --- withdraw --------------------------------------------------------------------------------


@pytest.mark.parametrize("state", BEFORE_APPROVAL)
def test_the_owner_may_withdraw_before_approval_with_or_without_a_reason(state):
    assert decide(state, "withdraw", OWNER, FULL).to_state == "withdrawn"
    assert decide(state, "withdraw", OWNER, FULL, {"note": "pindah"}).note == "pindah"


@pytest.mark.parametrize("state", ["approval", "issued", "rejected", "withdrawn", "archived"])
def test_no_withdrawal_from_approval_on(state):
    assert refusal(decide, state, "withdraw", OWNER, FULL, {}).code == "not_allowed_in_state"


# --- actions_for -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "who", "actions"),
    [
        ("draft", "owner", ["submit", "withdraw"]),
        ("draft", "stranger", []),
        ("draft", "frontdesk", []),
        ("submitted", "frontdesk", ["request_revision", "verify"]),
        ("submitted", "owner", ["withdraw"]),
        ("survey", "surveyor", ["schedule_survey", "report_survey"]),
        ("technical_review", "technical", ["recommend", "reject"]),
        ("awaiting_payment", "system", ["payment_received", "invoice_closed"]),
        ("approval", "head", ["approve"]),
        ("approval", "owner", []),
        ("issued", "system", ["archive"]),
        ("issued", "admin", []),
        ("submitted", "auditor", []),
    ],
)
def test_actions_for(state, who, actions):
    assert actions_for(state, ACTORS[who], FULL) == actions


def test_actions_for_lists_an_action_whose_documents_are_still_missing():
    # The client shows the button; `decide` then says which documents are missing.
    empty = Facts(False, False, True, REQUIRED)
    assert actions_for("draft", OWNER, empty) == ["submit", "withdraw"]


def test_actions_for_an_officer_with_two_roles_joins_both():
    officer = Actor("u-1", frozenset({"technical", "head"}))
    assert actions_for("technical_review", officer, FULL) == ["recommend", "reject"]
    assert actions_for("approval", officer, FULL) == ["approve"]


# --- holds, queues and the SLA share ---------------------------------------------------------


def test_holds_split_the_states():
    assert set(FINAL_STATES) == {"issued", "rejected", "withdrawn", "archived"}
    assert set(APPLICANT_HOLDS) == {"draft", "revision_requested", "awaiting_payment"}
    assert set(OFFICE_HOLDS) == {
        "submitted",
        "verified",
        "survey",
        "technical_review",
        "recommended",
        "approval",
    }
    assert QUEUE_ROLE == {
        "submitted": "frontdesk",
        "survey": "surveyor",
        "technical_review": "technical",
        "recommended": "technical",
        "approval": "head",
    }
    # `verified` is passed through in the same step as `verify`, so it needs no queue.
    assert set(QUEUE_ROLE) == OFFICE_HOLDS - {"verified"}


@pytest.mark.parametrize(
    ("survey", "technical", "shares"),
    [
        # frontdesk, survey, technical, approval: four equal stages
        (
            True,
            True,
            {
                "draft": 1.0,
                "submitted": 1.0,
                "revision_requested": 1.0,
                "verified": 0.75,
                "survey": 0.75,
                "technical_review": 0.5,
                "recommended": 0.25,
                "awaiting_payment": 0.25,
                "approval": 0.25,
            },
        ),
        # frontdesk, technical, approval
        (
            False,
            True,
            {
                "submitted": 1.0,
                "verified": 2 / 3,
                "technical_review": 2 / 3,
                "recommended": 1 / 3,
                "approval": 1 / 3,
            },
        ),
        # frontdesk, approval
        (
            False,
            False,
            {
                "submitted": 1.0,
                "revision_requested": 1.0,
                "verified": 0.5,
                "recommended": 0.5,
                "awaiting_payment": 0.5,
                "approval": 0.5,
            },
        ),
    ],
)
def test_remaining_share(survey, technical, shares):
    path_facts = facts(survey, technical, free=False)
    for state, share in shares.items():
        assert remaining_share(state, path_facts) == pytest.approx(share), state
    for state in FINAL_STATES:
        assert remaining_share(state, path_facts) == 0.0


def test_remaining_share_refuses_an_unknown_state():
    with pytest.raises(ValueError):
        remaining_share("limbo", FULL)
