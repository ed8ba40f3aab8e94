"""SNAP protocol: minify, signatures against every mutation, timestamps, codes, amounts, VAs."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID
from hypothesis import given, settings
from hypothesis import strategies as st

from services.payments import snap
from services.payments.bank_simulator import BankSimulator

WIB = timezone(timedelta(hours=7))


def rsa_pems() -> tuple[bytes, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public


BANK_PRIVATE, BANK_PUBLIC = rsa_pems()
OTHER_PRIVATE, OTHER_PUBLIC = rsa_pems()


# ---------------------------------------------------------------------------------------------
# minify
# ---------------------------------------------------------------------------------------------

MINIFY_CASES = [
    ('{"a":1}', '{"a":1}'),
    ('{ "a" : 1 , "b" : [ 1 , 2 ] }', '{"a":1,"b":[1,2]}'),
    ('{\n  "a": 1,\n  "b": {\n    "c": true\n  }\n}', '{"a":1,"b":{"c":true}}'),
    ('\t{\r\n\t"a":\tnull\r\n}\n', '{"a":null}'),
    ('{"name": "Budi  Santoso "}', '{"name":"Budi  Santoso "}'),
    ('{"q": "a\\" b"}', '{"q":"a\\" b"}'),
    ('{"path": "C:\\\\ dir\\\\"}', '{"path":"C:\\\\ dir\\\\"}'),
    ('{"k": "\\u00e9 \\n \\t"}', '{"k":"\\u00e9 \\n \\t"}'),
    (
        '{"kota": "Sleman \u2013 Yogyakarta", "ç": "日本 語"}',
        '{"kota":"Sleman \u2013 Yogyakarta","ç":"日本 語"}',
    ),
    ('{"nbsp": "a\u00a0b\u2028c"}', '{"nbsp":"a\u00a0b\u2028c"}'),
    ("[ [ ] , { } , [ [ 1 , [ 2 ] ] ] ]", "[[],{},[[1,[2]]]]"),
    ('{"z": 1, "a": 2, "m": 3}', '{"z":1,"a":2,"m":3}'),  # key order kept
    ('{"n": -0.50e+10, "e": 1E-3}', '{"n":-0.50e+10,"e":1E-3}'),  # numbers verbatim
    (' "just a string " ', '"just a string "'),
    ("  42  ", "42"),
    ('{"": ""}', '{"":""}'),
    ('{"a":"}{][,:"}', '{"a":"}{][,:"}'),
]


@pytest.mark.parametrize(("text", "expected"), MINIFY_CASES)
def test_minify_removes_whitespace_outside_strings_only(text, expected):
    assert snap.minify(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "{",
        '{"a"}',
        '{"a":}',
        '{"a":1,}',
        "[1,]",
        "[1 2]",
        "1 2",
        "{}{}",
        "[]]",
        "01",
        "1.",
        ".5",
        "+1",
        "tru",
        "truex",
        "True",
        "NaN",
        '"unterminated',
        '"bad \\x escape"',
        '"raw\ttab"',
        "{'a': 1}",
        "{a: 1}",
        '\u00a0{"a":1}',  # no-break space is not JSON whitespace
        '\ufeff{"a":1}',  # nor is a byte-order mark
        '{"a":1}//',
        "[" * 5000,
    ],
)
def test_minify_refuses_anything_but_one_json_value(text):
    with pytest.raises(ValueError):
        snap.minify(text)


def test_minify_is_linear_on_a_long_unterminated_string():
    with pytest.raises(ValueError):
        snap.minify('"' + "a" * 200_000)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300)
@given(
    value=json_values,
    indent=st.sampled_from([None, 0, 1, 2, 4, "\t", " \r\n"]),
    separators=st.sampled_from([None, (",", ":"), (", ", ": "), (" ,\n", " :\t")]),
    ensure_ascii=st.booleans(),
)
def test_minify_equals_compact_json_for_any_layout(value, indent, separators, ensure_ascii):
    laid_out = json.dumps(value, indent=indent, separators=separators, ensure_ascii=ensure_ascii)
    compact = json.dumps(value, separators=(",", ":"), ensure_ascii=ensure_ascii)
    assert snap.minify(laid_out) == compact
    assert snap.body_digest(laid_out) == hashlib.sha256(compact.encode()).hexdigest()


# ---------------------------------------------------------------------------------------------
# Signatures: the worked example and round trips
# ---------------------------------------------------------------------------------------------

SECRET = "s3cr3t-BANKDEMO01-0123456789abcdef"
METHOD = "POST"
PATH = "/v1.0/transfer-va/payment"
TOKEN = "gHN8z3aOq0S2v1dI7kqW"
TIMESTAMP = "2026-12-04T14:56:11+07:00"
BODY = json.dumps(
    {
        "partnerServiceId": "   88899",
        "customerNo": "12345678901",
        "virtualAccountNo": "   8889912345678901",
        "virtualAccountName": 'Siti "Nur" Aisyah \\ CV Maju',
        "paymentRequestId": "pay-0001",
        "paidAmount": {"value": "150000.00", "currency": "IDR"},
        "totalAmount": {"value": "150000.00", "currency": "IDR"},
        "trxDateTime": "2026-12-04T14:56:00+07:00",
        "flagAdvise": "N",
        "note": "caf\u00e9  two spaces, a tab\t",
        "billDetails": [],
    },
    separators=(",", ":"),
    ensure_ascii=False,  # the bank signed "é" itself, not the escape "\u00e9"
)
SIGNATURE = snap.symmetric_signature(SECRET, METHOD, PATH, TOKEN, BODY, TIMESTAMP)


def test_worked_example_follows_the_formula_of_bank_api_md():
    pretty = json.dumps(json.loads(BODY), indent=4, ensure_ascii=False)  # as a bank may send
    digest = hashlib.sha256(BODY.encode("utf-8")).hexdigest()
    expected_text = f"POST:{PATH}:{TOKEN}:{digest}:{TIMESTAMP}"
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), expected_text.encode(), hashlib.sha512).digest()
    ).decode()

    assert snap.string_to_sign(METHOD, PATH, TOKEN, pretty, TIMESTAMP) == expected_text
    assert snap.symmetric_signature(SECRET, METHOD, PATH, TOKEN, pretty, TIMESTAMP) == expected
    assert snap.verify_symmetric(SECRET, METHOD, PATH, TOKEN, pretty, TIMESTAMP, expected)


def test_a_small_worked_example_pinned_to_its_digest():
    body = '{ "grantType" : "client_credentials" }'
    assert (
        snap.body_digest(body) == hashlib.sha256(b'{"grantType":"client_credentials"}').hexdigest()
    )
    assert snap.string_to_sign("POST", "/p", "t", body, "T") == (
        "POST:/p:t:" + snap.body_digest(body) + ":T"
    )


def test_token_signature_is_sha256_with_rsa_over_client_id_and_timestamp():
    signature = snap.asymmetric_signature(BANK_PRIVATE, "BANKDEMO01", TIMESTAMP)
    public = serialization.load_pem_public_key(BANK_PUBLIC)
    public.verify(  # raises unless it is PKCS#1 v1.5 over "client_id|timestamp"
        base64.b64decode(signature),
        b"BANKDEMO01|" + TIMESTAMP.encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )
    assert snap.token_string_to_sign("BANKDEMO01", TIMESTAMP) == "BANKDEMO01|" + TIMESTAMP
    assert snap.verify_asymmetric(BANK_PUBLIC, "BANKDEMO01", TIMESTAMP, signature)
    assert snap.verify_asymmetric(BANK_PUBLIC.decode(), "BANKDEMO01", TIMESTAMP, signature)


def test_token_signature_checks_against_a_certificate_too():
    key = serialization.load_pem_private_key(BANK_PRIVATE, password=None)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bank Demo")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    signature = snap.asymmetric_signature(BANK_PRIVATE, "BANKDEMO01", TIMESTAMP)
    assert snap.verify_asymmetric(pem, "BANKDEMO01", TIMESTAMP, signature)


@pytest.mark.parametrize(
    "public_key",
    [
        None,
        b"",
        "not a key",
        b"-----BEGIN PUBLIC KEY-----\ngarbage\n-----END PUBLIC KEY-----\n",
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
        "kunci publik é",
    ],
)
def test_verify_asymmetric_never_raises_on_a_garbage_key(public_key):
    signature = snap.asymmetric_signature(BANK_PRIVATE, "BANKDEMO01", TIMESTAMP)
    assert snap.verify_asymmetric(public_key, "BANKDEMO01", TIMESTAMP, signature) is False


@pytest.mark.parametrize("signature", [None, "", "%%%", "é", "QUJD", "QUJD\n", "A" * 10_000, 12345])
def test_verify_asymmetric_never_raises_on_a_garbage_signature(signature):
    assert snap.verify_asymmetric(BANK_PUBLIC, "BANKDEMO01", TIMESTAMP, signature) is False


@pytest.mark.parametrize("signature", [None, "", "é", SIGNATURE + "=", SIGNATURE[:-2], 12345])
def test_verify_symmetric_never_raises_on_a_garbage_signature(signature):
    assert snap.verify_symmetric(SECRET, METHOD, PATH, TOKEN, BODY, TIMESTAMP, signature) is False


def test_asymmetric_signature_needs_an_rsa_key():
    ec_pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(ValueError):
        snap.asymmetric_signature(ec_pem, "BANKDEMO01", TIMESTAMP)


# ---------------------------------------------------------------------------------------------
# 1,000 mutations of valid signed requests: none accepted (700 symmetric + 300 asymmetric)
# ---------------------------------------------------------------------------------------------

SYMMETRIC = {
    "client_secret": SECRET,
    "method": METHOD,
    "relative_path": PATH,
    "access_token": TOKEN,
    "body_text": BODY,
    "timestamp": TIMESTAMP,
    "signature": SIGNATURE,
}

# Printable ASCII plus the JSON whitespace: every byte a body could plausibly be changed to.
body_bytes = st.sampled_from([chr(c) for c in range(0x20, 0x7F)] + ["\t", "\n", "\r"])


def other_than(original: str, strategy=None):
    if strategy is None:
        strategy = st.text(max_size=60)
    return strategy.filter(lambda text: text != original)


@st.composite
def one_body_byte_changed(draw):
    index = draw(st.integers(0, len(BODY) - 1))
    byte = draw(body_bytes.filter(lambda b: b != BODY[index]))
    return {"body_text": BODY[:index] + byte + BODY[index + 1 :]}


@st.composite
def timestamp_shifted(draw):
    seconds = draw(st.integers(-86_400, 86_400).filter(bool))
    moment = snap.parse_timestamp(TIMESTAMP) + timedelta(seconds=seconds)
    return {"timestamp": moment.isoformat()}


symmetric_mutations = st.one_of(
    one_body_byte_changed(),
    timestamp_shifted(),
    # The same instant spelt differently is still a different signed text.
    st.sampled_from(
        ["2026-12-04T07:56:11Z", "2026-12-04T07:56:11+00:00", "2026-12-04T14:56:11.000+07:00"]
    ).map(lambda ts: {"timestamp": ts}),
    other_than(TIMESTAMP).map(lambda ts: {"timestamp": ts}),
    st.sampled_from(sorted(SYMMETRIC)).map(lambda name: {name: None}),  # a header dropped
    other_than(SECRET).map(lambda secret: {"client_secret": secret}),
    other_than(PATH).map(lambda path: {"relative_path": path}),
    st.sampled_from(
        ["/v1.0/transfer-va/inquiry", "/snap/v1.0/transfer-va/payment", PATH + "/", PATH.upper()]
    ).map(lambda path: {"relative_path": path}),
    other_than(METHOD, st.sampled_from(["GET", "PUT", "PATCH", "DELETE", "post", "POST "])).map(
        lambda method: {"method": method}
    ),
    other_than(TOKEN).map(lambda token: {"access_token": token}),
    st.just({"access_token": "Bearer " + TOKEN}),
    other_than(SIGNATURE, st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ+/=", max_size=90)).map(
        lambda signature: {"signature": signature}
    ),
)


@settings(max_examples=700)
@given(mutation=symmetric_mutations)
def test_no_mutated_transaction_request_is_accepted(mutation):
    request = {**SYMMETRIC, **mutation}
    assert request != SYMMETRIC
    assert snap.verify_symmetric(**request) is False


ASYMMETRIC = {
    "public_key_pem": BANK_PUBLIC,
    "client_id": "BANKDEMO01",
    "timestamp": TIMESTAMP,
    "signature_b64": snap.asymmetric_signature(BANK_PRIVATE, "BANKDEMO01", TIMESTAMP),
}


@st.composite
def one_signature_byte_changed(draw):
    raw = bytearray(base64.b64decode(ASYMMETRIC["signature_b64"]))
    index = draw(st.integers(0, len(raw) - 1))
    raw[index] ^= draw(st.integers(1, 255))
    return {"signature_b64": base64.b64encode(bytes(raw)).decode()}


asymmetric_mutations = st.one_of(
    one_signature_byte_changed(),
    other_than("BANKDEMO01").map(lambda client_id: {"client_id": client_id}),
    timestamp_shifted(),
    other_than(TIMESTAMP).map(lambda ts: {"timestamp": ts}),
    st.sampled_from(sorted(ASYMMETRIC)).map(lambda name: {name: None}),
    st.just({"public_key_pem": OTHER_PUBLIC}),  # another bank's key
    # Signed by another bank's key, or for another client, or at another time.
    st.just({"signature_b64": snap.asymmetric_signature(OTHER_PRIVATE, "BANKDEMO01", TIMESTAMP)}),
    st.just({"signature_b64": snap.asymmetric_signature(BANK_PRIVATE, "BANKDEMO02", TIMESTAMP)}),
    st.binary(max_size=300).map(lambda raw: {"signature_b64": base64.b64encode(raw).decode()}),
)


@settings(max_examples=300)
@given(mutation=asymmetric_mutations)
def test_no_mutated_token_request_is_accepted(mutation):
    request = {**ASYMMETRIC, **mutation}
    assert request != ASYMMETRIC
    assert snap.verify_asymmetric(**request) is False


def test_the_unmutated_requests_are_accepted():
    assert snap.verify_symmetric(**SYMMETRIC)
    assert snap.verify_asymmetric(**ASYMMETRIC)


# ---------------------------------------------------------------------------------------------
# The same body laid out differently is accepted
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "layout",
    [{"indent": 2}, {"indent": 4}, {"indent": "\t"}, {"separators": (", ", ": ")}],
)
def test_the_same_body_pretty_printed_is_accepted(layout):
    sent = json.dumps(json.loads(BODY), ensure_ascii=False, **layout)
    assert sent != BODY
    assert snap.verify_symmetric(SECRET, METHOD, PATH, TOKEN, sent, TIMESTAMP, SIGNATURE)


def test_string_contents_re_escaped_are_refused():
    # Same value, different text inside a string: "\u00e9" is not what the bank signed.
    sent = json.dumps(json.loads(BODY), separators=(",", ":"), ensure_ascii=True)
    assert json.loads(sent) == json.loads(BODY)
    assert not snap.verify_symmetric(SECRET, METHOD, PATH, TOKEN, sent, TIMESTAMP, SIGNATURE)


def minify_spread(compact: str) -> str:
    """The compact text with CR LF, tabs and spaces around every separator outside strings."""
    out, in_string, escaped = [], False, False
    for char in compact:
        if in_string:
            in_string = escaped or char != '"'
            escaped = char == "\\" and not escaped
        elif char == '"':
            in_string = True
        elif char in "{}[],:":
            char = f" \t{char}\r\n  "
        out.append(char)
    return "\r\n" + "".join(out) + " "


def test_crlf_and_trailing_whitespace_are_accepted():
    # Whitespace around the separators of the compact text, i.e. outside every string.
    sent = minify_spread(BODY)
    assert json.loads(sent) == json.loads(BODY)
    assert snap.verify_symmetric(SECRET, METHOD, PATH, TOKEN, sent, TIMESTAMP, SIGNATURE)


def test_the_same_values_reordered_are_refused():
    value = json.loads(BODY)
    reordered = json.dumps(dict(reversed(list(value.items()))), separators=(",", ":"))
    assert snap.verify_symmetric(SECRET, METHOD, PATH, TOKEN, reordered, TIMESTAMP, SIGNATURE) is (
        False
    )


# ---------------------------------------------------------------------------------------------
# Timestamps
# ---------------------------------------------------------------------------------------------

NOW = datetime(2026, 12, 4, 7, 56, 11, tzinfo=UTC)


@given(seconds=st.integers(-3600, 3600))
def test_window_is_five_minutes_either_side(seconds):
    sent = (NOW + timedelta(seconds=seconds)).astimezone(WIB).isoformat(timespec="seconds")
    assert snap.within_window(sent, NOW) is (abs(seconds) <= 300)


@pytest.mark.parametrize(
    ("text", "inside"),
    [
        ("2026-12-04T14:56:11+07:00", True),
        ("2026-12-04T07:56:11Z", True),
        ("2026-12-04T07:56:11.123456+00:00", True),
        ("2026-12-04T15:01:11+07:00", True),  # exactly 5 minutes
        ("2026-12-04T15:01:12+07:00", False),
        ("2026-12-04T14:51:10+07:00", False),
        ("2026-12-04T14:56:11+08:00", False),  # right wall clock, wrong zone: an hour off
        ("2026-12-04T14:56:11", False),  # naive
        ("2026-12-04 14:56:11+07:00", False),
        ("20261204T145611+0700", False),
        ("2026-12-04T14:56:11+0700", False),
        ("2026-13-04T14:56:11+07:00", False),
        ("2026-12-04T14:56:11+25:00", False),
        ("", False),
        (None, False),
    ],
)
def test_window_examples(text, inside):
    assert snap.within_window(text, NOW) is inside


def test_parse_timestamp_requires_an_offset():
    assert snap.parse_timestamp(TIMESTAMP) == NOW
    assert snap.parse_timestamp(TIMESTAMP).utcoffset() == timedelta(hours=7)
    with pytest.raises(ValueError):
        snap.parse_timestamp("2026-12-04T14:56:11")


def test_window_needs_an_aware_clock():
    with pytest.raises(ValueError):
        snap.within_window(TIMESTAMP, datetime(2026, 12, 4, 14, 56, 11))


# ---------------------------------------------------------------------------------------------
# Response codes
# ---------------------------------------------------------------------------------------------

BANK_API_TABLE = {
    "success": ("2002400", "2002500"),
    "invalid_field": ("4002401", "4002501"),
    "missing_field": ("4002402", "4002502"),
    "bad_signature": ("4012400", "4012500"),
    "stale_timestamp": ("4012400", "4012500"),
    "unknown_partner": ("4012400", "4012500"),
    "invalid_token": ("4012401", "4012501"),
    "duplicate_external_id": ("4092400", "4092500"),
    "va_not_found": ("4042412", "4042512"),
    "amount_mismatch": (None, "4042513"),
    "paid_bill": ("4042414", "4042514"),
    "expired_bill": ("4042419", "4042519"),
    "internal_error": ("5002400", "5002500"),
}


@pytest.mark.parametrize(("case", "codes"), BANK_API_TABLE.items())
def test_codes_match_bank_api_md(case, codes):
    for service, code in zip((snap.SERVICE_INQUIRY, snap.SERVICE_PAYMENT), codes, strict=True):
        if code is None:
            assert (service, case) not in snap.CODES
        else:
            assert snap.CODES[(service, case)].code == code


def test_every_code_is_status_service_and_case():
    for (service, _case), entry in snap.CODES.items():
        status, case_digits = entry.http_status, entry.code[5:]
        assert snap.response_code(status, service, case_digits) == entry.code
        assert entry.message


def test_codes_and_answers():
    assert snap.CODES[(snap.SERVICE_TOKEN, "success")] == ("2007300", "Successful")
    assert snap.CODES[("24", "success")].code == "2002400"
    assert snap.CODES[("25", "amount_mismatch")] == ("4042513", "Invalid Amount")
    assert snap.CODES[("25", "duplicate_external_id")] == ("4092500", "Conflict")
    assert snap.CODES[("24", "invalid_token")].message == "Invalid Token (B2B)"
    assert snap.answer("25", "paid_bill") == (
        404,
        {"responseCode": "4042514", "responseMessage": "Paid Bill"},
    )
    assert snap.answer("24", "missing_field", "{virtualAccountNo}")[1]["responseMessage"] == (
        "Invalid Mandatory Field {virtualAccountNo}"
    )
    assert snap.response_code(404, "25", "13") == "4042513"
    for bad in [(99, "25", "13"), (404, "5", "13"), (404, "25", "1"), (404, "٢٥", "13")]:
        with pytest.raises(ValueError):
            snap.response_code(*bad)


# ---------------------------------------------------------------------------------------------
# Amounts and VA numbers
# ---------------------------------------------------------------------------------------------


@given(st.integers(0, 10**13 - 1))
def test_amount_round_trip(rupiah):
    assert snap.parse_amount(snap.format_amount(rupiah)) == rupiah


def test_amount_format():
    assert snap.format_amount(150000) == {"value": "150000.00", "currency": "IDR"}
    assert snap.parse_amount({"value": "150000", "currency": "IDR"}) == 150000
    assert snap.parse_amount({"value": "150000.0", "currency": "IDR"}) == 150000
    assert snap.parse_amount({"value": "0.00", "currency": "IDR"}) == 0


@pytest.mark.parametrize("rupiah", [-1, 1.5, 150000.0, "150000", True, None, 10**13])
def test_format_amount_refuses_what_is_not_whole_rupiah(rupiah):
    with pytest.raises(ValueError):
        snap.format_amount(rupiah)


@pytest.mark.parametrize(
    "amount",
    [
        {"value": "150000.00", "currency": "USD"},
        {"value": "150000.00"},
        {"value": "-150000.00", "currency": "IDR"},
        {"value": "150000.001", "currency": "IDR"},
        {"value": "150000.50", "currency": "IDR"},
        {"value": "150000.01", "currency": "IDR"},
        {"value": "150,000.00", "currency": "IDR"},
        {"value": "1.5e5", "currency": "IDR"},
        {"value": " 150000.00", "currency": "IDR"},
        {"value": "0150000.00", "currency": "IDR"},
        {"value": "150000.", "currency": "IDR"},
        {"value": "\u0661\u0665\u0660\u0660\u0660\u0660.00", "currency": "IDR"},
        {"value": "99999999999999.00", "currency": "IDR"},
        {"value": 150000, "currency": "IDR"},
        {"value": "", "currency": "IDR"},
        "150000.00",
        None,
    ],
)
def test_parse_amount_refuses(amount):
    with pytest.raises(ValueError):
        snap.parse_amount(amount)


def test_virtual_account_numbers():
    va = snap.virtual_account_no("   88899", "12345678901")
    assert va == "   8889912345678901"
    assert snap.split_virtual_account(va) == ("   88899", "12345678901")
    assert snap.virtual_account_no("12345678", "1") == "123456781"


@given(
    prefix=st.from_regex(r"\A[0-9]{1,8}\Z"),
    customer_no=st.from_regex(r"\A[0-9]{1,20}\Z"),
)
def test_virtual_account_round_trip(prefix, customer_no):
    partner_service_id = prefix.rjust(8)
    va = snap.virtual_account_no(partner_service_id, customer_no)
    assert snap.split_virtual_account(va) == (partner_service_id, customer_no)


@pytest.mark.parametrize(
    ("partner_service_id", "customer_no"),
    [
        ("88899", "123"),  # not padded
        ("88899   ", "123"),  # padded on the wrong side
        ("        ", "123"),  # no digits
        ("  888 99", "123"),
        ("  88899x", "123"),
        ("   88899", ""),
        ("   88899", "12a"),
        ("   88899", "1" * 21),
        ("   88899", " 123"),
        (None, "123"),
    ],
)
def test_virtual_account_refuses(partner_service_id, customer_no):
    with pytest.raises(ValueError):
        snap.virtual_account_no(partner_service_id, customer_no)


@pytest.mark.parametrize("va", ["", "   88899", "12345678", "   88899 123", None])
def test_split_virtual_account_refuses(va):
    with pytest.raises(ValueError):
        snap.split_virtual_account(va)


# ---------------------------------------------------------------------------------------------
# The bank simulator signs what the biller will verify
# ---------------------------------------------------------------------------------------------


class FakeBiller:
    """A requests.Session stand-in that checks every call the way the payments service must."""

    def __init__(self):
        self.calls: list[dict] = []

    def post(self, url, data, headers, timeout):
        path = url.split("://", 1)[1].split("/", 1)[1]
        body_text = data.decode("utf-8")
        self.calls.append({"path": "/" + path, "body_text": body_text, "headers": headers})
        if path.endswith("access-token/b2b"):
            ok = snap.verify_asymmetric(
                BANK_PUBLIC, headers["X-CLIENT-KEY"], headers["X-TIMESTAMP"], headers["X-SIGNATURE"]
            )
            answer = {"responseCode": "2007300", "accessToken": "tok", "expiresIn": "900"}
        else:
            ok = snap.verify_symmetric(
                SECRET,
                "POST",
                "/" + path,
                headers["Authorization"].removeprefix("Bearer "),
                body_text,
                headers["X-TIMESTAMP"],
                headers["X-SIGNATURE"],
            )
            answer = self.business_answer(json.loads(body_text))
        return FakeResponse(200 if ok else 401, answer if ok else {"responseCode": "401"})

    def business_answer(self, body):
        if "inquiryRequestId" in body:
            data = {
                "inquiryStatus": "00",
                "virtualAccountName": "Siti Aisyah",
                "totalAmount": snap.format_amount(150000),
            }
            return {"responseCode": "2002400", "virtualAccountData": data}
        return {"responseCode": "2002500", "virtualAccountData": {"paymentFlagStatus": "00"}}


class FakeResponse:
    def __init__(self, status_code, answer):
        self.status_code = status_code
        self.answer = answer

    def json(self):
        return self.answer


def bank(prefix: str = "") -> tuple[BankSimulator, FakeBiller]:
    biller = FakeBiller()
    simulator = BankSimulator(
        "http://biller.test" + prefix,
        "BANKDEMO01",
        SECRET,
        BANK_PRIVATE,
        "   88899",
        "95221",
        session=biller,
    )
    return simulator, biller


@pytest.mark.parametrize("prefix", ["", "/snap"])
def test_simulator_pays_what_the_inquiry_shows_with_signed_requests(prefix):
    simulator, biller = bank(prefix)
    status, answer = simulator.pay("   8889912345678901", pretty=True)
    assert status == 200 and answer["responseCode"] == "2002500"
    token, inquiry, payment = biller.calls
    assert token["path"] == prefix + "/v1.0/access-token/b2b"
    assert inquiry["path"] == prefix + "/v1.0/transfer-va/inquiry"
    assert "\n" in payment["body_text"]  # pretty-printed, verified minified
    paid = json.loads(payment["body_text"])
    assert paid["paidAmount"] == {"value": "150000.00", "currency": "IDR"}
    assert paid["paymentRequestId"] == json.loads(inquiry["body_text"])["inquiryRequestId"]
    assert paid["flagAdvise"] == "N" and paid["virtualAccountName"] == "Siti Aisyah"
    assert payment["headers"]["X-EXTERNAL-ID"].isdigit()
    assert len(payment["headers"]["X-EXTERNAL-ID"]) <= 36


def test_simulator_resend_repeats_the_payment_under_a_new_external_id():
    simulator, biller = bank()
    simulator.pay("   8889912345678901", amount=150000, payment_request_id="p-1")
    status, _ = simulator.pay("   8889912345678901", resend=True)
    assert status == 200
    first, again = biller.calls[-2], biller.calls[-1]
    assert json.loads(again["body_text"]) == {**json.loads(first["body_text"]), "flagAdvise": "Y"}
    assert again["headers"]["X-EXTERNAL-ID"] != first["headers"]["X-EXTERNAL-ID"]
    external_ids = {call["headers"].get("X-EXTERNAL-ID") for call in biller.calls[1:]}
    assert len(external_ids) == len(biller.calls) - 1
