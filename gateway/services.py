"""Calling a service from a request handler, with the request's correlation id and caller."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, request


def call_service(service: str, method: str, **kwargs: Any) -> Any:
    """RPC `service.method(**kwargs)` under the request's deadline and context; a failure raises
    a WireError, which the problem handlers turn into the right status."""
    context = {
        "correlation_id": g.get("correlation_id"),
        "user_id": g.get("user_id"),
        "roles": g.get("roles"),
        "session_id": g.get("session_id"),
        "client_ip": request.remote_addr,
    }
    return current_app.extensions["rpc"].call(service, method, kwargs, context=context)
