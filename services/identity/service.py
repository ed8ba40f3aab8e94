"""The identity service's nameko entrypoints (its RPC methods and event handlers)."""

from __future__ import annotations

import logging

from nameko.rpc import rpc

from chassis.errors import EXPECTED
from chassis.outbox import Outbox
from chassis.service import ServiceBase, on_start
from services.identity.handlers import IdentityPolicy, IdentityUseCases
from services.identity.keys import IdentityKeys
from services.identity.store import UserStore

log = logging.getLogger(__name__)


class IdentityService(ServiceBase):
    """See the package docstring and README.md for what this service owns."""

    name = "identity"

    outbox = Outbox(collections=["users"])
    keys = IdentityKeys()

    # sensitive_arguments keep passwords, codes and tokens out of nameko's error reports.
    @rpc(expected_exceptions=EXPECTED, sensitive_arguments=("password", "nik"))
    def register(self, nik, name, email, phone, password, language="id"):
        return self._use_cases().register(
            nik=nik, name=name, email=email, phone=phone, password=password, language=language
        )

    @rpc(expected_exceptions=EXPECTED, sensitive_arguments=("identifier", "password"))
    def login(self, identifier, password, client_ip=None):
        return self._use_cases().login(
            identifier=identifier, password=password, client_ip=client_ip
        )

    @rpc(expected_exceptions=EXPECTED, sensitive_arguments=("refresh_token",))
    def refresh(self, refresh_token):
        return self._use_cases().refresh(refresh_token=refresh_token)

    @rpc(expected_exceptions=EXPECTED)
    def logout(self):
        return self._use_cases().logout()

    @rpc(expected_exceptions=EXPECTED)
    def me(self):
        return self._use_cases().me()

    @rpc(expected_exceptions=EXPECTED)
    def update_me(self, name=None, language=None, notification_channels=None):
        return self._use_cases().update_me(
            name=name, language=language, channels=notification_channels
        )

    @rpc(expected_exceptions=EXPECTED, sensitive_arguments=("code",))
    def verify_contact(self, code):
        return self._use_cases().verify_contact(code=code)

    @rpc(expected_exceptions=EXPECTED)
    def resend_code(self, channel):
        return self._use_cases().resend_code(channel=channel)

    @rpc(expected_exceptions=EXPECTED, sensitive_arguments=("email",))
    def request_password_reset(self, email):
        return self._use_cases().request_password_reset(email=email)

    @rpc(expected_exceptions=EXPECTED, sensitive_arguments=("token", "password"))
    def reset_password(self, token, password):
        return self._use_cases().reset_password(token=token, password=password)

    @rpc(expected_exceptions=EXPECTED, sensitive_arguments=("password",))
    def create_user(self, email, name, roles, phone=None, password=None):
        return self._use_cases().create_user(
            email=email, name=name, roles=roles, phone=phone, password=password
        )

    @rpc(expected_exceptions=EXPECTED)
    def update_user(self, user_id, roles=None, disabled=None):
        return self._use_cases().update_user(user_id=user_id, roles=roles, disabled=disabled)

    @rpc(expected_exceptions=EXPECTED)
    def get_user(self, user_id):
        return self._use_cases().get_user(user_id=user_id)

    @rpc(expected_exceptions=EXPECTED)
    def list_users(self, role=None, page=1, per_page=20):
        return self._use_cases().list_users(role=role, page=page, per_page=per_page)

    @rpc(expected_exceptions=EXPECTED)
    def public_keys(self):
        """The JSON Web Key Set the gateway verifies access tokens with."""
        return self.keys.issuer.jwks()

    @rpc(expected_exceptions=EXPECTED)
    def revoked_sessions(self, since=None):
        return self._use_cases().revoked_sessions(since)

    @on_start
    def prepare(self):
        """Indexes, and the first admin account from GASPOL_ADMIN_EMAIL/_PASSWORD."""
        UserStore(self.db).create_indexes()
        if self._use_cases().ensure_admin(
            email=self.settings["GASPOL_ADMIN_EMAIL"],
            password=self.settings["GASPOL_ADMIN_PASSWORD"],
        ):
            log.info("created the first admin account from GASPOL_ADMIN_EMAIL")

    def _use_cases(self) -> IdentityUseCases:
        return IdentityUseCases(
            UserStore(self.db),
            self.keys,
            events=self.outbox,
            audit=self.audit,
            policy=IdentityPolicy.from_settings(self.settings),
            caller=self.caller,
        )
