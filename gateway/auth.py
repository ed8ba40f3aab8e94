"""Authentication at the edge: access tokens verified locally, revoked sessions refused."""

from __future__ import annotations

import functools
import logging
import threading
import time
from datetime import UTC, datetime, timedelta

from flask import current_app, g, request

from chassis.errors import NotAuthenticated, WireError
from chassis.tokens import InvalidToken, TokenVerifier

log = logging.getLogger(__name__)


class RevokedSessions:
    """Sessions ended by sign-out, a reused refresh token, a reset or a disabled account.

    Access tokens are verified without asking identity, so each gateway keeps the list of
    revoked sessions, fetched from identity every few seconds. An entry is kept as long as an
    access token of that session could still be valid; then it is forgotten.
    """

    def __init__(self, fetch, interval: float, keep_seconds: float):
        self.fetch = fetch
        self.interval = interval
        self.keep_seconds = keep_seconds
        self.sessions: dict[str, float] = {}
        self.since: str | None = None
        self.fetched_at = 0.0
        self.lock = threading.Lock()

    def is_revoked(self, session_id: str) -> bool:
        self._refresh_if_due()
        return session_id in self.sessions

    def add(self, session_id: str) -> None:
        """A sign-out through this gateway counts at once, before the next fetch."""
        with self.lock:
            self.sessions[session_id] = time.monotonic() + self.keep_seconds

    def _refresh_if_due(self) -> None:
        now = time.monotonic()
        if now - self.fetched_at < self.interval or not self.lock.acquire(blocking=False):
            return
        try:
            self.fetched_at = now
            answer = self.fetch(self.since)
            self.since = answer["now"]
            for session_id in answer["sessions"]:
                self.sessions[session_id] = now + self.keep_seconds
            self.sessions = {s: until for s, until in self.sessions.items() if until > now}
        except WireError as error:
            # Identity away: keep what we know; tokens stay short-lived either way.
            log.warning("could not fetch revoked sessions: %s", error.detail)
        finally:
            self.lock.release()


class EdgeAuth:
    """The gateway's token verifier and revocation list, built once per app."""

    def __init__(self, rpc, settings):
        self.verifier = TokenVerifier(
            lambda: rpc.call("identity", "public_keys"),
            issuer=settings["TOKEN_ISSUER"],
            audience=settings["TOKEN_AUDIENCE"],
        )
        self.revoked = RevokedSessions(
            lambda since: rpc.call("identity", "revoked_sessions", {"since": since}),
            interval=settings["SESSION_REVOCATION_POLL_SECONDS"],
            keep_seconds=settings["ACCESS_TOKEN_TTL"] + 60,
        )
        # The first fetch asks for a day back: longer than any access token lives.
        self.revoked.since = (datetime.now(UTC) - timedelta(days=1)).isoformat()

    def authenticate(self) -> None:
        """Verify the bearer token and put the caller on `g`; 401 for anything wrong."""
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated(
                "sign in first: send an access token as 'Bearer <token>'", code="token_missing"
            )
        try:
            claims = self.verifier.verify(token.strip())
        except InvalidToken as invalid:
            raise NotAuthenticated(
                "the access token is not valid", code=f"token_{invalid.reason}"
            ) from None
        if self.revoked.is_revoked(claims.session_id):
            raise NotAuthenticated("this session has ended; sign in again", code="token_revoked")
        g.user_id, g.roles, g.session_id = claims.subject, list(claims.roles), claims.session_id


def edge_auth() -> EdgeAuth:
    return current_app.extensions["edge_auth"]


def signed_in(view):
    """The view needs a valid access token."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        edge_auth().authenticate()
        return view(*args, **kwargs)

    return checked
