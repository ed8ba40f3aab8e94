"""The SLA clock: working time in Asia/Jakarta, pauses, due dates, warning and breach."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.applications.domain.sla import (
    INDONESIA_HOLIDAYS_2026,
    Interval,
    SlaClock,
    WorkCalendar,
    crossed,
    parse_holidays,
)

JAKARTA = ZoneInfo("Asia/Jakarta")
CAL_2026 = WorkCalendar(INDONESIA_HOLIDAYS_2026)
NO_HOLIDAYS = WorkCalendar([])
EPS = 1e-9


def wib(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=JAKARTA)


# --- worked examples ----------------------------------------------------------------------


def test_filed_friday_afternoon_is_due_wednesday_same_hour():
    # July 2026 has no holidays: Fri 0.375 + Mon + Tue + Wed until 15:00.
    assert CAL_2026.add_working_time(wib(2026, 7, 10, 15), 3) == wib(2026, 7, 15, 15)
    assert CAL_2026.working_time_between(wib(2026, 7, 10, 15), wib(2026, 7, 15, 15)) == 3


def test_a_holiday_in_the_middle_shifts_the_due_date_by_one_day():
    with_holiday = WorkCalendar([date(2026, 7, 15)])
    assert with_holiday.add_working_time(wib(2026, 7, 10, 15), 3) == wib(2026, 7, 16, 15)


def test_filed_before_independence_day_the_holiday_counts_nothing():
    # Fri 14 Aug 15:00; Sat, Sun and Mon 17 Aug count 0.
    filed = wib(2026, 8, 14, 15)
    assert CAL_2026.working_time_between(filed, wib(2026, 8, 18)) == 0.375
    assert CAL_2026.working_time_between(wib(2026, 8, 17, 8), wib(2026, 8, 17, 16)) == 0
    assert CAL_2026.add_working_time(filed, 3) == wib(2026, 8, 20, 15)


def test_filed_before_idul_fitri_the_holidays_and_cuti_bersama_count_nothing():
    # 18 Mar (cuti Nyepi) .. 24 Mar (cuti Idul Fitri) are all off; 25 Mar is the next working day.
    assert CAL_2026.working_time_between(wib(2026, 3, 18), wib(2026, 3, 25)) == 0
    filed = wib(2026, 3, 17, 10)
    assert CAL_2026.working_time_between(filed, wib(2026, 3, 25, 10)) == pytest.approx(1)
    assert CAL_2026.add_working_time(filed, 3) == wib(2026, 3, 27, 10)


def test_year_end_rolls_to_the_first_working_day_of_january():
    assert CAL_2026.add_working_days_date(date(2025, 12, 31), 1) == date(2026, 1, 2)
    cal = WorkCalendar(INDONESIA_HOLIDAYS_2026 | {date(2027, 1, 1)})
    assert cal.add_working_days_date(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert cal.add_working_time(wib(2026, 12, 31, 12), 1) == wib(2027, 1, 4, 12)


def test_add_working_days_date():
    assert CAL_2026.add_working_days_date(date(2026, 7, 10), 0) == date(2026, 7, 10)
    assert CAL_2026.add_working_days_date(date(2026, 7, 10), 1) == date(2026, 7, 13)
    assert CAL_2026.add_working_days_date(date(2026, 7, 11), 1) == date(2026, 7, 13)
    assert CAL_2026.add_working_days_date(date(2026, 5, 12), 2) == date(2026, 5, 18)
    with pytest.raises(ValueError):
        CAL_2026.add_working_days_date(date(2026, 7, 10), -1)


def test_time_running_out_at_end_of_a_working_day_lands_on_next_calendar_midnight():
    # The convention: the earliest moment, i.e. Friday 24:00 == Saturday 00:00, not Monday 00:00.
    assert CAL_2026.add_working_time(wib(2026, 7, 10), 1) == wib(2026, 7, 11)
    assert CAL_2026.add_working_time(wib(2026, 7, 10, 12), 0.5) == wib(2026, 7, 11)
    # Adding nothing stays put, even on a weekend.
    assert CAL_2026.add_working_time(wib(2026, 7, 11, 10), 0) == wib(2026, 7, 11, 10)
    # A little more than the rest of Friday goes on into Monday.
    assert CAL_2026.add_working_time(wib(2026, 7, 10, 12), 0.75) == wib(2026, 7, 13, 6)


def test_moments_in_other_zones_are_read_in_jakarta_time():
    friday_23_wib = datetime(2026, 7, 10, 16, tzinfo=UTC)
    saturday_00_wib = datetime(2026, 7, 10, 17, tzinfo=UTC)
    assert CAL_2026.working_time_between(friday_23_wib, saturday_00_wib) == pytest.approx(1 / 24)
    assert CAL_2026.working_time_between(saturday_00_wib, saturday_00_wib + timedelta(2)) == 0
    assert CAL_2026.add_working_time(friday_23_wib, 1 / 24) == saturday_00_wib


def test_naive_datetimes_and_bad_amounts_are_refused():
    with pytest.raises(ValueError, match="aware"):
        CAL_2026.working_time_between(datetime(2026, 7, 10), wib(2026, 7, 11))
    with pytest.raises(ValueError, match="aware"):
        CAL_2026.add_working_time(datetime(2026, 7, 10), 1)
    with pytest.raises(ValueError, match="aware"):
        Interval(datetime(2026, 7, 10))
    with pytest.raises(ValueError):
        Interval(wib(2026, 7, 10), wib(2026, 7, 9))
    for bad in (-0.1, float("nan"), float("inf")):
        with pytest.raises(ValueError):
            CAL_2026.add_working_time(wib(2026, 7, 10), bad)
    with pytest.raises(ValueError):
        SlaClock(0, CAL_2026)
    with pytest.raises(ValueError, match="aware"):
        SlaClock(5, CAL_2026).status([], datetime(2026, 7, 10))


def test_spans_of_years_are_counted_exactly_and_quickly():
    start, end = date(2026, 1, 1), date(2036, 1, 1)
    weekdays = sum((start + timedelta(i)).weekday() < 5 for i in range((end - start).days))
    assert NO_HOLIDAYS.working_time_between(wib(2026, 1, 1), wib(2036, 1, 1)) == weekdays
    assert NO_HOLIDAYS.add_working_time(wib(2026, 1, 1), weekdays) == wib(2035, 12, 31) + timedelta(
        1
    )
    weekday_holidays = sum(d.weekday() < 5 for d in INDONESIA_HOLIDAYS_2026)
    assert CAL_2026.working_time_between(wib(2025, 1, 1), wib(2036, 1, 1)) == pytest.approx(
        NO_HOLIDAYS.working_time_between(wib(2025, 1, 1), wib(2036, 1, 1)) - weekday_holidays
    )


# --- holidays configuration ---------------------------------------------------------------


def test_parse_holidays():
    assert parse_holidays("2026-01-01,2026-03-20, 2026-12-25 ,") == {
        date(2026, 1, 1),
        date(2026, 3, 20),
        date(2026, 12, 25),
    }
    assert parse_holidays("") == frozenset()
    assert parse_holidays("   ") == frozenset()
    with pytest.raises(ValueError, match="2026-02-30"):
        parse_holidays("2026-01-01,2026-02-30")
    with pytest.raises(ValueError, match="20260101"):
        parse_holidays("20260101")
    with pytest.raises(ValueError, match="tomorrow"):
        parse_holidays("2026-01-01, tomorrow")


def test_the_2026_list_has_17_holidays_and_8_cuti_bersama_days():
    assert len(INDONESIA_HOLIDAYS_2026) == 25
    assert {d.year for d in INDONESIA_HOLIDAYS_2026} == {2026}
    assert {date(2026, 1, 1), date(2026, 8, 17), date(2026, 12, 25)} <= INDONESIA_HOLIDAYS_2026
    assert not CAL_2026.is_working_day(date(2026, 3, 24))
    assert CAL_2026.is_working_day(date(2026, 3, 25))
    assert not CAL_2026.is_working_day(date(2026, 7, 11))


# --- the clock ------------------------------------------------------------------------------

FIVE_DAYS = SlaClock(5, CAL_2026)
MONDAY = wib(2026, 7, 6)


@pytest.mark.parametrize(
    ("now", "used", "state"),
    [
        (MONDAY, 0, "on_track"),
        (wib(2026, 7, 7), 1, "on_track"),
        (wib(2026, 7, 9, 12), 3.5, "on_track"),
        (wib(2026, 7, 10), 4, "warning"),  # exactly 80 %
        (wib(2026, 7, 11), 5, "warning"),  # exactly 100 % is not yet a breach
        (wib(2026, 7, 12, 20), 5, "warning"),  # the weekend costs nothing
        (wib(2026, 7, 13, 6), 5.25, "breached"),
    ],
)
def test_used_left_and_percent_as_the_clock_runs(now, used, state):
    status = FIVE_DAYS.status([Interval(MONDAY)], now)
    assert status.used_days == used
    assert status.left_days == max(0, 5 - used)
    assert status.percent_used == used * 20
    assert status.state == state
    assert status.running is True
    # Without pauses the due date never moves: end of Friday, whether ahead or past.
    assert status.due_at == wib(2026, 7, 11)


def test_a_file_submitted_on_saturday_starts_counting_on_monday():
    clock = SlaClock(1, CAL_2026)
    held = [Interval(wib(2026, 7, 11, 10))]
    assert clock.status(held, wib(2026, 7, 13)).used_days == 0
    assert clock.status(held, wib(2026, 7, 13, 12)).used_days == 0.5
    assert clock.status(held, wib(2026, 7, 12)).due_at == wib(2026, 7, 14)


def test_a_revision_pause_of_two_working_days_moves_the_due_date_by_two_working_days():
    submitted, revision, resubmitted = wib(2026, 7, 6, 9), wib(2026, 7, 7, 9), wib(2026, 7, 9, 9)
    now = wib(2026, 7, 9, 12)
    unpaused = FIVE_DAYS.status([Interval(submitted)], now)
    paused_once = [Interval(submitted, revision, "revision_requested"), Interval(resubmitted)]
    status = FIVE_DAYS.status(paused_once, now)
    assert unpaused.due_at == wib(2026, 7, 13, 9)
    assert status.due_at == wib(2026, 7, 15, 9)
    assert status.used_days == 1.125
    assert status.running


def test_while_paused_the_due_date_assumes_the_clock_resumes_now():
    held = [Interval(wib(2026, 7, 6, 9), wib(2026, 7, 7, 9), "revision_requested")]
    status = FIVE_DAYS.status(held, wib(2026, 7, 8, 12))
    assert not status.running
    assert status.used_days == 1
    assert status.due_at == wib(2026, 7, 14, 12)


def test_a_breach_keeps_the_moment_the_sla_ran_out_across_pauses():
    held = [
        Interval(wib(2026, 7, 6), wib(2026, 7, 8), "revision_requested"),
        Interval(wib(2026, 7, 9), wib(2026, 7, 14, 12), "awaiting_payment"),
    ]
    status = FIVE_DAYS.status(held, wib(2026, 7, 20))
    assert status.state == "breached"
    assert status.used_days == 5.5
    assert status.left_days == 0
    assert status.percent_used == 110
    assert status.due_at == wib(2026, 7, 14)  # end of Monday 13 July, before the pause


def test_overlapping_and_future_periods_do_not_count_twice():
    held = [Interval(MONDAY, wib(2026, 7, 8)), Interval(wib(2026, 7, 7), wib(2026, 7, 8))]
    assert FIVE_DAYS.status(held, wib(2026, 7, 9)).used_days == 2
    future = [Interval(MONDAY, wib(2026, 7, 7)), Interval(wib(2026, 7, 8))]
    status = FIVE_DAYS.status(future, wib(2026, 7, 7, 12))
    assert status.used_days == 1
    assert not status.running


def test_predicted_completion_is_now_plus_the_remaining_share_of_the_sla():
    now = wib(2026, 7, 10, 12)
    status = FIVE_DAYS.status([Interval(MONDAY)], now)
    assert FIVE_DAYS.predicted_completion(status, 0.4, now) == wib(2026, 7, 14, 12)
    assert FIVE_DAYS.predicted_completion(status, 0, now) == now
    with pytest.raises(ValueError):
        FIVE_DAYS.predicted_completion(status, 1.5, now)


def test_crossed_reports_each_threshold_when_first_reached():
    held = [Interval(MONDAY)]
    on_track, warning, breached = (
        FIVE_DAYS.status(held, now) for now in (wib(2026, 7, 7), wib(2026, 7, 10), wib(2026, 7, 14))
    )
    assert crossed(None, on_track) == []
    assert crossed(on_track, warning) == ["warning"]
    assert crossed(warning, warning) == []
    assert crossed(warning, breached) == ["breached"]
    assert crossed(on_track, breached) == ["warning", "breached"]
    assert crossed(None, breached) == ["warning", "breached"]
    assert crossed(breached, breached) == []


# --- properties -----------------------------------------------------------------------------

zones = st.sampled_from([JAKARTA, UTC, ZoneInfo("Asia/Jayapura")])
moments = st.datetimes(
    min_value=datetime(2025, 12, 1), max_value=datetime(2027, 2, 1), timezones=zones
)
calendars = st.builds(
    lambda extra: WorkCalendar(INDONESIA_HOLIDAYS_2026 | extra),
    st.frozensets(st.dates(date(2025, 12, 1), date(2027, 2, 1)), max_size=30),
)
amounts = st.floats(min_value=0, max_value=300, allow_nan=False)


@given(calendars, st.lists(moments, min_size=3, max_size=3))
def test_working_time_is_additive_non_negative_and_at_most_calendar_time(cal, three):
    a, b, c = sorted(three)
    ab, bc, ac = (cal.working_time_between(x, y) for x, y in ((a, b), (b, c), (a, c)))
    assert ac == pytest.approx(ab + bc, abs=EPS)
    assert 0 <= ab <= (b - a) / timedelta(days=1) + EPS
    assert cal.working_time_between(c, a) == 0


@given(calendars, moments, amounts)
def test_add_working_time_is_the_inverse_and_lands_on_working_time(cal, start, days):
    end = cal.add_working_time(start, days)
    assert end >= start
    assert cal.working_time_between(start, end) == pytest.approx(days, abs=EPS)
    if days >= 1e-9:  # time is kept to the microsecond; less than that adds nothing
        local = end.astimezone(JAKARTA)
        at_midnight = local.time() == datetime.min.time()
        # Inside a working day, or exactly at 24:00 of one (= 00:00 of the next calendar day).
        landed_on = local.date() - timedelta(days=1) if at_midnight else local.date()
        assert cal.is_working_day(landed_on)
    if days >= 1e-3:
        # The earliest such moment: a second earlier, the time has not yet elapsed.
        assert cal.working_time_between(start, end - timedelta(seconds=1)) < days


runs = st.lists(
    st.tuples(moments, st.timedeltas(timedelta(0), timedelta(days=20)), st.booleans()),
    max_size=6,
)


def as_intervals(spec) -> list[Interval]:
    return [Interval(s, None if open_ else s + length, "pause") for s, length, open_ in spec]


@given(calendars, st.integers(1, 30), runs, st.integers(0, 6), moments)
def test_more_held_time_never_means_less_used_time(cal, sla, spec, keep, now):
    clock = SlaClock(sla, cal)
    held = as_intervals(spec)
    fewer = clock.status(held[:keep], now)
    more = clock.status(held, now)
    later = clock.status(held, now + timedelta(days=3))
    assert fewer.used_days <= more.used_days + EPS <= later.used_days + 2 * EPS
    assert more.left_days >= 0
    assert more.left_days == pytest.approx(max(0, sla - more.used_days), abs=EPS)


@given(calendars, st.integers(1, 30), runs, moments)
def test_due_date_is_never_before_the_last_resume_while_time_is_left(cal, sla, spec, now):
    status = SlaClock(sla, cal).status(as_intervals(spec), now)
    if status.left_days > 0:
        resumes = [s for s, _, _ in spec if s <= now]
        assert status.due_at >= max(resumes, default=now)
        assert status.due_at >= now
    else:
        assert status.due_at <= now


@given(
    calendars,
    st.integers(1, 10),
    moments,
    st.lists(st.timedeltas(timedelta(0), timedelta(days=40)), min_size=1, max_size=12),
)
def test_each_crossing_is_reported_exactly_once(cal, sla, start, offsets):
    clock = SlaClock(sla, cal)
    held = [Interval(start)]
    statuses = [clock.status(held, start + offset) for offset in sorted(offsets)]
    reported: list[str] = []
    before = None
    for after in statuses:
        reported += crossed(before, after)
        before = after
    final = statuses[-1].state
    assert (
        reported
        == {"on_track": [], "warning": ["warning"], "breached": ["warning", "breached"]}[final]
    )
