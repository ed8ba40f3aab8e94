"""Pure identity rules: NIK, email, phone, password, roles and login throttling; no I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import phonenumbers
from email_validator import EmailNotValidError, validate_email


class RuleBroken(Exception):
    """A value breaks a rule; the handlers turn it into a 422 with an error on `field`."""

    def __init__(self, field: str, code: str, message: str):
        self.field = field
        self.code = code
        self.message = message
        super().__init__(field, code, message)

    def __str__(self) -> str:
        return f"{self.field}: {self.message} ({self.code})"


# --- NIK (Nomor Induk Kependudukan) ---------------------------------------------------------

NIK_LENGTH = 16

# Province codes of Kemendagri (Permendagri on regional codes), all 38 provinces since the 2022
# splits in Papua. A NIK keeps the code of the province that issued it, so the old Papua codes
# (91 for Papua Barat, 94 for Papua before the renumbering) stay valid: the whole 91-96 range is.
PROVINCE_CODES = frozenset(
    {
        *("11", "12", "13", "14", "15", "16", "17", "18", "19"),  # Aceh ... Bangka Belitung
        "21",  # Kepulauan Riau
        *("31", "32", "33", "34", "35", "36"),  # DKI Jakarta ... Banten
        *("51", "52", "53"),  # Bali, NTB, NTT
        *("61", "62", "63", "64", "65"),  # Kalimantan Barat ... Kalimantan Utara
        *("71", "72", "73", "74", "75", "76"),  # Sulawesi Utara ... Sulawesi Barat
        *("81", "82"),  # Maluku, Maluku Utara
        *("91", "92", "93", "94", "95", "96"),  # Papua and its 2022 provinces
    }
)

# Dukcapil writes a woman's birth day plus 40 in the NIK.
FEMALE_DAY_OFFSET = 40


@dataclass(frozen=True)
class NikInfo:
    """What a NIK says. Region codes are hierarchical, as Kemendagri writes them (32.14.01)."""

    province_code: str  # "32"
    regency_code: str  # "3214": province + regency or city
    district_code: str  # "321401": regency + kecamatan
    birth_date: date
    sex: str  # "F" or "M"
    serial: str  # "0001"


def validate_nik(nik: str, today: date) -> NikInfo:
    """Check a NIK against Dukcapil's structure and read what it encodes."""
    nik = nik.strip()
    if len(nik) != NIK_LENGTH:
        raise RuleBroken("nik", "nik_length", f"a NIK has {NIK_LENGTH} digits, got {len(nik)}")
    # str.isdigit alone accepts other scripts' digits (Arabic-Indic, fullwidth...).
    if not (nik.isascii() and nik.isdigit()):
        raise RuleBroken("nik", "nik_digits", "a NIK has digits 0-9 only")
    province, regency, district = nik[0:2], nik[2:4], nik[4:6]
    if province not in PROVINCE_CODES:
        raise RuleBroken("nik", "nik_province", f"{province} is not a province code")
    if regency == "00":
        raise RuleBroken("nik", "nik_regency", "the regency or city code cannot be 00")
    if district == "00":
        raise RuleBroken("nik", "nik_district", "the district code cannot be 00")
    birth_date, sex = _read_birth_date(nik[6:12], today)
    serial = nik[12:16]
    if serial == "0000":
        raise RuleBroken("nik", "nik_serial", "the serial number cannot be 0000")
    return NikInfo(
        province_code=province,
        regency_code=province + regency,
        district_code=province + regency + district,
        birth_date=birth_date,
        sex=sex,
        serial=serial,
    )


def _read_birth_date(ddmmyy: str, today: date) -> tuple[date, str]:
    day, month, year = int(ddmmyy[0:2]), int(ddmmyy[2:4]), int(ddmmyy[4:6])
    sex = "M"
    if day > FEMALE_DAY_OFFSET:
        day -= FEMALE_DAY_OFFSET
        sex = "F"
    # Two-digit years: the latest century that does not put the birth in the future.
    for century in (2000, 1900):
        born = _existing_date(century + year, month, day)
        if born is not None and born <= today:
            return born, sex
    raise RuleBroken("nik", "nik_birth_date", f"{ddmmyy} is not a birth date (DDMMYY)")


def _existing_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def mask_nik(nik: str) -> str:
    """Keep the first 4 (the regency) and last 4 digits, hide the rest: 3214********0001."""
    nik = nik.strip()
    if len(nik) <= 8:
        return "*" * len(nik)
    return nik[:4] + "*" * (len(nik) - 8) + nik[-4:]


# --- email and phone ------------------------------------------------------------------------


def normalize_email(text: str) -> str:
    """A syntactically valid address, lowercased (the mailbox is not checked)."""
    try:
        checked = validate_email(text.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise RuleBroken("email", "email_invalid", str(error)) from None
    return checked.normalized.lower()


def normalize_phone(text: str) -> str:
    """A valid Indonesian number in E.164: '0812-3456-7890' -> '+6281234567890'."""
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException as error:
        raise RuleBroken("phone", "phone_invalid", str(error)) from None
    if not phonenumbers.is_valid_number_for_region(number, "ID"):
        raise RuleBroken("phone", "phone_invalid", "not a valid Indonesian phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# --- passwords (NIST SP 800-63B: length, context words, blocklist; no composition rules) ----

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128

# Among the most used passwords worldwide and in Indonesian leaks, of 8 characters or more
# (shorter ones fail the length rule anyway). Compared case-insensitively.
COMMON_PASSWORDS = frozenset(
    {
        "password",
        "password1",
        "password123",
        "passw0rd",
        "12345678",
        "123456789",
        "1234567890",
        "12341234",
        "87654321",
        "11111111",
        "00000000",
        "123123123",
        "abcd1234",
        "1q2w3e4r",
        "qwerty123",
        "qwertyuiop",
        "asdfghjkl",
        "iloveyou",
        "sunshine",
        "princess",
        "football",
        "superman",
        "admin123",
        "welcome1",
        "bismillah",
        "bismillah123",
        "alhamdulillah",
        "indonesia",
        "indonesia123",
        "sayangku",
        "jakarta123",
        "merdeka45",
    }
)

# Parts of a related value shorter than this are too common to forbid inside a password
# ("Ali" would forbid "kalimantan").
RELATED_PART_MIN_LENGTH = 4


def check_password(password: str, *, related: tuple[str, ...] = ()) -> None:
    """Refuse a password that is too short or long, built from the user's own data, or common."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise RuleBroken(
            "password",
            "password_too_short",
            f"use at least {PASSWORD_MIN_LENGTH} characters",
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise RuleBroken(
            "password",
            "password_too_long",
            f"use at most {PASSWORD_MAX_LENGTH} characters",
        )
    folded = password.casefold()
    if _contains_related(folded, related):
        raise RuleBroken(
            "password",
            "password_related",
            "the password contains your name, email or NIK",
        )
    if folded in COMMON_PASSWORDS:
        raise RuleBroken("password", "password_common", "this password is too common")


def _contains_related(folded_password: str, related: Iterable[str]) -> bool:
    for value in related:
        whole = _personal_part(value)
        if not whole:
            continue
        if folded_password == whole:
            return True
        # "Budi Santoso" and "budi.santoso" forbid "santoso2024" as well as the whole value.
        parts = {whole, *re.findall(r"\w+", whole)}
        if any(len(part) >= RELATED_PART_MIN_LENGTH and part in folded_password for part in parts):
            return True
    return False


def _personal_part(value: str) -> str:
    text = value.strip().casefold()
    # Of an email address only the local part is the user's own: "gmail" is nobody's name.
    local_part, at, _ = text.rpartition("@")
    return local_part if at else text


# --- roles ----------------------------------------------------------------------------------

ROLES = frozenset(
    {"applicant", "frontdesk", "surveyor", "technical", "head", "treasurer", "admin", "auditor"}
)
OFFICER_ROLES = ROLES - {"applicant"}


def check_roles(roles: Iterable[str]) -> tuple[str, ...]:
    """Known roles, sorted and without repeats; at least one."""
    # A bare string is a caller's slip ("admin" would read as letters), not a set of roles.
    if isinstance(roles, str):
        raise RuleBroken("roles", "role_unknown", "roles must be a list of role names")
    given = list(roles)
    if not given:
        raise RuleBroken("roles", "roles_empty", "give at least one role")
    # Checked one by one: JSON input may hold numbers or lists, which a set cannot take.
    unknown = [role for role in given if not isinstance(role, str) or role not in ROLES]
    if unknown:
        names = ", ".join(sorted({str(role) for role in unknown}))
        raise RuleBroken("roles", "role_unknown", f"unknown roles: {names}")
    return tuple(sorted(set(given)))


# --- login throttling -----------------------------------------------------------------------


@dataclass(frozen=True)
class ThrottlePolicy:
    """At most `max_failures` failed logins in any `window_seconds`; then wait."""

    max_failures: int
    window_seconds: float

    def __post_init__(self):
        if self.max_failures < 1 or self.window_seconds <= 0:
            raise ValueError("max_failures must be >= 1 and window_seconds > 0")

    def retry_after(self, failure_times: Sequence[float], now: float) -> float | None:
        """None while under the limit, else the seconds (at least 1) until a try is allowed."""
        window_start = now - self.window_seconds
        recent = sorted(t for t in failure_times if t > window_start)
        excess = len(recent) - self.max_failures
        if excess < 0:
            return None
        # Allowed again once the count inside the window drops below the limit: when the
        # failure at index `excess` leaves it (the oldest one when exactly at the limit).
        leaves_at = recent[excess] + self.window_seconds
        return max(1.0, leaves_at - now)
