"""The applications service's business metrics: files by state, stage times, SLA, satisfaction."""

from __future__ import annotations

from datetime import UTC, datetime

from prometheus_client import Counter, Gauge, Histogram

TRANSITIONS = Counter(
    "application_transitions_total",
    "Applications moved between states",
    ["permit_type", "from_state", "to_state"],
)
TIME_IN_STAGE = Histogram(
    "application_stage_duration_seconds",
    "Time a file spent in a state before leaving it",
    ["permit_type", "state"],
    buckets=(60, 600, 3600, 4 * 3600, 86400, 2 * 86400, 5 * 86400, 10 * 86400, 30 * 86400),
)
OPEN_APPLICATIONS = Gauge(
    "applications_open",
    "Open applications by state and permit type",
    ["permit_type", "state"],
)
SLA_EVENTS = Counter(
    "application_sla_events_total",
    "Files that reached 80 % of their SLA or breached it",
    ["permit_type", "level"],
)
SURVEY_RESPONSES = Counter(
    "survey_responses_total",
    "Satisfaction survey answers (IKM) by permit type, and whether the respondent was satisfied",
    ["permit_type", "satisfied"],
)
COMPLAINTS = Counter(
    "complaints_opened_total",
    "Complaints opened by a survey answer: a low score or a comment marked as a complaint",
    ["reason"],
)


def record_transition(before: dict, after: dict, now: datetime) -> None:
    permit_type = after["permit_type"]
    if before["state"] == after["state"]:
        return
    TRANSITIONS.labels(permit_type, before["state"], after["state"]).inc()
    entered = _entered_at(before)
    if entered is not None:
        TIME_IN_STAGE.labels(permit_type, before["state"]).observe(
            max(0.0, (now - entered).total_seconds())
        )


def _entered_at(application: dict) -> datetime | None:
    for entry in reversed(application.get("timeline", [])):
        if entry["to"] == application["state"]:
            moment = entry["at"]
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return None


def count_open(applications: list[dict]) -> None:
    """Reset the open-files gauge from the monitor's read of every open file."""
    OPEN_APPLICATIONS.clear()
    for application in applications:
        OPEN_APPLICATIONS.labels(application["permit_type"], application["state"]).inc()
