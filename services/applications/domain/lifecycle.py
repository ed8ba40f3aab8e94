"""The application lifecycle as a pure state machine: who may do what, from where, to where."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

STATES = (
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

ACTIONS = (
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

FINAL_STATES = frozenset({"issued", "rejected", "withdrawn", "archived"})

# The SLA clock pauses while the applicant holds the file; in `draft` it has not started yet.
APPLICANT_HOLDS = frozenset({"draft", "revision_requested", "awaiting_payment"})

OFFICE_HOLDS = frozenset(s for s in STATES if s not in FINAL_STATES | APPLICANT_HOLDS)

# The work queue a file waiting in an office state sits in. `verified` has none: `verify`
# moves the file on in the same step, so no file ever rests there.
QUEUE_ROLE = {
    "submitted": "frontdesk",
    "survey": "surveyor",
    "technical_review": "technical",
    "recommended": "technical",
    "approval": "head",
}

APPLICANT = "applicant"
SYSTEM = "system"

# The applicant may walk away at any point before the head's approval, unless the file is over.
WITHDRAWABLE = frozenset(
    {
        "draft",
        "submitted",
        "revision_requested",
        "verified",
        "survey",
        "technical_review",
        "recommended",
        "awaiting_payment",
    }
)


@dataclass(frozen=True)
class Facts:
    """What the rules need to know about the file and its permit type, gathered by the caller."""

    needs_survey: bool
    needs_technical: bool
    fee_is_zero: bool
    required_requirements: frozenset[str] = frozenset()
    uploaded: frozenset[str] = frozenset()  # requirement codes with a current document
    accepted: frozenset[str] = frozenset()  # requirement codes whose current document passed
    survey_scheduled: bool = False


@dataclass(frozen=True)
class Actor:
    """Who asks: a user with roles, or the platform itself (`Actor.system()`)."""

    user_id: str | None
    roles: frozenset[str]
    is_owner: bool = False

    def __post_init__(self) -> None:
        # Callers pass lists or sets from token claims; a frozenset keeps the actor hashable.
        object.__setattr__(self, "roles", frozenset(self.roles))

    @classmethod
    def system(cls) -> Actor:
        return cls(None, frozenset({SYSTEM}), False)


@dataclass(frozen=True)
class Decision:
    """An accepted transition: the states entered in order (empty when the state stays)."""

    from_state: str
    path: tuple[str, ...]
    to_state: str
    action: str
    note: str | None


class TransitionRefused(Exception):
    """The action may not happen; `code` is stable for clients, `field` names the bad input."""

    def __init__(self, code: str, message: str, field: str | None = None):
        self.code = code
        self.message = message
        self.field = field
        super().__init__(code, message, field)

    def __str__(self) -> str:
        return f"{self.message} ({self.code})"


# --- where each action leads -----------------------------------------------------------------


def _recommended_onward(facts: Facts) -> tuple[str, ...]:
    # A free permit has no fee to assess: the file goes straight on to the head.
    return ("recommended", "approval") if facts.fee_is_zero else ("recommended",)


def _after_survey(facts: Facts) -> tuple[str, ...]:
    return ("technical_review",) if facts.needs_technical else _recommended_onward(facts)


def _after_verify(facts: Facts) -> tuple[str, ...]:
    onward = ("survey",) if facts.needs_survey else _after_survey(facts)
    return ("verified", *onward)


def _after_assessment(facts: Facts) -> tuple[str, ...]:
    # Only reachable if a free file rests in `recommended` (it normally passes straight through):
    # letting the assessment move it on keeps it from being stuck there.
    return ("approval",) if facts.fee_is_zero else ("awaiting_payment",)


def _to(*states: str) -> Callable[[Facts], tuple[str, ...]]:
    return lambda facts: states


# --- what each action needs ------------------------------------------------------------------

Payload = Mapping[str, Any]


def _needs_nothing(facts: Facts, payload: Payload) -> None:
    return None


def _needs_uploads(facts: Facts, payload: Payload) -> None:
    missing = sorted(facts.required_requirements - facts.uploaded)
    if missing:
        raise TransitionRefused(
            "documents_missing", f"required documents not uploaded: {', '.join(missing)}"
        )


def _needs_acceptance(facts: Facts, payload: Payload) -> None:
    pending = sorted(facts.required_requirements - facts.accepted)
    if pending:
        raise TransitionRefused(
            "documents_not_accepted", f"required documents not accepted: {', '.join(pending)}"
        )


def _needs_reason(facts: Facts, payload: Payload) -> None:
    if _note(payload) is None:
        raise TransitionRefused("reason_required", "a reason is required", field="note")


def _needs_schedule(facts: Facts, payload: Payload) -> None:
    if not _present(payload.get("scheduled_for")):
        raise TransitionRefused(
            "schedule_required", "the survey date and place are required", field="scheduled_for"
        )


def _needs_survey_report(facts: Facts, payload: Payload) -> None:
    # Scheduling comes first in the field too, so that is what the surveyor hears about first.
    if not facts.survey_scheduled:
        raise TransitionRefused("survey_not_scheduled", "schedule the survey before reporting it")
    if not _present(payload.get("report")):
        raise TransitionRefused(
            "survey_report_required", "the survey report is required", field="report"
        )


def _needs_fee_inputs(facts: Facts, payload: Payload) -> None:
    # Fixed fees have no inputs, so an empty dict is fine; a missing one is a client's mistake.
    if not facts.fee_is_zero and not isinstance(payload.get("fee_inputs"), Mapping):
        raise TransitionRefused(
            "fee_inputs_required", "the fee inputs are required", field="fee_inputs"
        )


def _present(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)


def _note(payload: Payload) -> str | None:
    note = payload.get("note")
    if isinstance(note, str) and note.strip():
        return note.strip()
    return None


# --- the table -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    from_states: frozenset[str]
    roles: frozenset[str]
    owner_only: bool
    guard: Callable[[Facts, Payload], None]
    path: Callable[[Facts], tuple[str, ...]]


def _rule(from_states, role, guard, path, owner_only=False) -> _Rule:
    return _Rule(frozenset(from_states), frozenset({role}), owner_only, guard, path)


_RULES: dict[str, _Rule] = {
    "submit": _rule(
        {"draft", "revision_requested"},
        APPLICANT,
        _needs_uploads,
        _to("submitted"),
        owner_only=True,
    ),
    "request_revision": _rule({"submitted"}, "frontdesk", _needs_reason, _to("revision_requested")),
    "verify": _rule({"submitted"}, "frontdesk", _needs_acceptance, _after_verify),
    "schedule_survey": _rule({"survey"}, "surveyor", _needs_schedule, _to()),
    "report_survey": _rule({"survey"}, "surveyor", _needs_survey_report, _after_survey),
    "recommend": _rule({"technical_review"}, "technical", _needs_reason, _recommended_onward),
    "reject": _rule({"technical_review"}, "technical", _needs_reason, _to("rejected")),
    "assess_fee": _rule({"recommended"}, "technical", _needs_fee_inputs, _after_assessment),
    "payment_received": _rule({"awaiting_payment"}, SYSTEM, _needs_nothing, _to("approval")),
    # A new invoice replaces the expired one; the file and its paused clock stay where they are.
    "invoice_closed": _rule({"awaiting_payment"}, SYSTEM, _needs_nothing, _to()),
    "approve": _rule({"approval"}, "head", _needs_nothing, _to("issued")),
    "withdraw": _rule(WITHDRAWABLE, APPLICANT, _needs_nothing, _to("withdrawn"), owner_only=True),
    "archive": _rule({"issued", "rejected", "withdrawn"}, SYSTEM, _needs_nothing, _to("archived")),
}


# --- deciding --------------------------------------------------------------------------------


def decide(
    state: str, action: str, actor: Actor, facts: Facts, payload: Payload | None = None
) -> Decision:
    """Accept or refuse `action` on a file in `state`.

    Checks run in this order, and the first that fails is the refusal: the action is known
    (`unknown_action`), it can start from this state (`not_allowed_in_state`), one of the
    actor's roles may take it (`role_not_allowed`), the actor owns the file where that matters
    (`not_owner`), then the action's own needs from the facts and the payload.
    """
    payload = payload or {}
    rule = _authorise(state, action, actor)
    rule.guard(facts, payload)
    path = rule.path(facts)
    to_state = path[-1] if path else state
    return Decision(state, path, to_state, action, _note(payload))


def _authorise(state: str, action: str, actor: Actor) -> _Rule:
    rule = _RULES.get(action)
    if rule is None:
        raise TransitionRefused("unknown_action", f"there is no action {action!r}")
    if state not in rule.from_states:
        raise TransitionRefused("not_allowed_in_state", f"cannot {action} a file in {state}")
    if not actor.roles & rule.roles:
        raise TransitionRefused("role_not_allowed", f"your role may not {action} this file")
    if rule.owner_only and not actor.is_owner:
        raise TransitionRefused("not_owner", f"only the applicant who owns the file may {action}")
    return rule


def actions_for(state: str, actor: Actor, facts: Facts) -> list[str]:
    """The actions this actor may take on a file in `state`, in lifecycle order.

    Only state, role and ownership count: an action whose documents or inputs are still missing
    is listed, so the client can offer it and `decide` can say what is missing. `facts` is
    taken so that rules depending on the permit type can join later without changing callers.
    """
    return [action for action in ACTIONS if _may(state, action, actor)]


def _may(state: str, action: str, actor: Actor) -> bool:
    try:
        _authorise(state, action, actor)
    except TransitionRefused:
        return False
    return True


# --- share of the SLA still ahead ------------------------------------------------------------

_STAGE_ORDER = ("frontdesk", "survey", "technical", "approval")

# The first office stage a file in this state has not finished yet.
_STAGE_AHEAD = {
    "draft": "frontdesk",
    "submitted": "frontdesk",
    "revision_requested": "frontdesk",
    "verified": "survey",  # frontdesk is done; whatever comes next is still ahead
    "survey": "survey",
    "technical_review": "technical",
    "recommended": "approval",
    "awaiting_payment": "approval",
    "approval": "approval",
}


def remaining_share(state: str, facts: Facts) -> float:
    """The share of the SLA still ahead: office stages not yet passed, each weighted equally."""
    if state in FINAL_STATES:
        return 0.0
    if state not in _STAGE_AHEAD:
        raise ValueError(f"unknown state {state!r}")
    stages = _office_stages(facts)
    first = _STAGE_ORDER.index(_STAGE_AHEAD[state])
    ahead = [stage for stage in stages if _STAGE_ORDER.index(stage) >= first]
    return len(ahead) / len(stages)


def _office_stages(facts: Facts) -> tuple[str, ...]:
    survey = ("survey",) if facts.needs_survey else ()
    technical = ("technical",) if facts.needs_technical else ()
    return ("frontdesk", *survey, *technical, "approval")
