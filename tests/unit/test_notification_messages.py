"""The notification texts: every template renders the facts of a contract-valid event."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import jinja2
import jsonschema
import pytest

from services.notifications.messages import (
    CHANNELS,
    LANGUAGES,
    SMS_MAX_CHARS,
    TEMPLATED_EVENTS,
    TEMPLATES_DIR,
    Message,
    persen,
    render,
    rupiah,
    tanggal,
    wib,
)

ROOT = Path(__file__).resolve().parents[2]
BASE_URL = "https://gaspol.sumedangkab.go.id"
APPLICATION_ID = "3f9c2a7e5b1d4c8fa0e6b2d9c7a4e1f3"
RECEIPT = "GSP-2612-7KQ4ZP"
OWNER = "9b1e4c7a2d5f48e0b3a6c9d2e5f8a1b4"
TOKEN = "Qm9sZWggZGliYWNhIGthbiB0YXBpIGphbmdhbiBkaXBha2Fp"

# GSM 03.38 basic alphabet: an SMS of these characters holds 160 of them; a single other one
# (an ellipsis, a long dash, "²") switches the whole SMS to UCS-2 and 70 characters.
GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


# --- sample events, each valid against its producer's contract -------------------------------


def _file(permit_type="IPSP", permit_name="Izin Penyelenggaraan Satuan Pendidikan") -> dict:
    return {
        "application_id": APPLICATION_ID,
        "receipt_number": RECEIPT,
        "owner_id": OWNER,
        "permit_type": permit_type,
        "permit_name": permit_name,
    }


def _transition(action, from_state, path, queue_role, *, note=None, **extra) -> dict:
    return {
        **_file(),
        "action": action,
        "from_state": from_state,
        "to_state": path[-1] if path else from_state,
        "path": list(path),
        "actor_id": "officer-17",
        "note": note,
        "queue_role": queue_role,
        "sla_due_at": "2026-09-11T09:00:00+00:00" if queue_role else None,
        **extra,
    }


def _invoice(**changes) -> dict:
    return {
        "application_id": APPLICATION_ID,
        "invoice_number": "SKRD/2026/000123/DPMPTSP",
        "amount": 1_800_000,
        "owner_id": OWNER,
        "receipt_number": RECEIPT,
        "expires_at": "2026-12-11T23:59:59+07:00",
        # The bank's partnerServiceId keeps its left padding in the event (SNAP).
        "virtual_accounts": [
            {"bank": "Bank BJB", "virtual_account_no": "   88899000000000123"},
            {"bank": "BRI", "virtual_account_no": "   12345000000000123"},
        ],
        **changes,
    }


# The longest an SMS gets: a nine-figure fee, the longest month, a 20-digit VA, a long name.
LONGEST_INVOICE = _invoice(
    amount=125_000_000,
    expires_at="2026-09-30T23:59:59+07:00",
    virtual_accounts=[
        {"bank": "Bank Jateng Syariah", "virtual_account_no": "12345678901234567890"},
        {"bank": "Bank Mandiri", "virtual_account_no": "89508000000000456"},
    ],
)


LONG_NOTE = "Dokumen perlu dilengkapi sesuai ketentuan. " * 40

SAMPLES: dict[str, dict[str, dict]] = {
    "verification_code_issued": {
        "email": {
            "user_id": OWNER,
            "channel": "email",
            "destination": "siti.rahmawati@gmail.com",
            "code": "482913",
            "expires_at": "2026-09-21T03:15:00Z",
            "language": "id",
        },
        "phone": {
            "user_id": OWNER,
            "channel": "phone",
            "destination": "+6281234567890",
            "code": "071554",
            "expires_at": "2026-09-21T03:15:00Z",
            "language": "id",
        },
    },
    "password_reset_requested": {
        "reset": {
            "user_id": OWNER,
            "email": "siti.rahmawati@gmail.com",
            "name": "Siti Rahmawati",
            "token": TOKEN,
            "expires_at": "2026-09-21T04:00:00+00:00",
            "language": "id",
        }
    },
    "application_submitted": {
        "first": _transition("submit", "draft", ["submitted"], "frontdesk"),
        "resubmission": _transition("submit", "revision_requested", ["submitted"], "frontdesk"),
    },
    "revision_requested": {
        "reasons": _transition(
            "request_revision",
            "submitted",
            ["revision_requested"],
            None,
            note="Mohon lengkapi dokumen sesuai catatan per persyaratan.",
            requirements={
                "akta_pendirian": "Akta pendirian belum disahkan Kemenkumham.",
                "denah_bangunan": "Denah tidak mencantumkan ukuran ruang kelas.",
            },
        ),
        "long_note": _transition(
            "request_revision", "submitted", ["revision_requested"], None, note=LONG_NOTE
        ),
    },
    "survey_scheduled": {
        "iso": _transition(
            "schedule_survey",
            "survey",
            [],
            "surveyor",
            survey={
                "scheduled_for": "2026-12-08T09:00:00+07:00",
                "location": "Jl. Prabu Geusan Ulun No. 36, Kel. Regol Wetan, Sumedang Selatan",
            },
        ),
        "free_text": _transition(
            "schedule_survey",
            "survey",
            [],
            "surveyor",
            # Free text up to the gateway's 40 characters, and the longest place it allows.
            survey={
                "scheduled_for": "Senin, 8 Desember 2026 pagi setelah apel",
                "location": (
                    "Dusun Cibeureum RT 03 RW 07, Desa Sukamaju, Kecamatan Cimalaka, "
                    "Kabupaten Sumedang; masuk gang di belakang Balai Desa, rumah kedua "
                    "sebelah barat lapangan sepak bola, pagar hijau"
                ),
            },
        ),
        "no_place": _transition(
            "schedule_survey",
            "survey",
            [],
            "surveyor",
            survey={"scheduled_for": "2026-09-28T13:30:00+07:00"},
        ),
    },
    "invoice_issued": {
        "two_banks": _invoice(),
        "longest": LONGEST_INVOICE,
        "one_bank": _invoice(virtual_accounts=_invoice()["virtual_accounts"][:1]),
    },
    "payment_received": {
        "paid": {
            **_invoice(),
            "bank": "BANKBJB01",
            "paid_amount": 1_800_000,
            "payment_request_id": "PAY-20261209-000045",
            "paid_at": "2026-12-09T03:27:41+00:00",
        }
    },
    "permit_issued": {
        "with_end": _transition(
            "approve",
            "approval",
            ["issued"],
            None,
            permit={
                "number": "503/0127/IPSP/DPMPTSP/2026",
                "verification_code": "K7M2Q9XW4H",
                "holder_name": "Yayasan Pendidikan Nurul Huda",
                "valid_from": "2026-12-10",
                "valid_until": "2031-12-10",
                "status": "valid",
                "issued_at": "2026-12-10T02:00:00+00:00",
                "conditions": ["Wajib melaporkan data peserta didik setiap semester."],
            },
            holder_name="Yayasan Pendidikan Nurul Huda",
        ),
        "no_end": _transition(
            "approve",
            "approval",
            ["issued"],
            None,
            permit={
                "number": "503/0004/PENELITIAN/DPMPTSP/2026",
                "verification_code": "8TXR3PQ2NM",
                "holder_name": "Dr. Andi Pratama",
                "valid_from": "2026-12-10",
                "valid_until": None,
                "status": "valid",
            },
            holder_name="Dr. Andi Pratama",
            permit_type="PENELITIAN",
            permit_name="Izin Penelitian",
        ),
    },
    "application_rejected": {
        "reason": _transition(
            "reject",
            "technical_review",
            ["rejected"],
            None,
            note="Lokasi berada di zona hijau menurut RTRW; bangunan sekolah tidak diizinkan.",
        ),
        "long_reason": _transition(
            "reject", "technical_review", ["rejected"], None, note=LONG_NOTE
        ),
    },
    "permit_status_changed": {
        status: {
            **_file(),
            "permit_number": "503/0127/IPSP/DPMPTSP/2026",
            "status": status,
            "reason": f"Hasil pengawasan 2027 ({status}): sarana belajar tidak sesuai standar.",
        }
        for status in ("suspended", "revoked", "valid")
    },
    "application_verified": {
        "to_survey": _transition("verify", "submitted", ["verified", "survey"], "surveyor"),
        "to_head": _transition(
            "verify", "submitted", ["verified", "recommended", "approval"], "head"
        ),
    },
    "survey_reported": {
        "to_technical": _transition("report_survey", "survey", ["technical_review"], "technical"),
    },
    "application_recommended": {
        "fee_next": _transition(
            "recommend", "technical_review", ["recommended"], "technical", note="Layak."
        ),
    },
    "fee_assessment_requested": {
        "free": _transition(
            "assess_fee", "recommended", ["approval"], "head", fee_rule={}, fee_inputs={}
        ),
    },
    "application_paid": {
        "paid": _transition("payment_received", "awaiting_payment", ["approval"], "head"),
    },
    "complaint_answered": {
        "answered": {
            **_file(),
            "answer": "Mohon maaf atas keterlambatan; loket kini buka sampai pukul 16.00 WIB.",
        }
    },
    "sla_warning": {
        "warning": {
            **_file(),
            "queue_role": "technical",
            "percent_used": 82.5,
            "due_at": "2026-09-11T09:00:00+00:00",
        }
    },
    "sla_breached": {
        "breach": {
            **_file(),
            "queue_role": "frontdesk",
            "percent_used": 115.0,
            "due_at": "2026-09-11T09:00:00+00:00",
        }
    },
}

PRODUCER = {event_type: producer for producer, event_type in TEMPLATED_EVENTS}

# Formatted values the samples above must show, per language.
DUE = {"id": "11 September 2026 16.00 WIB", "en": "11 September 2026 16:00 WIB"}
CODE_EXPIRY = {"id": "21 September 2026 10.15 WIB", "en": "21 September 2026 10:15 WIB"}
RESET_EXPIRY = {"id": "21 September 2026 11.00 WIB", "en": "21 September 2026 11:00 WIB"}
INVOICE_EXPIRY = {
    "two_banks": {"id": "11 Desember 2026 23.59 WIB", "en": "11 December 2026 23:59 WIB"},
    "one_bank": {"id": "11 Desember 2026 23.59 WIB", "en": "11 December 2026 23:59 WIB"},
    "longest": {"id": "30 September 2026 23.59 WIB", "en": "30 September 2026 23:59 WIB"},
}
PAID_AT = {"id": "9 Desember 2026 10.27 WIB", "en": "9 December 2026 10:27 WIB"}
SURVEY_AT = {"id": "8 Desember 2026 09.00 WIB", "en": "8 December 2026 09:00 WIB"}
SURVEY_AT_NO_PLACE = {"id": "28 September 2026 13.30 WIB", "en": "28 September 2026 13:30 WIB"}
NO_PLACE = {"id": "alamat dalam permohonan", "en": "the address in the application"}
PERCENT = {"warning": {"id": "82,5%", "en": "82.5%"}, "breach": {"id": "115%", "en": "115%"}}
VALIDITY = {
    "id": ("10 Desember 2026", "10 Desember 2031"),
    "en": ("10 December 2026", "10 December 2031"),
}
STATUS_WORD = {
    "id": {"suspended": "dibekukan", "revoked": "dicabut", "valid": "diberlakukan kembali"},
    "en": {"suspended": "suspended", "revoked": "revoked", "valid": "reinstated"},
}
RESUBMISSION_WORD = {"id": "Perbaikan berkas", "en": "corrected"}


def _expected_facts(event_type, variant, data, audience, channel, language) -> list[str]:
    """The facts a message must carry: everything in inbox and email, the essentials in SMS."""
    full = channel != "sms"
    # The inbox shows Message.link as a button; email has to spell the link out.
    link = [f"{BASE_URL}/applications/{APPLICATION_ID}"] if channel == "email" else []
    facts = [data["receipt_number"]] if "receipt_number" in data else []
    if audience == "officer":
        if event_type.startswith("sla_"):
            return [*facts, PERCENT[variant][language], DUE[language], *link]
        return [*facts, DUE[language], *link] + ([data["permit_name"]] if full else [])
    if event_type == "verification_code_issued":
        return [data["code"], CODE_EXPIRY[language]]
    if event_type == "password_reset_requested":
        return [f"{BASE_URL}/reset-password?token={TOKEN}", RESET_EXPIRY[language], data["name"]]
    if event_type == "application_submitted":
        facts += [data["permit_name"]] if full else []
        if variant == "resubmission":
            facts.append(RESUBMISSION_WORD[language])
        return facts
    if event_type == "revision_requested" and full:
        facts += [data["permit_name"], data["note"].strip()[:60]]
        for code, reason in data.get("requirements", {}).items():
            facts += [code.replace("_", " "), reason]
        return facts
    if event_type == "survey_scheduled":
        survey = data["survey"]
        when = {
            "iso": SURVEY_AT[language],
            "no_place": SURVEY_AT_NO_PLACE[language],
            "free_text": survey["scheduled_for"][:30],
        }[variant]
        where = survey.get("location") or NO_PLACE[language]
        return [*facts, when, where if full else where[:20]]
    if event_type == "invoice_issued":
        accounts = [va["virtual_account_no"].strip() for va in data["virtual_accounts"]]
        facts += [rupiah(data["amount"]), INVOICE_EXPIRY[variant][language]]
        return facts + ([data["invoice_number"], *accounts] if full else accounts[:1])
    if event_type == "payment_received":
        facts.append("Rp 1.800.000")
        return facts + ([data["invoice_number"], PAID_AT[language]] if full else [])
    if event_type == "permit_issued":
        permit = data["permit"]
        facts = [permit["number"]]
        if not full:
            return [*facts, BASE_URL]
        facts += [permit["verification_code"], VALIDITY[language][0], *link]
        return facts + ([VALIDITY[language][1]] if permit.get("valid_until") else [])
    if event_type == "application_rejected" and full:
        return [*facts, data["permit_name"], data["note"][:60]]
    if event_type == "complaint_answered":
        return facts + ([data["answer"], *link] if full else [BASE_URL])
    if event_type == "permit_status_changed":
        facts = [data["permit_number"], STATUS_WORD[language][data["status"]]]
        return facts + ([data["reason"]] if full else [])
    return facts


def _cases():
    for (_, event_type), audiences in TEMPLATED_EVENTS.items():
        for audience, channels in audiences.items():
            for channel in channels:
                for variant in SAMPLES[event_type]:
                    if event_type == "verification_code_issued" and (
                        (variant == "email") != (channel == "email")
                    ):
                        continue  # the mismatched channel is the guard's test below
                    for language in LANGUAGES:
                        yield pytest.param(
                            event_type,
                            variant,
                            audience,
                            channel,
                            language,
                            id=f"{event_type}-{variant}-{audience}-{channel}-{language}",
                        )


def _contract(event_type: str) -> dict:
    path = ROOT / "services" / PRODUCER[event_type] / "contracts" / f"{event_type}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _render(event_type, data, audience, channel, language) -> Message | None:
    return render(
        event_type,
        data,
        audience=audience,
        channel=channel,
        language=language,
        public_base_url=BASE_URL + "/",
    )


# --- every template ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_type", "variant"),
    [(event_type, variant) for event_type, variants in SAMPLES.items() for variant in variants],
)
def test_samples_match_their_contract(event_type, variant):
    schema = _contract(event_type)
    jsonschema.validate(
        SAMPLES[event_type][variant], schema, format_checker=jsonschema.FormatChecker()
    )


def test_every_templated_event_has_samples():
    assert {event_type for _, event_type in TEMPLATED_EVENTS} == set(SAMPLES)


@pytest.mark.parametrize(("event_type", "variant", "audience", "channel", "language"), _cases())
def test_message_carries_the_facts(event_type, variant, audience, channel, language):
    data = SAMPLES[event_type][variant]
    message = _render(event_type, data, audience, channel, language)

    assert message is not None
    assert message.channel == channel
    assert message.body.strip()
    for leftover in ("{{", "}}", "{%", "%}", "{#"):
        assert leftover not in message.subject + message.body
    for fact in _expected_facts(event_type, variant, data, audience, channel, language):
        assert fact in message.body, f"{fact!r} missing from:\n{message.body}"
    if channel == "sms":
        assert message.subject == ""
        assert len(message.body) <= SMS_MAX_CHARS, f"{len(message.body)}: {message.body}"
        assert set(message.body) <= GSM7, set(message.body) - GSM7
        assert "\n" not in message.body
    else:
        assert message.subject.strip()
        assert "\n\n\n" not in message.body
        assert not message.subject.startswith("Subject")
    if channel == "inbox":
        assert message.link == f"{BASE_URL}/applications/{APPLICATION_ID}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_links(language):
    submitted = SAMPLES["application_submitted"]["first"]
    message = _render("application_submitted", submitted, "applicant", "inbox", language)
    assert message.link == f"{BASE_URL}/applications/{APPLICATION_ID}"
    reset = SAMPLES["password_reset_requested"]["reset"]
    message = _render("password_reset_requested", reset, "applicant", "email", language)
    assert message.link == f"{BASE_URL}/reset-password?token={TOKEN}"
    code = SAMPLES["verification_code_issued"]["phone"]
    assert _render("verification_code_issued", code, "applicant", "sms", language).link is None


def test_the_virtual_account_shows_without_the_banks_padding():
    body = _render(
        "invoice_issued", SAMPLES["invoice_issued"]["two_banks"], "applicant", "email", "id"
    ).body
    assert "- Bank BJB: 88899000000000123\n- BRI: 12345000000000123" in body


def test_a_resubmission_says_so_and_a_first_submission_does_not():
    samples = SAMPLES["application_submitted"]
    first = _render("application_submitted", samples["first"], "applicant", "email", "id")
    again = _render("application_submitted", samples["resubmission"], "applicant", "email", "id")
    assert "Perbaikan" not in first.subject + first.body
    assert again.subject.startswith("Perbaikan berkas diterima")


@pytest.mark.parametrize(
    ("language", "shown"), [("id", "Izin Reklame"), ("en", "Billboard Permit")]
)
def test_the_permit_is_named_in_the_readers_language(language, shown):
    named = {**SAMPLES["application_submitted"]["first"], "permit_name": "Izin Reklame"}
    named["permit_name_en"] = "Billboard Permit"
    message = _render("application_submitted", named, "applicant", "email", language)
    assert shown in message.body
    other = {"id": "Billboard Permit", "en": "Izin Reklame"}[language]
    assert other not in message.body


def test_an_event_without_the_english_name_falls_back_to_the_indonesian_one():
    message = _render(
        "application_submitted",
        SAMPLES["application_submitted"]["first"],
        "applicant",
        "email",
        "en",
    )
    assert "Izin Penyelenggaraan Satuan Pendidikan" in message.body


def test_no_nik_or_name_in_sms():
    nik = "3211034507880002"
    for (_, event_type), audiences in TEMPLATED_EVENTS.items():
        for audience, channels in audiences.items():
            if "sms" not in channels:
                continue
            for data in SAMPLES[event_type].values():
                message = _render(event_type, {**data, "nik": nik}, audience, "sms", "id")
                if message is None:
                    continue
                assert nik not in message.body
                assert "Yayasan" not in message.body and "Siti" not in message.body


# --- who gets nothing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_type", "audience", "channel"),
    [
        ("verification_code_issued", "applicant", "inbox"),  # useless before signing in
        ("password_reset_requested", "applicant", "sms"),
        ("password_reset_requested", "applicant", "inbox"),
        ("invoice_issued", "officer", "email"),
        ("sla_warning", "applicant", "inbox"),
        ("document_uploaded", "applicant", "inbox"),
        ("no_such_event", "officer", "sms"),
    ],
)
def test_unknown_combination_renders_nothing(event_type, audience, channel):
    samples = SAMPLES.get(event_type) or {"none": {"application_id": APPLICATION_ID}}
    data = next(iter(samples.values()))
    assert _render(event_type, data, audience, channel, "id") is None


def test_a_payload_missing_a_needed_field_is_an_error_not_a_blank():
    data = dict(SAMPLES["invoice_issued"]["two_banks"])
    del data["invoice_number"]
    with pytest.raises(jinja2.UndefinedError):
        _render("invoice_issued", data, "applicant", "email", "id")


def test_a_code_goes_only_on_the_channel_it_proves():
    by_email = SAMPLES["verification_code_issued"]["email"]
    by_phone = SAMPLES["verification_code_issued"]["phone"]
    assert _render("verification_code_issued", by_email, "applicant", "sms", "id") is None
    assert _render("verification_code_issued", by_phone, "applicant", "email", "id") is None


def test_no_officer_message_while_the_applicant_holds_the_file():
    waiting = _transition("assess_fee", "recommended", ["awaiting_payment"], None)
    assert _render("fee_assessment_requested", waiting, "officer", "inbox", "id") is None


@pytest.mark.parametrize(
    ("audience", "channel", "language"),
    [("citizen", "inbox", "id"), ("applicant", "whatsapp", "id"), ("applicant", "inbox", "jv")],
)
def test_values_outside_the_known_ones_are_a_bug(audience, channel, language):
    data = SAMPLES["application_submitted"]["first"]
    with pytest.raises(ValueError):
        render(
            "application_submitted",
            data,
            audience=audience,
            channel=channel,
            language=language,
            public_base_url=BASE_URL,
        )


# --- both languages, and each in its own words ------------------------------------------------


def _template_files(language: str) -> set[str]:
    root = TEMPLATES_DIR / language
    return {path.relative_to(root).as_posix() for path in root.rglob("*.txt")}


def test_every_template_exists_in_both_languages():
    assert _template_files("id") == _template_files("en")


def test_templates_are_exactly_the_declared_combinations():
    declared = {
        f"{'officer/' if audience == 'officer' else ''}{event_type}.{channel}.txt"
        for (_, event_type), audiences in TEMPLATED_EVENTS.items()
        for audience, channels in audiences.items()
        for channel in channels
    }
    # Files starting with "_" are shared pieces (footer, labels, layouts), not messages.
    found = {name for name in _template_files("id") if not name.split("/")[-1].startswith("_")}
    assert found == declared
    assert all(
        set(channels) <= set(CHANNELS) for a in TEMPLATED_EVENTS.values() for channels in a.values()
    )


def _all_messages(language: str):
    for case in _cases():
        event_type, variant, audience, channel, case_language = case.values
        if case_language == language:
            data = SAMPLES[event_type][variant]
            yield _render(event_type, data, audience, channel, language)


ENGLISH_IN_INDONESIAN = re.compile(
    r"\b(your application|application|dear|received|please|permit|payment|the|and)\b", re.I
)
INDONESIAN_IN_ENGLISH = re.compile(
    r"\b(permohonan|yth|bapak|ibu|kami|telah|silakan|izin|pembayaran|dan)\b", re.I
)


def test_indonesian_texts_have_no_english():
    for message in _all_messages("id"):
        # Sample data is Indonesian too, so any English word comes from a template.
        found = ENGLISH_IN_INDONESIAN.findall(message.subject + " " + message.body)
        assert not found, (found, message.body)


def test_english_texts_have_no_indonesian():
    for message in _all_messages("en"):
        # Names from the data stay Indonesian (permit names, notes); drop them before looking.
        text = message.subject + " " + message.body
        for data_text in sorted(set(_indonesian_data()), key=len, reverse=True):
            text = text.replace(data_text, " ")
        found = INDONESIAN_IN_ENGLISH.findall(text)
        assert not found, (found, text)


def _indonesian_data():
    for variants in SAMPLES.values():
        for data in variants.values():
            yield from _strings(data)


def _strings(value):
    if isinstance(value, str):
        if len(value) >= 6:  # shorter ones ("valid", "id") would cut words apart
            yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item)
            if "_" in key:  # requirement codes show as words
                yield key.replace("_", " ")
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_indonesian_and_english_say_the_formal_thing():
    data = SAMPLES["application_submitted"]["first"]
    indonesian = _render("application_submitted", data, "applicant", "email", "id")
    english = _render("application_submitted", data, "applicant", "email", "en")
    assert indonesian.body.startswith("Yth. Bapak/Ibu,")
    assert f"dengan nomor tanda terima {RECEIPT} telah kami terima" in indonesian.body
    assert english.body.startswith("Dear Sir or Madam,")
    assert "Permohonan" not in english.subject + english.body


# --- filters -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "Rp 0"),
        (500, "Rp 500"),
        (1_000, "Rp 1.000"),
        (1_800_000, "Rp 1.800.000"),
        (12_345_678_901, "Rp 12.345.678.901"),
        (-25_000, "-Rp 25.000"),
    ],
)
def test_rupiah(amount, text):
    assert rupiah(amount) == text


@pytest.mark.parametrize("amount", [1.5, "1800000", True, None])
def test_rupiah_takes_whole_rupiah_only(amount):
    with pytest.raises(TypeError):
        rupiah(amount)


@pytest.mark.parametrize(
    ("value", "indonesian", "english"),
    [
        ("2026-12-11T16:59:00+00:00", "11 Desember 2026 23.59 WIB", "11 December 2026 23:59 WIB"),
        ("2026-12-11T23:59:59+07:00", "11 Desember 2026 23.59 WIB", "11 December 2026 23:59 WIB"),
        # Midnight in Jakarta is still the previous day in UTC; the year turns over too.
        ("2026-12-31T17:00:00Z", "1 Januari 2027 00.00 WIB", "1 January 2027 00:00 WIB"),
        ("2026-12-31T16:59:59Z", "31 Desember 2026 23.59 WIB", "31 December 2026 23:59 WIB"),
        ("2026-03-02T09:05:00+09:00", "2 Maret 2026 07.05 WIB", "2 March 2026 07:05 WIB"),
        ("2026-08-17T08:30:00", "17 Agustus 2026 08.30 WIB", "17 August 2026 08:30 WIB"),
        ("2026-05-01", "1 Mei 2026", "1 May 2026"),
        (
            datetime(2026, 12, 31, 17, tzinfo=UTC),
            "1 Januari 2027 00.00 WIB",
            "1 January 2027 00:00 WIB",
        ),
        (date(2026, 11, 3), "3 November 2026", "3 November 2026"),
        ("Senin pagi di lokasi", "Senin pagi di lokasi", "Senin pagi di lokasi"),
    ],
)
def test_wib(value, indonesian, english):
    assert wib(value, "id") == indonesian
    assert wib(value, "en") == english


@pytest.mark.parametrize(
    ("value", "indonesian", "english"),
    [
        ("2026-12-10", "10 Desember 2026", "10 December 2026"),
        ("2026-12-31T17:00:00+00:00", "1 Januari 2027", "1 January 2027"),
        ("2026-12-31T16:59:59+00:00", "31 Desember 2026", "31 December 2026"),
        ("2027-02-28T23:00:00+07:00", "28 Februari 2027", "28 February 2027"),
        ("2026-10-05T10:00:00", "5 Oktober 2026", "5 October 2026"),
    ],
)
def test_tanggal(value, indonesian, english):
    assert tanggal(value, "id") == indonesian
    assert tanggal(value, "en") == english


@pytest.mark.parametrize(
    ("value", "indonesian", "english"),
    [
        (80, "80%", "80%"),
        (82.5, "82,5%", "82.5%"),
        (100.04, "100%", "100%"),
        (115.26, "115,3%", "115.3%"),
    ],
)
def test_persen(value, indonesian, english):
    assert persen(value, "id") == indonesian
    assert persen(value, "en") == english
