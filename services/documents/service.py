"""The documents service's nameko entrypoints (its RPC methods and event handlers)."""

from chassis.service import ServiceBase


class DocumentsService(ServiceBase):
    """Owns uploaded requirement documents, their review, and signed permit certificates."""

    name = "documents"
