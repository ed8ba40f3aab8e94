"""Request bodies and query strings checked against the OpenAPI document: one contract, one
check."""

from __future__ import annotations

import re
from functools import cache

from flask import request
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from chassis.errors import ValidationFailed
from gateway.docs import openapi_document

# The name the OpenAPI document goes by when schemas refer into it.
OPENAPI_URI = "urn:gaspol:openapi"
# Bodies beyond this are refused before parsing (uploads have their own, streaming route).
MAX_JSON_BYTES = 64 * 1024
# Flask's `<name>` and `<converter:name>` in a route, OpenAPI's `{name}` in a path.
ROUTE_VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
BOOLEANS = {"true": True, "false": False, "1": True, "0": False}


@cache
def _validator(schema_name: str) -> Draft202012Validator:
    document = openapi_document()
    # The OpenAPI document is not itself a JSON Schema; its schemas are 2020-12 (OpenAPI 3.1).
    registry = Registry().with_resource(OPENAPI_URI, DRAFT202012.create_resource(document))
    schema = {"$ref": f"{OPENAPI_URI}#/components/schemas/{schema_name}"}
    return Draft202012Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def json_body(schema_name: str) -> dict:
    """The request's JSON object, valid against `components.schemas[schema_name]`, or a 422
    naming every field that is wrong."""
    if request.content_length and request.content_length > MAX_JSON_BYTES:
        raise ValidationFailed("the request body is too large", code="body_too_large")
    body = request.get_json(silent=True, force=True)
    if not isinstance(body, dict):
        raise ValidationFailed("send a JSON object as the request body", code="body_not_json")
    errors = sorted(_validator(schema_name).iter_errors(body), key=lambda e: list(e.path))
    if errors:
        raise ValidationFailed("some fields need fixing", errors=[_field_error(e) for e in errors])
    return body


def _field_error(error) -> dict:
    path = [str(part) for part in error.path]
    if error.validator == "required":
        # "'email' is a required property": the missing field is the one to name.
        path.append(error.message.split("'")[1])
    elif error.validator == "additionalProperties":
        unexpected = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        path.append(unexpected[0] if unexpected else "(unknown field)")
    return {"field": ".".join(path) or "(body)", "code": error.validator, "message": error.message}


def check_query() -> None:
    """The query string against the parameters the operation documents: a value of the wrong
    type, out of range or not among the allowed ones is a 422 naming it, as in a body. Before,
    `per_page=1000` was quietly cut to 100 and `year=abc` ignored."""
    if request.url_rule is None:
        return
    errors = []
    for parameter in _query_parameters(request.url_rule.rule, request.method.lower()):
        name = parameter["name"]
        if name not in request.args:
            continue
        schema = _resolved(parameter.get("schema", {}))
        value = _typed(request.args[name], schema.get("type"))
        for error in Draft202012Validator(
            schema, format_checker=Draft202012Validator.FORMAT_CHECKER
        ).iter_errors(value):
            errors.append({"field": name, "code": error.validator, "message": error.message})
    if errors:
        raise ValidationFailed("some query parameters need fixing", errors=errors)


@cache
def _query_parameters(rule: str, method: str) -> tuple[dict, ...]:
    path = ROUTE_VARIABLE.sub(r"{\1}", rule)
    operation = openapi_document()["paths"].get(path, {}).get(method, {})
    return tuple(p for p in operation.get("parameters", []) if p.get("in") == "query")


def _resolved(schema: dict) -> dict:
    """A parameter's schema, with a reference to a component schema followed."""
    reference = schema.get("$ref", "")
    if not reference.startswith("#/components/schemas/"):
        return schema
    return openapi_document()["components"]["schemas"][reference.rsplit("/", 1)[1]]


def _typed(text: str, declared: str | None):
    """The text read as the declared type, or left as text when it is not one (the schema
    check then names the wrong type)."""
    if declared == "integer" and re.fullmatch(r"[+-]?\d+", text.strip()):
        return int(text)
    if declared == "boolean":
        return BOOLEANS.get(text.lower(), text)
    return text
