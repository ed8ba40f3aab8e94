"""Wire errors: what services raise and the gateway maps to problem+json, matched by name."""

from __future__ import annotations

import functools
import json
from typing import Any


class WireError(Exception):
    """An expected failure a caller should see: a stable code, a human detail, per-field errors.

    nameko sends a remote exception as its class name and its args; keeping the args to three
    strings (code, detail, and a JSON of the errors and meta) lets the gateway rebuild the error
    without importing the module that raised it.
    """

    status = 400
    title = "Bad request"
    default_code = "bad_request"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        errors: list[dict] | None = None,
        meta: dict | None = None,
    ):
        self.detail = detail
        self.code = code or self.default_code
        self.errors = errors or []
        # Extra facts a client acts on, such as `retry_after` seconds for a 429.
        self.meta = meta or {}
        # nameko stringifies every non-string it serialises; JSON keeps numbers numbers.
        super().__init__(self.code, self.detail, json.dumps({"errors": self.errors, **self.meta}))

    def __str__(self) -> str:
        return self.detail

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "detail": self.detail, "errors": self.errors, **self.meta}


class ValidationFailed(WireError):
    status = 422
    title = "Validation failed"
    default_code = "validation_failed"


class NotAuthenticated(WireError):
    status = 401
    title = "Not authenticated"
    default_code = "not_authenticated"


class Forbidden(WireError):
    status = 403
    title = "Forbidden"
    default_code = "forbidden"


class NotFound(WireError):
    status = 404
    title = "Not found"
    default_code = "not_found"


class Conflict(WireError):
    status = 409
    title = "Conflict"
    default_code = "conflict"


class TooManyRequests(WireError):
    status = 429
    title = "Too many requests"
    default_code = "too_many_requests"


class ServiceUnavailable(WireError):
    status = 503
    title = "Service unavailable"
    default_code = "service_unavailable"


class DeadlineExceeded(WireError):
    status = 504
    title = "Deadline exceeded"
    default_code = "deadline_exceeded"


WIRE_ERRORS: dict[str, type[WireError]] = {
    cls.__name__: cls
    for cls in (
        WireError,
        ValidationFailed,
        NotAuthenticated,
        Forbidden,
        NotFound,
        Conflict,
        TooManyRequests,
        ServiceUnavailable,
        DeadlineExceeded,
    )
}

# Raised by services on the wire; `@rpc(expected_exceptions=EXPECTED)` keeps them out of the
# error logs and error metrics of the service, since they are the caller's mistake.
EXPECTED = tuple(WIRE_ERRORS.values())


def from_wire(exc_type: str, exc_args: list[Any] | None) -> WireError | None:
    """Rebuild a WireError from nameko's serialised form, or None when it is not one of ours."""
    cls = WIRE_ERRORS.get(exc_type)
    if cls is None or not exc_args or len(exc_args) != 3:
        return None
    code, detail, payload = exc_args
    try:
        extra = json.loads(payload)
    except (TypeError, ValueError):
        return None
    errors = extra.pop("errors", [])
    return cls(str(detail), code=str(code), errors=list(errors), meta=extra)


def _register_with_nameko() -> None:
    """Let nameko's own RPC proxies (service to service) raise our wire errors too, rebuilt
    from their args, instead of a bare RemoteError that has lost the code and field errors."""
    from nameko.exceptions import get_module_path, registry

    for name, cls in WIRE_ERRORS.items():
        registry[get_module_path(cls)] = functools.partial(_rebuilt, name)


def _rebuilt(name: str, *args: Any) -> Exception:
    return from_wire(name, list(args)) or WIRE_ERRORS[name](str(args))


_register_with_nameko()
