"""The payments service's nameko entrypoints (its RPC methods and event handlers)."""

from chassis.service import ServiceBase


class PaymentsService(ServiceBase):
    """Owns fee assessment, invoices (SKRD), SNAP virtual accounts for partner banks, reconciliation."""

    name = "payments"
