"""Permit certificates: an A4 PDF in Bahasa Indonesia with a QR code, signed with the office key."""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import segno
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from chassis.offload import off_hub

# ---------------------------------------------------------------------------------------------
# The data on a certificate
# ---------------------------------------------------------------------------------------------

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


@dataclass(frozen=True)
class CertificateData:
    permit_number: str
    permit_name: str
    holder_name: str
    valid_from: date
    valid_until: date | None  # None: valid as long as the holder meets the conditions
    conditions: list[str]
    office_name: str
    regency_name: str
    signer_title: str
    signer_name: str
    issued_on: date
    verification_url: str
    verification_code: str
    receipt_number: str


def indonesian_date(day: date) -> str:
    """4 Desember 2026."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def validity_text(data: CertificateData) -> str:
    start = indonesian_date(data.valid_from)
    if data.valid_until is None:
        return f"Sejak {start}, berlaku selama memenuhi ketentuan"
    return f"{start} s.d. {indonesian_date(data.valid_until)}"


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 25 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
BOTTOM = 22 * mm  # lowest baseline of body text; the footer lives below it
QR_SIZE = 32 * mm  # about 1 mm a module for a typical URL: easy for a cheap phone camera
QR_BLOCK = QR_SIZE + 32  # the code, its caption and two lines of URL
QR_TEXT_WIDTH = PAGE_WIDTH / 2 - MARGIN  # the left column, beside the signer

REGULAR = "Helvetica"
BOLD = "Helvetica-Bold"
ITALIC = "Helvetica-Oblique"
BODY = 11
LEADING = 15


def render_certificate(data: CertificateData) -> bytes:
    """The certificate as PDF bytes; the same data always gives the same bytes."""
    buffer = io.BytesIO()
    # invariant=1 fixes the document id and timestamps, so a re-render hashes the same.
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(_printable(f"{data.permit_name} {data.permit_number}"))
    canvas.setAuthor(_printable(f"{data.office_name} {data.regency_name}"))
    canvas.setSubject("Surat Izin")
    canvas.setCreator("GASPOL")
    _Page(canvas, data).draw()
    canvas.save()
    return buffer.getvalue()


def render_off_hub(data: CertificateData) -> bytes:
    """render_certificate in a native thread, so the eventlet hub keeps serving meanwhile."""
    return off_hub(render_certificate, data)


def qr_modules(url: str) -> list[list[bool]]:
    """The QR code's dark modules, top row first, without the quiet zone."""
    # Level M survives a scuffed or creased printout; the URL is short enough to stay coarse.
    code = segno.make(url, error="m", micro=False, boost_error=False)
    return [[bool(cell) for cell in row] for row in code.matrix_iter(border=0)]


def _printable(text: str) -> str:
    """Text the standard PDF fonts can show: Latin-1 letters stay, accents fall back, rest goes."""
    # Helvetica here is a WinAnsi (cp1252) font; anything else would print as a blank box.
    out = []
    for char in str(text):
        if _encodable(char):
            out.append(char)
        else:
            base = unicodedata.normalize("NFKD", char)
            out.append("".join(c for c in base if _encodable(c) and not unicodedata.combining(c)))
    return "".join(out)


def _encodable(char: str) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return char.isprintable()


class _Page:
    """Draws the certificate top to bottom, keeping a cursor (y) and starting pages as needed."""

    def __init__(self, canvas: Canvas, data: CertificateData) -> None:
        self.c = canvas
        self.data = data
        self.y = PAGE_HEIGHT - MARGIN

    def draw(self) -> None:
        self.letterhead()
        self.title()
        self.opening()
        self.particulars()
        self.conditions()
        self.closing()
        self.signature_and_qr()
        self.footer()
        self.c.showPage()

    # -- layout helpers -----------------------------------------------------------------------

    def need(self, height: float) -> None:
        """Start a new page when the next `height` points would run into the footer area."""
        if self.y - height < BOTTOM:
            self.footer()
            self.c.showPage()
            self.y = PAGE_HEIGHT - MARGIN

    def centred(self, text: str, font: str, size: float, leading: float) -> None:
        size = _fitting_size(text, font, size, TEXT_WIDTH)
        self.need(leading)
        self.y -= leading
        self.c.setFont(font, size)
        self.c.drawCentredString(PAGE_WIDTH / 2, self.y, text)

    def paragraph(self, text: str, x: float, width: float, font: str = REGULAR) -> None:
        """Justified lines (the last one ragged), each drawn as one string for clean extraction."""
        lines = simpleSplit(text, font, BODY, width)
        for index, line in enumerate(lines):
            self.need(LEADING)
            self.y -= LEADING
            last = index == len(lines) - 1
            self.justified_line(line, x, width, font, stretch=not last)

    def justified_line(self, line: str, x: float, width: float, font: str, stretch: bool) -> None:
        gaps = line.count(" ")
        spare = width - stringWidth(line, font, BODY)
        text = self.c.beginText(x, self.y)
        text.setFont(font, BODY)
        # Word spacing (Tw) widens every space; skip it for short lines or it looks stretched.
        if stretch and gaps and spare < width * 0.25:
            text.setWordSpace(spare / gaps)
        text.textOut(line)
        # Word spacing is graphics state and outlives the text object: reset it for what follows.
        text.setWordSpace(0)
        self.c.drawText(text)

    # -- sections -----------------------------------------------------------------------------

    def letterhead(self) -> None:
        d = self.data
        self.centred(_printable(f"PEMERINTAH {d.regency_name}".upper()), BOLD, 14, 14)
        self.centred(_printable(d.office_name.upper()), BOLD, 13, 17)
        self.centred("Layanan Perizinan Daring GASPOL", REGULAR, 9, 13)
        # The double rule under a kop surat: a heavy line over a thin one.
        self.y -= 8
        self.c.setLineWidth(2)
        self.c.line(MARGIN, self.y, PAGE_WIDTH - MARGIN, self.y)
        self.c.setLineWidth(0.6)
        self.c.line(MARGIN, self.y - 3, PAGE_WIDTH - MARGIN, self.y - 3)
        self.y -= 3

    def title(self) -> None:
        name = _printable(self.data.permit_name.upper())
        self.y -= 14
        # "SURAT IZIN PRAKTIK DOKTER" already says it; other permits get the heading above.
        if not name.startswith("SURAT IZIN"):
            self.centred("SURAT IZIN", BOLD, 15, 18)
        self.centred(name, BOLD, 15, 19)
        self.centred(f"Nomor: {_printable(self.data.permit_number)}", REGULAR, BODY, 17)
        self.y -= 10

    def opening(self) -> None:
        d = self.data
        text = (
            f"Berdasarkan permohonan dengan nomor tanda terima {d.receipt_number} dan hasil "
            "pemeriksaan atas persyaratan yang telah dinyatakan lengkap dan benar sesuai "
            f"ketentuan peraturan perundang-undangan, Pemerintah {d.regency_name} melalui "
            f"{d.office_name} dengan ini memberikan izin kepada:"
        )
        self.paragraph(_printable(text), MARGIN, TEXT_WIDTH)
        self.y -= 6

    def particulars(self) -> None:
        rows = (
            ("Nama Pemegang Izin", self.data.holder_name),
            ("Jenis Izin", self.data.permit_name),
            ("Masa Berlaku", validity_text(self.data)),
        )
        label_x = MARGIN + 8 * mm
        colon_x = label_x + 42 * mm
        value_x = colon_x + 4 * mm
        value_width = PAGE_WIDTH - MARGIN - value_x
        for label, value in rows:
            lines = simpleSplit(_printable(value), BOLD, BODY, value_width)
            self.need(LEADING * len(lines))
            self.y -= LEADING
            self.c.setFont(REGULAR, BODY)
            self.c.drawString(label_x, self.y, label)
            self.c.drawString(colon_x, self.y, ":")
            self.c.setFont(BOLD, BODY)
            for index, line in enumerate(lines):
                if index:
                    self.y -= LEADING
                self.c.drawString(value_x, self.y, line)
        self.y -= 10

    def conditions(self) -> None:
        if not self.data.conditions:
            return
        self.need(LEADING * 2)
        self.y -= LEADING
        self.c.setFont(BOLD, BODY)
        self.c.drawString(MARGIN, self.y, "Ketentuan:")
        text_x = MARGIN + 10 * mm
        for number, condition in enumerate(self.data.conditions, start=1):
            self.need(LEADING)  # so the number and the condition's first line share a page
            self.c.setFont(REGULAR, BODY)
            # Right-aligned, so "10." lines up with "9." and never touches its text.
            self.c.drawRightString(text_x - 2 * mm, self.y - LEADING, f"{number}.")
            self.paragraph(_printable(condition), text_x, PAGE_WIDTH - MARGIN - text_x)
        self.y -= 10

    def closing(self) -> None:
        text = (
            "Demikian surat izin ini diberikan untuk dipergunakan sebagaimana mestinya, "
            "dengan ketentuan apabila di kemudian hari terdapat kekeliruan akan dilakukan "
            "perbaikan sebagaimana mestinya."
        )
        self.paragraph(text, MARGIN, TEXT_WIDTH)

    def signature_and_qr(self) -> None:
        """The signer on the right and the QR code on the left, side by side, on one page."""
        signer_x = PAGE_WIDTH / 2 + 10 * mm
        signer_width = PAGE_WIDTH - MARGIN - signer_x
        title = simpleSplit(
            _printable(self.data.signer_title.upper() + ","), BOLD, BODY, signer_width
        )
        self.need(24 + max(LEADING * (len(title) + 2) + 52, QR_BLOCK))
        self.y -= 24
        top = self.y
        self.qr_block(MARGIN, top)
        self.signer_block(signer_x, signer_width, title)
        self.y = min(self.y, top - QR_BLOCK)

    def signer_block(self, x: float, width: float, title: list[str]) -> None:
        d = self.data
        lines = (
            (REGULAR, f"Ditetapkan di {_printable(d.regency_name)}"),
            (REGULAR, f"pada tanggal {indonesian_date(d.issued_on)}"),
            *((BOLD, line) for line in title),
        )
        self.y -= BODY
        for font, line in lines:
            self.c.setFont(font, BODY)
            self.c.drawString(x, self.y, line)
            self.y -= LEADING
        self.electronic_stamp(x, self.y + 4, width)
        self.y -= 52
        name = _printable(d.signer_name)
        self.c.setFont(BOLD, BODY)
        self.c.drawString(x, self.y, name)
        self.c.setLineWidth(0.6)
        self.c.line(x, self.y - 2, x + stringWidth(name, BOLD, BODY), self.y - 2)

    def electronic_stamp(self, x: float, top: float, width: float) -> None:
        """A framed note where a wet signature would go."""
        self.c.setLineWidth(0.6)
        self.c.setStrokeGray(0.45)
        self.c.roundRect(x, top - 34, width, 30, 3, stroke=1, fill=0)
        self.c.setStrokeGray(0)
        self.c.setFont(ITALIC, 9)
        self.c.drawString(x + 6, top - 16, "Ditandatangani secara elektronik")
        self.c.setFont(REGULAR, 9)
        self.c.drawString(
            x + 6, top - 28, f"Kode verifikasi: {_printable(self.data.verification_code)}"
        )

    def qr_block(self, x: float, top: float) -> None:
        """The QR code with its caption and the URL in small type under it."""
        self.draw_qr(x, top - QR_SIZE, QR_SIZE)
        self.c.setFont(BOLD, 8.5)
        self.c.drawString(x, top - QR_SIZE - 12, "Pindai untuk memeriksa keaslian izin ini")
        self.c.setFont(REGULAR, 7)
        url = _printable(self.data.verification_url)
        for index, line in enumerate(simpleSplit(url, REGULAR, 7, QR_TEXT_WIDTH)[:2]):
            self.c.drawString(x, top - QR_SIZE - 22 - index * 9, line)

    def draw_qr(self, x: float, y: float, size: float) -> None:
        modules = qr_modules(self.data.verification_url)
        count = len(modules)
        self.c.saveState()
        self.c.translate(x, y)
        self.c.scale(size / count, size / count)
        path = self.c.beginPath()
        # One rectangle per horizontal run of dark modules, in module units (row 0 is the top):
        # fewer seams for a scanner than one square per module, and a much smaller stream.
        for row_index, row in enumerate(modules):
            for start, length in _dark_runs(row):
                path.rect(start, count - 1 - row_index, length, 1)
        self.c.drawPath(path, stroke=0, fill=1)
        self.c.restoreState()

    def footer(self) -> None:
        self.c.setLineWidth(0.4)
        self.c.setStrokeGray(0.6)
        self.c.line(MARGIN, BOTTOM - 6 * mm, PAGE_WIDTH - MARGIN, BOTTOM - 6 * mm)
        self.c.setStrokeGray(0)
        self.c.setFont(REGULAR, 7)
        self.c.setFillGray(0.3)
        note = (
            "Dokumen ini ditandatangani secara elektronik dan tidak memerlukan tanda tangan "
            "basah serta cap. Keaslian dapat diperiksa melalui kode QR di atas."
        )
        self.c.drawCentredString(PAGE_WIDTH / 2, BOTTOM - 10 * mm, note)
        self.c.setFillGray(0)


def _dark_runs(row: list[bool]) -> list[tuple[int, int]]:
    runs, start = [], None
    for index, dark in enumerate([*row, False]):
        if dark and start is None:
            start = index
        elif not dark and start is not None:
            runs.append((start, index - start))
            start = None
    return runs


def _fitting_size(text: str, font: str, size: float, width: float) -> float:
    """The font size, shrunk just enough that a one-line heading fits the text width."""
    return min(size, size * width / max(stringWidth(text, font, size), 1))


# ---------------------------------------------------------------------------------------------
# Signing
# ---------------------------------------------------------------------------------------------

ALGORITHM = "Ed25519"


class OfficeKey:
    """The office's Ed25519 signing key."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private = private_key

    @classmethod
    def generate(cls) -> OfficeKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, pem: bytes) -> OfficeKey:
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the office key must be an Ed25519 private key")
        return cls(key)

    @classmethod
    def load_or_create(cls, path: Path) -> OfficeKey:
        """The key stored at path; the first caller creates it, and every process gets that one."""
        path = Path(path)
        if not path.exists():
            _create_exclusively(path, cls.generate().to_pem())
        return cls.from_pem(path.read_bytes())

    def to_pem(self) -> bytes:
        return self._private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def public_pem(self) -> bytes:
        return self._private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    @property
    def key_id(self) -> str:
        return _key_id(self._private.public_key())

    def sign(self, message: bytes) -> bytes:
        return self._private.sign(message)


def public_keys_of(pems: list[bytes]) -> dict[str, bytes]:
    """Public keys by key id, from earlier office keys (private or public PEM), for verifying
    what they signed before a rotation."""
    keys = {}
    for pem in pems:
        try:
            loaded = serialization.load_pem_private_key(pem, password=None).public_key()
        except ValueError:
            loaded = serialization.load_pem_public_key(pem)
        if not isinstance(loaded, Ed25519PublicKey):
            raise ValueError("an office key must be Ed25519")
        keys[_key_id(loaded)] = loaded.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    return keys


def _key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def _create_exclusively(path: Path, content: bytes) -> None:
    """Write a complete 0600 file at path unless one is there already; never overwrite."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file 0600; the link publishes it whole, and fails if another
    # process linked its own key first -- then both use that one (os.replace would let the
    # second writer silently swap the key under the first).
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temp, path)
        except FileExistsError:
            return
        _fsync_dir(path.parent)
    finally:
        os.unlink(temp)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Signature:
    """A detached signature: Ed25519 over the 32-byte SHA-256 digest of the PDF."""

    algorithm: str
    key_id: str
    sha256: str  # hex
    signature: str  # base64

    def to_dict(self) -> dict[str, str]:
        return {
            "algorithm": self.algorithm,
            "key_id": self.key_id,
            "sha256": self.sha256,
            "signature": self.signature,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Signature:
        try:
            return cls(**{name: str(data[name]) for name in cls.__dataclass_fields__})
        except (KeyError, TypeError) as error:
            raise ValueError(f"not a certificate signature: {error!r}") from error


@dataclass(frozen=True)
class Verification:
    genuine: bool
    reason: str | None = None  # None | "digest_mismatch" | "bad_signature" | "unknown_key"


def sign_document(pdf: bytes, key: OfficeKey) -> Signature:
    digest = hashlib.sha256(pdf).digest()
    return Signature(
        algorithm=ALGORITHM,
        key_id=key.key_id,
        sha256=digest.hex(),
        signature=base64.b64encode(key.sign(digest)).decode("ascii"),
    )


def verify_document(
    pdf: bytes, signature: Signature, public_keys: dict[str, bytes]
) -> Verification:
    """Whether signature is the office's over exactly these bytes; bad input answers False."""
    if not isinstance(signature, Signature):
        return Verification(False, "bad_signature")
    try:
        digest = hashlib.sha256(pdf).digest()
    except TypeError:
        return Verification(False, "digest_mismatch")
    if not isinstance(signature.sha256, str) or signature.sha256.lower() != digest.hex():
        return Verification(False, "digest_mismatch")
    public_key = _public_key(public_keys, signature.key_id)
    if public_key is None:
        return Verification(False, "unknown_key")
    raw = _decode_signature(signature)
    if raw is None:
        return Verification(False, "bad_signature")
    try:
        # Checked against the digest of the bytes in hand, not the one the record claims.
        public_key.verify(raw, digest)
    except InvalidSignature:
        return Verification(False, "bad_signature")
    return Verification(True)


def _public_key(public_keys: dict[str, bytes], key_id: object) -> Ed25519PublicKey | None:
    """The usable Ed25519 key configured under key_id, or None."""
    try:
        pem = public_keys.get(key_id)  # type: ignore[arg-type]
        if pem is None:
            return None
        key = serialization.load_pem_public_key(pem)
    except (TypeError, ValueError, AttributeError):
        return None
    return key if isinstance(key, Ed25519PublicKey) else None


def _decode_signature(signature: Signature) -> bytes | None:
    if signature.algorithm != ALGORITHM or not isinstance(signature.signature, str):
        return None
    try:
        raw = base64.b64decode(signature.signature, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 64 else None
