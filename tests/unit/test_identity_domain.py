"""The identity service's pure rules: NIK, email, phone, password, roles and throttling."""

from __future__ import annotations

from datetime import date

import pytest

from services.identity.domain import (
    COMMON_PASSWORDS,
    OFFICER_ROLES,
    PROVINCE_CODES,
    ROLES,
    NikInfo,
    RuleBroken,
    ThrottlePolicy,
    check_password,
    check_roles,
    mask_nik,
    normalize_email,
    normalize_phone,
    validate_nik,
)

TODAY = date(2024, 6, 1)
# A valid NIK written with other scripts' digits, which str.isdigit() also accepts.
FULLWIDTH_NIK = "".join(chr(0xFF10 + int(c)) for c in "3214011708900001")
ARABIC_INDIC_NIK = "".join(chr(0x0660 + int(c)) for c in "3214011708900001")


def broken(call, *args, **kwargs) -> RuleBroken:
    with pytest.raises(RuleBroken) as caught:
        call(*args, **kwargs)
    return caught.value


# --- NIK ------------------------------------------------------------------------------------


def test_a_mans_nik_reads_as_its_parts():
    assert validate_nik("3214011708900001", TODAY) == NikInfo(
        province_code="32",
        regency_code="3214",
        district_code="321401",
        birth_date=date(1990, 8, 17),
        sex="M",
        serial="0001",
    )


def test_a_womans_birth_day_has_forty_added():
    info = validate_nik("3214015708900002", TODAY)
    assert (info.birth_date, info.sex) == (date(1990, 8, 17), "F")


@pytest.mark.parametrize(
    ("nik", "born", "sex"),
    [
        ("3214014101000001", date(2000, 1, 1), "F"),  # day 41 is a woman's 1st
        ("3214017112990001", date(1999, 12, 31), "F"),  # day 71 is a woman's 31st
        ("3214013112990001", date(1999, 12, 31), "M"),
        ("3214012902000003", date(2000, 2, 29), "M"),  # 2000 is a leap year
        ("3214016902000003", date(2000, 2, 29), "F"),
        ("3214012902960003", date(1996, 2, 29), "M"),
    ],
)
def test_valid_birth_dates(nik, born, sex):
    info = validate_nik(nik, TODAY)
    assert (info.birth_date, info.sex) == (born, sex)


@pytest.mark.parametrize(
    ("ddmmyy", "today", "born"),
    [
        ("010124", TODAY, date(2024, 1, 1)),  # this century: not after today
        ("010624", TODAY, date(2024, 6, 1)),  # born today is still this century
        ("020624", TODAY, date(1924, 6, 2)),  # tomorrow in 2024 means 1924
        ("150699", TODAY, date(1999, 6, 15)),
        ("150600", TODAY, date(2000, 6, 15)),
        ("150625", date(2025, 6, 15), date(2025, 6, 15)),
        ("150625", date(2025, 6, 14), date(1925, 6, 15)),
    ],
)
def test_the_century_is_the_latest_that_is_not_in_the_future(ddmmyy, today, born):
    assert validate_nik(f"321401{ddmmyy}0001", today).birth_date == born


def test_surrounding_spaces_are_ignored():
    assert validate_nik("  3214011708900001 \n", TODAY).serial == "0001"


@pytest.mark.parametrize("code", sorted(PROVINCE_CODES))
def test_every_province_code_is_accepted(code):
    assert validate_nik(f"{code}14011708900001", TODAY).province_code == code


def test_the_province_list_is_the_current_thirty_eight():
    assert len(PROVINCE_CODES) == 38


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("", "nik_length"),
        ("321401170890001", "nik_length"),  # 15 digits
        ("32140117089000011", "nik_length"),  # 17 digits
        ("3214 0117 0890 0001", "nik_length"),  # inner spaces are not stripped
        ("32140117089O0001", "nik_digits"),  # letter O for zero
        ("3214-11708900001", "nik_digits"),
        (FULLWIDTH_NIK, "nik_digits"),
        (ARABIC_INDIC_NIK, "nik_digits"),
        ("0014011708900001", "nik_province"),
        ("2014011708900001", "nik_province"),
        ("3714011708900001", "nik_province"),
        ("9714011708900001", "nik_province"),
        ("3200011708900001", "nik_regency"),
        ("3214001708900001", "nik_district"),
        ("3214012902010003", "nik_birth_date"),  # 29 Feb 2001 / 1901 do not exist
        ("3214011713900001", "nik_birth_date"),  # month 13
        ("3214011700900001", "nik_birth_date"),  # month 00
        ("3214013208900001", "nik_birth_date"),  # day 32
        ("3214017208900001", "nik_birth_date"),  # day 72 (a woman's 32nd)
        ("3214010008900001", "nik_birth_date"),  # day 00
        ("3214014008900001", "nik_birth_date"),  # day 40: neither a man's nor a woman's
        ("3214013104900001", "nik_birth_date"),  # 31 April
        ("3214011708900000", "nik_serial"),
    ],
)
def test_broken_niks_say_what_is_wrong(nik, code):
    error = broken(validate_nik, nik, TODAY)
    assert (error.field, error.code) == ("nik", code)
    assert error.message


def test_a_leap_day_in_2000_is_refused_before_it_happened():
    # 29 Feb 2000 in the future means 1900, which had no 29 February.
    error = broken(validate_nik, "3214012902000003", date(2000, 2, 28))
    assert error.code == "nik_birth_date"


@pytest.mark.parametrize(
    ("nik", "masked"),
    [
        ("3214011708900001", "3214********0001"),
        (" 3214011708900001 ", "3214********0001"),
        ("12345678", "********"),
        ("", ""),
    ],
)
def test_masking_keeps_the_first_and_last_four_digits(nik, masked):
    assert mask_nik(nik) == masked


# --- email and phone ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("budi@example.com", "budi@example.com"),
        ("Budi.Santoso@Example.COM", "budi.santoso@example.com"),
        ("  siti@dpmptsp.purwakartakab.go.id ", "siti@dpmptsp.purwakartakab.go.id"),
        ("siti+izin@gmail.com", "siti+izin@gmail.com"),
    ],
)
def test_emails_are_normalized(text, normalized):
    assert normalize_email(text) == normalized


@pytest.mark.parametrize(
    "text",
    [
        "",
        "budi",
        "budi@",
        "@example.com",
        "budi@@example.com",
        "budi santoso@example.com",
        "budi@localhost",
        "budi@example",
        "budi@example..com",
    ],
)
def test_invalid_emails_are_refused(text):
    error = broken(normalize_email, text)
    assert (error.field, error.code) == ("email", "email_invalid")


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("081234567890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("+62 (812) 3456-7890", "+6281234567890"),
        ("(0264) 200123", "+62264200123"),  # a Purwakarta landline
    ],
)
def test_indonesian_numbers_are_normalized_to_e164(text, e164):
    assert normalize_phone(text) == e164


@pytest.mark.parametrize(
    "text",
    [
        "",
        "halo",
        "0812",
        "08123456789012345",
        "+1 650 253 0000",  # valid, but not Indonesian
        "+65 6123 4567",
        "+62 0000 0000",
    ],
)
def test_invalid_phone_numbers_are_refused(text):
    error = broken(normalize_phone, text)
    assert (error.field, error.code) == ("phone", "phone_invalid")


# --- passwords ------------------------------------------------------------------------------

RELATED = ("budi.santoso", "Budi Santoso", "3214011708900001")


@pytest.mark.parametrize(
    "password",
    [
        "kopi-tubruk",
        "12345678x",  # 9 characters, not on the list
        "a" * 8,
        "a" * 128,
        "kopi susu gula aren 🥥",
        "kalimantan-2024",  # contains "ali", too short a part to forbid
    ],
)
def test_acceptable_passwords(password):
    check_password(password, related=(*RELATED, "Ali"))


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("", "password_too_short"),
        ("kopi123", "password_too_short"),
        ("a" * 129, "password_too_long"),
        ("budi.santoso", "password_related"),
        ("BUDI SANTOSO", "password_related"),
        ("santoso2024!", "password_related"),
        ("xx-budi-xx", "password_related"),
        ("my3214011708900001", "password_related"),
        ("password", "password_common"),
        ("PassWord", "password_common"),
        ("BISMILLAH", "password_common"),
        ("indonesia", "password_common"),
        ("12345678", "password_common"),
        ("qwerty123", "password_common"),
    ],
)
def test_refused_passwords(password, code):
    error = broken(check_password, password, related=RELATED)
    assert (error.field, error.code) == ("password", code)


def test_of_an_email_address_only_the_local_part_is_related():
    check_password("gmail-kopi-2024", related=("budi.santoso@gmail.com",))
    error = broken(check_password, "budi.santoso@gmail", related=("budi.santoso@gmail.com",))
    assert error.code == "password_related"
    assert broken(check_password, "santoso-2024", related=("Budi.Santoso@gmail.com",))


def test_empty_related_values_forbid_nothing():
    check_password("kopi-tubruk", related=("", "  "))


def test_the_common_list_has_only_passwords_the_length_rule_lets_through():
    assert len(COMMON_PASSWORDS) >= 30
    assert all(len(p) >= 8 and p == p.casefold() for p in COMMON_PASSWORDS)


# --- roles ----------------------------------------------------------------------------------


def test_roles_are_the_eight_of_the_office():
    expected = {"applicant", "frontdesk", "surveyor", "technical"}
    expected |= {"head", "treasurer", "admin", "auditor"}
    assert expected == ROLES
    assert ROLES - {"applicant"} == OFFICER_ROLES


def test_roles_come_back_sorted_without_repeats():
    assert check_roles(["head", "admin", "head"]) == ("admin", "head")
    assert check_roles(("applicant",)) == ("applicant",)


@pytest.mark.parametrize(
    ("roles", "code"),
    [
        ([], "roles_empty"),
        ((), "roles_empty"),
        (["boss"], "role_unknown"),
        (["admin", "Admin"], "role_unknown"),
        ("admin", "role_unknown"),  # a bare string, not a list
        ([1], "role_unknown"),
        ([["admin"]], "role_unknown"),
    ],
)
def test_refused_roles(roles, code):
    error = broken(check_roles, roles)
    assert (error.field, error.code) == ("roles", code)


# --- throttling -----------------------------------------------------------------------------

POLICY = ThrottlePolicy(max_failures=5, window_seconds=900)


@pytest.mark.parametrize(
    ("failures", "now", "wait"),
    [
        ([], 1000, None),
        ([100, 101, 102, 103], 110, None),  # under the limit
        ([100, 101, 102, 103, 104], 110, 890),  # the oldest leaves at 1000
        ([104, 100, 103, 101, 102], 110, 890),  # order does not matter
        ([0, 100, 101, 102, 103], 950, None),  # the first one left the window
        ([100, 101, 102, 103, 104], 999.5, 1),  # never less than a second
        ([100, 101, 102, 103, 104], 1000, None),  # the oldest has just left
        ([100, 101, 102, 103, 104, 105, 106], 110, 892),  # three must leave: 102 is the third
    ],
)
def test_retry_after(failures, now, wait):
    assert POLICY.retry_after(failures, now) == wait


def test_a_policy_needs_a_limit_and_a_window():
    with pytest.raises(ValueError):
        ThrottlePolicy(max_failures=0, window_seconds=60)
    with pytest.raises(ValueError):
        ThrottlePolicy(max_failures=3, window_seconds=0)


def test_rule_broken_carries_field_code_and_message():
    error = RuleBroken("nik", "nik_length", "a NIK has 16 digits")
    assert error.args == ("nik", "nik_length", "a NIK has 16 digits")
    assert "nik_length" in str(error)
