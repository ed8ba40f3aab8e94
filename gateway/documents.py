"""Documents: uploads and downloads stream through to the documents service's internal port."""

from __future__ import annotations

from urllib.parse import quote

import requests
from flask import Blueprint, Response, current_app, g, request, stream_with_context

from chassis.errors import DeadlineExceeded, ServiceUnavailable, ValidationFailed
from chassis.http import TOKEN_HEADER, caller_headers
from chassis.internal import internal_token
from gateway.auth import signed_in
from gateway.services import call_service

documents_blueprint = Blueprint("documents", __name__, url_prefix="/api/v1")

CHUNK = 64 * 1024
FORM_ALLOWANCE = 64 * 1024
# Headers of a stored file worth passing on to the client.
FILE_HEADERS = (
    "Content-Type",
    "Content-Length",
    "Content-Disposition",
    "X-Content-Type-Options",
    "Cache-Control",
)


@documents_blueprint.post("/applications/<application_id>/documents")
@signed_in
def upload(application_id):
    limit_mb = current_app.config["SETTINGS"]["MAX_UPLOAD_MB"]
    # The form around the file (boundaries, part headers, the requirement field) comes on top of
    # the file itself: a file of exactly the limit must pass. The documents service counts the
    # file's own bytes against its requirement's limit.
    if request.content_length and request.content_length > limit_mb * 1024 * 1024 + FORM_ALLOWANCE:
        raise ValidationFailed(
            f"files larger than {limit_mb} MB are refused", code="upload_too_large"
        )
    # The body is handed on as a stream: the gateway never holds the file. A known length is
    # passed on as such; an unknown one goes chunked.
    if request.content_length:
        body = _Sized(request.stream, request.content_length)
    else:
        body = iter(lambda: request.stream.read(CHUNK), b"")
    answer = _internal(
        "POST",
        f"/internal/applications/{_segment(application_id)}/documents",
        data=body,
        headers={"Content-Type": request.content_type or ""},
    )
    return _relay(answer)


class _Sized:
    """A request body stream whose length is known, so `requests` sends Content-Length."""

    def __init__(self, stream, length: int):
        self.stream, self.length = stream, length

    def __len__(self) -> int:
        return self.length

    def read(self, size: int = CHUNK) -> bytes:
        # http.client asks for 8 KB at a time; reading and sending 64 KB takes an eighth of the
        # calls through this (single, GIL-bound) process for the same bytes.
        return self.stream.read(max(size, CHUNK))


@documents_blueprint.get("/applications/<application_id>/documents")
@signed_in
def list_documents(application_id):
    return {"items": call_service("documents", "list_documents", application_id=application_id)}


@documents_blueprint.get("/documents/<document_id>/content")
@signed_in
def content(document_id):
    return _relay(
        _internal("GET", f"/internal/documents/{_segment(document_id)}/content", stream=True)
    )


@documents_blueprint.get("/applications/<application_id>/permit/certificate")
@signed_in
def certificate(application_id):
    return _relay(
        _internal(
            "GET", f"/internal/applications/{_segment(application_id)}/certificate", stream=True
        )
    )


def _segment(value: str) -> str:
    """An id as one segment of the internal URL: a `?`, `#`, `%` or `..` in it stays part of
    the id. Unquoted, it reached another internal route or none (a 404 page in HTML); dots are
    quoted too, or `..` would be resolved away before the request is sent."""
    return quote(value, safe="").replace(".", "%2E")


def _internal(method: str, path: str, **kwargs) -> requests.Response:
    settings = current_app.config["SETTINGS"]
    url = f"http://{settings['DOCUMENTS_HOST']}:{settings['DOCUMENTS_PORT']}{path}"
    context = {
        "user_id": g.get("user_id"),
        "roles": g.get("roles"),
        "session_id": g.get("session_id"),
        "client_ip": request.remote_addr,
        "correlation_id": g.get("correlation_id"),
    }
    headers = {
        **kwargs.pop("headers", {}),
        **caller_headers(context),
        TOKEN_HEADER: internal_token(settings),
    }
    try:
        # Connect fast or say so; a long upload may take its time between chunks.
        return requests.request(
            method, url, headers=headers, timeout=(2, settings["RPC_TIMEOUT"] * 12), **kwargs
        )
    except requests.ConnectionError:
        raise ServiceUnavailable("the documents service is not reachable") from None
    except requests.Timeout:
        raise DeadlineExceeded("the documents service did not answer in time") from None


def _relay(answer: requests.Response) -> Response:
    headers = {name: answer.headers[name] for name in FILE_HEADERS if name in answer.headers}
    if answer.headers.get("Content-Type", "").startswith(
        ("application/json", "application/problem+json")
    ):
        return Response(answer.content, status=answer.status_code, headers=headers)
    body = stream_with_context(answer.iter_content(CHUNK))
    return Response(body, status=answer.status_code, headers=headers, direct_passthrough=True)
