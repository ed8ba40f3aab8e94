"""Notifications: a person's inbox, and the delivery log admins watch for failures."""

from __future__ import annotations

from flask import Blueprint, request

from gateway.auth import signed_in
from gateway.services import call_service

notifications_blueprint = Blueprint("notifications", __name__, url_prefix="/api/v1")


@notifications_blueprint.get("/notifications")
@signed_in
def inbox():
    return call_service(
        "notifications",
        "inbox",
        page=request.args.get("page", 1, type=int),
        per_page=request.args.get("per_page", 20, type=int),
        unread_only=request.args.get("unread") in ("1", "true"),
    )


@notifications_blueprint.post("/notifications/<message_id>/read")
@signed_in
def mark_read(message_id):
    return call_service("notifications", "mark_read", message_id=message_id)


@notifications_blueprint.get("/notifications/deliveries")
@signed_in
def deliveries():
    return call_service(
        "notifications",
        "deliveries",
        status=request.args.get("status") or None,
        page=request.args.get("page", 1, type=int),
        per_page=request.args.get("per_page", 50, type=int),
    )
