"""The documents service's nameko entrypoints (its RPC methods and event handlers)."""

from chassis.service import ServiceBase


class DocumentsService(ServiceBase):
    """See the package docstring and README.md for what this service owns."""

    name = "documents"
