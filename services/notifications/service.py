"""The notifications service's nameko entrypoints: event handlers, the delivery timer, the inbox."""

from __future__ import annotations

from nameko.extensions import DependencyProvider
from nameko.rpc import rpc

from chassis.config import settings_from_nameko
from chassis.errors import EXPECTED
from chassis.messaging import event_handler
from chassis.service import ServiceBase, every, on_start
from services.notifications.channels import channels_from_settings
from services.notifications.handlers import Delivery, NotificationUseCases
from services.notifications.store import NotificationStore


class Channels(DependencyProvider):
    """The configured channels (SMTP, SMS and WhatsApp providers, or local logs)."""

    def setup(self):
        settings = settings_from_nameko(self.container.config)
        channels = channels_from_settings(
            {k: str(v) for k, v in settings.values.items()}, settings.data_dir
        )
        self.delivery = Delivery(
            channels={**channels, "inbox": None},
            public_base_url=settings["PUBLIC_BASE_URL"],
            retry_delays=settings["NOTIFY_RETRY_DELAYS"],
        )

    def get_dependency(self, worker_ctx):
        return self.delivery


class NotificationsService(ServiceBase):
    """See the package docstring and README.md for what this service owns."""

    name = "notifications"

    delivery = Channels()

    # --- who is who (identity)

    @event_handler("identity", "user_registered")
    def on_user_registered(self, event):
        self._use_cases().remember_user(event["data"])

    @event_handler("identity", "contact_verified")
    def on_contact_verified(self, event):
        self._use_cases().contact_verified(event["data"])

    @event_handler("identity", "user_updated")
    def on_user_updated(self, event):
        self._use_cases().user_updated(event["data"])

    @event_handler("identity", "user_preferences_changed")
    def on_preferences_changed(self, event):
        self._use_cases().preferences_changed(event["data"])

    @event_handler("identity", "verification_code_issued")
    def on_verification_code(self, event):
        self._use_cases().verification_code(event)

    @event_handler("identity", "password_reset_requested")
    def on_password_reset(self, event):
        self._use_cases().password_reset(event)

    # --- a file's steps (applications, payments): its owner, and the queue it lands in

    @event_handler("applications", "application_submitted")
    def on_submitted(self, event):
        self._notify(event)

    @event_handler("applications", "revision_requested")
    def on_revision_requested(self, event):
        self._notify(event)

    @event_handler("applications", "application_verified")
    def on_verified(self, event):
        self._notify(event)

    @event_handler("applications", "survey_scheduled")
    def on_survey_scheduled(self, event):
        self._notify(event)

    @event_handler("applications", "survey_reported")
    def on_survey_reported(self, event):
        self._notify(event)

    @event_handler("applications", "application_recommended")
    def on_recommended(self, event):
        self._notify(event)

    @event_handler("applications", "application_rejected")
    def on_rejected(self, event):
        self._notify(event)

    @event_handler("applications", "application_paid")
    def on_paid(self, event):
        self._notify(event)

    @event_handler("applications", "permit_issued")
    def on_permit_issued(self, event):
        self._notify(event)

    @event_handler("applications", "permit_status_changed")
    def on_permit_status_changed(self, event):
        self._notify(event)

    @event_handler("applications", "complaint_answered")
    def on_complaint_answered(self, event):
        self._notify(event)

    @event_handler("applications", "sla_warning")
    def on_sla_warning(self, event):
        self._notify(event)

    @event_handler("applications", "sla_breached")
    def on_sla_breached(self, event):
        self._notify(event)

    @event_handler("payments", "invoice_issued")
    def on_invoice_issued(self, event):
        self._notify(event)

    @event_handler("payments", "payment_received")
    def on_payment_received(self, event):
        self._notify(event)

    # --- delivery and the inbox

    @every("DELIVERY_SWEEP_SECONDS")
    def deliver(self):
        self._use_cases().deliver_due()

    @rpc(expected_exceptions=EXPECTED)
    def inbox(self, page=1, per_page=20, unread_only=False):
        return self._use_cases().inbox(page=page, per_page=per_page, unread_only=unread_only)

    @rpc(expected_exceptions=EXPECTED)
    def mark_read(self, message_id):
        return self._use_cases().mark_read(message_id=message_id)

    @rpc(expected_exceptions=EXPECTED)
    def deliveries(self, status=None, page=1, per_page=50):
        return self._use_cases().deliveries(status=status, page=page, per_page=per_page)

    @on_start
    def prepare(self):
        NotificationStore(self.db).create_indexes()

    def _notify(self, event):
        use_cases = self._use_cases()
        use_cases.tell_applicant(event)
        use_cases.tell_queue(event)

    def _use_cases(self) -> NotificationUseCases:
        return NotificationUseCases(NotificationStore(self.db), self.delivery, caller=self.caller)
