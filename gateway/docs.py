"""The public contract: the OpenAPI document and its interactive docs (Swagger UI, local)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from flask import Blueprint, jsonify
from flask_swagger_ui import get_swaggerui_blueprint

OPENAPI_FILE = Path(__file__).with_name("openapi.yaml")

docs_blueprint = Blueprint("docs", __name__)


@cache
def openapi_document() -> dict:
    return yaml.safe_load(OPENAPI_FILE.read_text(encoding="utf-8"))


@docs_blueprint.get("/api/openapi.json")
def openapi_json():
    return jsonify(openapi_document())


# The Swagger UI assets ship inside the flask-swagger-ui wheel: no CDN, so the docs work on an
# office network without internet access.
swagger_blueprint = get_swaggerui_blueprint(
    "/api/docs", "/api/openapi.json", config={"app_name": "GASPOL API"}
)
