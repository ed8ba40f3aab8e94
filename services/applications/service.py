"""The applications service's nameko entrypoints (its RPC methods and event handlers)."""

from chassis.service import ServiceBase


class ApplicationsService(ServiceBase):
    """Owns the permit catalogue, the application lifecycle, the SLA clock, tracking and issuance."""

    name = "applications"
