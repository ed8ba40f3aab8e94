"""The SLA clock: working time in Asia/Jakarta, paused while the applicant holds the file."""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

# Time is counted in integer microseconds inside this module so that sums and the 80 % / 100 %
# comparisons are exact; the public API speaks in (float) working days.
DAY = 86_400_000_000
WARNING_PERCENT = 80

SlaState = Literal["on_track", "warning", "breached"]
_LEVELS: tuple[SlaState, ...] = ("on_track", "warning", "breached")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# National holidays (libur nasional) and collective leave (cuti bersama) for 2026, from the
# SKB 3 Menteri No. 1497/2025, 2/2025, 5/2025 (signed 19 September 2025): 17 + 8 days.
# CHECK THIS LIST EVERY YEAR against the new SKB (and any later amendment: the Islamic dates
# follow the Ministry of Religious Affairs' sidang isbat and have been moved before).
# Production reads the list from configuration; this constant is the development default.
INDONESIA_HOLIDAYS_2026: frozenset[date] = frozenset(
    {
        date(2026, 1, 1),  # Tahun Baru Masehi
        date(2026, 1, 16),  # Isra Mikraj Nabi Muhammad SAW
        date(2026, 2, 16),  # cuti bersama Tahun Baru Imlek
        date(2026, 2, 17),  # Tahun Baru Imlek 2577 Kongzili
        date(2026, 3, 18),  # cuti bersama Nyepi
        date(2026, 3, 19),  # Hari Suci Nyepi, Tahun Baru Saka 1948
        date(2026, 3, 20),  # cuti bersama Idul Fitri
        date(2026, 3, 21),  # Idul Fitri 1447 H (Saturday)
        date(2026, 3, 22),  # Idul Fitri 1447 H, second day (Sunday)
        date(2026, 3, 23),  # cuti bersama Idul Fitri
        date(2026, 3, 24),  # cuti bersama Idul Fitri
        date(2026, 4, 3),  # Wafat Yesus Kristus (Good Friday)
        date(2026, 4, 5),  # Kebangkitan Yesus Kristus (Easter, Sunday)
        date(2026, 5, 1),  # Hari Buruh Internasional
        date(2026, 5, 14),  # Kenaikan Yesus Kristus
        date(2026, 5, 15),  # cuti bersama Kenaikan Yesus Kristus
        date(2026, 5, 27),  # Idul Adha 1447 H
        date(2026, 5, 28),  # cuti bersama Idul Adha
        date(2026, 5, 31),  # Hari Raya Waisak 2570 BE (Sunday)
        date(2026, 6, 1),  # Hari Lahir Pancasila
        date(2026, 6, 16),  # Tahun Baru Islam 1448 H
        date(2026, 8, 17),  # Proklamasi Kemerdekaan RI
        date(2026, 8, 25),  # Maulid Nabi Muhammad SAW
        date(2026, 12, 24),  # cuti bersama Natal
        date(2026, 12, 25),  # Hari Raya Natal
    }
)


def parse_holidays(text: str) -> frozenset[date]:
    """Read a configured list like ``"2026-01-01, 2026-03-20"`` (commas and/or spaces)."""
    holidays = set()
    for piece in re.split(r"[,\s]+", text.strip()):
        if not piece:
            continue
        # fromisoformat alone would also take "20260101" or "2026-W01-1"; config must be plain.
        if not _ISO_DATE.fullmatch(piece):
            raise ValueError(f"holiday {piece!r} is not a date written YYYY-MM-DD")
        try:
            holidays.add(date.fromisoformat(piece))
        except ValueError:
            raise ValueError(f"holiday {piece!r} is not a real date") from None
    return frozenset(holidays)


class WorkCalendar:
    """Working days (Monday to Friday minus holidays) and working time on the local wall clock.

    A working day counts fully from 00:00 to 24:00 local time; other days count nothing.
    The zone must have no daylight saving time (true of every Indonesian zone), so that
    every day is 24 hours long.

    Convention for "end of day": ``add_working_time`` returns the *earliest* moment at which
    the time has elapsed, so time that runs out exactly at 24:00 of a working day lands on
    00:00 of the next calendar day (e.g. Saturday 00:00), not on the next working day.
    """

    def __init__(self, holidays: Iterable[date], tz: str = "Asia/Jakarta") -> None:
        self.holidays = frozenset(holidays)
        self.tz = ZoneInfo(tz)
        # Weekends are already free, so only weekday holidays change a count; sorted ordinals
        # let us count them in any span with two bisections.
        self._weekday_holidays = sorted(d.toordinal() for d in self.holidays if d.weekday() < 5)

    def is_working_day(self, d: date) -> bool:
        return d.weekday() < 5 and d not in self.holidays

    def working_time_between(self, start: datetime, end: datetime) -> float:
        """Working days elapsed from ``start`` to ``end``; 0 if ``end`` is not after ``start``."""
        return self._working_micros(start, end) / DAY

    def add_working_time(self, start: datetime, days: float) -> datetime:
        """The earliest moment at which ``days`` of working time have elapsed since ``start``."""
        if not (math.isfinite(days) and days >= 0):
            raise ValueError(f"working time to add must be a finite number >= 0, got {days!r}")
        return self._add_micros(start, round(days * DAY))

    def add_working_days_date(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (``d`` itself for n = 0)."""
        if n < 0:
            raise ValueError(f"number of working days must be >= 0, got {n}")
        return d if n == 0 else self._nth_working_day(d + timedelta(days=1), n)

    def _local(self, moment: datetime) -> tuple[date, int]:
        """The local date and the microseconds since its midnight."""
        local = _require_aware(moment).astimezone(self.tz)
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        return local.date(), seconds * 1_000_000 + local.microsecond

    def _at(self, d: date, micros: int) -> datetime:
        return datetime.combine(d, time(), tzinfo=self.tz) + timedelta(microseconds=micros)

    def _working_micros(self, start: datetime, end: datetime) -> int:
        first_day, start_micros = self._local(start)
        last_day, end_micros = self._local(end)
        if end <= start:
            return 0
        if first_day == last_day:
            return end_micros - start_micros if self.is_working_day(first_day) else 0
        head = DAY - start_micros if self.is_working_day(first_day) else 0
        tail = end_micros if self.is_working_day(last_day) else 0
        whole = self._working_days_in(first_day + timedelta(days=1), last_day)
        return head + whole * DAY + tail

    def _add_micros(self, start: datetime, amount: int) -> datetime:
        day, micros = self._local(start)
        if amount == 0:
            return start.astimezone(self.tz)
        if self.is_working_day(day):
            if amount <= DAY - micros:
                return self._at(day, micros + amount)
            amount -= DAY - micros
        # Split what is left into whole working days and a last part in (0, DAY], so the
        # answer is the end of that part on its own working day (never a later 00:00).
        whole, last = divmod(amount - 1, DAY)
        return self._at(self._nth_working_day(day + timedelta(days=1), whole + 1), last + 1)

    def _working_days_in(self, first: date, stop: date) -> int:
        """Working days in [first, stop)."""
        if stop <= first:
            return 0
        weeks, extra = divmod((stop - first).days, 7)
        weekdays = weeks * 5 + sum((first.weekday() + i) % 7 < 5 for i in range(extra))
        return weekdays - self._weekday_holidays_in(first, stop)

    def _weekday_holidays_in(self, first: date, stop: date) -> int:
        """Weekday holidays in [first, stop)."""
        lo = bisect.bisect_left(self._weekday_holidays, first.toordinal())
        hi = bisect.bisect_left(self._weekday_holidays, stop.toordinal())
        return hi - lo

    def _nth_working_day(self, first: date, n: int) -> date:
        """The n-th (n >= 1) working day on or after ``first``."""
        while True:
            candidate = _nth_weekday(first, n)
            # Each holiday passed on the way costs one more working day beyond the candidate.
            missed = self._weekday_holidays_in(first, candidate + timedelta(days=1))
            if missed == 0:
                return candidate
            first, n = candidate + timedelta(days=1), missed


def _require_aware(moment: datetime) -> datetime:
    # A naive datetime could be UTC or local; guessing would shift the clock by seven hours.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"an aware datetime is required, got naive {moment!r}")
    return moment


def _nth_weekday(first: date, n: int) -> date:
    """The n-th (n >= 1) Monday to Friday on or after ``first``, jumping whole weeks at once."""
    if first.weekday() >= 5:
        first += timedelta(days=7 - first.weekday())
    weeks, extra = divmod(n - 1, 5)
    day = first + timedelta(weeks=weeks)
    weekend = 2 if day.weekday() + extra > 4 else 0
    return day + timedelta(days=extra + weekend)


@dataclass(frozen=True)
class Interval:
    """A run of the clock while the office held the file (``end`` None: still running).

    ``reason`` says why the run ended (why the file left the office), e.g. a revision request.
    """

    start: datetime
    end: datetime | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        _require_aware(self.start)
        if self.end is not None and _require_aware(self.end) < self.start:
            raise ValueError(f"interval ends ({self.end}) before it starts ({self.start})")


@dataclass(frozen=True)
class SlaStatus:
    """The clock at one moment: days used and left, when it runs out, and the state."""

    sla_days: int
    used_days: float
    left_days: float
    percent_used: float
    due_at: datetime
    running: bool
    state: SlaState


class SlaClock:
    """The SLA of one permit type, measured over the periods the office held the file."""

    def __init__(self, sla_days: int, calendar: WorkCalendar) -> None:
        if sla_days <= 0:
            raise ValueError(f"an SLA must be at least one working day, got {sla_days}")
        self.sla_days = sla_days
        self.calendar = calendar

    def status(self, held: Sequence[Interval], now: datetime) -> SlaStatus:
        """Where the clock stands at ``now``; parts of ``held`` after ``now`` are ignored.

        ``due_at``: if the SLA is already used up, the moment it ran out; otherwise the moment
        it will run out if the clock runs from ``now`` without pause (a paused clock is
        taken to resume now).
        """
        _require_aware(now)
        sla = self.sla_days * DAY
        used = 0
        ran_out_at = None
        for start, end in _merged_runs(held, now):
            run = self.calendar._working_micros(start, end)
            if ran_out_at is None and used + run >= sla:
                ran_out_at = self.calendar._add_micros(start, sla - used)
            used += run
        if ran_out_at is None:
            ran_out_at = self.calendar._add_micros(now, sla - used)
        if used > sla:
            state: SlaState = "breached"
        elif used * 100 >= sla * WARNING_PERCENT:
            state = "warning"
        else:
            state = "on_track"
        return SlaStatus(
            sla_days=self.sla_days,
            used_days=used / DAY,
            left_days=max(0, sla - used) / DAY,
            percent_used=used * 100 / sla,
            due_at=ran_out_at,
            running=any(iv.start <= now and (iv.end is None or iv.end > now) for iv in held),
            state=state,
        )

    def predicted_completion(
        self, status: SlaStatus, remaining_share: float, now: datetime
    ) -> datetime:
        """A simple estimate of when the file will be finished.

        ``remaining_share`` (0..1) is the caller's share of the SLA that the stages still ahead
        usually take; the estimate is ``now`` plus that much working time, assuming the office
        holds the file from now on. It ignores past delays and future pauses, and is never
        before ``now``.
        """
        if not 0 <= remaining_share <= 1:
            raise ValueError(f"remaining_share must be within [0, 1], got {remaining_share!r}")
        return self.calendar.add_working_time(now, remaining_share * status.sla_days)


def _merged_runs(held: Sequence[Interval], now: datetime) -> list[tuple[datetime, datetime]]:
    """The held periods cut at ``now``, sorted, overlaps merged so no time counts twice."""
    runs: list[tuple[datetime, datetime]] = []
    for start, end in sorted(
        (iv.start, now if iv.end is None else min(iv.end, now)) for iv in held if iv.start < now
    ):
        if runs and start <= runs[-1][1]:
            runs[-1] = (runs[-1][0], max(runs[-1][1], end))
        else:
            runs.append((start, end))
    return runs


def crossed(before: SlaStatus | None, after: SlaStatus) -> list[str]:
    """The thresholds ("warning", "breached") reached by ``after`` but not by ``before``.

    Used time never goes down, so a monitor that emits these between successive statuses
    announces each crossing exactly once; a jump straight to breach reports both.
    """
    was = _LEVELS.index(before.state) if before is not None else 0
    return list(_LEVELS[was + 1 : _LEVELS.index(after.state) + 1])
