"""Permit certificates: the PDF's content and determinism, its QR code, its detached signature."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import os
import random
import re
import shutil
import stat
import subprocess
import threading
import zlib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from services.documents import certificate
from services.documents.certificate import (
    CertificateData,
    OfficeKey,
    Signature,
    Verification,
    public_keys_of,
    qr_modules,
    render_certificate,
    render_off_hub,
    sign_document,
    verify_document,
)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

DATA = CertificateData(
    permit_number="503/0001/SIP-DOK/DPMPTSP/2026",
    permit_name="Surat Izin Praktik Dokter",
    holder_name="dr. Siti Rahmawati",
    valid_from=date(2026, 12, 4),
    valid_until=date(2031, 12, 3),
    conditions=[
        "Praktik hanya dilakukan di tempat praktik yang tercantum dalam izin ini.",
        "Wajib memasang papan nama praktik sesuai ketentuan.",
        "Izin ini tidak berlaku apabila Surat Tanda Registrasi (STR) tidak berlaku lagi "
        "atau pemegang izin meninggal dunia.",
    ],
    office_name="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    regency_name="Kabupaten Contoh",
    signer_title="Kepala Dinas",
    signer_name="Drs. Ahmad Syaifudin, M.Si.",
    issued_on=date(2026, 12, 4),
    verification_url="https://gaspol.contohkab.go.id/verifikasi/7KQ2-M9XD-4HPA",
    verification_code="7KQ2-M9XD-4HPA",
    receipt_number="REG-2026-000123",
)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_certificate(DATA)


@pytest.fixture(scope="module")
def office_key() -> OfficeKey:
    return OfficeKey.generate()


# -- reading our own PDF back, without a PDF library ---------------------------------------------


def content_streams(pdf: bytes) -> list[bytes]:
    """The decoded page content streams (reportlab writes them ASCII85 + Flate encoded)."""
    raw_streams = re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S)
    return [zlib.decompress(base64.a85decode(raw.strip(), adobe=True)) for raw in raw_streams]


def drawn_text(pdf: bytes) -> list[str]:
    """Every string shown with Tj, in drawing order: the PDF's text layer."""
    lines = []
    for stream in content_streams(pdf):
        for literal in re.findall(rb"\(((?:[^\\()]|\\.)*)\)\s*Tj", stream, re.S):
            lines.append(_unescape(literal).decode("cp1252"))
    return lines


def _unescape(literal: bytes) -> bytes:
    def one(match: re.Match) -> bytes:
        escaped = match.group(1)
        if escaped[:1].isdigit():
            return bytes([int(escaped, 8)])
        return {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(escaped, escaped)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, literal, flags=re.S)


def flowing(lines: list[str]) -> str:
    """The text as one run of words, for phrases that may wrap over lines."""
    return " ".join(" ".join(lines).split())


def drawn_qr(pdf: bytes) -> list[list[bool]]:
    """The QR modules as drawn: runs of dark modules are `col row width 1 re` in module units."""
    runs = [
        tuple(map(int, run))
        for stream in content_streams(pdf)
        for run in re.findall(rb"(?<![\d.])(\d+) (\d+) (\d+) 1 re", stream)
    ]
    size = max(col + width for col, _, width in runs)
    grid = [[False] * size for _ in range(size)]
    for col, row_from_bottom, width in runs:
        for x in range(col, col + width):
            grid[size - 1 - row_from_bottom][x] = True
    return grid


# -- rendering -----------------------------------------------------------------------------------


def test_the_certificate_is_a_complete_pdf(pdf):
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")


def test_the_same_data_renders_the_same_bytes(pdf):
    assert render_certificate(DATA) == pdf


def test_different_data_renders_different_bytes(pdf):
    assert render_certificate(replace(DATA, holder_name="dr. Budi Santoso")) != pdf


def test_the_text_layer_carries_the_permit_in_bahasa_indonesia(pdf):
    text = drawn_text(pdf)
    assert "PEMERINTAH KABUPATEN CONTOH" in text
    assert "SURAT IZIN PRAKTIK DOKTER" in text
    assert "Nomor: 503/0001/SIP-DOK/DPMPTSP/2026" in text
    assert "dr. Siti Rahmawati" in text
    assert "4 Desember 2026 s.d. 3 Desember 2031" in text
    assert "Ketentuan:" in text
    assert "pada tanggal 4 Desember 2026" in text
    assert "Ditandatangani secara elektronik" in text
    assert "Kode verifikasi: 7KQ2-M9XD-4HPA" in text
    assert "Pindai untuk memeriksa keaslian izin ini" in text
    assert DATA.verification_url in text
    assert "nomor tanda terima REG-2026-000123" in flowing(text)
    for condition in DATA.conditions:
        assert condition in flowing(text)


def test_a_permit_without_an_end_date_and_a_generic_name():
    data = replace(DATA, permit_name="Izin Reklame", valid_until=None, conditions=[])
    text = drawn_text(render_certificate(data))
    assert text[2:4] == ["Layanan Perizinan Daring GASPOL", "SURAT IZIN"]
    assert "IZIN REKLAME" in text
    assert "Sejak 4 Desember 2026, berlaku selama memenuhi ketentuan" in flowing(text)
    assert "Ketentuan:" not in text


def test_characters_the_standard_font_lacks_are_dropped_or_simplified():
    data = replace(DATA, holder_name="Ni Made Ayu Sāraswatī Café 🙂")
    text = drawn_text(render_certificate(data))
    assert "Nama Pemegang Izin" in text
    assert text[text.index("Nama Pemegang Izin") + 2] == "Ni Made Ayu Saraswati Café"


def test_a_long_certificate_flows_onto_a_second_page():
    data = replace(DATA, conditions=DATA.conditions * 8)
    pdf = render_certificate(data)
    assert pdf.count(b"/Type /Page\n") == 2
    assert "24." in drawn_text(pdf)


def test_the_drawn_qr_code_is_the_encoding_of_the_verification_url(pdf):
    assert drawn_qr(pdf) == qr_modules(DATA.verification_url)


def test_the_drawn_qr_code_decodes_to_the_verification_url(pdf):
    decode = _qr_decoder()
    if decode is None:
        pytest.skip(
            "no QR decoder (zxingcpp or pyzbar) is installed; the drawn modules are "
            "checked against segno's encoding of the URL instead"
        )
    assert decode(_as_image(drawn_qr(pdf))) == DATA.verification_url


def _qr_decoder():
    if importlib.util.find_spec("zxingcpp"):
        import zxingcpp

        return lambda image: zxingcpp.read_barcode(image).text
    if importlib.util.find_spec("pyzbar"):
        from pyzbar import pyzbar

        return lambda image: pyzbar.decode(image)[0].data.decode()
    return None


def _as_image(grid: list[list[bool]], scale: int = 8, quiet: int = 4):
    from PIL import Image  # comes with reportlab

    size = (len(grid) + 2 * quiet) * scale
    image = Image.new("L", (size, size), 255)
    for y, row in enumerate(grid):
        for x, dark in enumerate(row):
            if dark:
                corner = ((x + quiet) * scale, (y + quiet) * scale)
                image.paste(0, (*corner, corner[0] + scale, corner[1] + scale))
    return image


def test_rendering_off_the_hub_gives_the_same_bytes_through_off_hub(pdf, monkeypatch):
    calls = []

    def recording_off_hub(fn, *args):
        calls.append(fn)
        return fn(*args)

    monkeypatch.setattr(certificate, "off_hub", recording_off_hub)
    assert render_off_hub(DATA) == pdf
    assert calls == [render_certificate]


def test_a_sample_is_written_for_people_to_look_at(pdf):
    ARTIFACTS.mkdir(exist_ok=True)
    sample = ARTIFACTS / "certificate-sample.pdf"
    sample.write_bytes(pdf)
    # A picture for reviewers where poppler is installed; nothing depends on it.
    if shutil.which("pdftoppm"):
        stem = str(sample.with_suffix(""))
        subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", sample, stem], check=True)


# -- signing -------------------------------------------------------------------------------------


def test_a_signature_verifies(pdf, office_key):
    signature = sign_document(pdf, office_key)
    assert signature.algorithm == "Ed25519"
    assert signature.key_id == office_key.key_id
    assert len(base64.b64decode(signature.signature)) == 64
    keys = {office_key.key_id: office_key.public_pem()}
    assert verify_document(pdf, signature, keys) == Verification(True, None)


def test_one_flipped_byte_anywhere_fails_with_digest_mismatch(pdf, office_key):
    signature = sign_document(pdf, office_key)
    keys = {office_key.key_id: office_key.public_pem()}
    for position in random.Random(20261204).sample(range(len(pdf)), 20):
        tampered = bytearray(pdf)
        tampered[position] ^= 0xFF
        assert verify_document(bytes(tampered), signature, keys) == Verification(
            False, "digest_mismatch"
        ), position


def test_a_signature_by_another_key_under_the_same_key_id_is_bad(pdf, office_key):
    forged = replace(sign_document(pdf, OfficeKey.generate()), key_id=office_key.key_id)
    keys = {office_key.key_id: office_key.public_pem()}
    assert verify_document(pdf, forged, keys) == Verification(False, "bad_signature")


def test_a_digest_claim_edited_to_match_other_bytes_is_still_caught(pdf, office_key):
    other = render_certificate(replace(DATA, holder_name="dr. Budi Santoso"))
    moved = replace(sign_document(pdf, office_key), sha256=hashlib.sha256(other).hexdigest())
    keys = {office_key.key_id: office_key.public_pem()}
    assert verify_document(other, moved, keys) == Verification(False, "bad_signature")


def test_an_unknown_key_id_is_reported(pdf, office_key):
    signature = sign_document(pdf, office_key)
    other = OfficeKey.generate()
    assert verify_document(pdf, signature, {other.key_id: other.public_pem()}) == Verification(
        False, "unknown_key"
    )


def test_what_a_rotated_out_key_signed_still_verifies_by_its_earlier_key(pdf, office_key):
    signature = sign_document(pdf, office_key)
    successor = OfficeKey.generate()
    # The operator keeps the old private key file, or only its public half: both are accepted.
    for earlier in (office_key.to_pem(), office_key.public_pem()):
        keys = {**public_keys_of([earlier]), successor.key_id: successor.public_pem()}
        assert verify_document(pdf, signature, keys) == Verification(True, None)
    assert verify_document(pdf, signature, {successor.key_id: successor.public_pem()}) == (
        Verification(False, "unknown_key")
    )


def test_an_earlier_key_must_be_an_office_key():
    rsa_like = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(ValueError):
        public_keys_of([rsa_like])


@pytest.mark.parametrize(
    "pem",
    [
        b"not a pem",
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
    ],
    ids=["garbage", "p256"],
)
def test_an_unusable_configured_key_counts_as_unknown(pdf, office_key, pem):
    signature = sign_document(pdf, office_key)
    assert verify_document(pdf, signature, {office_key.key_id: pem}) == Verification(
        False, "unknown_key"
    )


@pytest.mark.parametrize(
    "bad",
    [
        {"signature": "!!not base64!!"},
        {"signature": base64.b64encode(b"short").decode()},
        {"signature": ""},
        {"signature": None},
        {"algorithm": "RS256"},
    ],
    ids=["not-base64", "wrong-length", "empty", "none", "other-algorithm"],
)
def test_a_malformed_signature_is_bad_without_raising(pdf, office_key, bad):
    signature = replace(sign_document(pdf, office_key), **bad)
    keys = {office_key.key_id: office_key.public_pem()}
    assert verify_document(pdf, signature, keys) == Verification(False, "bad_signature")


def test_input_that_is_not_bytes_fails_without_raising(office_key):
    signature = sign_document(b"%PDF-", office_key)
    keys = {office_key.key_id: office_key.public_pem()}
    assert verify_document("%PDF-", signature, keys) == Verification(False, "digest_mismatch")
    assert verify_document(b"%PDF-", replace(signature, key_id=None), keys).reason == "unknown_key"
    assert verify_document(b"%PDF-", signature.to_dict(), keys).reason == "bad_signature"


def test_a_signature_survives_storage_as_a_dict(pdf, office_key):
    signature = sign_document(pdf, office_key)
    stored = signature.to_dict()
    assert set(stored) == {"algorithm", "key_id", "sha256", "signature"}
    assert Signature.from_dict(stored) == signature
    with pytest.raises(ValueError):
        Signature.from_dict({"algorithm": "Ed25519"})


# -- the office key ------------------------------------------------------------------------------


def test_a_key_survives_pem_and_keeps_its_id(office_key):
    again = OfficeKey.from_pem(office_key.to_pem())
    assert again.key_id == office_key.key_id
    assert re.fullmatch(r"[0-9a-f]{16}", office_key.key_id)
    assert office_key.public_pem().startswith(b"-----BEGIN PUBLIC KEY-----")
    assert OfficeKey.generate().key_id != office_key.key_id


def test_only_an_ed25519_private_key_is_accepted():
    p256 = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(ValueError):
        OfficeKey.from_pem(p256)


def test_load_or_create_makes_a_private_file_once_and_then_reads_it(tmp_path):
    path = tmp_path / "keys" / "office.pem"
    created = OfficeKey.load_or_create(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert OfficeKey.load_or_create(path).key_id == created.key_id
    assert os.listdir(path.parent) == ["office.pem"]  # no temp file left behind


def test_racing_creators_all_end_up_with_the_same_key(tmp_path):
    path = tmp_path / "office.pem"
    key_ids, start = [], threading.Barrier(8)

    def create():
        start.wait()
        key_ids.append(OfficeKey.load_or_create(path).key_id)

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(key_ids) == 8
    assert set(key_ids) == {OfficeKey.from_pem(path.read_bytes()).key_id}
    assert os.listdir(tmp_path) == ["office.pem"]
