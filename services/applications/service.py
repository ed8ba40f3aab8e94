"""The applications service's nameko entrypoints (its RPC methods and event handlers)."""

from chassis.service import ServiceBase


class ApplicationsService(ServiceBase):
    """See the package docstring and README.md for what this service owns."""

    name = "applications"
