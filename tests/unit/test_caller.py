"""The caller check every entrypoint makes: signed in, role, ownership (404, never 403)."""

from __future__ import annotations

import pytest

from chassis.auth import Caller
from chassis.errors import Forbidden, NotAuthenticated, NotFound

ANONYMOUS = Caller.from_context({})
APPLICANT = Caller.from_context({"user_id": "u1", "roles": ["applicant"], "session_id": "s"})
FRONTDESK = Caller.from_context({"user_id": "o1", "roles": ["frontdesk"]})


def test_anonymous_callers_must_sign_in():
    with pytest.raises(NotAuthenticated):
        ANONYMOUS.require_signed_in()
    with pytest.raises(NotAuthenticated):
        ANONYMOUS.require_role("admin")


def test_a_role_is_required_by_name():
    assert FRONTDESK.require_role("frontdesk", "head") is FRONTDESK
    with pytest.raises(Forbidden):
        APPLICANT.require_role("frontdesk")


def test_someone_elses_object_is_not_found_rather_than_forbidden():
    mine = {"owner_id": "u1"}
    assert APPLICANT.visible(mine, "frontdesk") is mine
    assert FRONTDESK.visible(mine, "frontdesk") is mine
    with pytest.raises(NotFound):
        APPLICANT.visible({"owner_id": "u2"}, "frontdesk")
    with pytest.raises(NotFound):
        FRONTDESK.visible(None, "frontdesk")


def test_malformed_roles_give_no_role():
    assert Caller.from_context({"user_id": "u", "roles": "admin"}).roles == frozenset()
