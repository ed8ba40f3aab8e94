"""The payments service's nameko entrypoints: the SNAP bank API (HTTP), RPC, events, timer."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from nameko.extensions import DependencyProvider
from nameko.rpc import rpc
from nameko.web.handlers import http
from werkzeug.wrappers import Response

from chassis.config import settings_from_nameko
from chassis.errors import EXPECTED
from chassis.messaging import event_handler
from chassis.outbox import Outbox
from chassis.service import ServiceBase, every, on_start
from services.payments.handlers import Billing, PaymentUseCases
from services.payments.partners import demo_partners_file, load_partners
from services.payments.store import PaymentStore

log = logging.getLogger(__name__)


class PartnerBanks(DependencyProvider):
    """The partner banks and invoice settings, read once at start."""

    def setup(self):
        settings = settings_from_nameko(self.container.config)
        configured = settings["PAYMENTS_PARTNERS_FILE"]
        if configured:
            path = Path(configured)
        elif settings["GASPOL_ENV"] == "development":
            path = demo_partners_file(settings.data_dir / "bank-partners")
        else:
            raise RuntimeError("PAYMENTS_PARTNERS_FILE is required in production")
        self.billing = Billing(
            partners=load_partners(path),
            office_code=settings["OFFICE_CODE"],
            expiry_days=settings["INVOICE_EXPIRY_DAYS"],
        )
        log.info("partner banks: %s (from %s)", ", ".join(self.billing.partners), path)

    def get_dependency(self, worker_ctx):
        return self.billing


class PaymentsService(ServiceBase):
    """See the package docstring and README.md for what this service owns."""

    name = "payments"
    http_port_setting = "PAYMENTS_BANK_PORT"

    outbox = Outbox(collections=["invoices"])
    banks = PartnerBanks()

    # --- the SNAP API partner banks call (its own port, not the gateway)

    @http("POST", "/v1.0/access-token/b2b")
    def bank_token(self, request):
        return _snap(*self._use_cases().bank_token(headers=request.headers, body=_text(request)))

    @http("POST", "/v1.0/transfer-va/inquiry")
    def bank_inquiry(self, request):
        return _snap(
            *self._use_cases().bank_inquiry(
                headers=request.headers, body=_text(request), path=request.path
            )
        )

    @http("POST", "/v1.0/transfer-va/payment")
    def bank_payment(self, request):
        return _snap(
            *self._use_cases().bank_payment(
                headers=request.headers, body=_text(request), path=request.path
            )
        )

    # --- RPC

    @rpc(expected_exceptions=EXPECTED)
    def quote(self, rule, inputs):
        return self._use_cases().quote(rule=rule, inputs=inputs)

    @rpc(expected_exceptions=EXPECTED)
    def invoice_for(self, application_id):
        return self._use_cases().invoice_for(application_id=application_id)

    @rpc(expected_exceptions=EXPECTED)
    def renew_invoice(self, application_id):
        return self._use_cases().renew_invoice(application_id=application_id)

    @rpc(expected_exceptions=EXPECTED)
    def cancel_invoice(self, number, reason):
        return self._use_cases().cancel_invoice(number=number, reason=reason)

    @rpc(expected_exceptions=EXPECTED)
    def reconciliation(self, day):
        return self._use_cases().reconciliation(day=day)

    @rpc(expected_exceptions=EXPECTED)
    def partner_banks(self):
        return self._use_cases().partner_banks()

    # --- what other services tell

    @event_handler("applications", "fee_assessment_requested")
    def on_fee_assessment_requested(self, event):
        self._use_cases().issue_invoice(request_id=event["event_id"], data=event["data"])

    @every("INVOICE_SWEEP_SECONDS")
    def expire_invoices(self):
        expired = self._use_cases().expire_due()
        if expired:
            log.info("%s invoices expired", expired)

    @on_start
    def prepare(self):
        PaymentStore(self.db).create_indexes()

    def _use_cases(self) -> PaymentUseCases:
        return PaymentUseCases(
            PaymentStore(self.db),
            self.banks,
            events=self.outbox,
            audit=self.audit,
            caller=self.caller,
        )


def _text(request) -> str:
    # SNAP bodies are UTF-8 JSON; a body that is not is refused as an invalid field later.
    return request.get_data(cache=False).decode("utf-8", errors="replace")


def _snap(status: int, body: dict) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")
