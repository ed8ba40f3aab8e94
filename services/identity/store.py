"""The identity service's data: users, refresh tokens, one-time codes, throttling, revocations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from chassis.outbox import new_document_with_events, with_events

# Failed sign-in times kept per key: enough for any sensible throttle window.
MAX_FAILURES_KEPT = 50


class DuplicateUser(Exception):
    """Another account already has this `field` (email, phone or NIK)."""

    def __init__(self, field: str):
        super().__init__(field)
        self.field = field


def _now() -> datetime:
    return datetime.now(UTC)


class UserStore:
    """Repository over the identity database."""

    def __init__(self, database):
        self.users = database["users"]
        self.refresh_tokens = database["refresh_tokens"]
        self.revoked_sessions = database["revoked_sessions"]
        self.codes = database["verification_codes"]
        self.reset_tokens = database["reset_tokens"]
        self.failures = database["login_failures"]

    def create_indexes(self) -> None:
        self.users.create_index("email", unique=True)
        # Officers may have no phone or NIK: sparse, so many "absent" values do not collide.
        self.users.create_index("phone", unique=True, sparse=True)
        self.users.create_index("nik_hash", unique=True, sparse=True)
        self.users.create_index("roles")
        self.refresh_tokens.create_index("session_id")
        self.refresh_tokens.create_index("expires_at", expireAfterSeconds=0)
        self.revoked_sessions.create_index("revoked_at")
        self.revoked_sessions.create_index("forget_at", expireAfterSeconds=0)
        self.reset_tokens.create_index("expires_at", expireAfterSeconds=0)

    # --- users

    def insert_user(self, user: dict, events: list[dict]) -> None:
        try:
            self.users.insert_one(new_document_with_events(user, events))
        except DuplicateKeyError as error:
            raise DuplicateUser(_duplicate_field(error)) from None

    def user_by_id(self, user_id: str) -> dict | None:
        return self.users.find_one({"_id": user_id})

    def user_by_email(self, email: str) -> dict | None:
        return self.users.find_one({"email": email})

    def user_by_nik_hash(self, nik_hash: str) -> dict | None:
        return self.users.find_one({"nik_hash": nik_hash})

    def any_with_role(self, role: str) -> bool:
        return self.users.find_one({"roles": role}, {"_id": 1}) is not None

    def update_user(self, user_id: str, changes: dict, events: list[dict] = ()) -> dict | None:
        """Apply `$set` changes (and their events) in one write; the updated user or None."""
        return self.users.find_one_and_update(
            {"_id": user_id},
            with_events({"$set": {**changes, "updated_at": _now()}}, list(events)),
            return_document=ReturnDocument.AFTER,
        )

    def list_users(self, role: str | None, skip: int, limit: int) -> tuple[list[dict], int]:
        query = {"roles": role} if role else {}
        total = self.users.count_documents(query)
        users = self.users.find(query).sort("created_at", 1).skip(skip).limit(limit)
        return list(users), total

    # --- refresh tokens (one session = one family of rotated tokens)

    def save_refresh_token(self, token_hash, *, user_id, session_id, expires_at) -> None:
        self.refresh_tokens.insert_one(
            {
                "_id": token_hash,
                "user_id": user_id,
                "session_id": session_id,
                "expires_at": expires_at,
                "used_at": None,
            }
        )

    def refresh_token(self, token_hash: str) -> dict | None:
        return self.refresh_tokens.find_one({"_id": token_hash})

    def use_refresh_token(self, token_hash: str) -> bool:
        """Mark the token used; only the first of two racing uses wins."""
        result = self.refresh_tokens.update_one(
            {"_id": token_hash, "used_at": None}, {"$set": {"used_at": _now()}}
        )
        return result.modified_count == 1

    def revoke_session(self, session_id: str, *, user_id: str, access_ttl: int) -> None:
        """Forget the session's refresh tokens and list it as revoked for as long as one of its
        access tokens could still be presented."""
        self.refresh_tokens.delete_many({"session_id": session_id})
        now = _now()
        self.revoked_sessions.update_one(
            {"_id": session_id},
            {
                "$setOnInsert": {
                    "user_id": user_id,
                    "revoked_at": now,
                    "forget_at": now + timedelta(seconds=access_ttl + 60),
                }
            },
            upsert=True,
        )

    def sessions_of(self, user_id: str) -> list[str]:
        return self.refresh_tokens.distinct("session_id", {"user_id": user_id})

    def session_is_revoked(self, session_id: str) -> bool:
        return self.revoked_sessions.find_one({"_id": session_id}) is not None

    def revoked_since(self, since: datetime) -> list[dict]:
        return list(self.revoked_sessions.find({"revoked_at": {"$gt": since}}))

    # --- verification codes (one live code per user and channel)

    def save_code(self, user_id, channel, *, code_hash, destination, expires_at) -> None:
        self.codes.replace_one(
            {"_id": f"{user_id}:{channel}"},
            {
                "user_id": user_id,
                "channel": channel,
                "code_hash": code_hash,
                "destination": destination,
                "expires_at": expires_at,
                "attempts": 0,
            },
            upsert=True,
        )

    def codes_of(self, user_id: str) -> list[dict]:
        return list(self.codes.find({"user_id": user_id}))

    def count_code_attempt(self, code_id: str) -> None:
        self.codes.update_one({"_id": code_id}, {"$inc": {"attempts": 1}})

    def consume_code(self, code_id: str, code_hash: str) -> bool:
        return self.codes.delete_one({"_id": code_id, "code_hash": code_hash}).deleted_count == 1

    # --- password reset tokens

    def save_reset_token(self, token_hash: str, *, user_id: str, expires_at) -> None:
        self.reset_tokens.insert_one(
            {"_id": token_hash, "user_id": user_id, "expires_at": expires_at, "used_at": None}
        )

    def use_reset_token(self, token_hash: str, now: datetime) -> dict | None:
        """The token's record if it was unused and unexpired, marking it used (single use)."""
        return self.reset_tokens.find_one_and_update(
            {"_id": token_hash, "used_at": None, "expires_at": {"$gt": now}},
            {"$set": {"used_at": now}},
        )

    # --- sign-in failures, for throttling

    def failure_times(self, key: str) -> list[float]:
        record = self.failures.find_one({"_id": key})
        return record["times"] if record else []

    def record_failure(self, key: str, at: float) -> None:
        self.failures.update_one(
            {"_id": key},
            {"$push": {"times": {"$each": [at], "$slice": -MAX_FAILURES_KEPT}}},
            upsert=True,
        )

    def clear_failures(self, key: str) -> None:
        self.failures.delete_one({"_id": key})


def _duplicate_field(error: DuplicateKeyError) -> str:
    text = str(error)
    for field in ("nik_hash", "phone", "email"):
        if field in text:
            return "nik" if field == "nik_hash" else field
    return "email"
