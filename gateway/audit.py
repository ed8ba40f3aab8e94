"""The audit logs of the services, for admins and auditors (each service keeps its own chain)."""

from __future__ import annotations

from flask import Blueprint, request

from chassis.errors import NotFound
from gateway.auth import signed_in
from gateway.ops import SERVICES
from gateway.services import call_service

audit_blueprint = Blueprint("audit", __name__, url_prefix="/api/v1/audit")


def _known(service: str) -> str:
    if service not in SERVICES:
        raise NotFound("no such service")
    return service


@audit_blueprint.get("/<service>")
@signed_in
def entries(service):
    return {
        "items": call_service(
            _known(service),
            "audit_entries",
            subject=request.args.get("subject") or None,
            actor=request.args.get("actor") or None,
            limit=request.args.get("limit", 100, type=int),
            before_seq=request.args.get("before_seq", type=int),
        )
    }


@audit_blueprint.get("/<service>/verification")
@signed_in
def verification(service):
    return call_service(_known(service), "verify_audit")
