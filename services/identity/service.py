"""The identity service's nameko entrypoints (its RPC methods and event handlers)."""

from chassis.service import ServiceBase


class IdentityService(ServiceBase):
    """Owns accounts, sign-in, tokens, roles and the protection of citizens' personal data."""

    name = "identity"
