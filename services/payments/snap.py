"""SNAP virtual-account protocol: minified bodies, signatures, timestamps, codes, amounts, VAs."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509 import load_pem_x509_certificate

# ---------------------------------------------------------------------------------------------
# minify: the exact text the bank signed, without the whitespace between tokens
# ---------------------------------------------------------------------------------------------

# One JSON token, or a run of JSON whitespace (RFC 8259: space, tab, LF, CR). The string pattern
# is the "unrolled loop" form so that an unterminated string fails in linear time.
_TOKEN = re.compile(
    r"""
    (?P<space>[ \t\n\r]+)
  | (?P<string>"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*")
  | (?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
  | (?P<literal>true|false|null)
  | (?P<punct>[{}\[\]:,])
    """,
    re.VERBOSE,
)

_CLOSER = {"{": "}", "[": "]"}


def minify(body_text: str) -> str:
    """The JSON text with every whitespace character outside string values removed.

    Tokens are copied verbatim (key order, string escapes, number spelling), so the result is
    what the bank hashed. Raises ValueError unless the text is exactly one JSON value.
    """
    if not isinstance(body_text, str):
        raise ValueError("body must be text")
    out: list[str] = []
    # A small pushdown automaton: the stack holds open containers; `expect` is what may come next.
    stack: list[str] = []
    expect = "value"  # value | first_value | key | first_key | colon | after_value
    pos = 0
    while pos < len(body_text):
        match = _TOKEN.match(body_text, pos)
        if match is None:
            raise ValueError(f"not JSON at offset {pos}")
        pos = match.end()
        kind, text = match.lastgroup, match.group()
        if kind == "space":
            continue
        expect = _step(stack, expect, kind, text, match.start())
        out.append(text)
    if stack or expect != "after_value":
        raise ValueError("incomplete JSON value")
    return "".join(out)


def _step(stack: list[str], expect: str, kind: str, text: str, offset: int) -> str:
    """Check one token against the grammar; return what may come after it."""
    is_scalar = kind in ("string", "number", "literal")
    if expect in ("value", "first_value"):
        if is_scalar:
            return "after_value"
        if text in _CLOSER:
            stack.append(text)
            return "first_key" if text == "{" else "first_value"
        if expect == "first_value" and text == "]":
            stack.pop()
            return "after_value"
    elif expect in ("key", "first_key"):
        if kind == "string":
            return "colon"
        if expect == "first_key" and text == "}":
            stack.pop()
            return "after_value"
    elif expect == "colon":
        if text == ":":
            return "value"
    elif expect == "after_value" and stack:
        if text == ",":
            return "key" if stack[-1] == "{" else "value"
        if text == _CLOSER[stack[-1]]:
            stack.pop()
            return "after_value"
    raise ValueError(f"unexpected {text[:20]!r} at offset {offset}")


def body_digest(body_text: str) -> str:
    """Lowercase hex SHA-256 of the minified body (UTF-8)."""
    return hashlib.sha256(minify(body_text).encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------------
# Signatures
# ---------------------------------------------------------------------------------------------


def string_to_sign(
    method: str, relative_path: str, access_token: str, body_text: str, timestamp: str
) -> str:
    """METHOD:RELATIVE_PATH:ACCESS_TOKEN:hex(sha256(minify(body))):X-TIMESTAMP, as received."""
    # No normalisation of method, path or token: the signature covers exactly what was sent.
    digest = body_digest(body_text)
    return f"{method}:{relative_path}:{access_token}:{digest}:{timestamp}"


def symmetric_signature(
    client_secret: str,
    method: str,
    relative_path: str,
    access_token: str,
    body_text: str,
    timestamp: str,
) -> str:
    """base64(HMAC-SHA512(client_secret, stringToSign)) for inquiry and payment requests."""
    message = string_to_sign(method, relative_path, access_token, body_text, timestamp)
    mac = hmac.new(client_secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha512)
    return base64.b64encode(mac.digest()).decode("ascii")


def verify_symmetric(
    client_secret: str | None,
    method: str | None,
    relative_path: str | None,
    access_token: str | None,
    body_text: str | None,
    timestamp: str | None,
    signature: str | None,
) -> bool:
    """True only if `signature` is the transaction signature of these values; never raises."""
    parts = (client_secret, method, relative_path, access_token, body_text, timestamp, signature)
    # A missing header or secret is a refusal, not an error.
    if not all(isinstance(part, str) and part for part in parts):
        return False
    try:
        expected = symmetric_signature(
            client_secret, method, relative_path, access_token, body_text, timestamp
        )
    except ValueError:  # the body is not JSON
        return False
    # Bytes, not str: compare_digest refuses non-ASCII str, and a signature may be anything.
    return hmac.compare_digest(expected.encode("ascii"), signature.encode("utf-8"))


def token_string_to_sign(client_id: str, timestamp: str) -> str:
    """client_id|X-TIMESTAMP, what the bank signs to ask for an access token."""
    return f"{client_id}|{timestamp}"


def asymmetric_signature(private_key_pem: str | bytes, client_id: str, timestamp: str) -> str:
    """base64(SHA256withRSA(private key, client_id|timestamp)), PKCS#1 v1.5 padding."""
    key = serialization.load_pem_private_key(_as_bytes(private_key_pem), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("the access-token signature needs an RSA private key")
    message = token_string_to_sign(client_id, timestamp).encode("utf-8")
    return base64.b64encode(key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()


def verify_asymmetric(
    public_key_pem: str | bytes | rsa.RSAPublicKey | None,
    client_id: str | None,
    timestamp: str | None,
    signature_b64: str | None,
) -> bool:
    """True only if the partner's RSA key signed client_id|timestamp; never raises."""
    if not all(isinstance(part, str) and part for part in (client_id, timestamp, signature_b64)):
        return False
    try:
        key = load_public_key(public_key_pem)
        signature = base64.b64decode(signature_b64, validate=True)
        message = token_string_to_sign(client_id, timestamp).encode("utf-8")
        key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError):
        return False
    return True


def load_public_key(pem: str | bytes | rsa.RSAPublicKey | None) -> rsa.RSAPublicKey:
    """An RSA public key from PEM (SubjectPublicKeyInfo, PKCS#1, X.509 certificate) or as is."""
    if isinstance(pem, rsa.RSAPublicKey):
        return pem
    data = _as_bytes(pem)
    # Some banks hand over a certificate rather than a bare key; both carry the same key.
    if b"-----BEGIN CERTIFICATE-----" in data:
        key = load_pem_x509_certificate(data).public_key()
    else:
        key = serialization.load_pem_public_key(data)
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("the partner's key is not an RSA key")
    return key


def _as_bytes(pem: str | bytes | None) -> bytes:
    if isinstance(pem, bytes):
        return pem
    if isinstance(pem, str):
        return pem.encode("ascii")
    raise TypeError("PEM must be text or bytes")


# ---------------------------------------------------------------------------------------------
# Timestamps
# ---------------------------------------------------------------------------------------------

# yyyy-MM-ddTHH:mm:ss[.fraction] then Z or ±HH:MM, as SNAP writes X-TIMESTAMP.
_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})", re.ASCII
)


def parse_timestamp(text: str) -> datetime:
    """An aware datetime from an ISO-8601 X-TIMESTAMP; ValueError unless it has an offset."""
    if not isinstance(text, str) or not _TIMESTAMP.fullmatch(text):
        raise ValueError(f"not an ISO-8601 timestamp with offset: {text!r}")
    return datetime.fromisoformat(text)  # also rejects impossible dates and offsets


def within_window(timestamp_text: str | None, now: datetime, minutes: int = 5) -> bool:
    """True if the timestamp parses and is at most `minutes` from `now` (either side)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    try:
        moment = parse_timestamp(timestamp_text)
    except ValueError:
        return False
    return abs(moment - now) <= timedelta(minutes=minutes)


# ---------------------------------------------------------------------------------------------
# Response codes: HTTP status (3) + service code (2) + case (2)
# ---------------------------------------------------------------------------------------------

SERVICE_TOKEN = "73"
SERVICE_INQUIRY = "24"
SERVICE_PAYMENT = "25"


_TWO_DIGITS = re.compile("[0-9]{2}")


class Code(NamedTuple):
    """A SNAP response code and the message that goes with it."""

    code: str
    message: str

    @property
    def http_status(self) -> int:
        return int(self.code[:3])


def response_code(http_status: int, service_code: str, case: str) -> str:
    """The 7-character responseCode: e.g. (404, "25", "13") -> "4042513"."""
    if not 100 <= http_status <= 599:
        raise ValueError(f"not an HTTP status: {http_status!r}")
    if not (_TWO_DIGITS.fullmatch(service_code) and _TWO_DIGITS.fullmatch(case)):
        raise ValueError("service code and case are two digits each")
    return f"{http_status}{service_code}{case}"


# Every code the payments service answers with, by (service, case). The token service (73) has
# no row in BANK_API.md's table beyond success; its refusals follow the same SNAP pattern.
CODES: dict[tuple[str, str], Code] = {
    ("73", "success"): Code("2007300", "Successful"),
    ("73", "invalid_field"): Code("4007301", "Invalid Field Format"),
    ("73", "missing_field"): Code("4007302", "Invalid Mandatory Field"),
    ("73", "bad_signature"): Code("4017300", "Unauthorized. Signature"),
    ("73", "stale_timestamp"): Code("4017300", "Unauthorized. Timestamp"),
    ("73", "unknown_partner"): Code("4017300", "Unauthorized. Unknown Client"),
    ("73", "internal_error"): Code("5007300", "General Error"),
    ("24", "success"): Code("2002400", "Successful"),
    ("24", "invalid_field"): Code("4002401", "Invalid Field Format"),
    ("24", "missing_field"): Code("4002402", "Invalid Mandatory Field"),
    ("24", "bad_signature"): Code("4012400", "Unauthorized. Signature"),
    ("24", "stale_timestamp"): Code("4012400", "Unauthorized. Timestamp"),
    ("24", "unknown_partner"): Code("4012400", "Unauthorized. Unknown Client"),
    ("24", "invalid_token"): Code("4012401", "Invalid Token (B2B)"),
    ("24", "duplicate_external_id"): Code("4092400", "Conflict"),
    ("24", "va_not_found"): Code("4042412", "Invalid Bill/Virtual Account [Not Found]"),
    ("24", "paid_bill"): Code("4042414", "Paid Bill"),
    ("24", "expired_bill"): Code("4042419", "Bill has been expired"),
    ("24", "internal_error"): Code("5002400", "General Error"),
    ("25", "success"): Code("2002500", "Successful"),
    ("25", "invalid_field"): Code("4002501", "Invalid Field Format"),
    ("25", "missing_field"): Code("4002502", "Invalid Mandatory Field"),
    ("25", "bad_signature"): Code("4012500", "Unauthorized. Signature"),
    ("25", "stale_timestamp"): Code("4012500", "Unauthorized. Timestamp"),
    ("25", "unknown_partner"): Code("4012500", "Unauthorized. Unknown Client"),
    ("25", "invalid_token"): Code("4012501", "Invalid Token (B2B)"),
    ("25", "duplicate_external_id"): Code("4092500", "Conflict"),
    ("25", "va_not_found"): Code("4042512", "Invalid Bill/Virtual Account [Not Found]"),
    ("25", "amount_mismatch"): Code("4042513", "Invalid Amount"),
    ("25", "paid_bill"): Code("4042514", "Paid Bill"),
    ("25", "expired_bill"): Code("4042519", "Bill has been expired"),
    ("25", "internal_error"): Code("5002500", "General Error"),
}


def answer(service: str, case: str, detail: str = "") -> tuple[int, dict]:
    """(HTTP status, {responseCode, responseMessage}) for a case; `detail` names e.g. the field."""
    entry = CODES[(service, case)]
    message = f"{entry.message} {detail}" if detail else entry.message
    return entry.http_status, {"responseCode": entry.code, "responseMessage": message}


# ---------------------------------------------------------------------------------------------
# Amounts: {"value": "150000.00", "currency": "IDR"} <-> whole rupiah
# ---------------------------------------------------------------------------------------------

# At most 13 integer digits: SNAP's value is a string of 16 characters with 2 decimals.
_AMOUNT = re.compile(r"(0|[1-9][0-9]{0,12})(?:\.([0-9]{1,2}))?", re.ASCII)


def format_amount(rupiah: int) -> dict:
    """SNAP's amount object for a whole number of rupiah."""
    if isinstance(rupiah, bool) or not isinstance(rupiah, int) or not 0 <= rupiah < 10**13:
        raise ValueError(f"not a whole, non-negative rupiah amount: {rupiah!r}")
    return {"value": f"{rupiah}.00", "currency": "IDR"}


def parse_amount(obj: object) -> int:
    """Whole rupiah from SNAP's amount object; ValueError for anything a fee cannot be."""
    if not isinstance(obj, dict):
        raise ValueError("amount must be an object")
    if obj.get("currency") != "IDR":
        raise ValueError("currency must be IDR")
    value = obj.get("value")
    match = _AMOUNT.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"amount value must look like '150000.00': {value!r}")
    # Fees are whole rupiah, so any cents mean the bank is paying a different bill.
    if match.group(2) and Decimal(match.group(2)) != 0:
        raise ValueError("amount has cents; fees are whole rupiah")
    return int(match.group(1))


# ---------------------------------------------------------------------------------------------
# Virtual account numbers: partner_service_id (8 characters) + customer_no
# ---------------------------------------------------------------------------------------------

_PARTNER_SERVICE_ID = re.compile(r" *[0-9]+", re.ASCII)
_CUSTOMER_NO = re.compile(r"[0-9]{1,20}", re.ASCII)


def check_partner_service_id(partner_service_id: str) -> str:
    """The id itself if it is 8 characters: digits left-padded with spaces."""
    if (
        not isinstance(partner_service_id, str)
        or len(partner_service_id) != 8
        or not _PARTNER_SERVICE_ID.fullmatch(partner_service_id)
    ):
        raise ValueError(
            f"partnerServiceId must be 8 characters, digits left-padded with spaces: "
            f"{partner_service_id!r}"
        )
    return partner_service_id


def virtual_account_no(partner_service_id: str, customer_no: str) -> str:
    """The VA number: partner_service_id (with its padding spaces) followed by customer_no."""
    check_partner_service_id(partner_service_id)
    if not isinstance(customer_no, str) or not _CUSTOMER_NO.fullmatch(customer_no):
        raise ValueError(f"customerNo must be 1 to 20 digits: {customer_no!r}")
    return partner_service_id + customer_no


def split_virtual_account(virtual_account: str) -> tuple[str, str]:
    """(partner_service_id, customer_no) from a VA number; the prefix is always 8 characters."""
    if not isinstance(virtual_account, str):
        raise ValueError("virtualAccountNo must be text")
    partner_service_id, customer_no = virtual_account[:8], virtual_account[8:]
    virtual_account_no(partner_service_id, customer_no)  # validates both parts
    return partner_service_id, customer_no
