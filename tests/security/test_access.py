"""Nobody gets in where they do not belong: every operation of the OpenAPI document with an id in
its path, tried by applicant B on applicant A's objects and by officers outside their role;
each refusal the services make is an audited attempt."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.security.conftest import call

pytestmark = pytest.mark.slow

# Values for path parameters that are not one of A's objects.
FIXED = {"service": "identity", "code": "REKLAME", "section": "volume"}
# Operations reserved to some officers, and the officers who may use them.
ROLE_ONLY = {
    "listUsers": {"admin"},
    "getUser": {"admin"},
    "updateUser": {"admin"},
    "createUser": {"admin"},
    "auditEntries": {"admin", "auditor"},
    "verifyAudit": {"admin", "auditor"},
    "savePermitType": {"admin"},
    "reconciliation": {"treasurer"},
    "cancelInvoice": {"treasurer"},
}
OFFICERS = ("frontdesk", "surveyor", "technical", "head", "treasurer")


def signed_in_operations(openapi: dict) -> list[tuple[str, str, dict]]:
    """(method, path, operation) of every operation that needs a signed-in caller; the public
    ones (catalogue, tracking, verification) declare no security."""
    found = []
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"} and operation.get("security"):
                found.append((method.upper(), path, operation))
    return found


def example_body(operation: dict) -> dict | None:
    """The documented example, so a refusal is about who asks, not about a malformed body."""
    content = operation.get("requestBody", {}).get("content", {})
    json_body = content.get("application/json")
    if json_body is None:
        return None
    return json_body.get("example") or {}


def fill(path: str, owned: dict) -> str:
    return re.sub(
        r"{(\w+)}", lambda m: str(owned.get(m.group(1), FIXED.get(m.group(1), "x"))), path
    )


def test_applicant_b_gets_nothing_of_applicant_a(openapi, people, record_property):
    owned, b = people["owned"], people["b"]
    tried = [op for op in signed_in_operations(openapi) if "{" in op[1]]
    denied_before = len(audited_denials(people, actor=owned_id(b)))
    answers = Counter()
    successes = []
    for method, path, operation in tried:
        if operation.get("operationId") in ROLE_ONLY:
            continue  # tried by the officers' sweep below
        url = fill(path, owned).removeprefix("/api/v1")
        answer = call(b, method, url, json=example_body(operation))
        answers[answer.status_code] += 1
        if answer.status_code < 400:
            successes.append(f"{method} {path}: {answer.status_code}")
    print(f"IDOR sweep as applicant B: {sum(answers.values())} requests, answers {dict(answers)}")
    record_property("idor_requests", sum(answers.values()))
    assert successes == []
    assert sum(answers.values()) >= 15

    denied = audited_denials(people, actor=owned_id(people["b"]))
    refusals = answers[403] + answers[404]
    audited = {entry["details"]["method"] for entry in denied}
    print(f"refusals {refusals}, access_denied audit entries for B {len(denied)}: {audited}")
    assert len(denied) - denied_before == refusals, "every refusal is audited"
    assert audited >= {
        "applications.get_application",
        "applications.act",
        "applications.answer_survey",
        "documents.download",
        "documents.certificate",
        "documents.list_documents",
        "notifications.mark_read",
        "payments.invoice_for",
    }
    assert {entry["subject"] for entry in denied} >= {owned["application_id"]}


def test_officers_outside_their_role_are_refused(openapi, people):
    tried = [
        (method, path, operation)
        for method, path, operation in signed_in_operations(openapi)
        if operation.get("operationId") in ROLE_ONLY
    ]
    refused, successes = Counter(), []
    for method, path, operation in tried:
        allowed = ROLE_ONLY[operation["operationId"]]
        for role in (r for r in (*OFFICERS, "b") if r not in allowed):
            url = fill(path, people["owned"]).removeprefix("/api/v1")
            answer = call(people[role], method, url, json=example_body(operation))
            refused[answer.status_code] += 1
            if answer.status_code < 400:
                successes.append(f"{role}: {method} {path} {answer.status_code}")
    print(f"role sweep: {sum(refused.values())} requests, answers {dict(refused)}")
    assert successes == []
    assert set(refused) <= {403, 404, 422}
    surveyor_denials = audited_denials(people, actor=owned_id(people["surveyor"]))
    assert surveyor_denials, "the surveyor's refused attempts were not audited"


def owned_id(who) -> str:
    return who.get("/me")["id"]


def audited_denials(people, actor: str) -> list[dict]:
    entries = []
    for service in ("identity", "applications", "documents", "payments", "notifications"):
        entries += people["admin"].get(f"/audit/{service}?actor={actor}&limit=500")["items"]
    return [entry for entry in entries if entry["action"] == "access_denied"]
