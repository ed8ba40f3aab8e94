"""The identity use cases: register, sign in, tokens, verification, resets, officer accounts."""

from __future__ import annotations

import hmac
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from chassis.auth import Caller
from chassis.errors import Conflict, NotAuthenticated, NotFound, TooManyRequests, ValidationFailed
from services.identity import domain
from services.identity.security import hash_secret, new_code, new_secret
from services.identity.store import DuplicateUser, UserStore

log = logging.getLogger(__name__)

CHANNELS = ("email", "phone")
MAX_CODE_ATTEMPTS = 5
MAX_NAME_LENGTH = 120
LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class IdentityPolicy:
    """The configurable numbers of identity, read once from settings."""

    access_ttl: int
    refresh_ttl: int
    code_ttl: int
    reset_ttl: int
    account_throttle: domain.ThrottlePolicy
    address_throttle: domain.ThrottlePolicy
    development: bool

    @classmethod
    def from_settings(cls, settings) -> IdentityPolicy:
        window = settings["LOGIN_WINDOW_SECONDS"]
        return cls(
            access_ttl=settings["ACCESS_TOKEN_TTL"],
            refresh_ttl=settings["REFRESH_TOKEN_TTL"],
            code_ttl=settings["VERIFICATION_CODE_TTL"],
            reset_ttl=settings["PASSWORD_RESET_TTL"],
            account_throttle=domain.ThrottlePolicy(settings["LOGIN_MAX_FAILURES"], window),
            address_throttle=domain.ThrottlePolicy(
                settings["LOGIN_MAX_FAILURES_PER_ADDRESS"], window
            ),
            development=settings["GASPOL_ENV"] == "development",
        )


@dataclass(frozen=True)
class Keys:
    """The identity service's secrets at work: password hashing, NIK protection, token signing."""

    hasher: object
    cipher: object
    issuer: object


class IdentityUseCases:
    """One instance per call: the store, the keys, the call's events, audit and caller."""

    def __init__(
        self,
        store: UserStore,
        keys: Keys,
        *,
        events,
        audit,
        policy: IdentityPolicy,
        caller: Caller,
        clock=time.time,
    ):
        self.store = store
        self.keys = keys
        self.events = events
        self.audit = audit
        self.policy = policy
        self.caller = caller
        self.clock = clock

    # --- registration and profile

    def register(self, *, nik, name, email, phone, password, language="id") -> dict:
        fields = _validated_registration(nik, name, email, phone, password, language, self._today())
        user = self._new_user(fields, roles=["applicant"])
        user["nik_encrypted"] = self.keys.cipher.encrypt(fields["nik"])
        user["nik_hash"] = self.keys.cipher.lookup_hash(fields["nik"])
        user["nik_masked"] = domain.mask_nik(fields["nik"])
        code_events = [self._issue_code(user, channel) for channel in CHANNELS]
        registered = self.events.new("user_registered", _public_event_user(user))
        self._insert(user, [registered, *code_events])
        self.audit.record("user_registered", subject=user["_id"])
        return _summary(user)

    def me(self) -> dict:
        return _profile(self._current_user())

    def update_me(self, *, name=None, language=None, channels=None) -> dict:
        user = self._current_user()
        changes = {}
        if name is not None:
            changes["name"] = _checked_name(name)
        if language is not None:
            changes["language"] = _checked_language(language)
        if channels is not None:
            changes["channels"] = _checked_channels(channels, user)
        if not changes:
            return _profile(user)
        events = []
        if "language" in changes or "channels" in changes:
            events.append(
                self.events.new(
                    "user_preferences_changed",
                    {
                        "user_id": user["_id"],
                        "language": changes.get("language", user.get("language", "id")),
                        "channels": changes.get("channels", user.get("channels", {})),
                    },
                )
            )
        return _profile(self.store.update_user(user["_id"], changes, events))

    # --- signing in and out

    def login(self, *, identifier: str, password: str, client_ip: str | None) -> dict:
        account_key, address_key = _throttle_keys(identifier, client_ip)
        self._refuse_if_throttled(account_key, address_key)
        user = self._find_for_login(identifier)
        if user is None or not user.get("password_hash"):
            # As slow as a real check, so the answer's timing tells nothing either.
            self.keys.hasher.verify_dummy(password)
            return self._failed_login(account_key, address_key, user and user["_id"])
        if not self.keys.hasher.verify(user["password_hash"], password):
            return self._failed_login(account_key, address_key, user["_id"])
        if user.get("disabled"):
            self.audit.record("sign_in_refused_disabled", subject=user["_id"])
            raise NotAuthenticated("this account is disabled", code="account_disabled")
        self.store.clear_failures(account_key)
        if self.keys.hasher.needs_rehash(user["password_hash"]):
            self.store.update_user(user["_id"], {"password_hash": self.keys.hasher.hash(password)})
        self.audit.record("signed_in", subject=user["_id"])
        return self._new_session(user)

    def refresh(self, *, refresh_token: str) -> dict:
        token_hash = hash_secret(refresh_token or "")
        record = self.store.refresh_token(token_hash)
        if record is None:
            raise NotAuthenticated("refresh token not valid", code="invalid_refresh_token")
        if record["used_at"] is not None or not self.store.use_refresh_token(token_hash):
            # A used token presented again means it leaked: end the whole session.
            self._revoke(record["session_id"], record["user_id"])
            self.audit.record("refresh_token_reused", subject=record["user_id"])
            raise NotAuthenticated("refresh token not valid", code="invalid_refresh_token")
        if _as_utc(record["expires_at"]) <= self._now():
            raise NotAuthenticated("refresh token expired", code="invalid_refresh_token")
        user = self.store.user_by_id(record["user_id"])
        if user is None or user.get("disabled"):
            self._revoke(record["session_id"], record["user_id"])
            raise NotAuthenticated("refresh token not valid", code="invalid_refresh_token")
        return self._tokens(user, record["session_id"])

    def logout(self) -> None:
        caller = self.caller.require_signed_in()
        if caller.session_id:
            self._revoke(caller.session_id, caller.user_id)
        self.audit.record("signed_out", subject=caller.user_id)

    def revoked_sessions(self, since: str | None) -> dict:
        """Sessions revoked after `since`, for the gateways' short-lived revocation lists."""
        now = self._now()
        start = datetime.fromisoformat(since) if since else now - timedelta(days=1)
        sessions = [record["_id"] for record in self.store.revoked_since(start)]
        return {"now": now.isoformat(), "sessions": sessions}

    # --- verification of email and phone

    def verify_contact(self, *, code: str) -> dict:
        user = self._current_user()
        live = [c for c in self.store.codes_of(user["_id"]) if self._is_live(c)]
        offered = hash_secret(str(code).strip())
        for record in live:
            matches = hmac.compare_digest(record["code_hash"], offered)
            if matches and self.store.consume_code(record["_id"], record["code_hash"]):
                return self._mark_verified(user, record["channel"])
        for record in live:
            self.store.count_code_attempt(record["_id"])
        raise ValidationFailed(
            "the code is wrong or has expired",
            errors=[{"field": "code", "code": "code_invalid", "message": "wrong or expired"}],
        )

    def resend_code(self, *, channel: str) -> dict:
        user = self._current_user()
        if channel not in CHANNELS or not user.get(channel):
            raise ValidationFailed(
                "no such contact to verify",
                errors=[{"field": "channel", "code": "channel_invalid", "message": channel}],
            )
        if user.get(f"{channel}_verified"):
            raise Conflict(f"the {channel} is already verified", code="already_verified")
        event = self._issue_code(user, channel)
        self.store.update_user(user["_id"], {}, [event])
        return {"channel": channel, "expires_in": self.policy.code_ttl}

    # --- password reset

    def request_password_reset(self, *, email: str) -> None:
        """Always answers the same: whether the account exists is nobody's business."""
        try:
            user = self.store.user_by_email(domain.normalize_email(email))
        except domain.RuleBroken:
            return
        if user is None or user.get("disabled"):
            return
        token, token_hash = new_secret()
        expires_at = self._now() + timedelta(seconds=self.policy.reset_ttl)
        self.store.save_reset_token(token_hash, user_id=user["_id"], expires_at=expires_at)
        event = self.events.new(
            "password_reset_requested",
            {
                "user_id": user["_id"],
                "email": user["email"],
                "name": user["name"],
                "language": user.get("language", "id"),
                "token": token,
                "expires_at": expires_at.isoformat(),
            },
        )
        self.store.update_user(user["_id"], {}, [event])
        if self.policy.development:
            log.info("development: password reset token for %s is %s", user["_id"], token)
        self.audit.record("password_reset_requested", subject=user["_id"])

    def reset_password(self, *, token: str, password: str) -> None:
        record = self.store.use_reset_token(hash_secret(token or ""), self._now())
        if record is None:
            raise ValidationFailed(
                "the reset link is wrong, used or expired",
                errors=[{"field": "token", "code": "token_invalid", "message": "not valid"}],
            )
        user = self.store.user_by_id(record["user_id"])
        _rule(domain.check_password, password, related=(user["email"], user["name"]))
        self.store.update_user(user["_id"], {"password_hash": self.keys.hasher.hash(password)})
        for session_id in self.store.sessions_of(user["_id"]):
            self._revoke(session_id, user["_id"])
        self.audit.record("password_reset", subject=user["_id"])

    # --- officer accounts (admin)

    def create_user(self, *, email, name, roles, phone=None, password=None) -> dict:
        self.caller.require_role("admin")
        fields = {
            "email": _rule(domain.normalize_email, email),
            "name": _checked_name(name),
            "phone": _rule(domain.normalize_phone, phone) if phone else None,
            "language": "id",
        }
        checked_roles = list(_rule(domain.check_roles, roles))
        user = self._new_user(fields, roles=checked_roles)
        events = [self.events.new("user_registered", _public_event_user(user))]
        if password:
            _rule(domain.check_password, password, related=(fields["email"], fields["name"]))
            user["password_hash"] = self.keys.hasher.hash(password)
        self._insert(user, events)
        if not password:
            self.request_password_reset(email=fields["email"])  # the officer sets their own
        self.audit.record("user_created", subject=user["_id"], details={"roles": checked_roles})
        return _profile(user)

    def update_user(self, *, user_id, roles=None, disabled=None) -> dict:
        admin = self.caller.require_role("admin")
        user = self.store.user_by_id(user_id)
        if user is None:
            raise NotFound("no such user")
        changes, details = {}, {}
        if roles is not None:
            changes["roles"] = details["roles"] = list(_rule(domain.check_roles, roles))
        if disabled is not None:
            if user_id == admin.user_id and disabled:
                raise Conflict("an admin cannot disable their own account", code="self_disable")
            changes["disabled"] = details["disabled"] = bool(disabled)
        event = self.events.new("user_updated", {"user_id": user_id, **details})
        updated = self.store.update_user(user_id, changes, [event])
        if changes.get("disabled") or "roles" in changes:
            # New roles take effect at the next sign-in; old tokens must not keep the old ones.
            for session_id in self.store.sessions_of(user_id):
                self._revoke(session_id, user_id)
        self.audit.record("user_updated", subject=user_id, details=details)
        return _profile(updated)

    def get_user(self, *, user_id) -> dict:
        self.caller.require_role("admin", "auditor")
        user = self.store.user_by_id(user_id)
        if user is None:
            raise NotFound("no such user")
        return _profile(user)

    def list_users(self, *, role=None, page=1, per_page=20) -> dict:
        self.caller.require_role("admin", "auditor")
        page, per_page = max(1, int(page)), min(100, max(1, int(per_page)))
        users, total = self.store.list_users(role, (page - 1) * per_page, per_page)
        return {
            "items": [_profile(u) for u in users],
            "page": page,
            "per_page": per_page,
            "total": total,
        }

    def ensure_admin(self, *, email: str, password: str) -> bool:
        """Create the first admin from configuration, once; False when one exists already."""
        if not email or not password or self.store.user_by_email(email.strip().lower()):
            return False
        fields = {
            "email": _rule(domain.normalize_email, email),
            "name": "Administrator",
            "phone": None,
            "language": "id",
        }
        user = self._new_user(fields, roles=["admin"])
        user["password_hash"] = self.keys.hasher.hash(password)
        self._insert(user, [self.events.new("user_registered", _public_event_user(user))])
        self.audit.record("admin_bootstrapped", subject=user["_id"])
        return True

    # --- helpers

    def _new_user(self, fields: dict, roles: list[str]) -> dict:
        now = self._now()
        user = {
            "_id": uuid.uuid4().hex,
            "email": fields["email"],
            "email_verified": False,
            "name": fields["name"],
            "roles": roles,
            "disabled": False,
            "language": fields.get("language", "id"),
            "channels": {"email": True, "sms": False, "whatsapp": False},
            "created_at": now,
            "updated_at": now,
        }
        if fields.get("phone"):
            user["phone"], user["phone_verified"] = fields["phone"], False
        if fields.get("password"):
            user["password_hash"] = self.keys.hasher.hash(fields["password"])
        return user

    def _insert(self, user: dict, events: list[dict]) -> None:
        try:
            self.store.insert_user(user, events)
        except DuplicateUser as duplicate:
            raise Conflict(
                f"this {duplicate.field} is already registered",
                code="already_registered",
                errors=[
                    {
                        "field": duplicate.field,
                        "code": "already_registered",
                        "message": "already registered",
                    }
                ],
            ) from None

    def _issue_code(self, user: dict, channel: str) -> dict:
        code = new_code()
        destination = user[channel]
        expires_at = self._now() + timedelta(seconds=self.policy.code_ttl)
        self.store.save_code(
            user["_id"],
            channel,
            code_hash=hash_secret(code),
            destination=destination,
            expires_at=expires_at,
        )
        if self.policy.development:
            log.info("development: %s verification code for %s is %s", channel, user["_id"], code)
        return self.events.new(
            "verification_code_issued",
            {
                "user_id": user["_id"],
                "channel": channel,
                "destination": destination,
                "code": code,
                "expires_at": expires_at.isoformat(),
                "language": user.get("language", "id"),
            },
        )

    def _mark_verified(self, user: dict, channel: str) -> dict:
        event = self.events.new("contact_verified", {"user_id": user["_id"], "channel": channel})
        updated = self.store.update_user(user["_id"], {f"{channel}_verified": True}, [event])
        self.audit.record("contact_verified", subject=user["_id"], details={"channel": channel})
        return _profile(updated)

    def _is_live(self, record: dict) -> bool:
        return (
            record["attempts"] < MAX_CODE_ATTEMPTS and _as_utc(record["expires_at"]) > self._now()
        )

    def _current_user(self) -> dict:
        caller = self.caller.require_signed_in()
        user = self.store.user_by_id(caller.user_id)
        if user is None or user.get("disabled"):
            raise NotAuthenticated("sign in again")
        return user

    def _find_for_login(self, identifier: str) -> dict | None:
        identifier = (identifier or "").strip()
        if identifier.isdigit() and len(identifier) == 16:
            return self.store.user_by_nik_hash(self.keys.cipher.lookup_hash(identifier))
        return self.store.user_by_email(identifier.lower())

    def _refuse_if_throttled(self, account_key: str, address_key: str | None) -> None:
        now = self.clock()
        waits = [
            self.policy.account_throttle.retry_after(self.store.failure_times(account_key), now)
        ]
        if address_key:
            waits.append(
                self.policy.address_throttle.retry_after(self.store.failure_times(address_key), now)
            )
        wait = max((w for w in waits if w is not None), default=None)
        if wait is not None:
            raise TooManyRequests(
                "too many failed sign-ins; try again later",
                code="too_many_attempts",
                meta={"retry_after": int(wait) + 1},
            )

    def _failed_login(self, account_key, address_key, user_id):
        now = self.clock()
        self.store.record_failure(account_key, now)
        if address_key:
            self.store.record_failure(address_key, now)
        self.audit.record("sign_in_failed", subject=user_id)
        raise NotAuthenticated("email/NIK or password is wrong", code="invalid_credentials")

    def _new_session(self, user: dict) -> dict:
        return self._tokens(user, uuid.uuid4().hex)

    def _tokens(self, user: dict, session_id: str) -> dict:
        refresh_token, refresh_hash = new_secret()
        self.store.save_refresh_token(
            refresh_hash,
            user_id=user["_id"],
            session_id=session_id,
            expires_at=self._now() + timedelta(seconds=self.policy.refresh_ttl),
        )
        access_token, expires_in = self.keys.issuer.issue(user["_id"], user["roles"], session_id)
        return {
            "access_token": access_token,
            "refresh_token": refresh_token,
            "token_type": "Bearer",
            "expires_in": expires_in,
        }

    def _revoke(self, session_id: str, user_id: str) -> None:
        self.store.revoke_session(session_id, user_id=user_id, access_ttl=self.policy.access_ttl)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    def _today(self):
        # Birth dates on NIKs are local dates; Indonesia's western time is UTC+7.
        return (self._now() + timedelta(hours=7)).date()


def _throttle_keys(identifier: str, client_ip: str | None) -> tuple[str, str | None]:
    # Keyed by a hash of what was typed, so the failures collection holds no NIK or email.
    account = "account:" + hash_secret((identifier or "").strip().lower())
    return account, (f"address:{client_ip}" if client_ip else None)


def _validated_registration(nik, name, email, phone, password, language, today) -> dict:
    errors, fields = [], {}
    checks = {
        "nik": lambda: (domain.validate_nik(str(nik), today), str(nik).strip())[1],
        "name": lambda: _checked_name(name),
        "email": lambda: domain.normalize_email(str(email)),
        "phone": lambda: domain.normalize_phone(str(phone)),
        "language": lambda: _checked_language(language),
    }
    for field, check in checks.items():
        try:
            fields[field] = check()
        except domain.RuleBroken as broken:
            errors.append(_field_error(broken))
        except ValidationFailed as failed:
            errors.extend(failed.errors)
    try:
        related = tuple(
            v
            for v in (fields.get("email", "").split("@")[0], fields.get("name"), fields.get("nik"))
            if v
        )
        domain.check_password(str(password), related=related)
        fields["password"] = str(password)
    except domain.RuleBroken as broken:
        errors.append(_field_error(broken))
    if errors:
        raise ValidationFailed("some fields need fixing", errors=errors)
    return fields


def _rule(check, *args, **kwargs):
    """Run a domain rule; a broken rule becomes a 422 naming the field."""
    try:
        return check(*args, **kwargs)
    except domain.RuleBroken as broken:
        raise ValidationFailed(broken.message, errors=[_field_error(broken)]) from None


def _field_error(broken) -> dict:
    return {"field": broken.field, "code": broken.code, "message": broken.message}


def _checked_name(name) -> str:
    text = " ".join(str(name or "").split())
    if not text or len(text) > MAX_NAME_LENGTH:
        raise ValidationFailed(
            "name is required (at most 120 characters)",
            errors=[{"field": "name", "code": "name_invalid", "message": "1 to 120 characters"}],
        )
    return text


def _checked_language(language) -> str:
    if language not in LANGUAGES:
        raise ValidationFailed(
            "language must be id or en",
            errors=[{"field": "language", "code": "language_invalid", "message": "id or en"}],
        )
    return language


def _checked_channels(channels, user: dict) -> dict:
    if not isinstance(channels, dict) or set(channels) - {"email", "sms", "whatsapp"}:
        raise ValidationFailed(
            "channels are email, sms and whatsapp",
            errors=[
                {"field": "channels", "code": "channels_invalid", "message": "email, sms, whatsapp"}
            ],
        )
    return {**user.get("channels", {}), **{k: bool(v) for k, v in channels.items()}}


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _public_event_user(user: dict) -> dict:
    """What other services may know of a new user: contact and preferences, never the NIK."""
    return {
        "user_id": user["_id"],
        "name": user["name"],
        "email": user["email"],
        "phone": user.get("phone"),
        "roles": user["roles"],
        "language": user.get("language", "id"),
    }


def _summary(user: dict) -> dict:
    return {"id": user["_id"], "email": user["email"], "roles": user["roles"]}


def _profile(user: dict) -> dict:
    return {
        "id": user["_id"],
        "name": user["name"],
        "email": user["email"],
        "email_verified": user.get("email_verified", False),
        "phone": user.get("phone"),
        "phone_verified": user.get("phone_verified", False),
        "nik": user.get("nik_masked"),
        "roles": user["roles"],
        "disabled": user.get("disabled", False),
        "language": user.get("language", "id"),
        "notification_channels": user.get("channels", {}),
        "created_at": user["created_at"].isoformat() if user.get("created_at") else None,
    }
