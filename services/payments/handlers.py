"""The payments use cases: quotes, invoices and their VAs, the SNAP bank API, reconciliation."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from chassis.auth import Caller
from chassis.errors import Conflict, NotFound, ValidationFailed
from services.payments import domain, snap
from services.payments.metrics import BANK_CALLS, COLLECTED, SIGNATURE_FAILURES
from services.payments.partners import partner_view
from services.payments.store import PaymentStore

TREASURY = ("treasurer",)
# What an invoice copies from the application it bills.
FILE_FIELDS = ("application_id", "receipt_number", "owner_id", "permit_type", "permit_name")
READERS = ("treasurer", "head", "admin", "auditor")
TOKEN_TTL = 900


@dataclass(frozen=True)
class Billing:
    """What the office configured for invoices: its partner banks, office code, expiry."""

    partners: dict
    office_code: str
    expiry_days: int


class Refused(Exception):
    """A bank call refused with a SNAP case of the call's service."""

    def __init__(self, case: str, detail: str = "", outcome: str = "refused"):
        super().__init__(case)
        self.case, self.detail, self.outcome = case, detail, outcome


class PaymentUseCases:
    def __init__(
        self,
        store: PaymentStore,
        billing: Billing,
        *,
        events,
        audit,
        caller: Caller,
        now=lambda: datetime.now(UTC),
    ):
        self.store = store
        self.billing = billing
        self.events = events
        self.audit = audit
        self.caller = caller
        self.now = now

    # --- fees and invoices

    def quote(self, *, rule: dict, inputs: dict) -> dict:
        """The fee for these inputs, or a 422 naming the input that is wrong."""
        try:
            assessment = domain.assess_fee(rule, inputs or {})
        except domain.FeeError as error:
            raise ValidationFailed(
                error.message,
                code="fee_inputs_invalid",
                errors=[
                    {
                        "field": f"fee_inputs.{error.field}",
                        "code": error.code,
                        "message": error.message,
                    }
                ],
            ) from None
        return {"amount": assessment.amount, "breakdown": assessment.breakdown}

    def issue_invoice(self, *, request_id: str, data: dict) -> dict | None:
        """An invoice (SKRD) for an assessed fee; once per request (the event's id)."""
        assessment = self.quote(rule=data["fee_rule"], inputs=data.get("fee_inputs") or {})
        return self._issue(
            request_id,
            {key: data[key] for key in FILE_FIELDS},
            assessment["amount"],
            assessment["breakdown"],
        )

    def _issue(self, request_id: str, file: dict, amount: int, breakdown: list) -> dict | None:
        """An invoice with one VA per partner bank; None when the request was served already."""
        now = self.now()
        year = now.astimezone(domain.JAKARTA).year
        number = domain.skrd_number(
            self.store.next_number(f"skrd:{year}"), year, self.billing.office_code
        )
        customer = domain.customer_no(self.store.next_number("customer_no"))
        invoice = {
            "_id": request_id,
            "number": number,
            **file,
            "amount": amount,
            "breakdown": breakdown,
            "status": "open",
            "issued_at": now,
            "expires_at": domain.invoice_expiry(now, self.billing.expiry_days),
            "virtual_accounts": [
                {
                    "bank": p.client_id,
                    "bank_name": p.name,
                    "partner_service_id": p.partner_service_id,
                    "customer_no": customer,
                    "virtual_account_no": domain.virtual_account(p.partner_service_id, customer),
                    "va_digits": (p.partner_service_id + customer).replace(" ", ""),
                }
                for p in self.billing.partners.values()
            ],
        }
        event = self.events.new("invoice_issued", _invoice_event(invoice))
        return invoice if self.store.insert_invoice(invoice, [event]) else None

    def invoice_for(self, *, application_id: str) -> dict:
        invoice = self.caller.visible(
            self.store.latest_invoice_of(application_id), *READERS, what="invoice"
        )
        return _invoice_view(invoice, self.now())

    def renew_invoice(self, *, application_id: str) -> dict:
        """A new invoice after the last one expired or was cancelled (owner or treasurer)."""
        last = self.caller.visible(
            self.store.latest_invoice_of(application_id), *TREASURY, what="invoice"
        )
        if last["status"] == "open" or last["status"] == "paid":
            raise Conflict(
                f"the invoice is {last['status']}; no new one is needed",
                code=f"invoice_{last['status']}",
            )
        renewed = self._issue(
            f"{last['_id']}:renewed",
            {key: last[key] for key in FILE_FIELDS},
            last["amount"],
            last["breakdown"],
        )
        if renewed is None:
            raise Conflict("a new invoice was already issued", code="invoice_renewed")
        return _invoice_view(renewed, self.now())

    def cancel_invoice(self, *, number: str, reason: str) -> dict:
        treasurer = self.caller.require_role(*TREASURY)
        if not (reason or "").strip():
            raise ValidationFailed(
                "say why the invoice is cancelled",
                errors=[{"field": "reason", "code": "reason_required", "message": "required"}],
            )
        invoice = self.store.invoice_by_number(number)
        if invoice is None:
            raise NotFound("no such invoice")
        event = self.events.new(
            "invoice_cancelled", {**_invoice_event(invoice), "reason": reason.strip()}
        )
        cancelled = self.store.move(
            invoice,
            "open",
            {
                "status": "cancelled",
                "cancelled_at": self.now(),
                "cancel_reason": reason.strip(),
                "cancelled_by": treasurer.user_id,
            },
            [event],
        )
        if cancelled is None:
            raise Conflict(
                f"only an open invoice can be cancelled; this one is {invoice['status']}",
                code="invoice_not_open",
            )
        self.audit.record(
            "invoice_cancelled", subject=invoice["application_id"], details={"number": number}
        )
        return _invoice_view(cancelled, self.now())

    def expire_due(self) -> int:
        now, expired = self.now(), 0
        for invoice in self.store.open_invoices():
            if domain.should_expire(_aware(invoice), now):
                event = self.events.new("invoice_expired", _invoice_event(invoice))
                if self.store.move(
                    invoice, "open", {"status": "expired", "expired_at": now}, [event]
                ):
                    expired += 1
        return expired

    def reconciliation(self, *, day: str) -> dict:
        self.caller.require_role(*READERS)
        try:
            wanted = date.fromisoformat(day)
        except (TypeError, ValueError):
            raise ValidationFailed(
                "day must be YYYY-MM-DD",
                errors=[{"field": "date", "code": "format", "message": "YYYY-MM-DD"}],
            ) from None
        start = datetime.combine(wanted, time(), domain.JAKARTA).astimezone(UTC)
        end = start + timedelta(days=1)
        invoices = [_reconciled_invoice(i) for i in self.store.invoices_between(start, end)]
        attempts = [
            _attempt(c)
            for c in self.store.calls_between(start, end)
            if c.get("service") == snap.SERVICE_PAYMENT
        ]
        report = domain.reconcile(invoices, attempts, wanted, banks=self.billing.partners)
        report["csv"] = domain.reconciliation_csv_rows(report)
        return report

    def partner_banks(self) -> list[dict]:
        """The partner banks as configured, with each one's key fingerprint and last call."""
        self.caller.require_role(*READERS)
        return [
            {**partner_view(partner), "last_call": _last_call(self.store.last_call_of(client_id))}
            for client_id, partner in sorted(self.billing.partners.items())
        ]

    # --- the SNAP bank API

    def bank_token(self, *, headers: dict, body: str) -> tuple[int, dict]:
        service, partner = snap.SERVICE_TOKEN, None
        try:
            client_id = headers.get("X-CLIENT-KEY")
            partner = self._partner(client_id)
            self._fresh(headers.get("X-TIMESTAMP"))
            if not snap.verify_asymmetric(
                partner.public_key_pem,
                client_id,
                headers.get("X-TIMESTAMP"),
                headers.get("X-SIGNATURE"),
            ):
                raise Refused("bad_signature")
            if _json(body).get("grantType") != "client_credentials":
                raise Refused("invalid_field", "grantType")
        except Refused as refused:
            return self._refuse(service, refused, partner, headers)
        token = secrets.token_urlsafe(32)
        self.store.save_token(
            _digest(token), partner.client_id, self.now() + timedelta(seconds=TOKEN_TTL)
        )
        status, answer = snap.answer(service, "success")
        self._log(service, partner, headers, "token", status, answer)
        return status, {
            **answer,
            "accessToken": token,
            "tokenType": "Bearer",
            "expiresIn": str(TOKEN_TTL),
        }

    def bank_inquiry(self, *, headers: dict, body: str, path: str) -> tuple[int, dict]:
        service, partner = snap.SERVICE_INQUIRY, None
        try:
            partner, request = self._authenticated(service, headers, body, "POST", path)
            invoice = self._invoice_by_va(request)
            verdict = domain.judge_inquiry(_aware(invoice), self.now())
            if verdict.outcome != "ok":
                raise Refused(
                    "paid_bill" if verdict.outcome == "already_paid" else "expired_bill",
                    outcome=verdict.outcome,
                )
        except Refused as refused:
            return self._refuse(service, refused, partner, headers)
        status, answer = snap.answer(service, "success")
        answer["virtualAccountData"] = {
            **_va_fields(request),
            "inquiryStatus": "00",
            "inquiryReason": {"english": "Success", "indonesia": "Sukses"},
            "virtualAccountName": _va_name(invoice),
            "inquiryRequestId": request.get("inquiryRequestId"),
            "totalAmount": snap.format_amount(invoice["amount"]),
            "billDetails": [
                {
                    "billCode": "01",
                    "billName": line["label"],
                    "billAmount": snap.format_amount(line["amount"]),
                }
                for line in invoice["breakdown"]
            ],
            "freeTexts": [
                {
                    "english": f"Permit fee {invoice['number']}",
                    "indonesia": f"Retribusi perizinan {invoice['number']}",
                }
            ],
        }
        self._log(service, partner, headers, "ok", status, answer, invoice=invoice)
        return status, answer

    def bank_payment(self, *, headers: dict, body: str, path: str) -> tuple[int, dict]:
        service, partner = snap.SERVICE_PAYMENT, None
        try:
            partner, request = self._authenticated(service, headers, body, "POST", path)
            request_id = _required(request, "paymentRequestId")
            kept = self.store.answer_of(f"{partner.client_id}:{request_id}")
            if kept is not None:  # a resend: the first answer again, nothing changes
                self._log(
                    service,
                    partner,
                    headers,
                    "resend",
                    kept["status"],
                    kept["body"],
                    request=request,
                )
                return kept["status"], kept["body"]
            status, answer = self._pay(service, partner, request, request_id)
        except Refused as refused:
            return self._refuse(service, refused, partner, headers)
        kept = self.store.keep_answer(
            f"{partner.client_id}:{request_id}", {"status": status, "body": answer}
        )
        return kept["status"], kept["body"]

    def _pay(self, service, partner, request, request_id) -> tuple[int, dict]:
        invoice = self._invoice_by_va(request)
        paid = _amount(request, "paidAmount")
        verdict = domain.judge_payment(_aware(invoice), paid, self.now())
        if verdict.outcome == "apply":
            if self._apply(invoice, partner, request_id, paid) is not None:
                COLLECTED.labels(partner.client_id).inc(paid)
                return self._payment_answer(service, partner, request, invoice, "success", "apply")
            # Another call got there first: a twin of this payment, or a different one.
            invoice = self.store.invoice_by_number(invoice["number"])
            if invoice.get("payment_request_id") == request_id:
                return self._payment_answer(service, partner, request, invoice, "success", "resend")
            verdict = domain.judge_payment(_aware(invoice), paid, self.now())
        case = {
            "amount_mismatch": "amount_mismatch",
            "already_paid": "paid_bill",
            "expired_or_cancelled": "expired_bill",
        }[verdict.outcome]
        return self._payment_answer(
            service, partner, request, invoice, case, verdict.outcome, surplus=verdict.surplus
        )

    def _apply(self, invoice, partner, request_id, paid):
        event = self.events.new(
            "payment_received",
            {
                **_invoice_event(invoice),
                "bank": partner.client_id,
                "bank_name": partner.name,
                "paid_amount": paid,
                "payment_request_id": request_id,
                "paid_at": self.now().isoformat(),
            },
        )
        return self.store.move(
            invoice,
            "open",
            {
                "status": "paid",
                "paid_at": self.now(),
                "paid_bank": partner.client_id,
                "paid_amount": paid,
                "payment_request_id": request_id,
            },
            [event],
        )

    def _payment_answer(self, service, partner, request, invoice, case, outcome, surplus=0):
        status, answer = snap.answer(service, case)
        success = case == "success"
        answer["virtualAccountData"] = {
            **_va_fields(request),
            "virtualAccountName": _va_name(invoice),
            "paymentRequestId": request.get("paymentRequestId"),
            "paidAmount": request.get("paidAmount"),
            "totalAmount": snap.format_amount(invoice["amount"]),
            "trxDateTime": request.get("trxDateTime"),
            "referenceNo": request.get("referenceNo"),
            "paymentFlagStatus": "00" if success else "01",
            "paymentFlagReason": {
                "english": "Success" if success else answer["responseMessage"],
                "indonesia": "Sukses" if success else _indonesian(case),
            },
        }
        self._log(
            service,
            partner,
            {},
            outcome,
            status,
            answer,
            invoice=invoice,
            request=request,
            surplus=surplus,
        )
        return status, answer

    # --- the checks every bank call passes

    def _authenticated(self, service, headers, body, method, path):
        token = _bearer(headers.get("Authorization"))
        partner = self._partner(headers.get("X-PARTNER-ID"))
        stored = self.store.token(_digest(token)) if token else None
        if (
            stored is None
            or stored["partner"] != partner.client_id
            or _aware_dt(stored["expires_at"]) <= self.now()
        ):
            raise Refused("invalid_token")
        timestamp = headers.get("X-TIMESTAMP")
        self._fresh(timestamp)
        if not snap.verify_symmetric(
            partner.client_secret, method, path, token, body, timestamp, headers.get("X-SIGNATURE")
        ):
            raise Refused("bad_signature")
        self._unique_external_id(partner, headers.get("X-EXTERNAL-ID"))
        return partner, _json(body)

    def _partner(self, client_id):
        partner = self.billing.partners.get(client_id or "")
        if partner is None:
            raise Refused("unknown_partner")
        return partner

    def _fresh(self, timestamp) -> None:
        if not snap.within_window(timestamp, self.now()):
            raise Refused("stale_timestamp")

    def _unique_external_id(self, partner, external_id) -> None:
        if not external_id or not external_id.isdigit() or len(external_id) > 36:
            raise Refused("invalid_field", "X-EXTERNAL-ID")
        today = self.now().astimezone(domain.JAKARTA).date().isoformat()
        key = f"{partner.client_id}:{today}:{external_id}"
        if not self.store.claim_external_id(key, self.now() + timedelta(days=2)):
            raise Refused("duplicate_external_id")

    def _invoice_by_va(self, request: dict) -> dict:
        va = _required(request, "virtualAccountNo")
        invoice = self.store.invoice_by_va(va)
        if invoice is None:
            raise Refused("va_not_found", outcome="not_found")
        return invoice

    def _refuse(self, service, refused: Refused, partner, headers) -> tuple[int, dict]:
        if refused.case in ("bad_signature", "stale_timestamp", "invalid_token"):
            SIGNATURE_FAILURES.labels(refused.case).inc()
        status, answer = snap.answer(service, refused.case, refused.detail)
        self._log(service, partner, headers, refused.outcome, status, answer)
        return status, answer

    def _log(
        self,
        service,
        partner,
        headers,
        outcome,
        status,
        answer,
        invoice=None,
        request=None,
        surplus=0,
    ) -> None:
        BANK_CALLS.labels(service, str(status)).inc()
        request = request or {}
        self.store.record_call(
            {
                "at": self.now(),
                "service": service,
                "bank": partner.client_id if partner else None,
                "external_id": headers.get("X-EXTERNAL-ID"),
                "outcome": outcome,
                "response_code": answer["responseCode"],
                "invoice_number": invoice["number"] if invoice else None,
                "invoice_amount": invoice["amount"] if invoice else None,
                "payment_request_id": request.get("paymentRequestId"),
                "amount": _amount_or_none(request, "paidAmount"),
                "surplus": surplus,
            }
        )


def _last_call(call: dict | None) -> dict | None:
    if call is None:
        return None
    return {
        "at": _aware_dt(call["at"]).isoformat(),
        "service": call["service"],
        "outcome": call["outcome"],
        "response_code": call["response_code"],
    }


def _invoice_event(invoice: dict) -> dict:
    return {
        "application_id": invoice["application_id"],
        "invoice_number": invoice["number"],
        "amount": invoice["amount"],
        "owner_id": invoice["owner_id"],
        "receipt_number": invoice["receipt_number"],
        "expires_at": _aware_dt(invoice["expires_at"]).isoformat(),
        "virtual_accounts": [
            {"bank": va["bank_name"], "virtual_account_no": va["virtual_account_no"]}
            for va in invoice["virtual_accounts"]
        ],
    }


def _invoice_view(invoice: dict, now: datetime) -> dict:
    status = invoice["status"]
    if status == "open" and domain.should_expire(_aware(invoice), now):
        status = "expired"
    return {
        "number": invoice["number"],
        "amount": invoice["amount"],
        "breakdown": invoice["breakdown"],
        "status": status,
        "issued_at": _aware_dt(invoice["issued_at"]).isoformat(),
        "expires_at": _aware_dt(invoice["expires_at"]).isoformat(),
        "paid_at": _aware_dt(invoice["paid_at"]).isoformat() if invoice.get("paid_at") else None,
        "virtual_accounts": [
            {"bank": va["bank_name"], "virtual_account_no": va["virtual_account_no"].strip()}
            for va in invoice["virtual_accounts"]
        ],
        "permit_name": invoice["permit_name"],
        "receipt_number": invoice["receipt_number"],
    }


def _reconciled_invoice(invoice: dict) -> dict:
    return {
        "number": invoice["number"],
        "amount": invoice["amount"],
        "status": invoice["status"],
        "issued_at": _aware_dt(invoice["issued_at"]),
        "paid_at": _aware_dt(invoice.get("paid_at")),
        "paid_bank": invoice.get("paid_bank"),
        "expired_at": _aware_dt(invoice.get("expired_at")),
    }


def _attempt(call: dict) -> dict:
    outcome = call["outcome"] if call["outcome"] in domain.ATTEMPT_OUTCOMES else "refused"
    return {
        "bank": call.get("bank"),
        "invoice_number": call.get("invoice_number"),
        "amount": call.get("amount") or 0,
        "outcome": outcome,
        "at": _aware_dt(call["at"]),
        "payment_request_id": call.get("payment_request_id"),
    }


def _va_fields(request: dict) -> dict:
    return {key: request.get(key) for key in ("partnerServiceId", "customerNo", "virtualAccountNo")}


def _va_name(invoice: dict) -> str:
    return f"RETRIBUSI {invoice['receipt_number']}"


def _indonesian(case: str) -> str:
    return {
        "amount_mismatch": "Jumlah pembayaran tidak sesuai tagihan",
        "paid_bill": "Tagihan sudah dibayar",
        "expired_bill": "Tagihan sudah kedaluwarsa atau dibatalkan",
    }.get(case, "Ditolak")


def _json(body: str) -> dict:
    try:
        parsed = json.loads(body or "")
    except ValueError:
        raise Refused("invalid_field", "body") from None
    if not isinstance(parsed, dict):
        raise Refused("invalid_field", "body")
    return parsed


def _required(request: dict, field: str) -> str:
    value = request.get(field)
    if value is None or value == "":
        raise Refused("missing_field", field)
    if not isinstance(value, str):
        raise Refused("invalid_field", field)
    return value


def _amount(request: dict, field: str) -> int:
    if request.get(field) is None:
        raise Refused("missing_field", field)
    try:
        return snap.parse_amount(request[field])
    except ValueError:
        raise Refused("invalid_field", field) from None


def _amount_or_none(request: dict, field: str) -> int | None:
    try:
        return snap.parse_amount(request[field]) if request.get(field) else None
    except ValueError:
        return None


def _bearer(header: str | None) -> str | None:
    scheme, _, token = (header or "").partition(" ")
    return token.strip() if scheme == "Bearer" and token.strip() else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware_dt(moment):
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _aware(invoice: dict) -> dict:
    return {**invoice, "expires_at": _aware_dt(invoice["expires_at"])}
