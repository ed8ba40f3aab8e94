"""A partner bank for demos and tests: it calls the payments service's SNAP port, signed."""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import requests
import yaml

from services.payments import snap

TOKEN_PATH = "/v1.0/access-token/b2b"
INQUIRY_PATH = "/v1.0/transfer-va/inquiry"
PAYMENT_PATH = "/v1.0/transfer-va/payment"

WIB = timezone(timedelta(hours=7), "WIB")  # banks in the regency stamp requests in WIB
CHANNEL_CODE = 6011  # ISO 18245 merchant category: ATM, as SNAP's channelCode examples use
DEFAULT_BASE_URL = "http://127.0.0.1:8090"  # PAYMENTS_BANK_PORT's default

_counter = itertools.count()


def new_external_id() -> str:
    """A numeric X-EXTERNAL-ID unique per call: microseconds, process id and a counter."""
    micros = time.time_ns() // 1000
    return f"{micros}{os.getpid() % 100000:05d}{next(_counter) % 10000:04d}"


def bank_id() -> str:
    """A bank-side reference (trxId, referenceNo): digits, as banks issue them."""
    return str(uuid.uuid4().int)[:20]


class BankSimulator:
    """Behaves like a partner bank: token (RSA), then signed inquiries and payments (HMAC)."""

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        private_key_pem: str | bytes,
        partner_service_id: str,
        channel_id: str,
        *,
        session: requests.Session | None = None,
        clock: Callable[[], datetime] | None = None,
        timeout: float = 10.0,
    ):
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.private_key_pem = private_key_pem
        self.partner_service_id = snap.check_partner_service_id(partner_service_id)
        self.channel_id = channel_id
        self.session = session or requests.Session()
        self.clock = clock or (lambda: datetime.now(WIB))
        self.timeout = timeout
        self.access_token: str | None = None
        self.token_expires_at = 0.0  # time.monotonic() after which a new token is fetched
        # The last payment body per VA, so that a resend repeats it (kept by the CLI in a file).
        self.payments: dict[str, dict] = {}
        # What the last inquiry of each VA answered: the bank pays what the biller asked.
        self.inquiries: dict[str, dict] = {}

    # -- the three calls -----------------------------------------------------------------------

    def token(self) -> tuple[int, dict]:
        """Ask for an access token; remember it when granted."""
        timestamp = self.timestamp()
        headers = {
            "Content-Type": "application/json",
            "X-TIMESTAMP": timestamp,
            "X-CLIENT-KEY": self.client_id,
            "X-SIGNATURE": snap.asymmetric_signature(
                self.private_key_pem, self.client_id, timestamp
            ),
        }
        body_text = json.dumps({"grantType": "client_credentials"})
        status, answer = self._post(TOKEN_PATH, body_text, headers)
        if status == 200 and answer.get("accessToken"):
            self.access_token = answer["accessToken"]
            # Renew a little early so that a request never arrives with a just-expired token.
            lifetime = int(answer.get("expiresIn") or 900)
            self.token_expires_at = time.monotonic() + max(lifetime - 30, 0)
        return status, answer

    def inquiry(self, va: str) -> tuple[int, dict]:
        """Ask what a VA owes."""
        partner_service_id, customer_no = snap.split_virtual_account(va)
        body = {
            "partnerServiceId": partner_service_id,
            "customerNo": customer_no,
            "virtualAccountNo": va,
            "inquiryRequestId": uuid.uuid4().hex,
            "trxDateInit": self.timestamp(),
            "channelCode": CHANNEL_CODE,
            # The bank does not know the amount yet: zero, in the shape SNAP requires.
            "amount": snap.format_amount(0),
            "additionalInfo": {},
        }
        status, answer = self.send(INQUIRY_PATH, body)
        if status == 200:
            data = answer.get("virtualAccountData") or {}
            self.inquiries[va] = {**data, "inquiryRequestId": body["inquiryRequestId"]}
        return status, answer

    def pay(
        self,
        va: str,
        amount: int | None = None,
        payment_request_id: str | None = None,
        resend: bool = False,
        external_id: str | None = None,
        pretty: bool = False,
    ) -> tuple[int, dict]:
        """Report a payment of `amount` rupiah (default: what an inquiry says the VA owes).

        resend repeats the last payment of this VA (same paymentRequestId, flagAdvise "Y") under
        a new X-EXTERNAL-ID; external_id forces the header (to provoke a duplicate); pretty
        sends the body indented, which the biller must verify in its minified form.
        """
        if resend:
            body = self._resend_body(va, amount, payment_request_id)
        else:
            bill: dict = {}
            if amount is None:
                status, answer = self.inquiry(va)
                data = answer.get("virtualAccountData") or {}
                if status != 200 or data.get("inquiryStatus") != "00":
                    return status, answer  # nothing to pay: show the bank's user why
                bill = self.inquiries[va]
                amount = snap.parse_amount(bill["totalAmount"])
                # Like several SNAP banks, pay under the id of the inquiry that showed the bill.
                payment_request_id = payment_request_id or bill["inquiryRequestId"]
            body = self._payment_body(va, amount, payment_request_id, bill)
        self.payments[va] = body
        return self.send(PAYMENT_PATH, body, pretty=pretty, external_id=external_id)

    # -- building blocks, public so tests can bend one thing at a time -------------------------

    def send(
        self,
        path: str,
        body: dict,
        *,
        pretty: bool = False,
        external_id: str | None = None,
        timestamp: str | None = None,
    ) -> tuple[int, dict]:
        """POST a transaction body with correctly signed SNAP headers (fetching a token first)."""
        if self.access_token is None or time.monotonic() >= self.token_expires_at:
            status, answer = self.token()
            if status != 200:
                return status, answer
        body_text = json.dumps(body, indent=2 if pretty else None, ensure_ascii=False)
        headers = self.transaction_headers(path, body_text, timestamp, external_id)
        return self._post(path, body_text, headers)

    def transaction_headers(
        self,
        path: str,
        body_text: str,
        timestamp: str | None = None,
        external_id: str | None = None,
    ) -> dict[str, str]:
        """The headers of an inquiry or payment, signed over the full path the bank calls."""
        timestamp = timestamp or self.timestamp()
        signature = snap.symmetric_signature(
            self.client_secret,
            "POST",
            self.signed_path(path),
            self.access_token,
            body_text,
            timestamp,
        )
        return {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {self.access_token}",
            "X-TIMESTAMP": timestamp,
            "X-SIGNATURE": signature,
            "X-PARTNER-ID": self.client_id,
            "X-EXTERNAL-ID": external_id or new_external_id(),
            "CHANNEL-ID": self.channel_id,
        }

    def signed_path(self, path: str) -> str:
        """The relative URL as SNAP signs it: the URL's path, including any mount prefix."""
        return urlsplit(self.base_url).path.rstrip("/") + path

    def timestamp(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    # -- internals -----------------------------------------------------------------------------

    def _payment_body(
        self, va: str, amount: int, payment_request_id: str | None, bill: dict
    ) -> dict:
        partner_service_id, customer_no = snap.split_virtual_account(va)
        return {
            "partnerServiceId": partner_service_id,
            "customerNo": customer_no,
            "virtualAccountNo": va,
            "virtualAccountName": bill.get("virtualAccountName", ""),
            "paymentRequestId": payment_request_id or uuid.uuid4().hex,
            "channelCode": CHANNEL_CODE,
            "trxId": bank_id(),
            "paidAmount": snap.format_amount(amount),
            "totalAmount": bill.get("totalAmount") or snap.format_amount(amount),
            "trxDateTime": self.timestamp(),
            "referenceNo": bank_id(),
            "flagAdvise": "N",
            "billDetails": [],
            "additionalInfo": {},
        }

    def _resend_body(self, va: str, amount: int | None, payment_request_id: str | None) -> dict:
        """The previous payment of this VA again, flagged as a resend."""
        previous = self.payments.get(va)
        if previous is None:
            if payment_request_id is None or amount is None:
                raise ValueError(
                    f"nothing to resend for {va!r}: pay first, or give the request id and amount"
                )
            previous = self._payment_body(va, amount, payment_request_id, {})
        body = {**previous, "flagAdvise": "Y"}
        if payment_request_id:
            body["paymentRequestId"] = payment_request_id
        if amount is not None:
            body["paidAmount"] = snap.format_amount(amount)
        return body

    def _post(self, path: str, body_text: str, headers: dict) -> tuple[int, dict]:
        response = self.session.post(
            self.base_url + path,
            data=body_text.encode("utf-8"),
            headers=headers,
            timeout=self.timeout,
        )
        try:
            answer = response.json()
        except ValueError:
            answer = {"raw": response.text}
        return response.status_code, answer


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------


def load_partner(partners_file: str, client_id: str | None) -> dict:
    """One partner's settings from the partners file (YAML or JSON), key paths resolved."""
    path = Path(partners_file)
    config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}  # JSON is YAML too
    partners = config.get("partners") or []
    if client_id is None and len(partners) == 1:
        partner = partners[0]
    elif client_id is None:
        raise ValueError(f"{partners_file} has {len(partners)} partners: choose with --partner")
    else:
        matches = [p for p in partners if p.get("client_id") == client_id]
        if not matches:
            raise ValueError(f"no partner {client_id!r} in {partners_file}")
        partner = matches[0]
    partner = dict(partner)
    if partner.get("private_key_file"):
        partner["private_key_file"] = str(path.parent / partner["private_key_file"])
    return partner


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m services.payments.bank_simulator", description=__doc__
    )
    parser.add_argument("--base-url", default=DEFAULT_BASE_URL)
    parser.add_argument(
        "--partners-file",
        default=os.environ.get("PAYMENTS_PARTNERS_FILE"),
        help="the payments service's partners file (YAML/JSON); settings below override it",
    )
    parser.add_argument("--partner", help="client_id of the partner in the partners file")
    parser.add_argument("--client-id")
    parser.add_argument("--client-secret")
    parser.add_argument("--private-key", help="the bank's RSA private key (PEM file)")
    parser.add_argument("--partner-service-id", help="8 characters, left-padded with spaces")
    parser.add_argument("--channel-id")
    parser.add_argument(
        "--state-file",
        default=str(Path(tempfile.gettempdir()) / "gaspol-bank-simulator.json"),
        help="where the last payment per VA is kept, so that --resend works across runs",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("token", help="get an access token")
    inquiry = commands.add_parser("inquiry", help="ask what a VA owes")
    inquiry.add_argument("va")
    pay = commands.add_parser("pay", help="report a payment")
    pay.add_argument("va")
    pay.add_argument("--amount", type=int, help="rupiah (default: what an inquiry says)")
    pay.add_argument("--resend", action="store_true", help="repeat the last payment, flag Y")
    pay.add_argument("--payment-request-id")
    pay.add_argument("--external-id", help="force X-EXTERNAL-ID (to provoke a duplicate)")
    pay.add_argument("--pretty", action="store_true", help="send the body pretty-printed")
    return parser


def simulator_from_args(args: argparse.Namespace) -> BankSimulator:
    partner = {}
    if args.partners_file:
        partner = load_partner(args.partners_file, args.partner or args.client_id)
    settings = {
        "client_id": args.client_id or partner.get("client_id"),
        "client_secret": args.client_secret or partner.get("client_secret"),
        "private_key_file": args.private_key or partner.get("private_key_file"),
        "partner_service_id": args.partner_service_id or partner.get("partner_service_id"),
        "channel_id": args.channel_id or partner.get("channel_id"),
    }
    missing = [name for name, value in settings.items() if not value]
    if missing:
        raise ValueError(f"missing settings: {', '.join(missing)} (flags or --partners-file)")
    return BankSimulator(
        args.base_url,
        settings["client_id"],
        settings["client_secret"],
        Path(settings["private_key_file"]).read_bytes(),
        settings["partner_service_id"],
        str(settings["channel_id"]),
    )


def _load_state(path: str, client_id: str) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8")).get(client_id, {})
    except (OSError, ValueError):
        return {}


def _save_state(path: str, client_id: str, payments: dict) -> None:
    try:
        state = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    state[client_id] = payments
    Path(path).write_text(json.dumps(state, indent=2), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        bank = simulator_from_args(args)
        if args.command == "token":
            status, answer = bank.token()
        elif args.command == "inquiry":
            status, answer = bank.inquiry(args.va)
        else:
            bank.payments = _load_state(args.state_file, bank.client_id)
            status, answer = bank.pay(
                args.va,
                amount=args.amount,
                payment_request_id=args.payment_request_id,
                resend=args.resend,
                external_id=args.external_id,
                pretty=args.pretty,
            )
            _save_state(args.state_file, bank.client_id, bank.payments)
    except (OSError, ValueError, requests.RequestException) as error:
        print(f"bank simulator: {error}", file=sys.stderr)
        return 2
    print(f"HTTP {status}", file=sys.stderr)
    print(json.dumps(answer, indent=2, ensure_ascii=False))
    return 0 if 200 <= status < 300 else 1


if __name__ == "__main__":
    sys.exit(main())
