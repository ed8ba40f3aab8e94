"""Pure document rules: streaming upload inspection, display filenames and storage keys; no I/O."""

from __future__ import annotations

import codecs
import hashlib
import re
import struct
import unicodedata
import zlib
from dataclasses import dataclass
from types import MappingProxyType
from urllib.parse import quote

# --- File kinds ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileKind:
    """What an accepted kind is served as, saved as and called in messages."""

    content_type: str
    extension: str
    label: str


FILE_KINDS = MappingProxyType(
    {
        "pdf": FileKind("application/pdf", ".pdf", "PDF"),
        "jpeg": FileKind("image/jpeg", ".jpg", "JPEG"),
        "png": FileKind("image/png", ".png", "PNG"),
    }
)
DEFAULT_ALLOWED = frozenset(FILE_KINDS)
# Extensions a display name may keep for each kind (the first is the one we give).
_EXTENSIONS = {"pdf": (".pdf",), "jpeg": (".jpg", ".jpeg"), "png": (".png",)}

REFUSAL_CODES = frozenset(
    {
        "empty",
        "too_large",
        "type_not_allowed",
        "type_unknown",
        "executable",
        "polyglot",
        "active_content",
        "truncated",
    }
)


class UploadRefused(Exception):
    """An upload breaks a rule; `message` says in plain English what was expected."""

    def __init__(self, code: str, message: str):
        self.code = code
        self.message = message
        super().__init__(code, message)

    def __str__(self) -> str:
        return f"{self.message} ({self.code})"


class _Finding(Exception):
    """A rule broken deep in the inspection; the inspector adds what the requirement accepts."""

    def __init__(self, code: str, problem: str):
        self.code = code
        self.problem = problem
        super().__init__(code, problem)


@dataclass(frozen=True)
class Inspection:
    """What a fully inspected, accepted upload is."""

    kind: str
    content_type: str
    size: int
    sha256: str


# --- Sniffing the type from the first bytes --------------------------------------------------

SNIFF_BYTES = 16  # enough for every binary signature below
HEAD_BYTES = 1024  # markup and ZIP entry names may need more; PDFs are checked for HTML here

_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "pdf", "a PDF document"),
    (b"\xff\xd8\xff", "jpeg", "a JPEG image"),
    (b"\x89PNG\r\n\x1a\n", "png", "a PNG image"),
    (b"MZ", "executable", "a Windows executable"),
    (b"\x7fELF", "executable", "a Linux executable (ELF)"),
    (b"\xfe\xed\xfa\xce", "executable", "a macOS executable (Mach-O)"),
    (b"\xfe\xed\xfa\xcf", "executable", "a macOS executable (Mach-O)"),
    (b"\xce\xfa\xed\xfe", "executable", "a macOS executable (Mach-O)"),
    (b"\xcf\xfa\xed\xfe", "executable", "a macOS executable (Mach-O)"),
    (b"\xca\xfe\xba\xbe", "executable", "a Java class or macOS universal executable"),
    (b"#!", "executable", "a script"),
    (b"dex\n", "executable", "an Android executable (DEX)"),
    (b"\x00asm", "executable", "a WebAssembly module"),
    (b"PK\x03\x04", "zip", "a ZIP archive"),
    (b"PK\x05\x06", "zip", "a ZIP archive"),
    (b"GIF87a", "other", "a GIF image"),
    (b"GIF89a", "other", "a GIF image"),
    (b"II*\x00", "other", "a TIFF image"),
    (b"MM\x00*", "other", "a TIFF image"),
    (b"\x1f\x8b", "other", "a gzip archive"),
    (b"Rar!\x1a\x07", "other", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "other", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "other", "an old Microsoft Office file (DOC, XLS, PPT)"),
    (b"{\\rtf", "other", "an RTF document"),
    (b"%!PS", "other", "a PostScript file"),
)
# The first entry of a ZIP names what the archive really is.
_ZIP_ENTRIES: tuple[tuple[bytes, str, str], ...] = (
    (b"word/", "other", "a Word document (DOCX)"),
    (b"xl/", "other", "an Excel workbook (XLSX)"),
    (b"ppt/", "other", "a PowerPoint presentation (PPTX)"),
    (b"[Content_Types].xml", "other", "an Office document (DOCX, XLSX or PPTX)"),
    (b"mimetype", "other", "an OpenDocument file (ODT, ODS or ODP)"),
    (b"META-INF/", "executable", "a Java archive (JAR)"),
    (b"AndroidManifest.xml", "executable", "an Android app (APK)"),
)
_FTYP_BRANDS = {
    b"heic": "a HEIC photo (iPhone); please save it as JPEG",
    b"heix": "a HEIC photo (iPhone); please save it as JPEG",
    b"mif1": "a HEIF photo; please save it as JPEG",
    b"avif": "an AVIF image",
}
_MARKUP_TAGS = (
    (b"<svg", "an SVG image"),
    (b"<html", "an HTML page"),
    (b"<!doctype html", "an HTML page"),
    (b"<script", "an HTML page"),
    (b"<body", "an HTML page"),
)
_TEXT_BYTES = bytes(range(0x20, 0x7F)) + b"\t\n\r\f"
_UTF8_BOM = b"\xef\xbb\xbf"


def _sniff(head: bytes, final: bool) -> tuple[str, str] | None:
    """The family and label of a file from its first bytes, or None while more are needed.

    `final` means no more bytes will come into `head` (the file ended or the head is full).
    """
    if len(head) < SNIFF_BYTES and not final:
        return None
    for magic, family, label in _SIGNATURES:
        if head.startswith(magic):
            return _sniff_zip(head, final) if family == "zip" else (family, label)
    if head[4:8] == b"ftyp":
        return "other", _FTYP_BRANDS.get(head[8:12], "an MP4 video or other media file")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "other", "a WebP image"
    if head[:2] == b"BM" and head[6:10] == b"\x00\x00\x00\x00":
        return "other", "a BMP image"
    return _sniff_text(head, final)


def _sniff_zip(head: bytes, final: bool) -> tuple[str, str] | None:
    if len(head) < 30:
        return ("other", "a ZIP archive") if final else None
    name_length = int.from_bytes(head[26:28], "little")
    name = head[30 : 30 + name_length]
    if len(name) < name_length and not final:
        return None
    for prefix, family, label in _ZIP_ENTRIES:
        if name.startswith(prefix):
            return family, label
    return "other", "a ZIP archive"


def _sniff_text(head: bytes, final: bool) -> tuple[str, str] | None:
    body = head.removeprefix(_UTF8_BOM).lstrip(b" \t\r\n\f")
    if not body and not final:
        return None
    if body.startswith(b"<"):
        return _sniff_markup(body.lower(), final)
    if body and not body.translate(None, _TEXT_BYTES + bytes(range(0x80, 0x100))):
        try:
            # Not final: a character cut at the end of the head is still text.
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            pass
        else:
            return "other", "a plain text file"
    return "unknown", "of a type that could not be recognised"


def _sniff_markup(lower: bytes, final: bool) -> tuple[str, str] | None:
    found = [(lower.find(tag), label) for tag, label in _MARKUP_TAGS if tag in lower]
    if found:
        return "other", min(found)[1]
    if not final:
        return None
    return "other", "an XML document" if lower.startswith(b"<?xml") else "an HTML or XML document"


# --- Active content in PDFs ------------------------------------------------------------------


def _name_pattern(name: str) -> bytes:
    """A regex for a PDF name (after its slash) also written with #xx escapes (J#61vaScript)."""
    parts = []
    for char in name:
        hex_digits = "".join(f"[{d}{d.upper()}]" if d.isalpha() else d for d in f"{ord(char):02x}")
        parts.append(f"(?:{re.escape(char)}|#{hex_digits})")
    return "".join(parts).encode()


_ACTIVE_NAMES = {
    "JavaScript": "JavaScript",
    "Launch": "an action that starts programs",
    "EmbeddedFile": "embedded files",
    "RichMedia": "embedded Flash or media",
}
# `/JS` is short enough to turn up by chance in a stream's data (in ASCII85 image data about
# once in a hundred thousand bytes), so it counts only where it ends a name (a delimiter
# follows), inside readable text, and outside stream data; a script action always also carries
# `/S /JavaScript`, which is caught anywhere.
# Each pattern starts with a literal (the slash, `stream`) so the regex engine skips ahead fast.
_ACTIVE = re.compile(
    b"/(?:"
    + b"|".join(b"(?P<%s>%s)" % (name.encode(), _name_pattern(name)) for name in _ACTIVE_NAMES)
    + b"|(?P<JS>"
    + _name_pattern("JS")
    + rb")(?=[\s()<>\[\]{}/%]))"
)
_OBJECT_STREAM = re.compile(b"/" + _name_pattern("ObjStm"))
# Where a stream's data starts (`stream` and its end of line) and ends (`endstream`). Written
# to start with the literal `stream` so the regex engine skips ahead fast: as an alternation it
# tried every byte, 10 ms per MB, most of the CPU a large upload cost.
_STREAM_EDGE = re.compile(
    rb"stream(?:(?<=endstream)|(?<![^\s>]stream)(?P<open>[ \t]{0,16}(?:\r\n|\n|\r)))"
)
# `stream` after a dictionary (not `endstream`), then its end of line; two bytes must follow so
# the data's first bytes (a zlib header or not) are known when the match is handled.
_STREAM_START = re.compile(rb"stream(?<![^\s>]stream)[ \t]{0,16}(?:\r\n|\n|\r(?!\n))(?=[\s\S]{2})")
_HTML_IN_PDF = (b"<html", b"<script", b"<!doctype html", b"<body", b"<svg")

MARKER_OVERLAP = 64  # longer than any marker written with #xx escapes
INFLATE_STEP = 64 * 1024
INFLATE_BUDGET = 64 * 1024 * 1024  # object streams hold dictionaries only; more is a bomb


class _MarkerScanner:
    """Finds active-content markers in a byte stream, also where a chunk boundary splits one.

    With `streams`, it also follows where stream data starts and ends, so a `/JS` in the data
    of an image is not taken for a script (inflated object streams hold no stream data).
    """

    def __init__(self, streams: bool = False) -> None:
        self._overlap = b""
        self._streams = streams
        self._in_stream_data = False

    def feed(self, data: bytes) -> None:
        window = self._overlap + data
        seen = len(self._overlap)
        edges = _STREAM_EDGE.finditer(window) if self._streams else iter(())
        edge = next(edges, None)
        for match in _ACTIVE.finditer(window):
            while edge is not None and edge.start() < match.start():
                if edge.end() > seen:  # edges wholly in the overlap were followed last time
                    self._in_stream_data = edge.lastgroup == "open"
                edge = next(edges, None)
            if match.lastgroup == "JS" and (
                self._in_stream_data or not self._js_in_text(window, match, seen)
            ):
                continue
            what = _ACTIVE_NAMES.get(match.lastgroup, "JavaScript")
            raise _Finding(
                "active_content",
                f"is a PDF with {what}, which is not accepted (print it to a new PDF to remove it)",
            )
        self._follow_edges(edge, edges, seen)
        self._overlap = window[-MARKER_OVERLAP:]

    def _follow_edges(self, edge, edges, seen: int) -> None:
        """Whether the window ends inside stream data, from the edges after the last marker."""
        while edge is not None:
            if edge.end() > seen:
                self._in_stream_data = edge.lastgroup == "open"
            edge = next(edges, None)

    @staticmethod
    def _js_in_text(window: bytes, match: re.Match, seen: int) -> bool:
        # A `/JS` that ended in the previous window was judged then, with its context in view;
        # here that context may have slid out.
        if match.end() < seen:
            return False
        return _is_text(window[max(0, match.start() - 16) : match.start()])

    @property
    def retained(self) -> int:
        return len(self._overlap)


def _is_text(data: bytes) -> bool:
    return not data.translate(None, _TEXT_BYTES)


def _is_zlib_header(first: int, second: int) -> bool:
    return first & 0x0F == 8 and first >> 4 <= 7 and (first << 8 | second) % 31 == 0


class _PdfScanner:
    """Looks for active content as a PDF streams past, inside compressed object streams too.

    Modern PDFs keep their dictionaries (the catalog, actions, name trees) in Flate-compressed
    object streams, so a scan of the raw bytes alone would miss a script stored there. Both the
    raw bytes and the inflated object streams are scanned; memory stays bounded.
    """

    def __init__(self) -> None:
        self._raw = _MarkerScanner(streams=True)
        self._objects = _MarkerScanner()
        self._look = b""  # the last bytes seen outside object streams (a keyword may be split)
        self._resume = 0  # where in `_look` the next search starts
        self._object_stream = False  # `/ObjStm` was seen since the last `stream` keyword
        self._inflater: zlib._Decompress | None = None
        self._inflated = 0

    def feed(self, data: bytes) -> None:
        self._raw.feed(data)
        while data:
            data = self._inflate(data) if self._inflater else self._seek_stream(data)

    def finish(self) -> None:
        if self._inflater is not None:
            self._scan_inflated(self._inflater.flush())

    @property
    def retained(self) -> int:
        return self._raw.retained + self._objects.retained + len(self._look)

    def _seek_stream(self, data: bytes) -> bytes:
        """Find the next object stream's data; return the bytes from there on (or b"")."""
        window = self._look + data
        position = self._resume
        for match in _STREAM_START.finditer(window, position):
            is_object_stream = self._object_stream or bool(
                _OBJECT_STREAM.search(window, position, match.start())
            )
            self._object_stream = False
            position = match.end()
            # Unfiltered object streams are plain text the raw scan already reads.
            if is_object_stream and _is_zlib_header(window[position], window[position + 1]):
                self._look, self._resume = b"", 0
                self._inflater = zlib.decompressobj()
                return window[position:]
        if _OBJECT_STREAM.search(window, position):
            self._object_stream = True
        self._look = window[-MARKER_OVERLAP:]
        self._resume = max(0, position - (len(window) - len(self._look)))
        return b""

    def _inflate(self, data: bytes) -> bytes:
        """Inflate and scan an object stream; return the bytes after its end (or b"")."""
        inflater = self._inflater
        pending = data
        while True:
            try:
                out = inflater.decompress(pending, INFLATE_STEP)
            except zlib.error:
                # A damaged stream decodes no further for a reader either: what decoded was
                # scanned; read the rest as plain PDF again.
                self._inflater = None
                return data
            self._scan_inflated(out)
            if inflater.eof:
                self._inflater = None
                self._objects = _MarkerScanner()
                return inflater.unused_data
            pending = inflater.unconsumed_tail
            if not pending and len(out) < INFLATE_STEP:
                return b""

    def _scan_inflated(self, out: bytes) -> None:
        self._inflated += len(out)
        if self._inflated > INFLATE_BUDGET:
            raise _Finding(
                "active_content",
                "is a PDF whose compressed objects expand too far to be checked",
            )
        self._objects.feed(out)


# --- End-of-file checks ----------------------------------------------------------------------

PDF_EOF_WINDOW = 1024
IMAGE_PADDING = 64  # some scanners and phones pad images with zero bytes
ZIP_END_WINDOW = 0xFFFF + 22  # a ZIP reader looks for its end record this far back
_JPEG_END = b"\xff\xd9"
_PNG_END = b"IEND\xaeB`\x82"
_ZIP_END = b"PK\x05\x06"
# Phones that save "motion photos" append a video after the JPEG: the commonest honest cause.
MOTION_PHOTO_HINT = (
    " (phones that save motion photos do this; take the photo with motion off or save it "
    "again as a new image)"
)


def _has_zip_end(tail: bytes, size: int) -> bool:
    """Whether a ZIP reader would find an archive's end record in these last bytes.

    The signature alone can occur by chance in compressed image data; a real record also
    says its central directory fits before it (or is ZIP64, which says nothing here).
    """
    tail_start = size - len(tail)
    position = tail.rfind(_ZIP_END)
    while position >= 0:
        record = tail[position : position + 22]
        if len(record) == 22:
            directory_size, directory_offset = struct.unpack("<II", record[12:20])
            zip64 = 0xFFFFFFFF in (directory_size, directory_offset)
            if zip64 or directory_size <= tail_start + position:
                return True
        position = tail.rfind(_ZIP_END, 0, position)
    return False


def _without_padding(tail: bytes) -> bytes:
    stripped = tail.rstrip(b"\x00")
    return stripped if len(tail) - len(stripped) <= IMAGE_PADDING else tail


def _check_end(kind: str, tail: bytes, size: int) -> None:
    if _has_zip_end(tail, size):
        raise _Finding("polyglot", f"is a {FILE_KINDS[kind].label} with a ZIP archive inside")
    if kind == "pdf":
        if b"%%EOF" not in tail[-PDF_EOF_WINDOW:]:
            raise _Finding("truncated", "is a PDF whose end is missing (cut off or damaged)")
        return
    end = _JPEG_END if kind == "jpeg" else _PNG_END
    label = FILE_KINDS[kind].label
    if _without_padding(tail).endswith(end):
        return
    if end in tail:
        hint = MOTION_PHOTO_HINT if kind == "jpeg" else ""
        raise _Finding("polyglot", f"is a {label} image with extra data after the picture{hint}")
    raise _Finding("truncated", f"is a {label} image whose end is missing (cut off or damaged)")


# --- The inspector ---------------------------------------------------------------------------


class UploadInspector:
    """Inspects an upload chunk by chunk, in memory that does not grow with the file.

    `feed` refuses as soon as the bytes so far break a rule (size, type, active content);
    `finish` runs the end-of-file checks and returns what the upload is.
    """

    TAIL_BYTES = ZIP_END_WINDOW  # the widest end-of-file check

    def __init__(self, allowed: frozenset[str], max_bytes: int):
        if not allowed or not allowed <= DEFAULT_ALLOWED:
            raise ValueError(f"allowed kinds must be some of {sorted(DEFAULT_ALLOWED)}")
        if max_bytes <= 0:
            raise ValueError("max_bytes must be positive")
        self.allowed = frozenset(allowed)
        self.max_bytes = max_bytes
        self._sha256 = hashlib.sha256()
        self._size = 0
        self._head = bytearray()
        self._tail = bytearray()
        self._kind: str | None = None
        self._pdf = _PdfScanner()
        self._pdf_head_checked = False
        self._refusal: UploadRefused | None = None
        self._finished = False

    @property
    def retained_bytes(self) -> int:
        """How many bytes of the upload the inspector holds right now."""
        return len(self._head) + len(self._tail) + self._pdf.retained

    def feed(self, chunk: bytes) -> None:
        self._check_open()
        if not chunk:
            return
        chunk = bytes(chunk)
        if self._size + len(chunk) > self.max_bytes:
            self._refuse("too_large", f"is larger than {_format_size(self.max_bytes)}")
        self._size += len(chunk)
        self._sha256.update(chunk)
        self._keep_tail(chunk)
        backlog = bytes(self._head) if self._kind is None else b""
        self._head += chunk[: HEAD_BYTES - len(self._head)]
        try:
            if self._kind is None:
                self._kind = self._decide(final=len(self._head) >= HEAD_BYTES)
                if self._kind is None:
                    return
                chunk = backlog + chunk  # everything so far, now that the kind is known
            self._inspect(chunk, final=False)
        except _Finding as finding:
            self._refuse(finding.code, finding.problem)

    def finish(self) -> Inspection:
        self._check_open()
        try:
            if self._size == 0:
                raise _Finding("empty", "is empty")
            if self._kind is None:
                # A file shorter than the sniffing window: all of it is in the head.
                self._kind = self._decide(final=True)
                self._inspect(bytes(self._head), final=True)
            if self._kind == "pdf":
                self._check_pdf_head()
                self._pdf.finish()
            _check_end(self._kind, bytes(self._tail), self._size)
        except _Finding as finding:
            self._refuse(finding.code, finding.problem)
        self._finished = True
        return Inspection(
            kind=self._kind,
            content_type=FILE_KINDS[self._kind].content_type,
            size=self._size,
            sha256=self._sha256.hexdigest(),
        )

    def _check_open(self) -> None:
        if self._refusal is not None:
            raise self._refusal
        if self._finished:
            raise RuntimeError("this upload's inspection has already finished")

    def _refuse(self, code: str, problem: str) -> None:
        self._refusal = UploadRefused(code, f"{self._accepts()}; this file {problem}")
        raise self._refusal

    def _accepts(self) -> str:
        labels = [kind.label for name, kind in FILE_KINDS.items() if name in self.allowed]
        listed = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"
        return f"this requirement accepts {listed} up to {_format_size(self.max_bytes)}"

    def _keep_tail(self, chunk: bytes) -> None:
        self._tail += chunk[-self.TAIL_BYTES :]
        excess = len(self._tail) - self.TAIL_BYTES
        if excess > 0:
            del self._tail[:excess]

    def _decide(self, final: bool) -> str | None:
        sniffed = _sniff(bytes(self._head), final)
        if sniffed is None:
            return None
        family, label = sniffed
        if family in self.allowed:
            return family
        if family == "executable":
            raise _Finding("executable", f"is {label}")
        if family == "unknown":
            raise _Finding("type_unknown", f"is {label}")
        raise _Finding("type_not_allowed", f"is {label}")

    def _inspect(self, data: bytes, final: bool) -> None:
        if self._kind != "pdf":
            return
        self._pdf.feed(data)
        if len(self._head) >= HEAD_BYTES or final:
            self._check_pdf_head()

    def _check_pdf_head(self) -> None:
        if self._pdf_head_checked:
            return
        self._pdf_head_checked = True
        lower = bytes(self._head).lower()
        if any(marker in lower for marker in _HTML_IN_PDF):
            # Browsers that sniff content would render such a file as a web page.
            raise _Finding("polyglot", "is a PDF that is also a web page")


def _format_size(size: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            value = size / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} bytes"


# --- Names for display and download ----------------------------------------------------------

DISPLAY_NAME_LIMIT = 100
FALLBACK_STEM = "dokumen"
# Joiners shape emoji sequences and Indic scripts; every other format character (bidi
# overrides and isolates, marks, zero-width spaces) can disguise what a name says.
_KEEP_FORMAT = frozenset("\u200c\u200d")
_WINDOWS_RESERVED = str.maketrans({char: "_" for char in '<>:"|?*'})
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}$")


def _display_text(text: str) -> str:
    """Text with whitespace collapsed and control, surrogate and format characters removed."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if char.isspace() else char for char in text)
    text = "".join(char for char in text if _visible(char))
    return " ".join(text.split())


def _visible(char: str) -> bool:
    category = unicodedata.category(char)
    if category == "Cf":
        return char in _KEEP_FORMAT
    return category not in ("Cc", "Cs")


def _split_extension(name: str) -> tuple[str, str]:
    match = _EXTENSION.search(name)
    return (name[: match.start()], match.group()) if match else (name, "")


def sanitize_filename(name: str, kind: str) -> str:
    """The name to show for an upload of `kind`: no path, nothing hidden, an honest extension."""
    if kind not in FILE_KINDS:
        raise ValueError(f"unknown file kind: {kind!r}")
    accepted = _EXTENSIONS[kind]
    text = _display_text(re.split(r"[/\\]", name)[-1]).translate(_WINDOWS_RESERVED).rstrip(" .")
    stem, extension = _split_extension(text)
    if extension.lower() not in accepted:
        # "scan.jpg.exe" shows as "scan.jpg"; "laporan.v2" as "laporan.v2.pdf".
        inner_stem, inner_extension = _split_extension(stem)
        if inner_extension.lower() in accepted:
            stem, extension = inner_stem, inner_extension
        else:
            extension = accepted[0]
    stem = stem.strip(" .")[: DISPLAY_NAME_LIMIT - len(extension)].rstrip(" .\u200c\u200d")
    return (stem or FALLBACK_STEM) + extension


def content_disposition(filename: str) -> str:
    """A Content-Disposition value that downloads `filename` (RFC 6266, RFC 5987)."""
    name = _display_text(filename) or FALLBACK_STEM
    encoded = quote(name, safe="!#$&+-.^_`|~")
    return f"attachment; filename=\"{_ascii_fallback(name)}\"; filename*=UTF-8''{encoded}"


def _ascii_fallback(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    # Old browsers percent-decode the plain parameter; quotes and backslashes would end it.
    ascii_name = ascii_name.replace("%", "_").replace('"', "").replace("\\", "")
    ascii_name = " ".join(ascii_name.split())
    stem, extension = _split_extension(ascii_name)
    return (stem.strip(" .") or FALLBACK_STEM) + extension


# --- Storage keys ----------------------------------------------------------------------------

_ID = re.compile(r"[0-9a-f]{32}")


def storage_key(application_id: str, document_id: str, archived: bool = False) -> str:
    """The object-store key of a document: chosen by the server, never from a filename."""
    for value in (application_id, document_id):
        if not isinstance(value, str) or not _ID.fullmatch(value):
            raise ValueError(f"not a 32-digit lowercase hex id: {value!r}")
    prefix = "archive" if archived else "documents"
    return f"{prefix}/{application_id}/{document_id}"
