"""The OpenAPI document, generated from the operations' schemas, and its page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Flask, Response, current_app, send_from_directory
from marshmallow import Schema
from swagger_ui_bundle import swagger_ui_path
from werkzeug.routing import BaseConverter, IntegerConverter, Rule, UUIDConverter

from service.api.operation import MAX_IDEMPOTENCY_KEY, Operation, operation
from service.version import VERSION

bp = Blueprint("openapi", __name__, static_folder="static", static_url_path="/docs/static")

_PARAMETER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_ERROR_TITLES = {
    400: "The body is not valid JSON or not UTF-8, or the request holds a NUL character",
    401: "No token, or a token that is unknown or revoked",
    403: "The token may not do this",
    404: "Not found",
    409: "A rule of the ledger refuses it",
    413: "The body is too large",
    415: "The body is not sent as application/json",
    429: "Too many unknown, revoked or expired tokens, or too many requests, from this "
    "client; see Retry-After",
    422: "Invalid fields; `errors` names each one",
    503: "The store is unavailable or the read models are not ready; see Retry-After",
}


@bp.get("/openapi.json")
@operation("The OpenAPI document", tag="docs", public=True)
def openapi_json() -> dict[str, Any]:
    """This document."""
    spec: dict[str, Any] = current_app.extensions.setdefault("sovang.openapi", build(current_app))
    return spec


@bp.get("/docs")
@operation("Interactive API documentation", tag="docs", public=True)
def docs() -> Response:
    """Swagger UI, served from this service (no external network needed)."""
    return send_from_directory(bp.static_folder or "static", "docs.html")


@bp.get("/docs/swagger-ui/<path:filename>")
def swagger_assets(filename: str) -> Response:
    return send_from_directory(str(swagger_ui_path), filename)


def build(app: Flask) -> dict[str, Any]:
    spec = APISpec(
        title="Sổ Vàng API",
        version=VERSION,
        openapi_version="3.0.3",
        info={
            "description": "The fund ledger of the Fund for the Poor and the Great "
            "Solidarity houses. Money is an integer number of đồng."
        },
        plugins=[MarshmallowPlugin()],
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema(
        "Problem",
        {
            "type": "object",
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
                "errors": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["type", "title", "status", "detail"],
        },
    )
    described: list[Described] = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        op: Operation | None = getattr(view, "operation", None)
        if op is None:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            path = _PARAMETER.sub(r"{\2}", rule.rule)
            described.append(Described(path, method.lower(), op, _describe(op, view, rule)))
    _link(described)
    for each in described:
        spec.path(path=each.path, operations={each.method: each.operation})
    return spec.to_dict()


@dataclass(frozen=True)
class Described:
    path: str
    method: str
    op: Operation
    #: The OpenAPI operation object, before apispec resolves its schemas.
    operation: dict[str, Any]

    def path_parameters(self) -> list[str]:
        return [p["name"] for p in self.operation["parameters"] if p["in"] == "path"]


def _link(described: list[Described]) -> None:
    """Links each answer of a POST to the operations that take what it created: the
    answer's ``id`` is the parameter that follows the POST's own path (POST /houses
    answers the ``project_id`` of /houses/{project_id}); the field that ``creates`` names
    for the answer's status is the parameter of that name (``pledge_id``). A linked
    operation takes its other path parameters from the POST's path, and reads at the
    answer's ``position`` so that it sees the write."""
    for source in described:
        if source.method != "post":
            continue
        own = set(source.path_parameters())
        for status, schema in _answers(source.op).items():
            dumped = _dumped(schema)
            named = source.op.creates.get(status)
            created = {named: f"$response.body#/{named}"} if named in dumped else {}
            if "id" in dumped:
                for target in described:
                    follower = _follower(source.path, target.path)
                    if follower is not None:
                        created[follower] = "$response.body#/id"
            values = {name: f"$response.body#/{name}" for name in dumped} | created
            links = {
                target.operation["operationId"]: link
                for target in described
                if (link := _link_to(target, created, values, own)) is not None
            }
            if links:
                source.operation["responses"][str(status)]["links"] = links


def _link_to(
    target: Described, created: dict[str, str], values: dict[str, str], own: set[str]
) -> dict[str, Any] | None:
    """The link to ``target`` if it takes a ``created`` value in its path or its body and
    every other path parameter is an answer's value or one of the POST's own (``own``)."""
    needed = target.path_parameters()
    if not all(name in values or name in own for name in needed):
        return None
    body = target.op.body
    in_body = [name for name in created if body is not None and name in _loaded(body)]
    uses = [name for name in needed if name in created] + in_body
    if not uses:
        return None
    parameters = {
        f"path.{name}": values[name]
        if name in created or name not in own
        else f"$request.path.{name}"
        for name in needed
    }
    query = target.op.query
    if query is not None and "min_position" in _loaded(query) and "position" in values:
        parameters["query.min_position"] = values["position"]
    link: dict[str, Any] = {"operationId": target.operation["operationId"]}
    if parameters:
        link["parameters"] = parameters
    if in_body:
        link["requestBody"] = {name: created[name] for name in in_body}
    link["description"] = f"With the {' and '.join(uses)} this answer created."
    return link


def _answers(op: Operation) -> dict[int, Schema]:
    """The schemas of an operation's successful answers, by status."""
    answers = {status: op.response for status in (op.status, *op.also)}
    if op.accepted is not None:
        answers[202] = op.accepted
    return {status: schema for status, schema in answers.items() if schema is not None}


def _dumped(schema: Schema) -> set[str]:
    return {field.data_key or name for name, field in schema.dump_fields.items()}


def _loaded(schema: Schema) -> set[str]:
    return {field.data_key or name for name, field in schema.load_fields.items()}


def _follower(collection: str, path: str) -> str | None:
    """``unit_id`` for /units and /units/{unit_id}: the parameter that names one of them."""
    match = re.fullmatch(re.escape(collection) + r"/\{(\w+)\}", path)
    return match[1] if match else None


def _path_schema(converter: BaseConverter) -> dict[str, Any]:
    if isinstance(converter, UUIDConverter):
        return {"type": "string", "format": "uuid"}
    if isinstance(converter, IntegerConverter):
        return {"type": "integer", "minimum": converter.min or 0, "maximum": converter.max}
    return {"type": "string", "minLength": 1}


def _describe(op: Operation, view: Any, rule: Rule) -> dict[str, Any]:
    doc = (view.__doc__ or "").strip()
    described: dict[str, Any] = {
        "summary": op.summary,
        "description": doc,
        "operationId": view.__name__,
        "tags": [op.tag],
        "parameters": [
            {
                "in": "path",
                "name": name,
                "required": True,
                "schema": _path_schema(rule._converters[name]),
            }
            for name in sorted(rule.arguments)
        ],
        "responses": {},
    }
    if op.query is not None:
        described["parameters"].append({"in": "query", "schema": op.query})
    if op.body is not None:
        described["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": op.body}},
        }
    if op.body is not None and not op.public:
        # A write without a token (a citizen's question) honours no key: its askers share
        # one actor, so one person's key could answer another's request.
        described["parameters"].append(
            {
                "in": "header",
                "name": "Idempotency-Key",
                "required": False,
                "schema": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": MAX_IDEMPOTENCY_KEY,
                    "pattern": "^[ -~]+$",
                },
                "description": "Send the same key to retry safely: the first answer is "
                "returned. A key already sent with another request is refused with 422.",
            }
        )
    if op.upload is not None:
        described["requestBody"] = {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {op.upload: {"type": "string", "format": "binary"}},
                        "required": [op.upload],
                    }
                }
            },
        }
    ok: dict[str, Any] = {"description": "OK"}
    if op.response is not None:
        ok["content"] = {"application/json": {"schema": op.response}}
    described["responses"][str(op.status)] = ok
    for status in op.also:
        described["responses"][str(status)] = {**ok, "description": op.also[status]}
    if op.accepted is not None and op.status != 202:
        described["responses"]["202"] = {
            "description": "Accepted: above the unit's approval threshold, the payment awaits "
            "an approver and its amount is reserved",
            "content": {"application/json": {"schema": op.accepted}},
        }
    # What any operation may answer besides its own refusals: the store away (503), and
    # whatever reading its path, query or body can refuse.
    # A NUL character anywhere in the path or the query string is refused (400).
    errors = set(op.errors) | {400, 503}
    if op.public:
        errors |= {429}
    if op.query is not None:
        errors |= {422}
    if op.body is not None:
        errors |= {400, 413, 415, 422}
    if not op.public:
        errors |= {401, 429}
    for status in sorted(errors):
        described["responses"][str(status)] = {
            "description": _ERROR_TITLES.get(status, "Error"),
            "content": {"application/problem+json": {"schema": PROBLEM_REF}},
        }
    if not op.public:
        described["security"] = [{"bearer": []}]
    return described
