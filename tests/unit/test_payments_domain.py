"""Payment rules: fees, SKRD numbers, virtual accounts, expiry, payment verdicts, reconciliation."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.payments.domain import (
    TIMES,
    FeeError,
    InvoiceStatus,
    assess_fee,
    customer_no,
    invoice_expiry,
    judge_inquiry,
    judge_payment,
    reconcile,
    reconciliation_csv_rows,
    should_expire,
    skrd_number,
    virtual_account,
)

JAKARTA = ZoneInfo("Asia/Jakarta")

# The seed catalogue's rules (services/applications/domain/catalogue.py).
BILLBOARD = {
    "kind": "billboard",
    "rates": {"A": 25_000, "B": 15_000, "C": 10_000},
    "inputs": ["area_m2", "months", "location_class"],
}
BUILDING = {"kind": "building", "unit_price": 30_000, "inputs": ["floor_area_m2", "building_index"]}
FIXED = {"kind": "fixed", "amount": 150_000}
FREE = {"kind": "free"}


def wib(y: int, m: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, s, tzinfo=JAKARTA)


def billboard(area="12", months=6, location_class="A", rule=BILLBOARD):
    inputs = {"area_m2": area, "months": months, "location_class": location_class}
    return assess_fee(rule, inputs)


def building(floor_area="150.5", index="1.25", rule=BUILDING):
    return assess_fee(rule, {"floor_area_m2": floor_area, "building_index": index})


def refusal(rule: dict, inputs: object) -> tuple[str, str]:
    with pytest.raises(FeeError) as caught:
        assess_fee(rule, inputs)
    return caught.value.field, caught.value.code


# --- fees: worked examples ------------------------------------------------------------------


def test_free_costs_nothing_and_has_no_lines():
    assessment = assess_fee(FREE, {})
    assert (assessment.amount, assessment.breakdown, assessment.rule_kind) == (0, [], "free")


def test_fixed_is_its_amount_on_one_line():
    assessment = assess_fee(FIXED, {})
    assert assessment.amount == 150_000
    assert assessment.rule_kind == "fixed"
    assert assessment.breakdown == [
        {
            "label": "Retribusi perizinan (tarif tetap)",
            "quantity": "1",
            "unit_price": 150_000,
            "amount": 150_000,
        }
    ]


def test_billboard_worked_example():
    # 12 m² x 6 months x Rp 25,000 (class A) = 72 x 25,000 = Rp 1,800,000.
    assessment = billboard("12", 6, "A")
    assert assessment.amount == 1_800_000
    assert assessment.rule_kind == "billboard"
    assert assessment.breakdown == [
        {
            "label": "Pajak reklame kelas lokasi A",
            "quantity": f"12 m² {TIMES} 6 bulan",
            "unit_price": 25_000,
            "amount": 1_800_000,
        }
    ]


@pytest.mark.parametrize(
    ("area", "months", "location_class", "amount", "quantity"),
    [
        ("12.5", 3, "B", 562_500, f"12,5 m² {TIMES} 3 bulan"),  # 37.5 x 15,000
        ("0.01", 1, "C", 100, f"0,01 m² {TIMES} 1 bulan"),  # 0.01 x 10,000
        ("1000", 60, "A", 1_500_000_000, f"1.000 m² {TIMES} 60 bulan"),  # 60,000 x 25,000
        (
            "2.50",
            12,
            "C",
            300_000,
            f"2,5 m² {TIMES} 12 bulan",
        ),  # 30 x 10,000; trailing zero dropped
    ],
)
def test_billboard_table(area, months, location_class, amount, quantity):
    line = billboard(area, months, location_class).breakdown[0]
    assert (line["amount"], line["quantity"]) == (amount, quantity)


def test_building_worked_example():
    # 150.5 m² x 1.25 = 188.125 m²; x Rp 30,000 = Rp 5,643,750.
    assessment = building("150.5", "1.25")
    assert assessment.amount == 5_643_750
    assert assessment.rule_kind == "building"
    assert assessment.breakdown == [
        {
            "label": "Retribusi PBG",
            "quantity": f"150,5 m² {TIMES} indeks 1,25",
            "unit_price": 30_000,
            "amount": 5_643_750,
        }
    ]


@pytest.mark.parametrize(
    ("floor_area", "index", "amount", "quantity"),
    [
        ("1234.56", "1.5", 55_555_200, f"1.234,56 m² {TIMES} indeks 1,5"),  # 1,851.84 x 30,000
        ("0.01", "1.2345", 370, f"0,01 m² {TIMES} indeks 1,2345"),  # 370.35 rounds down
        ("1000000", "10", 300_000_000_000, f"1.000.000 m² {TIMES} indeks 10"),  # the largest
    ],
)
def test_building_table(floor_area, index, amount, quantity):
    line = building(floor_area, index).breakdown[0]
    assert (line["amount"], line["quantity"]) == (amount, quantity)


@pytest.mark.parametrize(
    ("area", "amount"),
    [
        ("0.5", 7_501),  # 7,500.50 -> up
        ("0.25", 3_750),  # 3,750.25 -> down
        ("0.75", 11_251),  # 11,250.75 -> up
    ],
)
def test_billboard_rounds_once_to_the_nearest_rupiah_halves_up(area, amount):
    rule = {**BILLBOARD, "rates": {"A": 25_000, "B": 15_001, "C": 10_000}}
    assert billboard(area, 1, "B", rule=rule).amount == amount


def test_building_rounds_halves_up_not_to_even():
    # 0.5 x 1 x 1,001 = 500.5: half up gives 501 where banker's rounding would give 500.
    rule = {**BUILDING, "unit_price": 1_001}
    assert building("0.5", "1", rule=rule).amount == 501
    # 0.01 x 0.0001 x 1,001 = 0.001001 -> 0: a line can round to nothing, never below.
    assert building("0.01", "0.0001", rule=rule).amount == 0


def test_huge_prices_stay_exact():
    # (10^6 - 0.01) x (10 - 0.0001) = 9,999,899.900001, times 10^40 rupiah.
    rule = {**BUILDING, "unit_price": 10**40}
    assert building("999999.99", "9.9999", rule=rule).amount == 9_999_899_900_001 * 10**34


# --- fees: what the inputs may look like ----------------------------------------------------


@pytest.mark.parametrize("area", ["12.5", 12.5, Decimal("12.5"), " 12.5 ", "12.50", "+12.5"])
def test_area_as_string_float_or_decimal_is_the_same(area):
    assert billboard(area, 6, "A").amount == 1_875_000  # 75 m²-months x 25,000


@pytest.mark.parametrize("months", [6, "6", 6.0, "6.0", " 6 ", Decimal("6")])
def test_months_as_any_whole_spelling(months):
    assert billboard("12", months, "A").amount == 1_800_000


@pytest.mark.parametrize("location_class", ["a", " B ", "c"])
def test_location_class_ignores_case_and_spaces(location_class):
    rates = BILLBOARD["rates"]
    assert billboard("1", 1, location_class).amount == rates[location_class.strip().upper()]


def test_a_float_is_read_by_its_shortest_spelling():
    # 12.35 is 12.3499999… in binary; read as the 12.35 the client sent.
    assert billboard(12.35, 1, "C").amount == 123_500
    # 0.1 + 0.2 is 0.30000000000000004: more decimals than an area may have.
    assert refusal(BILLBOARD, {"area_m2": 0.1 + 0.2, "months": 1, "location_class": "C"}) == (
        "area_m2",
        "precision",
    )


# --- fees: refusals -------------------------------------------------------------------------

BILLBOARD_OK = {"area_m2": "12", "months": 6, "location_class": "A"}
BUILDING_OK = {"floor_area_m2": "150.5", "building_index": "1.25"}


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"area_m2": True}, "area_m2", "type"),
        ({"area_m2": False}, "area_m2", "type"),
        ({"months": True}, "months", "type"),
        ({"area_m2": [12]}, "area_m2", "type"),
        ({"area_m2": {"value": 12}}, "area_m2", "type"),
        ({"area_m2": "abc"}, "area_m2", "number"),
        ({"area_m2": ""}, "area_m2", "number"),
        ({"area_m2": "12,5"}, "area_m2", "number"),  # decimal comma: ambiguous
        ({"area_m2": "1.000,5"}, "area_m2", "number"),
        ({"area_m2": "1e3"}, "area_m2", "number"),
        ({"area_m2": ".5"}, "area_m2", "number"),
        ({"area_m2": "NaN"}, "area_m2", "number"),
        ({"area_m2": float("nan")}, "area_m2", "number"),
        ({"area_m2": float("inf")}, "area_m2", "number"),
        ({"area_m2": Decimal("Infinity")}, "area_m2", "number"),
        ({"area_m2": 0}, "area_m2", "range"),
        ({"area_m2": "-1"}, "area_m2", "range"),
        ({"area_m2": "1000.01"}, "area_m2", "range"),
        ({"area_m2": 1e300}, "area_m2", "range"),
        ({"area_m2": "12.345"}, "area_m2", "precision"),
        ({"area_m2": 0.001}, "area_m2", "precision"),
        ({"months": 6.5}, "months", "integer"),
        ({"months": "6.5"}, "months", "integer"),
        ({"months": 0}, "months", "range"),
        ({"months": 61}, "months", "range"),
        ({"months": "-3"}, "months", "range"),
        ({"location_class": "D"}, "location_class", "choice"),
        ({"location_class": ""}, "location_class", "choice"),
        ({"location_class": 1}, "location_class", "type"),
        ({"location_class": True}, "location_class", "type"),
        ({"area_m2": None}, "area_m2", "required"),
        ({"discount": 10}, "discount", "unknown_field"),
    ],
)
def test_billboard_refusals(changes, field, code):
    assert refusal(BILLBOARD, {**BILLBOARD_OK, **changes}) == (field, code)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"floor_area_m2": True}, "floor_area_m2", "type"),
        ({"floor_area_m2": "0"}, "floor_area_m2", "range"),
        ({"floor_area_m2": "1000000.01"}, "floor_area_m2", "range"),
        ({"floor_area_m2": "150.555"}, "floor_area_m2", "precision"),
        ({"building_index": 0}, "building_index", "range"),
        ({"building_index": "10.0001"}, "building_index", "range"),
        ({"building_index": "1.23456"}, "building_index", "precision"),
        ({"building_index": "satu"}, "building_index", "number"),
        ({"building_index": None}, "building_index", "required"),
        ({"area_m2": 10}, "area_m2", "unknown_field"),
    ],
)
def test_building_refusals(changes, field, code):
    assert refusal(BUILDING, {**BUILDING_OK, **changes}) == (field, code)


def test_the_bounds_themselves_are_allowed():
    assert billboard("1000", 60, "A").amount == 1_500_000_000
    assert billboard("0.01", 1, "C").amount == 100
    assert building("1000000", "10").amount == 300_000_000_000
    assert building("12.340", "1.00000").amount == 370_200  # trailing zeros are not decimals


def test_missing_inputs_are_named():
    with pytest.raises(FeeError) as caught:
        assess_fee(BILLBOARD, {"location_class": "A"})
    assert (caught.value.field, caught.value.code) == ("area_m2", "required")
    assert "area_m2, months" in caught.value.message
    assert str(caught.value).startswith("area_m2: is required")


def test_unknown_inputs_are_refused_before_missing_ones():
    assert refusal(BUILDING, {"floor_area_m2": "10", "zone": "x"}) == ("zone", "unknown_field")


@pytest.mark.parametrize("rule", [FREE, FIXED])
def test_free_and_fixed_take_no_inputs(rule):
    assert refusal(rule, {"area_m2": 1}) == ("area_m2", "unknown_field")


@pytest.mark.parametrize("inputs", [None, [], "area_m2=12"])
def test_inputs_must_be_an_object(inputs):
    assert refusal(BILLBOARD, inputs) == ("inputs", "type")


@pytest.mark.parametrize(
    "rule",
    [
        {"kind": "discounted"},
        {},
        "free",
        {"kind": "fixed", "amount": 0},
        {"kind": "fixed", "amount": True},
        {"kind": "fixed"},
        {"kind": "building", "unit_price": "30000"},
        {"kind": "billboard"},
        {"kind": "billboard", "rates": {"A": 25_000}},  # class B asked, no rate for it
    ],
)
def test_a_malformed_rule_is_a_bug_not_a_user_error(rule):
    inputs = {"billboard": {**BILLBOARD_OK, "location_class": "B"}, "building": BUILDING_OK}
    kind = rule.get("kind") if isinstance(rule, dict) else None
    with pytest.raises(ValueError):
        assess_fee(rule, inputs.get(kind, {}))


# --- fees: properties -----------------------------------------------------------------------

areas = st.integers(1, 100_000).map(lambda hundredths: Decimal(hundredths) / 100)
month_counts = st.integers(1, 60)
classes = st.sampled_from("ABC")
rate_triples = st.lists(st.integers(1, 10**7), min_size=3, max_size=3).map(sorted)
spellings = st.sampled_from([str, float, lambda value: value])


def rule_with(rates: list[int]) -> dict:
    low, middle, high = rates
    return {**BILLBOARD, "rates": {"A": high, "B": middle, "C": low}}


def lines_add_up(assessment) -> bool:
    return sum(line["amount"] for line in assessment.breakdown) == assessment.amount


@given(areas, month_counts, classes, rate_triples, spellings)
def test_billboard_amount_is_a_non_negative_int_and_lines_add_up(area, months, cls, rates, spell):
    assessment = billboard(spell(area), months, cls, rule=rule_with(rates))
    assert type(assessment.amount) is int
    assert assessment.amount >= 0
    assert lines_add_up(assessment)
    exact = area * months * rule_with(rates)["rates"][cls]
    assert abs(assessment.amount - exact) <= Decimal("0.5")


@given(st.lists(areas, min_size=2, max_size=2).map(sorted), month_counts, classes, rate_triples)
def test_billboard_is_monotonic_in_area(two_areas, months, cls, rates):
    smaller, larger = (billboard(a, months, cls, rule=rule_with(rates)) for a in two_areas)
    assert smaller.amount <= larger.amount


@given(areas, st.lists(month_counts, min_size=2, max_size=2).map(sorted), classes, rate_triples)
def test_billboard_is_monotonic_in_months(area, two_months, cls, rates):
    shorter, longer = (billboard(area, m, cls, rule=rule_with(rates)) for m in two_months)
    assert shorter.amount <= longer.amount


@given(areas, month_counts, rate_triples)
def test_billboard_is_monotonic_in_location_rate(area, months, rates):
    c, b, a = (billboard(area, months, cls, rule=rule_with(rates)).amount for cls in "CBA")
    assert c <= b <= a


@given(
    st.integers(1, 100_000_000).map(lambda hundredths: Decimal(hundredths) / 100),
    st.integers(1, 100_000).map(lambda ten_thousandths: Decimal(ten_thousandths) / 10_000),
    st.integers(1, 10**9),
    spellings,
)
def test_building_amount_is_the_exact_product_rounded_once(floor_area, index, unit_price, spell):
    assessment = building(
        spell(floor_area), spell(index), rule={**BUILDING, "unit_price": unit_price}
    )
    assert type(assessment.amount) is int
    assert assessment.amount >= 0
    assert lines_add_up(assessment)
    assert abs(assessment.amount - floor_area * index * unit_price) <= Decimal("0.5")


# --- SKRD numbers and virtual accounts ------------------------------------------------------


def test_skrd_number_format():
    assert skrd_number(123, 2026) == "SKRD/2026/000123/DPMPTSP"
    assert skrd_number(1, 2027, "DPMPTSP-KAB01") == "SKRD/2027/000001/DPMPTSP-KAB01"
    assert skrd_number(999_999, 2026) == "SKRD/2026/999999/DPMPTSP"
    assert skrd_number(42, 2026).split("/") == ["SKRD", "2026", "000042", "DPMPTSP"]


@pytest.mark.parametrize(
    ("seq", "year", "office"),
    [
        (0, 2026, "DPMPTSP"),
        (1_000_000, 2026, "DPMPTSP"),
        (True, 2026, "DPMPTSP"),
        ("1", 2026, "DPMPTSP"),
        (1, 26, "DPMPTSP"),
        (1, 10_000, "DPMPTSP"),
        (1, 2026, "dpmptsp"),
        (1, 2026, "DPM/PTSP"),
        (1, 2026, ""),
        (1, 2026, "-DPMPTSP"),
    ],
)
def test_skrd_number_refuses_bad_parts(seq, year, office):
    with pytest.raises(ValueError):
        skrd_number(seq, year, office)


def test_customer_no_is_zero_padded_digits():
    assert customer_no(123) == "000000000123"
    assert customer_no(123, width=16) == "0000000000000123"
    assert customer_no(999_999_999_999) == "999999999999"
    assert customer_no(7, width=1) == "7"


@pytest.mark.parametrize(
    ("seq", "width"),
    [(0, 12), (-1, 12), (10**12, 12), (True, 12), (1.0, 12), (1, 0), (1, 21), (10, 1)],
)
def test_customer_no_refuses_what_does_not_fit(seq, width):
    with pytest.raises(ValueError):
        customer_no(seq, width)


def test_virtual_account_is_the_padded_prefix_then_the_customer_no():
    va = virtual_account("   88899", customer_no(123))
    assert va == "   88899000000000123"
    assert len(va) == 20
    assert va.strip() == "88899000000000123"  # what the applicant types at the ATM
    assert virtual_account("12345678", "1") == "123456781"
    assert len(virtual_account("   88899", "9" * 20)) == 28  # SNAP's longest VA


@pytest.mark.parametrize(
    ("partner_service_id", "number"),
    [
        ("88899", "000000000123"),  # not padded to 8
        ("88899   ", "000000000123"),  # padded on the wrong side
        ("  888 99", "000000000123"),
        ("        ", "000000000123"),
        ("   8889A", "000000000123"),
        ("   88899", ""),
        ("   88899", "12a"),
        ("   88899", "1" * 21),
        ("   88899", 123),
    ],
)
def test_virtual_account_refuses_malformed_parts(partner_service_id, number):
    with pytest.raises(ValueError):
        virtual_account(partner_service_id, number)


# --- expiry ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issued_at", "days", "expires_at"),
    [
        (wib(2026, 7, 8, 10), 7, wib(2026, 7, 15, 23, 59, 59)),
        (wib(2026, 1, 28, 10), 7, wib(2026, 2, 4, 23, 59, 59)),  # month end
        (wib(2026, 12, 28, 9), 7, wib(2027, 1, 4, 23, 59, 59)),  # year end
        (wib(2026, 2, 25, 0), 7, wib(2026, 3, 4, 23, 59, 59)),
        (wib(2028, 2, 25, 0), 7, wib(2028, 3, 3, 23, 59, 59)),  # 29 February 2028
        (wib(2026, 7, 8, 10), 0, wib(2026, 7, 8, 23, 59, 59)),
        (wib(2026, 7, 8, 10), 30, wib(2026, 8, 7, 23, 59, 59)),
        # The issue date is read on the Jakarta calendar, whatever zone the time comes in.
        (datetime(2026, 12, 31, 18, 0, tzinfo=UTC), 7, wib(2027, 1, 8, 23, 59, 59)),
        (datetime(2026, 12, 31, 16, 59, tzinfo=UTC), 7, wib(2027, 1, 7, 23, 59, 59)),
    ],
)
def test_invoice_expiry(issued_at, days, expires_at):
    expiry = invoice_expiry(issued_at, days)
    assert expiry == expires_at
    assert expiry.tzinfo == JAKARTA
    assert expiry.utcoffset() == timedelta(hours=7)


def test_invoice_expiry_defaults_to_seven_days():
    assert invoice_expiry(wib(2026, 7, 8, 10)) == wib(2026, 7, 15, 23, 59, 59)


@pytest.mark.parametrize(
    ("issued_at", "days"),
    [(datetime(2026, 7, 8, 10), 7), (wib(2026, 7, 8), -1), (wib(2026, 7, 8), 1.5), ("2026", 7)],
)
def test_invoice_expiry_refuses_naive_times_and_bad_days(issued_at, days):
    with pytest.raises(ValueError):
        invoice_expiry(issued_at, days)


# --- payment and inquiry verdicts -----------------------------------------------------------

EXPIRES = wib(2026, 7, 15, 23, 59, 59)
BEFORE = EXPIRES - timedelta(hours=1)
AFTER = EXPIRES + timedelta(seconds=1)


def invoice(status, amount=150_000, expires_at=EXPIRES) -> dict:
    return {"status": status, "amount": amount, "expires_at": expires_at}


@pytest.mark.parametrize(
    ("status", "paid", "now", "outcome", "surplus"),
    [
        ("open", 150_000, BEFORE, "apply", 0),
        ("open", 150_000, EXPIRES, "apply", 0),  # the last second still counts
        ("open", 150_000, EXPIRES.astimezone(UTC), "apply", 0),
        ("open", 149_999, BEFORE, "amount_mismatch", 0),
        ("open", 150_001, BEFORE, "amount_mismatch", 0),
        ("open", 0, BEFORE, "amount_mismatch", 0),
        ("open", 150_000, AFTER, "expired_or_cancelled", 0),
        ("open", 149_999, AFTER, "expired_or_cancelled", 0),  # expiry is judged first
        ("paid", 150_000, BEFORE, "already_paid", 150_000),
        ("paid", 175_000, BEFORE, "already_paid", 175_000),
        ("paid", 150_000, AFTER, "already_paid", 150_000),
        ("expired", 150_000, BEFORE, "expired_or_cancelled", 0),
        ("expired", 150_000, AFTER, "expired_or_cancelled", 0),
        ("cancelled", 150_000, BEFORE, "expired_or_cancelled", 0),
        ("cancelled", 1, AFTER, "expired_or_cancelled", 0),
        (InvoiceStatus.OPEN, 150_000, BEFORE, "apply", 0),
    ],
)
def test_judge_payment(status, paid, now, outcome, surplus):
    verdict = judge_payment(invoice(status), paid, now)
    assert (verdict.outcome, verdict.surplus) == (outcome, surplus)


@pytest.mark.parametrize(
    ("status", "now", "outcome"),
    [
        ("open", BEFORE, "ok"),
        ("open", EXPIRES, "ok"),
        ("open", AFTER, "expired_or_cancelled"),
        ("paid", BEFORE, "already_paid"),
        ("paid", AFTER, "already_paid"),
        ("expired", BEFORE, "expired_or_cancelled"),
        ("expired", AFTER, "expired_or_cancelled"),
        ("cancelled", BEFORE, "expired_or_cancelled"),
        ("cancelled", AFTER, "expired_or_cancelled"),
    ],
)
def test_judge_inquiry(status, now, outcome):
    assert judge_inquiry(invoice(status), now).outcome == outcome


@pytest.mark.parametrize(
    ("status", "now", "expected"),
    [
        ("open", BEFORE, False),
        ("open", EXPIRES, False),
        ("open", AFTER, True),
        ("paid", AFTER, False),
        ("expired", AFTER, False),
        ("cancelled", AFTER, False),
    ],
)
def test_should_expire(status, now, expected):
    assert should_expire(invoice(status), now) is expected


def test_invoice_statuses():
    assert [status.value for status in InvoiceStatus] == ["open", "paid", "expired", "cancelled"]


@pytest.mark.parametrize(
    ("record", "paid", "now"),
    [
        (invoice("void"), 150_000, BEFORE),
        (invoice("open"), -1, BEFORE),
        (invoice("open"), True, BEFORE),
        (invoice("open"), 150_000.0, BEFORE),
        (invoice("open"), 150_000, datetime(2026, 7, 15, 12)),
        (invoice("open", expires_at=datetime(2026, 7, 15, 23, 59, 59)), 150_000, BEFORE),
    ],
)
def test_judge_payment_refuses_bad_records(record, paid, now):
    with pytest.raises(ValueError):
        judge_payment(record, paid, now)


# --- reconciliation -------------------------------------------------------------------------

DAY = date(2026, 7, 15)


def inv(number, amount, status, issued_at, paid_at=None, paid_bank=None, expired_at=None):
    return {
        "number": f"SKRD/2026/{number:06d}/DPMPTSP",
        "amount": amount,
        "status": status,
        "issued_at": issued_at,
        "paid_at": paid_at,
        "paid_bank": paid_bank,
        "expired_at": expired_at,
    }


def attempt(bank, number, amount, outcome, at, request_id):
    return {
        "bank": bank,
        "invoice_number": None if number is None else f"SKRD/2026/{number:06d}/DPMPTSP",
        "amount": amount,
        "outcome": outcome,
        "at": at,
        "payment_request_id": request_id,
    }


INVOICES = [
    inv(1, 1_800_000, "paid", wib(2026, 7, 15, 8), wib(2026, 7, 15, 10), "BANKA"),
    inv(2, 5_643_750, "paid", wib(2026, 7, 15, 9), wib(2026, 7, 15, 23, 30), "BANKB"),
    inv(3, 150_000, "open", wib(2026, 7, 15, 11)),
    # Expired by the sweeper just after midnight.
    inv(4, 250_000, "expired", wib(2026, 7, 7, 10), expired_at=wib(2026, 7, 15, 0, 0, 5)),
    # Paid at 00:30 WIB, still 14 July in UTC: counts on the 15th.
    inv(5, 300_000, "paid", wib(2026, 7, 10), datetime(2026, 7, 14, 17, 30, tzinfo=UTC), "BANKA"),
    # Paid at 00:10 WIB on the 16th, still the 15th in UTC: not this day.
    inv(6, 400_000, "paid", wib(2026, 7, 14, 23, 59), wib(2026, 7, 16, 0, 10), "BANKB"),
    # Issued at 00:30 WIB on the 16th: not this day.
    inv(7, 100_000, "open", datetime(2026, 7, 15, 17, 30, tzinfo=UTC)),
]

PAYMENTS = [
    attempt("BANKA", 5, 300_000, "apply", wib(2026, 7, 15, 0, 30), "A-0"),
    attempt("BANKA", 1, 1_800_000, "apply", wib(2026, 7, 15, 10), "A-1"),
    attempt("BANKA", 1, 1_800_000, "resend", wib(2026, 7, 15, 10, 5), "A-1"),
    attempt("BANKB", 2, 5_600_000, "amount_mismatch", wib(2026, 7, 15, 23), "B-1"),
    attempt("BANKB", 2, 5_643_750, "apply", wib(2026, 7, 15, 23, 30), "B-2"),
    # The same bill paid again through the other bank: the second payment is refunded ...
    attempt("BANKA", 2, 5_643_750, "already_paid", wib(2026, 7, 15, 23, 45), "A-2"),
    # ... once, although the bank resent it.
    attempt("BANKA", 2, 5_643_750, "already_paid", wib(2026, 7, 15, 23, 46), "A-2"),
    attempt("BANKB", None, 75_000, "not_found", wib(2026, 7, 15, 12), "B-3"),
    attempt("BANKB", 4, 250_000, "expired_or_cancelled", wib(2026, 7, 15, 9), "B-4"),
    attempt("BANKA", None, 0, "refused", wib(2026, 7, 15, 11), None),
    attempt("BANKA", 3, 1, "amount_mismatch", wib(2026, 7, 16, 0, 30), "A-3"),  # next day
]


def test_reconciliation_of_a_day_with_two_banks():
    report = reconcile(INVOICES, PAYMENTS, DAY)
    assert report["day"] == "2026-07-15"
    assert report["timezone"] == "Asia/Jakarta"
    assert report["banks"] == [
        {
            "bank": "BANKA",
            "paid": 2,  # invoices 1 and 5
            "collected": 2_100_000,  # 1,800,000 + 300,000
            "amount_mismatch": 0,
            "already_paid": 1,
            "unknown_bill": 0,
            "expired_or_cancelled": 0,
            "refund_amount": 5_643_750,
        },
        {
            "bank": "BANKB",
            "paid": 1,  # invoice 2
            "collected": 5_643_750,
            "amount_mismatch": 1,
            "already_paid": 0,
            "unknown_bill": 1,
            "expired_or_cancelled": 1,
            "refund_amount": 75_000,
        },
    ]
    assert report["totals"] == {
        "issued": 3,  # invoices 1, 2, 3
        "billed": 7_593_750,  # 1,800,000 + 5,643,750 + 150,000
        "expired": 1,
        "expired_amount": 250_000,
        "paid": 3,
        "collected": 7_743_750,  # 2,100,000 + 5,643,750
        "amount_mismatch": 1,
        "already_paid": 1,
        "unknown_bill": 1,
        "expired_or_cancelled": 1,
        "refund_amount": 5_718_750,  # 5,643,750 + 75,000
    }


def test_reconciliation_anomalies_in_time_order_with_refunds():
    anomalies = reconcile(INVOICES, PAYMENTS, DAY)["anomalies"]
    assert [(a["kind"], a["bank"], a["payment_request_id"]) for a in anomalies] == [
        ("expired_or_cancelled", "BANKB", "B-4"),
        ("unknown_bill", "BANKB", "B-3"),
        ("amount_mismatch", "BANKB", "B-1"),
        ("already_paid", "BANKA", "A-2"),
    ]
    mismatch = anomalies[2]
    assert mismatch == {
        "kind": "amount_mismatch",
        "bank": "BANKB",
        "invoice_number": "SKRD/2026/000002/DPMPTSP",
        "payment_request_id": "B-1",
        "at": "2026-07-15T23:00:00+07:00",
        "paid_amount": 5_600_000,
        "invoice_amount": 5_643_750,
        "refund_amount": 0,
    }
    unknown = anomalies[1]
    assert (unknown["invoice_number"], unknown["invoice_amount"]) == (None, None)
    assert unknown["refund_amount"] == 75_000
    assert anomalies[3]["refund_amount"] == 5_643_750


def test_reconciliation_is_json_ready():
    report = reconcile(INVOICES, PAYMENTS, DAY)
    assert json.loads(json.dumps(report)) == report


def test_reconciliation_csv_rows():
    rows = reconciliation_csv_rows(reconcile(INVOICES, PAYMENTS, DAY))
    assert rows == [
        [
            "Bank",
            "SKRD terbit",
            "Nilai terbit (Rp)",
            "SKRD kedaluwarsa",
            "Nilai kedaluwarsa (Rp)",
            "SKRD lunas",
            "Nilai diterima (Rp)",
            "Nominal tidak sesuai",
            "Bayar ulang tagihan lunas",
            "Tagihan tidak dikenal",
            "Bayar tagihan kedaluwarsa/batal",
            "Nilai pengembalian (Rp)",
        ],
        ["BANKA", "", "", "", "", "2", "2100000", "0", "1", "0", "0", "5643750"],
        ["BANKB", "", "", "", "", "1", "5643750", "1", "0", "1", "1", "75000"],
        ["JUMLAH", "3", "7593750", "1", "250000", "3", "7743750", "1", "1", "1", "1", "5718750"],
    ]
    assert all(isinstance(cell, str) for row in rows for cell in row)


def test_a_quiet_day_still_lists_the_configured_banks():
    report = reconcile([], [], DAY, banks=["BANKB", "BANKA"])
    assert [row["bank"] for row in report["banks"]] == ["BANKA", "BANKB"]
    assert all(value == 0 for value in report["totals"].values())
    assert report["anomalies"] == []
    rows = reconciliation_csv_rows(report)
    assert len(rows) == 4
    assert rows[-1] == ["JUMLAH", *["0"] * 11]


def test_another_day_sees_other_records():
    report = reconcile(INVOICES, PAYMENTS, date(2026, 7, 16))
    assert report["totals"]["issued"] == 1  # invoice 7
    assert report["totals"]["paid"] == 1  # invoice 6
    assert [a["payment_request_id"] for a in report["anomalies"]] == ["A-3"]


@pytest.mark.parametrize(
    ("invoices", "payments"),
    [
        ([inv(1, 1, "open", datetime(2026, 7, 15, 8))], []),  # naive time
        ([inv(1, 1, "paid", wib(2026, 7, 15), wib(2026, 7, 15, 1))], []),  # paid, no bank
        ([inv(1, -5, "open", wib(2026, 7, 15))], []),
        ([], [attempt("BANKA", 1, 1, "lost", wib(2026, 7, 15), "A")]),
        ([], [attempt("BANKA", 1, 1, "apply", datetime(2026, 7, 15), "A")]),
    ],
)
def test_reconciliation_refuses_inconsistent_records(invoices, payments):
    with pytest.raises(ValueError):
        reconcile(invoices, payments, DAY)
