"""The identity service's nameko entrypoints (its RPC methods and event handlers)."""

from chassis.service import ServiceBase


class IdentityService(ServiceBase):
    """See the package docstring and README.md for what this service owns."""

    name = "identity"
