"""Pure payment rules: fees, invoices (SKRD), virtual accounts, payment verdicts, reconciliation."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal, Inexact, InvalidOperation, localcontext
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")

# --- fees ----------------------------------------------------------------------------------------

# What the applicant (or the officer assessing the fee) enters, per fee kind, in canonical order.
# The same table as the permit catalogue's; repeated because services never import each other.
FEE_INPUTS: dict[str, tuple[str, ...]] = {
    "free": (),
    "fixed": (),
    "billboard": ("area_m2", "months", "location_class"),
    "building": ("floor_area_m2", "building_index"),
}
FEE_KINDS = tuple(FEE_INPUTS)
LOCATION_CLASSES = ("A", "B", "C")

# Bounds of the inputs: (largest value, decimal places). Every value must be more than 0.
AREA_M2 = (Decimal(1_000), 2)
FLOOR_AREA_M2 = (Decimal(1_000_000), 2)
BUILDING_INDEX = (Decimal(10), 4)
MONTHS = (1, 60)

# The multiplication sign of printed quantities ("12 m² x 6 bulan" with a real times sign).
TIMES = "\u00d7"

# FeeError codes, stable for clients: type (not a number, or a boolean), number (a string that is
# not a plain decimal number), required, unknown_field, range, precision (too many decimal
# places), integer (months with a fraction), choice (unknown location class).

# A plain decimal number as text: digits, optionally a dot and more digits. No exponent, no
# thousands separator and no decimal comma: "1.000" or "12,5" would be read two ways.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")

# Money arithmetic is exact up to the single rounding of each line: 60 digits hold any product
# of bounded inputs and a price of up to 40 digits, and Inexact is trapped so nothing is ever
# rounded silently.
_EXACT = Context(prec=60, traps=[Inexact, InvalidOperation])
_ROUNDING = Context(prec=60, traps=[InvalidOperation])


class FeeError(Exception):
    """Fee inputs break a rule; the service turns it into a 422 with an error on `field`.

    `field` is the input's name (e.g. ``area_m2``), or ``inputs`` when the inputs are not an
    object at all; the service may prefix it with where the inputs sit in its request.
    """

    def __init__(self, field: str, code: str, message: str):
        self.field = field
        self.code = code
        self.message = message
        super().__init__(field, code, message)

    def __str__(self) -> str:
        return f"{self.field}: {self.message} ({self.code})"


@dataclass(frozen=True)
class Assessment:
    """An assessed fee: whole rupiah, and the lines printed on the SKRD.

    Each breakdown line is ``{label, quantity, unit_price, amount}``: a label in Bahasa
    Indonesia, the quantity as printed in Indonesian number style ("12,5 m² x 6 bulan", with a
    real times sign), the unit price and the line's amount in rupiah. `amount` is the sum of
    the lines.
    """

    amount: int
    breakdown: list[dict]
    rule_kind: str


def assess_fee(rule: dict, inputs: dict) -> Assessment:
    """The fee a permit type's `rule` asks for, given the applicant's `inputs`.

    Inputs may be numbers or strings ("12.5"; JSON numbers arrive as int or float, a float is
    read by its shortest spelling, so 12.35 means 12.35); booleans, unknown inputs, missing
    inputs (or null ones) and out-of-range values raise FeeError. Every line is computed exactly
    and rounded once to the nearest rupiah, halves up (Rp 7.500,5 becomes Rp 7.501).

    - free: Rp 0, no lines.
    - fixed: the rule's `amount`.
    - billboard: area_m2 (more than 0, at most 1000, two decimals) x months (whole, 1 to 60)
      x the rule's rate for location_class (A, B or C; case and spaces ignored).
    - building: floor_area_m2 (more than 0, at most 1,000,000, two decimals) x building_index
      (more than 0, at most 10, four decimals) x the rule's unit_price.

    A malformed rule (the catalogue validates rules, so this is a bug) raises ValueError.
    """
    kind = rule.get("kind") if isinstance(rule, dict) else None
    if kind not in FEE_INPUTS:
        raise ValueError(f"not a fee rule: {rule!r}")
    _check_input_names(inputs, FEE_INPUTS[kind])
    lines = _LINES_OF[kind](rule, inputs)
    return Assessment(sum(line["amount"] for line in lines), lines, kind)


def _check_input_names(inputs: object, expected: tuple[str, ...]) -> None:
    if not isinstance(inputs, dict):
        raise FeeError("inputs", "type", "must be an object")
    unknown = sorted(str(name) for name in inputs if name not in expected)
    if unknown:
        allowed = ", ".join(expected) or "none"
        raise FeeError(unknown[0], "unknown_field", f"is not an input of this fee ({allowed})")
    # A null input is a field left empty in a form: treat it as missing, not as a bad type.
    missing = [name for name in expected if inputs.get(name) is None]
    if missing:
        raise FeeError(missing[0], "required", f"is required (missing: {', '.join(missing)})")


def _free_lines(rule: dict, inputs: dict) -> list[dict]:
    return []


def _fixed_lines(rule: dict, inputs: dict) -> list[dict]:
    amount = _rule_price(rule, "amount")
    return [_line("Retribusi perizinan (tarif tetap)", "1", amount, Decimal(amount))]


def _billboard_lines(rule: dict, inputs: dict) -> list[dict]:
    rates = rule.get("rates")
    if not isinstance(rates, dict):
        raise ValueError(f"billboard rule without rates: {rule!r}")
    area = _bounded_decimal(inputs, "area_m2", *AREA_M2)
    months = _months(inputs)
    location_class = _location_class(inputs)
    rate = _rule_price(rates, location_class)
    with localcontext(_EXACT):
        exact = area * months * rate
    return [
        _line(
            f"Pajak reklame kelas lokasi {location_class}",
            f"{_id_number(area)} m² {TIMES} {months} bulan",
            rate,
            exact,
        )
    ]


def _building_lines(rule: dict, inputs: dict) -> list[dict]:
    unit_price = _rule_price(rule, "unit_price")
    floor_area = _bounded_decimal(inputs, "floor_area_m2", *FLOOR_AREA_M2)
    index = _bounded_decimal(inputs, "building_index", *BUILDING_INDEX)
    with localcontext(_EXACT):
        exact = floor_area * index * unit_price
    return [
        _line(
            "Retribusi PBG",
            f"{_id_number(floor_area)} m² {TIMES} indeks {_id_number(index)}",
            unit_price,
            exact,
        )
    ]


_LINES_OF = {
    "free": _free_lines,
    "fixed": _fixed_lines,
    "billboard": _billboard_lines,
    "building": _building_lines,
}


def _line(label: str, quantity: str, unit_price: int, exact: Decimal) -> dict:
    return {
        "label": label,
        "quantity": quantity,
        "unit_price": unit_price,
        "amount": _round_rupiah(exact),
    }


def _round_rupiah(exact: Decimal) -> int:
    """To the nearest rupiah, halves up: the rounding an applicant expects on a printed bill."""
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP, context=_ROUNDING))


def _rule_price(rule: dict, key: str) -> int:
    value = rule.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"fee rule {key} must be a positive whole number of rupiah: {value!r}")
    return value


def _number(inputs: dict, name: str) -> Decimal:
    """An input as an exact Decimal, whether it came as int, float, Decimal or string."""
    value = inputs[name]
    # bool is an int in Python, but `true` for an area is a client bug, not 1 m².
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise FeeError(name, "type", "must be a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise FeeError(name, "number", "must be a finite number")
        # repr is the shortest text that reads back as this float: 12.35, not 12.3499999….
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise FeeError(name, "number", "must be a finite number")
        return value
    text = value.strip()
    if not _PLAIN_NUMBER.fullmatch(text):
        raise FeeError(name, "number", "must be a number written with digits and a dot, e.g. 12.5")
    return Decimal(text)


def _bounded_decimal(inputs: dict, name: str, maximum: Decimal, places: int) -> Decimal:
    value = _number(inputs, name)
    if not 0 < value <= maximum:
        raise FeeError(name, "range", f"must be more than 0 and at most {maximum}")
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise FeeError(name, "precision", f"must have at most {places} decimal places")
    return value


def _months(inputs: dict) -> int:
    value = _number(inputs, "months")
    if value != value.to_integral_value():
        raise FeeError("months", "integer", "must be a whole number of months")
    low, high = MONTHS
    if not low <= value <= high:
        raise FeeError("months", "range", f"must be from {low} to {high}")
    return int(value)


def _location_class(inputs: dict) -> str:
    value = inputs["location_class"]
    choices = ", ".join(LOCATION_CLASSES)
    if not isinstance(value, str):
        raise FeeError("location_class", "type", f"must be one of {choices}")
    location_class = value.strip().upper()
    if location_class not in LOCATION_CLASSES:
        raise FeeError("location_class", "choice", f"must be one of {choices}")
    return location_class


def _id_number(value: Decimal) -> str:
    """Indonesian style: dots group thousands, a comma marks decimals (1.234,5)."""
    english = f"{value.normalize():,f}"
    return english.replace(",", "_").replace(".", ",").replace("_", ".")


# --- invoice numbers, virtual accounts, expiry --------------------------------------------------

SKRD_SEQUENCE_DIGITS = 6
_OFFICE_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,19}")
# SNAP: partnerServiceId is 8 characters (digits left-padded with spaces), customerNo up to 20
# digits, virtualAccountNo (their concatenation) up to 28.
PARTNER_SERVICE_ID_LENGTH = 8
CUSTOMER_NO_MAX_DIGITS = 20
_PARTNER_SERVICE_ID = re.compile(r" *[0-9]+")
_CUSTOMER_NO = re.compile(r"[0-9]{1,20}")


def skrd_number(seq: int, year: int, office_code: str = "DPMPTSP") -> str:
    """The invoice (Surat Ketetapan Retribusi Daerah) number: ``SKRD/<year>/<seq>/<office>``.

    `seq` is the service's counter for `year`, restarting at 1 each year, written with six
    digits (up to 999999 invoices a year); the office code is capitals, digits and dashes and
    holds no slash, so the number splits back on "/". Example: ``SKRD/2026/000123/DPMPTSP``.
    """
    _whole(seq, "seq", 1, 10**SKRD_SEQUENCE_DIGITS - 1)
    _whole(year, "year", 2000, 9999)
    if not isinstance(office_code, str) or not _OFFICE_CODE.fullmatch(office_code):
        raise ValueError(f"office code must be capitals, digits and dashes: {office_code!r}")
    return f"SKRD/{year}/{seq:0{SKRD_SEQUENCE_DIGITS}d}/{office_code}"


def customer_no(seq: int, width: int = 12) -> str:
    """The SNAP customerNo of an open invoice: its sequence (from the service), zero-padded.

    Digits only, exactly `width` of them (1 to 20, SNAP's limit); the service hands out a sequence
    that no other open invoice holds, which keeps the number unique per open invoice.
    """
    _whole(width, "width", 1, CUSTOMER_NO_MAX_DIGITS)
    _whole(seq, "seq", 1, 10**width - 1)
    return f"{seq:0{width}d}"


def virtual_account(partner_service_id: str, customer_no: str) -> str:
    """The SNAP virtualAccountNo: the bank's partnerServiceId followed by the customerNo.

    The partnerServiceId keeps its left padding (``"   88899"``), as the bank sends it back in
    inquiry and payment; show the applicant the number without the spaces.
    """
    if (
        not isinstance(partner_service_id, str)
        or len(partner_service_id) != PARTNER_SERVICE_ID_LENGTH
        or not _PARTNER_SERVICE_ID.fullmatch(partner_service_id)
    ):
        raise ValueError(
            f"partner service id must be 8 characters, digits left-padded with spaces: "
            f"{partner_service_id!r}"
        )
    if not isinstance(customer_no, str) or not _CUSTOMER_NO.fullmatch(customer_no):
        raise ValueError(f"customer number must be 1 to 20 digits: {customer_no!r}")
    return partner_service_id + customer_no


def invoice_expiry(issued_at: datetime, days: int = 7) -> datetime:
    """When an invoice issued at `issued_at` expires: 23:59:59 Asia/Jakarta, `days` later.

    Calendar days, not working days (banks take payments every day), counted from the issue
    date on the Jakarta calendar: an invoice issued on 28 December at any hour expires on
    4 January at 23:59:59 WIB. The answer is aware, in Asia/Jakarta; an invoice counts as
    expired once the clock is past that second.
    """
    _aware(issued_at, "issued_at")
    _whole(days, "days", 0, 366)
    last_day = issued_at.astimezone(JAKARTA).date() + timedelta(days=days)
    return datetime.combine(last_day, time(23, 59, 59), tzinfo=JAKARTA)


def _whole(value: object, name: str, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}: {value!r}")


def _aware(moment: object, name: str) -> datetime:
    # A naive time would be read in the machine's zone and shift every day boundary.
    if not isinstance(moment, datetime) or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime: {moment!r}")
    return moment


# --- payment verdicts ------------------------------------------------------------------------


class InvoiceStatus(StrEnum):
    """An invoice is open until paid, expired or cancelled; none of those three moves again."""

    OPEN = "open"
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


PaymentOutcome = Literal["apply", "amount_mismatch", "already_paid", "expired_or_cancelled"]
InquiryOutcome = Literal["ok", "already_paid", "expired_or_cancelled"]


@dataclass(frozen=True)
class PaymentVerdict:
    """What to do with a payment the bank reports.

    apply: mark the invoice paid (a conditional update on `open`). amount_mismatch: refuse, the
    invoice stays open. already_paid: refuse, and record `surplus` (the whole payment) for
    refund. expired_or_cancelled: refuse.
    """

    outcome: PaymentOutcome
    surplus: int = 0


@dataclass(frozen=True)
class InquiryVerdict:
    """Whether a VA inquiry is answered with the bill (`ok`) or refused, and why."""

    outcome: InquiryOutcome


def judge_payment(invoice: dict, paid_amount: int, now: datetime) -> PaymentVerdict:
    """The verdict on a new payment of `paid_amount` rupiah for `invoice` at `now`.

    `invoice` is ``{status, amount, expires_at}``. The service answers a resend (the same
    paymentRequestId) from its stored first answer before asking: this judges new payments.
    An open invoice past its expiry counts as expired. A paid invoice refuses every further
    payment and the whole of it is surplus to refund; expired or cancelled invoices refuse
    without surplus (the bank reverses a refused payment; BANK_API.md records surplus only
    for bills already paid).
    """
    _rupiah(paid_amount, "paid_amount")
    status = _status(invoice)
    if status is InvoiceStatus.PAID:
        return PaymentVerdict("already_paid", surplus=paid_amount)
    if status is not InvoiceStatus.OPEN or _past_expiry(invoice, now):
        return PaymentVerdict("expired_or_cancelled")
    if paid_amount != _rupiah(invoice["amount"], "amount"):
        return PaymentVerdict("amount_mismatch")
    return PaymentVerdict("apply")


def judge_inquiry(invoice: dict, now: datetime) -> InquiryVerdict:
    """The verdict on a bank's inquiry about `invoice` (``{status, amount, expires_at}``)."""
    status = _status(invoice)
    if status is InvoiceStatus.PAID:
        return InquiryVerdict("already_paid")
    if status is not InvoiceStatus.OPEN or _past_expiry(invoice, now):
        return InquiryVerdict("expired_or_cancelled")
    return InquiryVerdict("ok")


def should_expire(invoice: dict, now: datetime) -> bool:
    """True for an open invoice past its expiry: the sweeper marks it expired (conditionally)."""
    return _status(invoice) is InvoiceStatus.OPEN and _past_expiry(invoice, now)


def _status(invoice: dict) -> InvoiceStatus:
    try:
        return InvoiceStatus(invoice["status"])
    except ValueError:
        raise ValueError(f"unknown invoice status: {invoice['status']!r}") from None


def _past_expiry(invoice: dict, now: datetime) -> bool:
    return _aware(now, "now") > _aware(invoice["expires_at"], "expires_at")


def _rupiah(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole, non-negative number of rupiah: {value!r}")
    return value


# --- reconciliation ----------------------------------------------------------------------------

# Outcomes a recorded payment attempt may carry: the payment verdicts, plus `resend` (the same
# paymentRequestId answered again from the stored answer), `not_found` (no open invoice has the
# VA) and `refused` (the call failed before judging: signature, token, fields).
ATTEMPT_OUTCOMES = (
    "apply",
    "resend",
    "amount_mismatch",
    "already_paid",
    "expired_or_cancelled",
    "not_found",
    "refused",
)
# Anomaly kind of each attempt outcome that is one.
_ANOMALY_OF = {
    "amount_mismatch": "amount_mismatch",
    "already_paid": "already_paid",
    "expired_or_cancelled": "expired_or_cancelled",
    "not_found": "unknown_bill",
}
# Money that reached the office for a bill that cannot take it goes back to the payer.
_REFUNDED = frozenset({"already_paid", "unknown_bill"})
ANOMALY_KINDS = ("amount_mismatch", "already_paid", "unknown_bill", "expired_or_cancelled")

BANK_FIELDS = ("paid", "collected", *ANOMALY_KINDS, "refund_amount")
INVOICE_FIELDS = ("issued", "billed", "expired", "expired_amount")
TOTAL_FIELDS = INVOICE_FIELDS + BANK_FIELDS

# CSV columns: report key, then the header the treasurer reads (Bahasa Indonesia).
CSV_COLUMNS = (
    ("bank", "Bank"),
    ("issued", "SKRD terbit"),
    ("billed", "Nilai terbit (Rp)"),
    ("expired", "SKRD kedaluwarsa"),
    ("expired_amount", "Nilai kedaluwarsa (Rp)"),
    ("paid", "SKRD lunas"),
    ("collected", "Nilai diterima (Rp)"),
    ("amount_mismatch", "Nominal tidak sesuai"),
    ("already_paid", "Bayar ulang tagihan lunas"),
    ("unknown_bill", "Tagihan tidak dikenal"),
    ("expired_or_cancelled", "Bayar tagihan kedaluwarsa/batal"),
    ("refund_amount", "Nilai pengembalian (Rp)"),
)
TOTAL_LABEL = "JUMLAH"


def reconcile(
    invoices: list[dict], payments: list[dict], day: date, banks: Iterable[str] = ()
) -> dict:
    """The treasurer's reconciliation of one day on the Asia/Jakarta calendar.

    Records (times are timezone-aware datetimes; amounts whole rupiah):

    - invoice: ``{number, amount, status, issued_at, paid_at, paid_bank, expired_at}``;
      paid_at/paid_bank and expired_at are None until the invoice is paid or expired;
      paid_bank is the partner's client_id. Pass at least every invoice issued, paid or expired
      on the day (more is harmless: each count looks at its own date).
    - payment attempt: ``{bank, invoice_number, amount, outcome, at, payment_request_id}``;
      invoice_number is None when the VA matched no invoice; outcome is one of
      ATTEMPT_OUTCOMES; attempts outside the day are ignored.

    An invoice has a VA with every bank, so issued, billed and expired are day totals; paid
    and collected are counted per bank (paid_bank) from the invoices, the record of truth.
    Anomalies come from the attempts: amount_mismatch, already_paid (refund the payment),
    unknown_bill (refund the payment) and expired_or_cancelled. A bank resending an attempt
    with the same payment_request_id is counted once. `banks` lists partners to show even
    on a day without activity.

    Returns (JSON-ready)::

        {day: "YYYY-MM-DD", timezone: "Asia/Jakarta",
         banks: [{bank, paid, collected, amount_mismatch, already_paid, unknown_bill,
                  expired_or_cancelled, refund_amount}],        # sorted by bank
         totals: {issued, billed, expired, expired_amount, paid, collected, amount_mismatch,
                  already_paid, unknown_bill, expired_or_cancelled, refund_amount},
         anomalies: [{kind, bank, invoice_number, payment_request_id, at (ISO, +07:00),
                      paid_amount, invoice_amount (None if unknown), refund_amount}]}
    """
    per_bank = {bank: _zero_bank(bank) for bank in banks}
    totals = dict.fromkeys(TOTAL_FIELDS, 0)
    for invoice in invoices:
        _count_invoice(invoice, day, totals, per_bank)
    amounts = {invoice["number"]: invoice["amount"] for invoice in invoices}
    anomalies = _anomalies(payments, day, amounts)
    for anomaly in anomalies:
        row = per_bank.setdefault(anomaly["bank"], _zero_bank(anomaly["bank"]))
        for counts in (row, totals):
            counts[anomaly["kind"]] += 1
            counts["refund_amount"] += anomaly["refund_amount"]
    return {
        "day": day.isoformat(),
        "timezone": "Asia/Jakarta",
        "banks": [per_bank[bank] for bank in sorted(per_bank)],
        "totals": totals,
        "anomalies": anomalies,
    }


def reconciliation_csv_rows(report: dict) -> list[list[str]]:
    """The report as CSV rows: a header, one row per bank, then the total row.

    Issued, billed and expired belong to no bank (an invoice has a VA with every bank), so
    they are blank on bank rows and filled on the total row. Amounts are plain digits, so a
    spreadsheet reads them as numbers.
    """
    rows = [[header for _, header in CSV_COLUMNS]]
    for bank_row in report["banks"]:
        rows.append([_cell(bank_row.get(key, "")) for key, _ in CSV_COLUMNS])
    total_row = {**report["totals"], "bank": TOTAL_LABEL}
    rows.append([_cell(total_row[key]) for key, _ in CSV_COLUMNS])
    return rows


def _cell(value: object) -> str:
    return str(value)


def _zero_bank(bank: str) -> dict:
    return {"bank": bank, **dict.fromkeys(BANK_FIELDS, 0)}


def _count_invoice(invoice: dict, day: date, totals: dict, per_bank: dict) -> None:
    amount = _rupiah(invoice["amount"], "amount")
    if _on_day(invoice["issued_at"], day, "issued_at"):
        totals["issued"] += 1
        totals["billed"] += amount
    if _on_day(invoice.get("expired_at"), day, "expired_at"):
        totals["expired"] += 1
        totals["expired_amount"] += amount
    if _on_day(invoice.get("paid_at"), day, "paid_at"):
        bank = invoice.get("paid_bank")
        if not bank:
            raise ValueError(f"invoice {invoice['number']} is paid but names no bank")
        row = per_bank.setdefault(bank, _zero_bank(bank))
        for counts in (row, totals):
            counts["paid"] += 1
            counts["collected"] += amount


def _anomalies(payments: list[dict], day: date, amounts: dict) -> list[dict]:
    anomalies = []
    seen = set()
    for attempt in sorted(payments, key=lambda attempt: _aware(attempt["at"], "at")):
        outcome = attempt["outcome"]
        if outcome not in ATTEMPT_OUTCOMES:
            raise ValueError(f"unknown payment attempt outcome: {outcome!r}")
        if outcome not in _ANOMALY_OF or not _on_day(attempt["at"], day, "at"):
            continue
        # A resend of a refused payment is the same money: count (and refund) it once.
        request = attempt.get("payment_request_id")
        if request is not None:
            if (attempt["bank"], request) in seen:
                continue
            seen.add((attempt["bank"], request))
        anomalies.append(_anomaly(attempt, _ANOMALY_OF[outcome], amounts))
    return anomalies


def _anomaly(attempt: dict, kind: str, amounts: dict) -> dict:
    paid = _rupiah(attempt["amount"], "amount")
    number = attempt.get("invoice_number")
    return {
        "kind": kind,
        "bank": attempt["bank"],
        "invoice_number": number,
        "payment_request_id": attempt.get("payment_request_id"),
        "at": attempt["at"].astimezone(JAKARTA).isoformat(),
        "paid_amount": paid,
        "invoice_amount": amounts.get(number) if number is not None else None,
        "refund_amount": paid if kind in _REFUNDED else 0,
    }


def _on_day(moment: datetime | None, day: date, name: str) -> bool:
    if moment is None:
        return False
    return _aware(moment, name).astimezone(JAKARTA).date() == day
