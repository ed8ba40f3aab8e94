"""The gateway's edges without any service: problem answers, request ids, docs, metrics."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from chassis.config import load_settings
from chassis.errors import NotFound
from gateway.app import create_app
from gateway.docs import openapi_document


class NoServices:
    """An RPC pool whose every call fails the way an empty cluster does."""

    def call(self, service, method, kwargs=None, **_):
        raise NotFound(f"no {service}")


@pytest.fixture
def client():
    app = create_app(load_settings({}), rpc=NoServices())

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    return app.test_client()


def test_an_unknown_path_is_a_problem_not_a_page(client):
    response = client.get("/api/nowhere")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    body = response.json
    assert set(body) == {"type", "title", "status", "detail", "code", "errors", "correlation_id"}
    assert body["correlation_id"] == response.headers["X-Request-ID"]


def test_a_wrong_method_says_which_are_allowed(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.json["code"] == "method_not_allowed"


def test_a_wrong_method_on_an_api_path_is_a_405_not_the_web_page(client):
    response = client.get("/api/v1/auth/login")
    assert response.status_code == 405
    assert sorted(response.headers["Allow"].split(", ")) == ["OPTIONS", "POST"]
    assert response.json["code"] == "method_not_allowed"


def test_a_bug_is_a_500_problem_without_internals(client):
    response = client.get("/boom")
    assert response.status_code == 500
    assert response.json["code"] == "internal_error"
    assert "RuntimeError" not in response.get_data(as_text=True)


def test_a_valid_request_id_is_kept(client):
    assert (
        client.get("/healthz", headers={"X-Request-ID": "abc-12345"}).headers["X-Request-ID"]
        == "abc-12345"
    )


def test_the_openapi_document_is_valid_and_served(client):
    validate(openapi_document())
    assert client.get("/api/openapi.json").json["info"]["title"] == "GASPOL API"


def test_the_interactive_docs_need_no_cdn(client):
    page = client.get("/api/docs/").get_data(as_text=True)
    assert "swagger-ui-bundle.js" in page
    assert "https://" not in page
    assert client.get("/api/docs/swagger-ui-bundle.js").status_code == 200


def test_metrics_count_requests_by_route_template(client):
    client.get("/healthz")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'http_requests_total{method="GET",route="/healthz",status="200"}' in text
    assert "http_request_duration_seconds_bucket" in text


def test_every_page_path_gets_the_web_client_and_api_paths_stay_problems(client):
    for path in ("/", "/track/GSP-2612-ABCDEF", "/applications/123"):
        page = client.get(path)
        assert page.status_code == 200
        assert b'<main id="main"' in page.data
    assert client.get("/app.css").mimetype == "text/css"
    assert client.get("/api/v1/nothing").mimetype == "application/problem+json"
