"""Internal HTTP entrypoints: for bytes that must not ride RabbitMQ, called only by the gateway."""

from __future__ import annotations

import json
import logging
from functools import partial

from eventlet.event import Event
from nameko.web.handlers import HttpRequestHandler
from werkzeug.wrappers import Response

from chassis.config import settings_from_nameko
from chassis.errors import NotAuthenticated, WireError
from chassis.internal import internal_token, token_matches

log = logging.getLogger(__name__)

# The caller the gateway vouches for, as headers (the HTTP twin of RPC context data).
CALLER_HEADERS = {
    "user_id": "X-Gaspol-User",
    "roles": "X-Gaspol-Roles",
    "session_id": "X-Gaspol-Session",
    "client_ip": "X-Gaspol-Client-Ip",
    "correlation_id": "X-Request-ID",
}
TOKEN_HEADER = "X-Internal-Token"


def caller_headers(context: dict) -> dict[str, str]:
    """What the gateway sends: the same facts as in RPC context, roles comma-separated."""
    headers = {}
    for key, header in CALLER_HEADERS.items():
        value = context.get(key)
        if value:
            headers[header] = ",".join(value) if isinstance(value, list) else str(value)
    return headers


def problem_response(error: WireError, correlation_id: str | None) -> Response:
    body = {
        "type": f"urn:gaspol:problem:{error.code}",
        "title": error.title,
        "status": error.status,
        "detail": error.detail,
        "code": error.code,
        "errors": error.errors,
        "correlation_id": correlation_id,
        **error.meta,
    }
    return Response(json.dumps(body), status=error.status, mimetype="application/problem+json")


class InternalFailure(WireError):
    status = 500
    title = "Internal error"
    default_code = "internal_error"


class InternalHttp(HttpRequestHandler):
    """nameko's @http, refusing any caller without the internal token, carrying the caller's
    identity into the worker's context, and answering errors as problem+json."""

    def setup(self):
        super().setup()
        self.token = internal_token(settings_from_nameko(self.container.config))

    def handle_request(self, request):
        if not token_matches(request.headers.get(TOKEN_HEADER), self.token):
            return problem_response(NotAuthenticated("internal endpoint"), None)
        request.shallow = False  # the body may be read: the handler streams it
        context = _context_from(request)
        try:
            args, kwargs = self.get_entrypoint_parameters(request)
            self.check_signature(args, kwargs)
            done = Event()
            self.container.spawn_worker(
                self,
                args,
                kwargs,
                context_data=context,
                handle_result=partial(self.handle_result, done),
            )
            return self.response_from_result(done.wait())
        except WireError as error:
            return problem_response(error, context.get("correlation_id"))
        except Exception:
            log.exception("internal HTTP entrypoint failed")
            return problem_response(
                InternalFailure("the service failed"), context.get("correlation_id")
            )


def _context_from(request) -> dict:
    context = {key: request.headers.get(header) for key, header in CALLER_HEADERS.items()}
    context["roles"] = [r for r in (context.get("roles") or "").split(",") if r]
    return {key: value for key, value in context.items() if value}


internal_http = InternalHttp.decorator
