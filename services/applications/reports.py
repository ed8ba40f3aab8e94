"""Management reports and public figures, computed from the event-fed read model.

Days are working days of the SLA clock with the applicant's pauses excluded: each transition
event carries the clock's `sla_used_days`, so the time a file spent in a stage is the clock's
difference between entering and leaving it, whatever the calendar did in between.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from chassis.auth import Caller
from chassis.errors import ValidationFailed
from services.applications.domain import ikm, lifecycle
from services.applications.domain.sla import WorkCalendar
from services.applications.report_store import ReportStore

JAKARTA = ZoneInfo("Asia/Jakarta")
READERS = ("head", "admin", "auditor")
# The office's own stages: revision and payment wait on the applicant and stop the clock.
STAGES = ("submitted", "verified", "survey", "technical_review", "recommended", "approval")
QUEUE_ROLES = ("frontdesk", "surveyor", "technical", "head")
ENDED = ("issued", "rejected")
SECTIONS = ("volume", "stage-times", "sla", "backlog", "revenue", "ikm")


class Targets:
    """What the office promised: processing time halved (10 → 5 days), 90 % satisfied."""

    def __init__(self, processing_days: float, baseline_days: float, satisfied_percent: float):
        self.processing_days = processing_days
        self.baseline_days = baseline_days
        self.satisfied_percent = satisfied_percent


# --- the read model: what each event adds ------------------------------------------------------


def transition_of(event: dict) -> tuple[str, dict, dict]:
    """(application id, facts of the file, the transition) from a transition event."""
    data = event["data"]
    facts = {
        "permit_type": data["permit_type"],
        "permit_name": data["permit_name"],
        "permit_name_en": data.get("permit_name_en"),
    }
    if data.get("sla_days") is not None:
        facts["sla_days"] = data["sla_days"]
    transition = {
        "event_id": event["event_id"],
        "at": _moment(event["occurred_at"]),
        "action": data["action"],
        "from": data["from_state"],
        "to": data["to_state"],
        "actor_id": data.get("actor_id"),
        "used_days": data.get("sla_used_days"),
        "final": data["to_state"] in lifecycle.FINAL_STATES,
    }
    return data["application_id"], facts, transition


def payment_of(event: dict) -> tuple[str, dict]:
    data = event["data"]
    return data["application_id"], {
        "bank": data["bank"],
        "bank_name": data.get("bank_name") or data["bank"],
        "amount": int(data["paid_amount"]),
        "at": _moment(data["paid_at"]),
    }


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --- one file, as its transitions tell it ----------------------------------------------------


def ordered(record: dict) -> list[dict]:
    return sorted(record.get("transitions", []), key=lambda t: t["at"])


def current_state(record: dict) -> str | None:
    moves = [t for t in ordered(record) if t["from"] != t["to"]]
    return moves[-1]["to"] if moves else None


def outcome(record: dict) -> str | None:
    """How the file ended (archiving is bookkeeping after that, not an outcome)."""
    ends = [t["to"] for t in ordered(record) if t["final"] and t["to"] != "archived"]
    return ends[-1] if ends else None


def stage_days(record: dict) -> dict[str, float]:
    """Working days the file spent in each office stage, summed over its visits."""
    spent: dict[str, float] = defaultdict(float)
    entered = None
    for move in (t for t in ordered(record) if t["from"] != t["to"]):
        if entered is not None and move["used_days"] is not None and move["from"] in STAGES:
            spent[move["from"]] += max(0.0, move["used_days"] - entered)
        entered = move["used_days"]
    return dict(spent)


def end_to_end_days(record: dict) -> float | None:
    ends = [t for t in ordered(record) if t["final"] and t["to"] in ENDED]
    return ends[-1]["used_days"] if ends else None


def holder(record: dict, state: str) -> str | None:
    """The officer who last worked the file in its current stage, if anyone did yet."""
    entered = None
    for move in ordered(record):
        if move["to"] == state and move["from"] != state:
            entered = move["at"]
    worked = [
        t for t in ordered(record) if t["from"] == state and t["to"] == state and t["actor_id"]
    ]
    worked = [t for t in worked if entered is None or t["at"] >= entered]
    return worked[-1]["actor_id"] if worked else None


# --- the reports -------------------------------------------------------------------------------


class ReportUseCases:
    def __init__(
        self,
        store: ReportStore,
        *,
        calendar: WorkCalendar,
        targets: Targets,
        caller: Caller,
        names=lambda user_id: None,
        now=lambda: datetime.now(UTC),
    ):
        self.store = store
        self.calendar = calendar
        self.targets = targets
        self.caller = caller
        self.names = names
        self.now = now

    def report(self, section: str, start: str | None, end: str | None) -> dict:
        self.caller.require_role(*READERS)
        period = self._period(start, end)
        if section == "summary":
            return {**_bounds(period), **{name: self._section(name, period) for name in SECTIONS}}
        if section not in SECTIONS:
            raise ValidationFailed(
                f"no report '{section}'",
                errors=[{"field": "section", "code": "choice", "message": ", ".join(SECTIONS)}],
            )
        return {**_bounds(period), **self._section(section, period)}

    def public_stats(self, year: int | None) -> dict:
        """The transparency page: the same figures, with no person or officer in them."""
        year = year or self.now().astimezone(JAKARTA).year
        if not 2000 <= year <= 2100:
            raise ValidationFailed(
                "year out of range",
                errors=[{"field": "year", "code": "range", "message": "2000..2100"}],
            )
        period = self._period(f"{year}-01-01", f"{year}-12-31")
        volume, stages = self.volume(period), self.stage_times(period)
        sla, satisfaction = self.sla(period), self.ikm(period)
        processing = stages["end_to_end"]
        total_ikm = satisfaction["total"]
        return {
            "year": year,
            **_bounds(period),
            "targets": {
                "processing_days": self.targets.processing_days,
                "baseline_days": self.targets.baseline_days,
                "satisfied_percent": self.targets.satisfied_percent,
            },
            "volume": {k: volume["total"][k] for k in ("submitted", "issued", "rejected", "open")},
            "processing": {
                **processing,
                "meets_target": _at_most(processing["median_days"], self.targets.processing_days),
            },
            "sla": {k: sla["total"][k] for k in ("finished", "compliance_percent")},
            "satisfaction": {
                "respondents": total_ikm["respondents"],
                "ikm": total_ikm["ikm"],
                "band": total_ikm["band"],
                "satisfied_percent": total_ikm["satisfied_percent"],
                "meets_target": _at_least(
                    total_ikm["satisfied_percent"], self.targets.satisfied_percent
                ),
            },
            "by_permit_type": self._public_types(period, volume, satisfaction),
            "by_month": self._public_months(period, volume),
        }

    # --- sections

    def _section(self, name: str, period) -> dict:
        return {
            "volume": self.volume,
            "stage-times": self.stage_times,
            "sla": self.sla,
            "backlog": lambda _: self.backlog(),
            "revenue": self.revenue,
            "ikm": self.ikm,
        }[name](period)

    def volume(self, period) -> dict:
        files = self.store.submitted_between(*period)
        rows: dict[str, dict] = {}
        months: dict[str, Counter] = defaultdict(Counter)
        for record in files:
            row = rows.setdefault(record["permit_type"], _type_row(record, _VOLUME_KEYS))
            ended = outcome(record)
            row["submitted"] += 1
            row[ended if ended in ("issued", "rejected", "withdrawn") else "open"] += 1
            month = _month(record["submitted_at"])
            months[month]["submitted"] += 1
            if ended in ENDED:
                months[month][ended] += 1
        return {
            "rows": _sorted_rows(rows),
            "by_month": [
                {"month": m, **{k: months[m][k] for k in ("submitted", "issued", "rejected")}}
                for m in sorted(months)
            ],
            "total": {k: sum(r[k] for r in rows.values()) for k in _VOLUME_KEYS},
        }

    def stage_times(self, period) -> dict:
        finished = [r for r in self.store.finished_between(*period) if outcome(r) in ENDED]
        per_stage: dict[str, list[float]] = defaultdict(list)
        for record in finished:
            for stage, days in stage_days(record).items():
                per_stage[stage].append(days)
        ends = [d for d in (end_to_end_days(r) for r in finished) if d is not None]
        return {
            "rows": [{"stage": s, **_spread(per_stage[s])} for s in STAGES],
            "end_to_end": _spread(ends),
        }

    def sla(self, period) -> dict:
        rows: dict[str, dict] = {}
        for record in self.store.finished_between(*period):
            days = end_to_end_days(record)
            if outcome(record) not in ENDED or days is None or record.get("sla_days") is None:
                continue
            row = rows.setdefault(record["permit_type"], _type_row(record, ("finished", "on_time")))
            row["sla_days"] = record["sla_days"]
            row["finished"] += 1
            row["on_time"] += days <= record["sla_days"]
        for row in rows.values():
            row["compliance_percent"] = ikm.percent(row["on_time"], row["finished"])
        finished = sum(r["finished"] for r in rows.values())
        on_time = sum(r["on_time"] for r in rows.values())
        return {
            "rows": _sorted_rows(rows),
            "total": {
                "finished": finished,
                "on_time": on_time,
                "compliance_percent": ikm.percent(on_time, finished),
            },
        }

    def backlog(self) -> dict:
        now = self.now()
        roles = {
            role: {"role": role, "open": 0, "warning": 0, "breached": 0} for role in QUEUE_ROLES
        }
        oldest: dict[str, datetime] = {}
        held: Counter = Counter()
        for record in self.store.open_files():
            state = current_state(record)
            role = lifecycle.QUEUE_ROLE.get(state)
            if role is None:
                continue  # waiting on the applicant or the bank
            row = roles[role]
            row["open"] += 1
            row["breached"] += bool(record.get("sla_breached"))
            row["warning"] += bool(record.get("sla_warning")) and not record.get("sla_breached")
            since = max(t["at"] for t in ordered(record) if t["to"] == state)
            oldest[role] = min(oldest.get(role, since), since)
            held[(holder(record, state), role)] += 1
        for role, since in oldest.items():
            roles[role]["oldest_days"] = round(self.calendar.working_time_between(since, now), 2)
        return {
            "as_of": now.isoformat(),
            "by_role": [{"oldest_days": None, **row} for row in roles.values()],
            "by_officer": [
                {
                    "officer_id": officer,
                    "officer_name": self.names(officer) if officer else None,
                    "role": role,
                    "open": count,
                }
                for (officer, role), count in sorted(
                    held.items(), key=lambda item: (-item[1], item[0][1], item[0][0] or "")
                )
            ],
        }

    def revenue(self, period) -> dict:
        by_type: dict[str, dict] = {}
        by_bank: dict[str, dict] = {}
        for record in self.store.paid_between(*period):
            paid = record["paid"]
            if "permit_type" in record:
                row = by_type.setdefault(
                    record["permit_type"], _type_row(record, ("payments", "amount"))
                )
                row["payments"] += 1
                row["amount"] += paid["amount"]
            bank = by_bank.setdefault(
                paid["bank"],
                {
                    "bank": paid["bank"],
                    "bank_name": paid.get("bank_name", paid["bank"]),
                    "payments": 0,
                    "amount": 0,
                },
            )
            bank["payments"] += 1
            bank["amount"] += paid["amount"]
        return {
            "by_permit_type": _sorted_rows(by_type),
            "by_bank": sorted(by_bank.values(), key=lambda r: r["bank"]),
            "total": {
                "payments": sum(b["payments"] for b in by_bank.values()),
                "amount": sum(b["amount"] for b in by_bank.values()),
            },
        }

    def ikm(self, period) -> dict:
        surveys = self.store.surveys_between(*period)
        grouped: dict[str, list[dict]] = defaultdict(list)
        for survey in surveys:
            grouped[survey["permit_type"]].append(survey)
        rows = [{**_type_row(answered[0], ()), **_index(answered)} for answered in grouped.values()]
        complaints = [s["complaint"] for s in surveys if s.get("complaint")]
        return {
            "elements": list(ikm.ELEMENTS),
            "rows": sorted(rows, key=lambda r: r["permit_type"]),
            "total": _index(surveys),
            "complaints": {
                "opened": len(complaints),
                "answered": sum(1 for c in complaints if c["status"] == "answered"),
            },
        }

    # --- the public page's breakdowns

    def _public_types(self, period, volume, satisfaction) -> list[dict]:
        finished = [r for r in self.store.finished_between(*period) if outcome(r) in ENDED]
        days: dict[str, list[float]] = defaultdict(list)
        for record in finished:
            if (spent := end_to_end_days(record)) is not None:
                days[record["permit_type"]].append(spent)
        scores = {r["permit_type"]: r for r in satisfaction["rows"]}
        return [
            {
                **{k: row[k] for k in ("permit_type", "permit_name", "permit_name_en")},
                "submitted": row["submitted"],
                "issued": row["issued"],
                "median_days": ikm.percentile(days[row["permit_type"]], 50),
                "ikm": scores.get(row["permit_type"], {}).get("ikm"),
                "satisfied_percent": scores.get(row["permit_type"], {}).get("satisfied_percent"),
            }
            for row in volume["rows"]
        ]

    def _public_months(self, period, volume) -> list[dict]:
        days: dict[str, list[float]] = defaultdict(list)
        for record in self.store.finished_between(*period):
            if outcome(record) in ENDED and (spent := end_to_end_days(record)) is not None:
                days[_month(record["finished_at"])].append(spent)
        months = {m["month"]: m for m in volume["by_month"]}
        return [
            {
                "month": month,
                "submitted": months.get(month, {}).get("submitted", 0),
                "issued": months.get(month, {}).get("issued", 0),
                "median_days": ikm.percentile(days[month], 50),
            }
            for month in sorted(set(months) | set(days))
        ]

    # --- the period asked for

    def _period(self, start: str | None, end: str | None) -> tuple[datetime, datetime]:
        today = self.now().astimezone(JAKARTA).date()
        first = _day(start, "from") if start else date(today.year, 1, 1)
        last = _day(end, "to") if end else today
        if last < first:
            raise ValidationFailed(
                "the period ends before it starts",
                errors=[{"field": "to", "code": "range", "message": "on or after 'from'"}],
            )
        return _midnight(first), _midnight(last + timedelta(days=1))


_VOLUME_KEYS = ("submitted", "issued", "rejected", "withdrawn", "open")


def _type_row(record: dict, counters: Iterable[str]) -> dict:
    return {
        "permit_type": record["permit_type"],
        "permit_name": record.get("permit_name"),
        "permit_name_en": record.get("permit_name_en"),
        **dict.fromkeys(counters, 0),
    }


def _sorted_rows(rows: dict[str, dict]) -> list[dict]:
    return [rows[key] for key in sorted(rows)]


def _spread(days: list[float]) -> dict:
    return {
        "files": len(days),
        "median_days": ikm.percentile(days, 50),
        "p90_days": ikm.percentile(days, 90),
    }


def _index(surveys: list[dict]) -> dict:
    index = ikm.index_of([s["scores"] for s in surveys])
    return {
        "respondents": index.respondents,
        "element_scores": index.element_scores,
        "ikm": index.ikm,
        "band": index.band,
        "satisfied_percent": index.satisfied_percent,
    }


def _month(moment: datetime) -> str:
    return _moment_aware(moment).astimezone(JAKARTA).strftime("%Y-%m")


def _moment_aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValidationFailed(
            f"{field} must be YYYY-MM-DD",
            errors=[{"field": field, "code": "format", "message": "YYYY-MM-DD"}],
        ) from None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), JAKARTA).astimezone(UTC)


def _bounds(period) -> dict:
    start, end = period
    return {
        "from": start.astimezone(JAKARTA).date().isoformat(),
        "to": (end.astimezone(JAKARTA) - timedelta(days=1)).date().isoformat(),
    }


def _at_most(value, target) -> bool | None:
    return None if value is None else value <= target


def _at_least(value, target) -> bool | None:
    return None if value is None else value >= target
