"""The permit catalogue: seed permit types, validation of an admin's edit, and summaries."""

from __future__ import annotations

import copy
import re

import pytest

from services.applications.domain.catalogue import (
    SEED_PERMIT_TYPES,
    CatalogueError,
    catalogue_summary,
    requirement_codes,
    validate_permit_type,
)

SEEDS = {permit_type["code"]: permit_type for permit_type in SEED_PERMIT_TYPES}
HEALTH_PRACTICE = ("SIP-DOK", "SIP-BID", "SIP-PER", "SIPA")


def seed(code: str) -> dict:
    """A copy of a seed type that a test may change freely."""
    return copy.deepcopy(SEEDS[code])


def problems_of(document) -> list[tuple[str, str]]:
    with pytest.raises(CatalogueError) as caught:
        validate_permit_type(document)
    return [(error["field"], error["code"]) for error in caught.value.errors]


# --- seed data --------------------------------------------------------------------------------


@pytest.mark.parametrize("code", SEEDS)
def test_every_seed_type_is_valid_as_it_stands(code):
    assert validate_permit_type(SEEDS[code]) == SEEDS[code]


def test_the_seed_has_the_nine_regional_permits_with_unique_codes():
    codes = [permit_type["code"] for permit_type in SEED_PERMIT_TYPES]
    assert len(codes) == len(set(codes)) >= 9
    assert {
        *HEALTH_PRACTICE,
        *("REKLAME", "PBG", "IPSP", "IOK", "PENELITIAN"),
    } <= set(codes)


def test_seed_fee_kinds_are_as_the_catalogue_states():
    kinds = {code: permit_type["fee_rule"]["kind"] for code, permit_type in SEEDS.items()}
    assert kinds["REKLAME"] == "billboard"
    assert kinds["PBG"] == "building"
    # UU 1/2022 leaves no realistic fixed permit levy to a regency: no seed type uses one.
    assert set(kinds.values()) == {"free", "billboard", "building"}


def test_billboard_rates_fall_from_class_a_to_class_c():
    rates = SEEDS["REKLAME"]["fee_rule"]["rates"]
    assert rates["A"] > rates["B"] > rates["C"] > 0


@pytest.mark.parametrize("code", [*HEALTH_PRACTICE, "IOK"])
def test_health_permits_are_free(code):
    assert SEEDS[code]["fee_rule"] == {"kind": "free"}
    assert "Gratis" in SEEDS[code]["fee_summary"]


def test_pbg_needs_a_survey_and_a_technical_recommendation():
    assert SEEDS["PBG"]["needs_survey"] and SEEDS["PBG"]["needs_technical"]
    assert 10 <= SEEDS["PBG"]["sla_working_days"] <= 28  # PP 16/2021's ceiling


def test_billboards_need_a_survey():
    assert SEEDS["REKLAME"]["needs_survey"]
    assert 5 <= SEEDS["REKLAME"]["sla_working_days"] <= 7


def test_a_research_permit_is_free_and_fast():
    research = SEEDS["PENELITIAN"]
    assert research["fee_rule"] == {"kind": "free"}
    assert research["sla_working_days"] <= 3
    assert not research["needs_survey"] and not research["needs_technical"]


@pytest.mark.parametrize("code", HEALTH_PRACTICE)
def test_a_practice_licence_asks_what_the_health_law_asks(code):
    assert {"ktp", "str", "surat_keterangan_tempat_praktik"} <= requirement_codes(
        SEEDS[code], required_only=True
    )
    assert SEEDS[code]["sla_working_days"] == 5
    assert SEEDS[code]["validity_months"] == 60


@pytest.mark.parametrize("code", SEEDS)
def test_every_seed_type_asks_for_an_identity_card_and_cites_its_law(code):
    assert "ktp" in requirement_codes(SEEDS[code], required_only=True)
    assert SEEDS[code]["legal_basis"]
    assert SEEDS[code]["conditions"]


def test_seed_types_share_no_nested_object():
    # Built by helper functions; one shared requirement dict would let an edit leak across types.
    nested = [
        id(part)
        for permit_type in SEED_PERMIT_TYPES
        for part in (
            permit_type["fee_rule"],
            permit_type["requirements"],
            *permit_type["requirements"],
            *(requirement["file_types"] for requirement in permit_type["requirements"]),
        )
    ]
    assert len(nested) == len(set(nested))


# --- validation: one problem at a time --------------------------------------------------------


DELETE = object()  # a value meaning "take the field away"


def keys_of(path: str) -> list:
    """`requirements[2].max_size_mb` as keys: ["requirements", 2, "max_size_mb"]."""
    return [int(part) if part.isdigit() else part for part in re.findall(r"[^.\[\]]+", path)]


def put(document: dict, path: str, value) -> None:
    *parents, last = keys_of(path)
    for key in parents:
        document = document[key]
    if value is DELETE:
        del document[last]
    else:
        document[last] = value


def case(name: str, base: str, path: str, value, code: str, reported_at: str | None = None):
    """Put `value` at `path` of a seed type; expect one problem `code`, at `path` unless told."""
    return pytest.param(base, path, value, reported_at or path, code, id=name)


INVALID = [
    case("lower-case code", "PENELITIAN", "code", "penelitian", "pattern"),
    case("code too long", "PENELITIAN", "code", "A" * 21, "pattern"),
    case("code starts with a digit", "PENELITIAN", "code", "1SIP", "pattern"),
    case("code with a space", "PENELITIAN", "code", "SIP DOK", "pattern"),
    case("no code", "PENELITIAN", "code", DELETE, "required"),
    case("blank name", "PENELITIAN", "name", "   ", "empty"),
    case("name not text", "PENELITIAN", "name", 7, "type"),
    case("blank english name", "PENELITIAN", "name_en", "", "empty"),
    case("no description", "PENELITIAN", "description", DELETE, "required"),
    case("unknown field", "PENELITIAN", "colour", "red", "unknown_field"),
    case("storage id", "PENELITIAN", "_id", "PENELITIAN", "unknown_field"),
    case("no legal basis", "PENELITIAN", "legal_basis", [], "empty"),
    case("blank citation", "PENELITIAN", "legal_basis[1]", " ", "empty"),
    case("no requirement", "PENELITIAN", "requirements", [], "empty"),
    case("requirements not a list", "PENELITIAN", "requirements", {}, "type"),
    case("requirement not an object", "PENELITIAN", "requirements[1]", "ktp", "type"),
    case(
        "requirement code not snake_case",
        "SIPA",
        "requirements[2].code",
        "Surat Keterangan",
        "pattern",
    ),
    case(
        "requirement code with a dash",
        "SIPA",
        "requirements[2].code",
        "surat-keterangan",
        "pattern",
    ),
    case("requirement code too long", "SIPA", "requirements[2].code", "a" * 41, "pattern"),
    case("duplicate requirement code", "SIPA", "requirements[3].code", "ktp", "duplicate"),
    case("requirement without a name", "SIPA", "requirements[0].name", DELETE, "required"),
    case("requirement, unknown field", "SIPA", "requirements[0].colour", "red", "unknown_field"),
    case("required not a boolean", "SIPA", "requirements[0].required", "yes", "type"),
    case(
        "file type not allowed",
        "PBG",
        "requirements[1].file_types",
        ["pdf", "docx"],
        "choice",
        "requirements[1].file_types[1]",
    ),
    case("no file type", "PBG", "requirements[1].file_types", [], "empty"),
    case("size zero", "PBG", "requirements[2].max_size_mb", 0, "range"),
    case("size above 100", "PBG", "requirements[2].max_size_mb", 101, "range"),
    case("fractional size", "PBG", "requirements[2].max_size_mb", 2.5, "type"),
    case("boolean size", "PBG", "requirements[2].max_size_mb", True, "type"),
    case("template over ftp", "PBG", "requirements[3].template_url", "ftp://x/y.pdf", "pattern"),
    case("template over http", "PBG", "requirements[3].template_url", "http://x/y.pdf", "pattern"),
    case("SLA zero", "PENELITIAN", "sla_working_days", 0, "range"),
    case("SLA above 90", "PENELITIAN", "sla_working_days", 91, "range"),
    case("SLA as text", "PENELITIAN", "sla_working_days", "3", "type"),
    case("survey flag as text", "PENELITIAN", "needs_survey", "false", "type"),
    case("no technical flag", "PENELITIAN", "needs_technical", DELETE, "required"),
    case("fee rule not an object", "PENELITIAN", "fee_rule", "free", "type"),
    case("fee rule without kind", "PENELITIAN", "fee_rule", {}, "required", "fee_rule.kind"),
    case("unknown fee kind", "PENELITIAN", "fee_rule.kind", "donation", "choice"),
    case("free fee with an amount", "PENELITIAN", "fee_rule.amount", 5000, "unknown_field"),
    case(
        "fixed fee without amount",
        "PENELITIAN",
        "fee_rule",
        {"kind": "fixed"},
        "required",
        "fee_rule.amount",
    ),
    case(
        "fixed fee of zero",
        "PENELITIAN",
        "fee_rule",
        {"kind": "fixed", "amount": 0},
        "range",
        "fee_rule.amount",
    ),
    case(
        "fixed fee in decimals",
        "PENELITIAN",
        "fee_rule",
        {"kind": "fixed", "amount": 5e4},
        "type",
        "fee_rule.amount",
    ),
    case("billboard class missing", "REKLAME", "fee_rule.rates.C", DELETE, "required"),
    case("billboard class unknown", "REKLAME", "fee_rule.rates.D", 5000, "unknown_field"),
    case("billboard rate negative", "REKLAME", "fee_rule.rates.A", -1, "range"),
    case("billboard rates as a list", "REKLAME", "fee_rule.rates", [3, 2, 1], "type"),
    case("billboard without rates", "REKLAME", "fee_rule.rates", DELETE, "required"),
    case("billboard inputs short", "REKLAME", "fee_rule.inputs", ["area_m2", "months"], "inputs"),
    case("billboard with a unit price", "REKLAME", "fee_rule.unit_price", 1, "unknown_field"),
    case("unit price as text", "PBG", "fee_rule.unit_price", "30000", "type"),
    case("unit price zero", "PBG", "fee_rule.unit_price", 0, "range"),
    case(
        "building inputs of a billboard",
        "PBG",
        "fee_rule.inputs",
        ["area_m2", "months", "location_class"],
        "inputs",
    ),
    case(
        "building inputs repeated",
        "PBG",
        "fee_rule.inputs",
        ["floor_area_m2", "floor_area_m2", "building_index"],
        "inputs",
    ),
    case("blank fee summary", "PBG", "fee_summary", "", "empty"),
    case("no english fee summary", "PBG", "fee_summary_en", DELETE, "required"),
    case("validity zero", "SIPA", "validity_months", 0, "range"),
    case("validity above 120", "SIPA", "validity_months", 121, "range"),
    case("validity as text", "SIPA", "validity_months", "60", "type"),
    case("validity missing", "SIPA", "validity_months", DELETE, "required"),
    case("conditions not a list", "SIPA", "conditions", "patuh", "type"),
    case("blank condition", "SIPA", "conditions[0]", "", "empty"),
]


@pytest.mark.parametrize(("base", "path", "value", "field", "code"), INVALID)
def test_an_invalid_document_reports_the_field_and_the_rule(base, path, value, field, code):
    document = seed(base)
    put(document, path, value)
    assert problems_of(document) == [(field, code)]


def test_a_document_that_is_not_an_object_is_refused():
    assert problems_of(["PBG"]) == [("", "type")]


def test_every_problem_is_reported_at_once():
    document = seed("REKLAME")
    document["code"] = "reklame"
    document["name"] = ""
    document["extra"] = True
    document["requirements"][0]["file_types"] = ["pdf", "gif"]
    document["requirements"][2]["max_size_mb"] = 101
    document["requirements"][3]["code"] = document["requirements"][2]["code"]
    document["sla_working_days"] = 0
    document["fee_rule"]["rates"] = {"A": 0, "B": 2}
    del document["conditions"]

    assert sorted(problems_of(document)) == sorted(
        [
            ("extra", "unknown_field"),
            ("code", "pattern"),
            ("name", "empty"),
            ("requirements[0].file_types[1]", "choice"),
            ("requirements[2].max_size_mb", "range"),
            ("requirements[3].code", "duplicate"),
            ("sla_working_days", "range"),
            ("fee_rule.rates.A", "range"),
            ("fee_rule.rates.C", "required"),
            ("conditions", "required"),
        ]
    )


def test_errors_carry_a_message_and_read_as_text():
    document = seed("PBG")
    document["sla_working_days"] = 120
    with pytest.raises(CatalogueError) as caught:
        validate_permit_type(document)
    (error,) = caught.value.errors
    assert error == {
        "field": "sla_working_days",
        "code": "range",
        "message": "must be between 1 and 90",
    }
    assert str(caught.value) == "sla_working_days: must be between 1 and 90 (range)"


# --- validation: what a valid document becomes ------------------------------------------------


def test_validation_tidies_what_an_admin_form_sends():
    document = seed("REKLAME")
    document["name"] = "  Izin Penyelenggaraan Reklame \n"
    document["requirements"][0]["file_types"] = ["png", "pdf", "png"]
    document["requirements"][0]["template_url"] = "  "
    document["fee_rule"]["inputs"] = ["months", "location_class", "area_m2"]

    result = validate_permit_type(document)

    assert result["name"] == "Izin Penyelenggaraan Reklame"
    assert result["requirements"][0]["file_types"] == ["pdf", "png"]
    assert result["requirements"][0]["template_url"] is None
    assert result["fee_rule"]["inputs"] == ["area_m2", "months", "location_class"]


def test_validation_puts_fields_in_canonical_order():
    document = seed("PENELITIAN")
    shuffled = dict(reversed(document.items()))
    assert list(validate_permit_type(shuffled)) == list(document)


def test_the_result_is_a_copy_the_caller_may_change():
    result = validate_permit_type(SEEDS["PBG"])
    result["requirements"][0]["file_types"].append("png")
    result["fee_rule"]["unit_price"] = 1
    assert SEEDS["PBG"] == validate_permit_type(SEEDS["PBG"])
    assert SEEDS["PBG"]["fee_rule"]["unit_price"] != 1


def test_a_fixed_fee_and_an_indefinite_validity_are_valid():
    document = seed("PENELITIAN")
    document["fee_rule"] = {"kind": "fixed", "amount": 50_000}
    document["validity_months"] = None
    document["conditions"] = []
    result = validate_permit_type(document)
    assert result["fee_rule"] == {"kind": "fixed", "amount": 50_000}
    assert result["validity_months"] is None


@pytest.mark.parametrize("url", ["/templates/x.pdf", "https://dpmptsp.example.go.id/x.pdf", None])
def test_a_template_is_a_site_path_an_https_address_or_none(url):
    document = seed("PENELITIAN")
    document["requirements"][0]["template_url"] = url
    assert validate_permit_type(document)["requirements"][0]["template_url"] == url


@pytest.mark.parametrize("code", ["AB", "SIP-DOK", "PBG2", "A" * 20])
def test_permit_codes_within_the_pattern_are_accepted(code):
    document = seed("PENELITIAN")
    document["code"] = code
    assert validate_permit_type(document)["code"] == code


# --- reading a permit type --------------------------------------------------------------------


def test_requirement_codes_all_or_only_the_mandatory_ones():
    research = SEEDS["PENELITIAN"]
    assert requirement_codes(research) == {
        "ktp",
        "surat_pengantar",
        "proposal_penelitian",
        "surat_pernyataan",
        "daftar_anggota",
    }
    assert requirement_codes(research, required_only=True) == {
        "ktp",
        "surat_pengantar",
        "proposal_penelitian",
        "surat_pernyataan",
    }
    assert isinstance(requirement_codes(research), frozenset)


def test_the_catalogue_summary_shows_what_the_public_list_needs():
    summary = catalogue_summary(SEEDS["PBG"])
    assert summary == {
        "code": "PBG",
        "name": "Persetujuan Bangunan Gedung",
        "name_en": "Building Approval (PBG)",
        "description": SEEDS["PBG"]["description"],
        "description_en": SEEDS["PBG"]["description_en"],
        "sla_working_days": 28,
        "needs_survey": True,
        "needs_technical": True,
        "fee_summary": SEEDS["PBG"]["fee_summary"],
        "fee_summary_en": SEEDS["PBG"]["fee_summary_en"],
        "requirement_count": len(SEEDS["PBG"]["requirements"]),
        "validity_months": None,
    }
