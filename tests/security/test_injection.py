"""NoSQL operator injection: `$ne`, `$gt`, `$regex`, `$where`, keys that start with `$` or hold
a dot, and objects where strings are expected, in JSON bodies, query strings and paths. Each is
refused with a 4xx or read as plain text; none ever matches as an operator."""

from __future__ import annotations

from collections import Counter

import pytest
import requests

from devstack.demo import Gateway
from gateway.rpc import RpcPool
from tests.security.conftest import call

pytestmark = pytest.mark.slow

NE = {"$ne": None}
GT = {"$gt": ""}
REGEX = {"$regex": ".*"}
WHERE = {"$where": "sleep(100) || true"}
REVISION_WITH_OPERATOR = {"action": "request_revision", "requirements": WHERE}
REVISION_WITH_DOT = {"action": "request_revision", "requirements": {"ktp.halaman": "buram"}}
ANSWERS = Counter()


def refused(who: Gateway, method: str, path: str, body=None) -> requests.Response:
    """The answer, which must be a refusal (4xx), never a success or a server error."""
    answer = call(who, method, path, json=body)
    ANSWERS[answer.status_code] += 1
    assert 400 <= answer.status_code < 500, f"{method} {path} {body}: {answer.status_code}"
    return answer


def test_operators_in_json_bodies_are_refused(people):
    anyone, a, admin = Gateway(people["a"].base), people["a"], people["admin"]
    frontdesk, email = people["frontdesk"], a.get("/me")["email"]
    owned = people["owned"]
    file = f"/applications/{owned['application_id']}"
    draft = f"/applications/{a.post('/applications', {'permit_type': 'REKLAME'})['id']}"
    ANSWERS.clear()
    bodies = [
        (anyone, "POST", "/auth/login", {"email": NE, "password": NE}),
        (anyone, "POST", "/auth/login", {"email": email, "password": GT}),
        (anyone, "POST", "/auth/login", {"email": REGEX, "password": "pemohon-demo-2026"}),
        (anyone, "POST", "/auth/register", {"nik": NE, "name": "X", "email": REGEX}),
        (anyone, "POST", "/auth/password-reset", {"email": NE}),
        (anyone, "POST", "/auth/password-reset/confirm", {"token": NE, "password": "a" * 12}),
        (anyone, "POST", "/auth/refresh", {"refresh_token": NE}),
        (a, "POST", "/auth/verify", {"channel": "email", "code": NE}),
        (a, "PATCH", "/me", {"name": NE}),
        (a, "POST", "/applications", {"permit_type": NE}),
        (a, "POST", "/applications", {"permit_type": "REKLAME", "data": WHERE}),
        (a, "POST", "/applications", {"permit_type": "REKLAME", "data": {"lokasi": GT}}),
        (a, "POST", "/applications", {"permit_type": "REKLAME", "data": {"jalan.no": "1"}}),
        (a, "POST", "/applications", {"permit_type": "REKLAME", "data": {"x": [{"$set": 1}]}}),
        (a, "PATCH", draft, {"data": {"$set": {"owner_id": "someone"}}}),
        (a, "PATCH", draft, {"data": {"lokasi": REGEX}}),
        (a, "PATCH", draft, {"data": {"owner_id.$": "someone"}}),
        (a, "POST", f"{file}/withdraw", {"note": NE}),
        (a, "PUT", f"{file}/business", {"nib": NE}),
        (a, "POST", f"{file}/survey-response", {"scores": WHERE}),
        (a, "POST", f"{file}/survey-response", {"scores": {"time": GT}}),
        (frontdesk, "POST", f"{file}/actions", {"action": NE}),
        (frontdesk, "POST", f"{file}/actions", {"action": "verify", "note": NE}),
        (frontdesk, "POST", f"{file}/actions", {"action": "review_document", "document_id": NE}),
        (frontdesk, "POST", f"{file}/actions", REVISION_WITH_OPERATOR),
        (frontdesk, "POST", f"{file}/actions", REVISION_WITH_DOT),
        (
            people["technical"],
            "POST",
            f"{file}/actions",
            {"action": "assess_fee", "fee_inputs": WHERE},
        ),
        (people["head"], "POST", f"/complaints/{owned['application_id']}/answer", {"answer": NE}),
        (people["treasurer"], "POST", f"/invoices/{owned['number']}/cancel", {"reason": NE}),
        (admin, "PUT", "/permit-types/REKLAME", {"name": NE, "$where": "1"}),
        (admin, "POST", "/users", {"email": REGEX, "name": "X", "roles": ["admin"]}),
        (admin, "PATCH", f"/users/{owned['user_id']}", {"roles": NE}),
    ]
    for who, method, path, body in bodies:
        refused(who, method, path, body)

    # Names the store would keep are refused by the service itself, whatever the file's state.
    data = call(a, "PATCH", draft, json={"data": {"$set": {"x": 1}}}).json()
    assert field_errors(data) == [("data", "key_invalid")]
    revision = call(frontdesk, "POST", f"{file}/actions", json=REVISION_WITH_DOT).json()
    assert field_errors(revision) == [("requirements", "key_invalid")]
    assert a.get(draft)["data"] == {}
    print(f"operator bodies: {len(bodies)} requests, answers {dict(ANSWERS)}, 0 accepted")


def test_operators_in_query_strings_and_paths_match_nothing(people):
    a, b, admin, frontdesk = people["a"], people["b"], people["admin"], people["frontdesk"]
    owned = people["owned"]
    state = a.get(f"/applications/{owned['application_id']}")["state"]
    receipt = a.get(f"/applications/{owned['application_id']}")["receipt_number"]
    anyone = Gateway(a.base)
    ANSWERS.clear()

    # The same lookups with real values find something, so a match-all would show.
    assert frontdesk.get(f"/applications?state={state}")["total"] >= 1
    assert anyone.get(f"/track/{receipt}")["receipt_number"] == receipt
    assert admin.get("/users?role=frontdesk")["total"] >= 1
    assert admin.get(f"/audit/applications?subject={owned['application_id']}")["items"]

    for value in ('{"$ne":null}', '{"$gt":""}', '{"$regex":".*"}', ".*", "[$ne]"):
        assert plain(frontdesk, f"/applications?state={value}")["total"] == 0
        assert plain(admin, f"/users?role={value}")["total"] == 0
        assert plain(admin, f"/audit/applications?subject={value}")["items"] == []
        assert plain(admin, f"/audit/applications?actor={value}")["items"] == []
        refused(admin, "GET", f"/notifications/deliveries?status={value}")
        refused(frontdesk, "GET", f"/applications?role_queue={value}")
        refused(admin, "GET", f"/complaints?status={value}")
        refused(admin, "GET", f"/reports/reconciliation?date={value}")
        refused(anyone, "GET", f"/track/{value}")
        refused(anyone, "GET", f"/verify/{value}")
        refused(b, "GET", f"/applications/{value}")
        refused(b, "GET", f"/documents/{value}/content")
        refused(b, "POST", f"/notifications/{value}/read")
        refused(people["treasurer"], "POST", f"/invoices/{value}/cancel", {"reason": "x"})

    # PHP-style brackets are not parsed into objects: the name is unknown and ignored.
    for name in ("state[$ne]", "state[$regex]", "owner_id[$ne]"):
        assert plain(b, f"/applications?{name}=x")["total"] == 0  # b owns nothing
        assert plain(frontdesk, f"/applications?state={state}&{name}=x")["total"] >= 1
    print(f"operator query strings and paths: answers {dict(ANSWERS)}, 0 matched")


def test_operators_sent_past_the_gateway_match_nothing(platform, people):
    """A caller on the broker itself (behind the gateway's body checks) gets no match either."""
    rpc = RpcPool(platform.environ["AMQP_URI"], size=1, timeout=10)
    attempts = [
        ("identity", "login", {"identifier": NE, "password": NE}),
        ("identity", "login", {"identifier": REGEX, "password": GT}),
        ("identity", "refresh", {"refresh_token": NE}),
        ("identity", "request_password_reset", {"email": REGEX}),
        ("applications", "track", {"receipt_number": REGEX}),
        ("applications", "track", {"receipt_number": NE}),
        ("applications", "verify_permit", {"verification_code": NE}),
    ]
    try:
        for service, method, kwargs in attempts:
            with pytest.raises(Exception) as failed:
                rpc.call(service, method, kwargs)
            print(f"{service}.{method}({kwargs}): {type(failed.value).__name__}")
    finally:
        rpc.close()


def plain(who: Gateway, path: str) -> dict:
    """A lookup whose odd value is plain text: answered 200, with what that text matches."""
    answer = call(who, "GET", path)
    ANSWERS[answer.status_code] += 1
    assert answer.status_code == 200, f"GET {path}: {answer.status_code} {answer.text[:200]}"
    return answer.json()


def field_errors(problem: dict) -> list[tuple[str, str]]:
    return [(error["field"], error["code"]) for error in problem["errors"]]
