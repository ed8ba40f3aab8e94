"""Accounts: registration, sign-in, tokens, verification, password reset, profile, officers."""

from __future__ import annotations

from flask import Blueprint, g, request

from gateway.auth import edge_auth, signed_in
from gateway.services import call_service
from gateway.validation import json_body

accounts_blueprint = Blueprint("accounts", __name__, url_prefix="/api/v1")


@accounts_blueprint.post("/auth/register")
def register():
    body = json_body("RegisterRequest")
    return call_service("identity", "register", **body), 201


@accounts_blueprint.post("/auth/login")
def login():
    body = json_body("LoginRequest")
    return call_service(
        "identity",
        "login",
        identifier=body["email"],
        password=body["password"],
        client_ip=request.remote_addr,
    )


@accounts_blueprint.post("/auth/refresh")
def refresh():
    body = json_body("RefreshRequest")
    return call_service("identity", "refresh", refresh_token=body["refresh_token"])


@accounts_blueprint.post("/auth/logout")
@signed_in
def logout():
    call_service("identity", "logout")
    edge_auth().revoked.add(g.session_id)
    return "", 204


@accounts_blueprint.post("/auth/verify")
@signed_in
def verify():
    body = json_body("VerifyRequest")
    return call_service("identity", "verify_contact", code=body["code"])


@accounts_blueprint.post("/auth/verify/resend")
@signed_in
def resend_code():
    body = json_body("ResendCodeRequest")
    return call_service("identity", "resend_code", channel=body["channel"])


@accounts_blueprint.post("/auth/password-reset")
def request_password_reset():
    body = json_body("PasswordResetRequest")
    call_service("identity", "request_password_reset", email=body["email"])
    return {"status": "accepted"}, 202


@accounts_blueprint.post("/auth/password-reset/confirm")
def reset_password():
    body = json_body("PasswordResetConfirm")
    call_service("identity", "reset_password", token=body["token"], password=body["password"])
    return "", 204


@accounts_blueprint.get("/auth/jwks.json")
def jwks():
    return call_service("identity", "public_keys")


@accounts_blueprint.get("/me")
@signed_in
def me():
    return call_service("identity", "me")


@accounts_blueprint.patch("/me")
@signed_in
def update_me():
    return call_service("identity", "update_me", **json_body("ProfileUpdate"))


@accounts_blueprint.post("/users")
@signed_in
def create_user():
    return call_service("identity", "create_user", **json_body("OfficerCreate")), 201


@accounts_blueprint.get("/users")
@signed_in
def list_users():
    return call_service(
        "identity",
        "list_users",
        role=request.args.get("role") or None,
        page=request.args.get("page", 1, type=int),
        per_page=request.args.get("per_page", 20, type=int),
    )


@accounts_blueprint.get("/users/<user_id>")
@signed_in
def get_user(user_id):
    return call_service("identity", "get_user", user_id=user_id)


@accounts_blueprint.patch("/users/<user_id>")
@signed_in
def update_user(user_id):
    return call_service("identity", "update_user", user_id=user_id, **json_body("OfficerUpdate"))
