"""The applications service's nameko entrypoints (its RPC methods, event handlers and timers)."""

from __future__ import annotations

import logging
from datetime import timedelta

from nameko.rpc import rpc

from chassis.errors import EXPECTED
from chassis.messaging import event_handler
from chassis.outbox import Outbox
from chassis.rpc import ServiceRpc
from chassis.service import ServiceBase, every, on_start
from services.applications import reports
from services.applications.domain.sla import INDONESIA_HOLIDAYS_2026, WorkCalendar, parse_holidays
from services.applications.handlers import ApplicationUseCases, Office
from services.applications.oss.dependency import Oss
from services.applications.oss.reports import OssReporting, OssReportStore
from services.applications.report_store import ReportStore
from services.applications.store import ApplicationStore
from services.applications.surveys import SurveyUseCases

log = logging.getLogger(__name__)


class ApplicationsService(ServiceBase):
    """See the package docstring and README.md for what this service owns."""

    name = "applications"

    outbox = Outbox(collections=["applications", "surveys"])
    payments = ServiceRpc("payments")

    # --- catalogue

    @rpc(expected_exceptions=EXPECTED)
    def list_permit_types(self):
        return self._use_cases().list_permit_types()

    @rpc(expected_exceptions=EXPECTED)
    def get_permit_type(self, code):
        return self._use_cases().get_permit_type(code)

    @rpc(expected_exceptions=EXPECTED)
    def save_permit_type(self, permit_type):
        return self._use_cases().save_permit_type(permit_type)

    # --- applications

    @rpc(expected_exceptions=EXPECTED)
    def create_application(self, permit_type, data=None):
        return self._use_cases().create(permit_type=permit_type, data=data)

    @rpc(expected_exceptions=EXPECTED)
    def update_application(self, application_id, data):
        return self._use_cases().update_data(application_id=application_id, data=data)

    @rpc(expected_exceptions=EXPECTED)
    def get_application(self, application_id):
        view = self._use_cases().get(application_id=application_id)
        return {**view, **self._surveys().summary_for(view)}

    @rpc(expected_exceptions=EXPECTED)
    def list_applications(self, state=None, role_queue=None, page=1, per_page=20):
        return self._use_cases().list(
            state=state, role_queue=role_queue, page=page, per_page=per_page
        )

    @rpc(expected_exceptions=EXPECTED)
    def submit_application(self, application_id):
        return self._use_cases().submit(application_id=application_id)

    @rpc(expected_exceptions=EXPECTED)
    def withdraw_application(self, application_id, note=None):
        return self._use_cases().withdraw(application_id=application_id, note=note)

    @rpc(expected_exceptions=EXPECTED)
    def act(self, application_id, action, note=None, payload=None):
        return self._use_cases().act(
            application_id=application_id, action=action, note=note, payload=payload
        )

    @rpc(expected_exceptions=EXPECTED)
    def set_permit_status(self, application_id, status, reason):
        return self._use_cases().set_permit_status(
            application_id=application_id, status=status, reason=reason
        )

    @rpc(expected_exceptions=EXPECTED)
    def upload_rules(self, application_id, requirement):
        return self._use_cases().upload_rules(
            application_id=application_id, requirement=requirement
        )

    # --- public

    @rpc(expected_exceptions=EXPECTED)
    def track(self, receipt_number):
        return self._use_cases().track(receipt_number=receipt_number)

    @rpc(expected_exceptions=EXPECTED)
    def verify_permit(self, verification_code):
        return self._use_cases().verify_permit(verification_code=verification_code)

    # --- satisfaction survey (IKM) and complaints

    @rpc(expected_exceptions=EXPECTED)
    def answer_survey(self, application_id, scores, comment=None, complaint=None):
        return self._surveys().answer(
            application_id=application_id, scores=scores, comment=comment, complaint=complaint
        )

    @rpc(expected_exceptions=EXPECTED)
    def survey_response(self, application_id):
        return self._surveys().response(application_id=application_id)

    @rpc(expected_exceptions=EXPECTED)
    def list_complaints(self, status=None, page=1, per_page=20):
        return self._surveys().complaints(status=status, page=page, per_page=per_page)

    @rpc(expected_exceptions=EXPECTED)
    def answer_complaint(self, application_id, answer):
        return self._surveys().answer_complaint(application_id=application_id, answer=answer)

    # --- reports (head, admin, auditor) and the public figures

    @rpc(expected_exceptions=EXPECTED)
    def report(self, section, start=None, end=None):
        return self._reports().report(section, start, end)

    @rpc(expected_exceptions=EXPECTED)
    def public_stats(self, year=None):
        return self._reports().public_stats(year)

    # --- the reports' read model, fed by this service's own events and the bank's payments

    @event_handler("applications", "application_submitted")
    @event_handler("applications", "revision_requested")
    @event_handler("applications", "application_verified")
    @event_handler("applications", "survey_scheduled")
    @event_handler("applications", "survey_reported")
    @event_handler("applications", "application_recommended")
    @event_handler("applications", "fee_assessment_requested")
    @event_handler("applications", "application_paid")
    @event_handler("applications", "permit_issued")
    @event_handler("applications", "application_rejected")
    @event_handler("applications", "application_withdrawn")
    def report_transition(self, event):
        ReportStore(self.db).record_transition(*reports.transition_of(event))

    @event_handler("applications", "sla_warning")
    @event_handler("applications", "sla_breached")
    def report_sla(self, event):
        ReportStore(self.db).record_sla(event["data"]["application_id"], event["event_type"])

    @event_handler("payments", "payment_received")
    def report_payment(self, event):
        ReportStore(self.db).record_payment(*reports.payment_of(event))

    # --- what other services tell

    @event_handler("identity", "user_registered")
    def on_user_registered(self, event):
        ApplicationStore(self.db).remember_person(event["data"]["user_id"], event["data"]["name"])

    @event_handler("documents", "document_uploaded")
    def on_document_uploaded(self, event):
        data = event["data"]
        self._use_cases().on_document_uploaded(
            application_id=data["application_id"],
            requirement=data["requirement"],
            document={
                "document_id": data["document_id"],
                "version": data["version"],
                "filename": data["filename"],
                "content_type": data["content_type"],
                "size": data["size"],
                "status": "uploaded",
                "reason": None,
            },
        )

    @event_handler("documents", "document_reviewed")
    def on_document_reviewed(self, event):
        data = event["data"]
        self._use_cases().on_document_reviewed(
            application_id=data["application_id"],
            requirement=data["requirement"],
            document_id=data["document_id"],
            decision=data["decision"],
            reason=data.get("reason"),
        )

    @event_handler("documents", "certificate_issued")
    def on_certificate_issued(self, event):
        data = event["data"]
        self._use_cases().on_certificate_issued(
            application_id=data["application_id"],
            certificate={
                "document_id": data["document_id"],
                "sha256": data["sha256"],
                "key_id": data["signature"]["key_id"],
            },
        )

    @event_handler("payments", "invoice_issued")
    def on_invoice_issued(self, event):
        self._use_cases().on_invoice_issued(
            application_id=event["data"]["application_id"], invoice=_invoice(event, "open")
        )

    @event_handler("payments", "payment_received")
    def on_payment_received(self, event):
        self._use_cases().on_payment_received(
            application_id=event["data"]["application_id"], invoice=_invoice(event, "paid")
        )

    @event_handler("payments", "invoice_expired")
    def on_invoice_expired(self, event):
        self._use_cases().on_invoice_closed(
            application_id=event["data"]["application_id"],
            invoice=_invoice(event, "expired"),
            reason="tagihan kedaluwarsa; tagihan baru dapat diminta",
        )

    @event_handler("payments", "invoice_cancelled")
    def on_invoice_cancelled(self, event):
        self._use_cases().on_invoice_closed(
            application_id=event["data"]["application_id"],
            invoice=_invoice(event, "cancelled"),
            reason=f"tagihan dibatalkan: {event['data']['reason']}",
        )

    # --- the office's clockwork

    @every("SLA_MONITOR_SECONDS")
    def monitor_sla(self):
        emitted = self._use_cases().monitor_sla()
        if emitted:
            log.info("SLA monitor emitted %s events", len(emitted))

    @every("ARCHIVE_SWEEP_SECONDS")
    def archive_finished(self):
        moved = self._use_cases().archive_finished()
        if moved:
            log.info("archived %s finished applications", moved)

    @on_start
    def prepare(self):
        """Indexes, and the seed catalogue on the first start."""
        ApplicationStore(self.db).create_indexes()
        ReportStore(self.db).create_indexes()
        added = self._use_cases().seed_catalogue()
        if added:
            log.info("seeded %s permit types", added)

    # --- national integration: OSS RBA (NIB checks, permit status reports)

    oss = Oss()

    @rpc(expected_exceptions=EXPECTED)
    def attach_business(self, application_id, nib):
        return self._use_cases().attach_business(
            application_id=application_id, nib=nib, oss=self.oss
        )

    @rpc(expected_exceptions=EXPECTED)
    def oss_integration(self):
        return {**self._oss_reporting().status(), "endpoint": self.settings["OSS_BASE_URL"]}

    @rpc(expected_exceptions=EXPECTED)
    def replay_oss_reports(self, ids=None):
        return self._oss_reporting().replay(ids)

    # One queue per step OSS hears of (oss/mapping.py); the report is recorded once per event.
    @event_handler("applications", "application_submitted")
    @event_handler("applications", "revision_requested")
    @event_handler("applications", "application_verified")
    @event_handler("applications", "survey_scheduled")
    @event_handler("applications", "application_recommended")
    @event_handler("applications", "fee_assessment_requested")
    @event_handler("applications", "application_paid")
    @event_handler("applications", "permit_issued")
    @event_handler("applications", "application_rejected")
    @event_handler("applications", "permit_status_changed")
    def report_to_oss(self, event):
        self._oss_reporting().record(event)

    @every("OSS_SYNC_SECONDS")
    def sync_oss(self):
        result = self._oss_reporting().sync()
        if result.sent or result.retried or result.failed:
            log.info(
                "OSS status reports: %s sent, %s to retry, %s refused",
                result.sent,
                result.retried,
                result.failed,
            )

    @on_start
    def prepare_oss(self):
        OssReportStore(self.db).create_indexes()

    def _oss_reporting(self) -> OssReporting:
        return OssReporting(
            OssReportStore(self.db),
            ApplicationStore(self.db),
            self.oss,
            sync_seconds=self.settings["OSS_SYNC_SECONDS"],
            max_delay_seconds=self.settings["OSS_BREAKER_RESET_SECONDS"],
            caller=self.caller,
            audit=self.audit,
        )

    def _use_cases(self) -> ApplicationUseCases:
        return ApplicationUseCases(
            ApplicationStore(self.db),
            self._office(),
            events=self.outbox,
            audit=self.audit,
            caller=self.caller,
            payments=self.payments,
        )

    def _surveys(self) -> SurveyUseCases:
        store = ApplicationStore(self.db)
        return SurveyUseCases(
            ReportStore(self.db),
            application=store.get,
            events=self.outbox,
            audit=self.audit,
            caller=self.caller,
            names=store.person_name,
        )

    def _reports(self) -> reports.ReportUseCases:
        return reports.ReportUseCases(
            ReportStore(self.db),
            calendar=self._office().calendar,
            targets=reports.Targets(
                processing_days=self.settings["TARGET_PROCESSING_DAYS"],
                baseline_days=self.settings["BASELINE_PROCESSING_DAYS"],
                satisfied_percent=self.settings["TARGET_SATISFIED_PERCENT"],
            ),
            caller=self.caller,
            names=ApplicationStore(self.db).person_name,
        )

    def _office(self) -> Office:
        holidays = parse_holidays(self.settings["HOLIDAYS"]) or INDONESIA_HOLIDAYS_2026
        return Office(
            code=self.settings["OFFICE_CODE"],
            calendar=WorkCalendar(holidays),
            archive_after=timedelta(days=self.settings["ARCHIVE_AFTER_DAYS"]),
        )


def _invoice(event: dict, status: str) -> dict:
    """What a file keeps of its invoice: the payments service holds the rest."""
    data = event["data"]
    return {
        "number": data["invoice_number"],
        "amount": data["amount"],
        "status": status,
        "expires_at": data["expires_at"],
        "virtual_accounts": data["virtual_accounts"],
    }
