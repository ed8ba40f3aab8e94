"""Who is calling: the caller the gateway vouched for, re-checked by every service in one line.

The gateway verifies the access token and passes the user id, roles, session id and client
address in the RPC context data. Services trust that context (only the gateway and services
reach the broker) but never trust the caller's *claims about objects*: each entrypoint states
the role it needs, and ownership is checked against stored data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nameko.extensions import DependencyProvider

from chassis.errors import Forbidden, NotAuthenticated, NotFound


@dataclass(frozen=True)
class Caller:
    user_id: str | None
    roles: frozenset[str]
    session_id: str | None
    client_ip: str | None

    @classmethod
    def from_context(cls, data: Mapping) -> Caller:
        roles = data.get("roles") or ()
        return cls(
            user_id=data.get("user_id") or None,
            roles=frozenset(roles if isinstance(roles, list | tuple) else ()),
            session_id=data.get("session_id") or None,
            client_ip=data.get("client_ip") or None,
        )

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None

    def require_signed_in(self) -> Caller:
        if not self.signed_in:
            raise NotAuthenticated("sign in first")
        return self

    def require_role(self, *roles: str) -> Caller:
        """The caller holds at least one of `roles`."""
        self.require_signed_in()
        if not self.roles.intersection(roles):
            raise denial(Forbidden(f"this needs one of the roles: {', '.join(sorted(roles))}"))
        return self

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def visible(
        self, record: dict | None, *roles: str, what: str = "object", owner_key: str = "owner_id"
    ) -> dict:
        """The stored record, if it exists and the caller owns it or holds one of `roles`;
        anything else is "not found", so a guessed id tells nothing about what exists."""
        self.require_signed_in()
        if record is None:
            raise NotFound(f"no such {what}")
        if record.get(owner_key) != self.user_id and not self.has_role(*roles):
            raise denial(NotFound(f"no such {what}"), subject=record.get("_id"))
        return record


def denial(error: Exception, subject: str | None = None) -> Exception:
    """Marks a refusal of access (not an input error) so the audit log records the attempt;
    the caller still sees only the error itself."""
    error.denied_subject = str(subject) if subject is not None else None
    error.denied = True
    return error


class CallerProvider(DependencyProvider):
    """Gives each worker the Caller of its call."""

    def get_dependency(self, worker_ctx):
        return Caller.from_context(worker_ctx.context_data)
