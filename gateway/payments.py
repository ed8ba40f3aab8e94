"""Payments: a file's invoice, renewals, the treasurer's cancellations, reconciliation."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, request

from gateway.auth import signed_in
from gateway.services import call_service
from gateway.validation import json_body

payments_blueprint = Blueprint("payments", __name__, url_prefix="/api/v1")


@payments_blueprint.get("/applications/<application_id>/invoice")
@signed_in
def invoice(application_id):
    return call_service("payments", "invoice_for", application_id=application_id)


@payments_blueprint.post("/applications/<application_id>/invoice/renew")
@signed_in
def renew_invoice(application_id):
    return call_service("payments", "renew_invoice", application_id=application_id), 201


@payments_blueprint.post("/invoices/<path:number>/cancel")
@signed_in
def cancel_invoice(number):
    body = json_body("CancelInvoiceRequest")
    return call_service("payments", "cancel_invoice", number=number, reason=body["reason"])


@payments_blueprint.get("/bank-partners")
@signed_in
def bank_partners():
    return {"items": call_service("payments", "partner_banks")}


@payments_blueprint.get("/reports/reconciliation")
@signed_in
def reconciliation():
    report = call_service("payments", "reconciliation", day=request.args.get("date", ""))
    rows = report.pop("csv")
    if request.args.get("format") == "csv":
        text = io.StringIO()
        csv.writer(text).writerows(rows)
        filename = f"rekonsiliasi-{report['day']}.csv"
        return Response(
            text.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    return report
