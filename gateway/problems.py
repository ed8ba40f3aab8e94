"""Every error the gateway answers is application/problem+json (RFC 9457), never an HTML page."""

from __future__ import annotations

import logging

from flask import Flask, Response, g, json
from werkzeug.exceptions import HTTPException

from chassis.errors import WireError

log = logging.getLogger(__name__)

PROBLEM_TYPE = "application/problem+json"


def problem(
    status: int,
    title: str,
    detail: str,
    code: str,
    errors: list[dict] | None = None,
    meta: dict | None = None,
) -> Response:
    body = {
        **(meta or {}),
        # A URN names the problem type without promising a page that explains it.
        "type": f"urn:gaspol:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "errors": errors or [],
        "correlation_id": g.get("correlation_id"),
    }
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_TYPE)
    if meta and "retry_after" in meta:
        response.headers["Retry-After"] = str(meta["retry_after"])
    return response


def _from_wire_error(error: WireError) -> Response:
    return problem(error.status, error.title, error.detail, error.code, error.errors, error.meta)


def _from_http_exception(error: HTTPException) -> Response:
    code = (error.name or "error").lower().replace(" ", "_")
    response = problem(error.code or 500, error.name, error.description or error.name, code)
    if error.code == 405 and error.response is None:
        response.headers["Allow"] = ", ".join(getattr(error, "valid_methods", None) or [])
    return response


def _from_unexpected(error: Exception) -> Response:
    log.exception("unhandled error in the gateway")
    return problem(
        500,
        "Internal error",
        "Something went wrong on our side; it has been logged with the correlation id.",
        "internal_error",
    )


def register_problem_handlers(app: Flask) -> None:
    app.register_error_handler(WireError, _from_wire_error)
    app.register_error_handler(HTTPException, _from_http_exception)
    app.register_error_handler(Exception, _from_unexpected)
