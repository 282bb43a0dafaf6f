"""Declares an API operation once: its schemas validate the request, shape the
response, and describe it in the OpenAPI document."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast
from uuid import uuid4

from flask import Response, g, jsonify, request
from marshmallow import Schema, ValidationError

from service.application import Request, Written
from service.domain.actors import Actor
from service.web.context import actor, services
from service.web.errors import BadRequest, Unauthorized

F = TypeVar("F", bound=Callable[..., Any])
MAX_IDEMPOTENCY_KEY = 255
#: What a write on something already recorded may answer besides success.
WRITE_ERRORS = (401, 403, 404, 409, 422)


@dataclass(frozen=True)
class Operation:
    summary: str
    tag: str
    body: Schema | None = None
    query: Schema | None = None
    response: Schema | None = None
    status: int = 200
    #: What a write answers with 202 when it only left a payment awaiting approval.
    accepted: Schema | None = None
    public: bool = False
    errors: tuple[int, ...] = ()
    #: The multipart form field that carries a file, for uploads.
    upload: str | None = None
    extra_responses: dict[str, Any] = field(default_factory=dict)
    #: Other successful statuses answered with ``response``, each with what it means.
    also: dict[int, str] = field(default_factory=dict)
    #: By status, the answer's field that names what a POST created, when it is not ``id``:
    #: the OpenAPI document links it to the operations that take a parameter of that name.
    creates: dict[int, str] = field(default_factory=dict)


def operation(
    summary: str,
    *,
    tag: str,
    body: type[Schema] | None = None,
    query: type[Schema] | None = None,
    response: type[Schema] | None = None,
    status: int = 200,
    accepted: type[Schema] | None = None,
    public: bool = False,
    errors: tuple[int, ...] = (),
    upload: str | None = None,
    also: dict[int, str] | None = None,
    creates: dict[int, str] | None = None,
) -> Callable[[F], F]:
    """Validates the body into ``body=`` and the query into ``query=``, authenticates
    unless ``public``, and dumps what the view returns through ``response`` (through
    ``accepted`` when the view answers ``(body, 202)``)."""
    spec = Operation(
        summary=summary,
        tag=tag,
        body=body() if body else None,
        query=query() if query else None,
        response=response() if response else None,
        status=status,
        accepted=accepted() if accepted else None,
        public=public,
        errors=errors,
        upload=upload,
        also=also or {},
        creates=creates or {},
    )

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            g.request_id = request.headers.get("X-Request-Id", "")[:100] or str(uuid4())
            if not spec.public:
                g.actor = _authenticate()
            if spec.query is not None:
                kwargs["query"] = _load(spec.query, request.args.to_dict(), "query")
            if spec.body is not None:
                kwargs["body"] = _load(spec.body, _json_body(), "body")
            result = view(*args, **kwargs)
            if isinstance(result, Response):
                return result
            status = spec.status
            if isinstance(result, tuple):
                result, status = result
            schema = spec.accepted if status == 202 else spec.response
            payload = schema.dump(result) if schema is not None else result
            return jsonify(payload), status

        wrapper.operation = spec  # type: ignore[attr-defined]
        return cast(F, wrapper)

    return decorate


def write_request() -> Request:
    """The application's view of this HTTP request: who, which key, which body."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not (0 < len(key) <= MAX_IDEMPOTENCY_KEY and key.isprintable()):
        raise BadRequest(
            "Tiêu đề Idempotency-Key phải dài 1 đến 255 ký tự in được.",
            {"Idempotency-Key": ["Hãy dùng một giá trị ngắn, không trùng, ví dụ một UUID."]},
        )
    fingerprint = hashlib.sha256(
        "\n".join([request.method, request.path, _canonical_body()]).encode()
    ).hexdigest()
    return Request(
        actor=actor(), idempotency_key=key, fingerprint=fingerprint, request_id=g.get("request_id")
    )


def written(result: Written) -> dict[str, Any]:
    return {**result.body, "position": result.position}


def written_or_pending(result: Written) -> tuple[dict[str, Any], int]:
    """201 with the entry recorded, or 202 with the payment left awaiting approval."""
    return written(result), 202 if result.body.get("status") == "pending" else 201


def _authenticate() -> Actor:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(
            "Chưa có mã truy cập. Hãy gửi tiêu đề Authorization: Bearer <mã truy cập>."
        )
    found = services().token_cache.authenticate(token.strip())
    if found is None:
        # Only a bad token is counted, and only a bad token is refused with 429: a valid
        # token is never turned away because others failed from the same address.
        services().failed_authentications.count(request.remote_addr or "unknown")
        raise Unauthorized(
            "Mã truy cập không đúng, đã bị thu hồi hoặc đã hết hạn. Hãy xin quản trị cấp mã mới."
        )
    return found


def _json_body() -> Any:
    """The request's JSON body, parsed and checked once a request (the view's body and
    the Idempotency-Key's fingerprint both read it)."""
    if "json_body" not in g:
        g.json_body = _parsed_json_body()
    return g.json_body


def _parsed_json_body() -> Any:
    if not request.is_json:
        raise BadRequest(
            "Nội dung phải là JSON, gửi kèm Content-Type: application/json.",
            status=415,
            code="unsupported-media-type",
        )
    raw = request.get_data(cache=True)
    try:
        body = json.loads(raw.decode("utf-8"))
        # A lone surrogate escape ("\ud800") is no Unicode text: it could be neither
        # stored nor echoed back in an answer.
        json.dumps(body, ensure_ascii=False).encode("utf-8")
        return body
    except UnicodeError:
        raise BadRequest(
            "Nội dung phải là văn bản UTF-8.", status=400, code="malformed-body"
        ) from None
    except (ValueError, RecursionError):
        raise BadRequest(
            "Nội dung không phải JSON hợp lệ. Hãy kiểm tra dấu ngoặc và dấu phẩy.",
            status=400,
            code="malformed-body",
        ) from None


def _canonical_body() -> str:
    if not request.get_data(cache=True):
        return ""
    return json.dumps(_json_body(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _load(schema: Schema, data: Any, where: str) -> dict[str, Any]:
    if where == "body" and not isinstance(data, dict):
        raise BadRequest(
            "Nội dung phải là một đối tượng JSON.",
            {"_body": ['Hãy gửi một đối tượng JSON, ví dụ {"amount": 100000}.']},
        )
    try:
        return cast(dict[str, Any], schema.load(data))
    except ValidationError as error:
        raise BadRequest(
            "Một số trường không hợp lệ nên chưa ghi gì. "
            "Hãy sửa các trường được nêu trong errors rồi gửi lại.",
            _flatten(error.normalized_messages()),  # type: ignore[no-untyped-call]
        ) from None


def _flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """{"donor": {"name": [..]}} → {"donor.name": [..]}."""
    if isinstance(messages, list):
        return {prefix or "_body": [str(m) for m in messages]}
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        name = (
            "_body"
            if key == "_schema" and not prefix
            else (f"{prefix}.{key}" if prefix else str(key))
        )
        flat.update(_flatten(value, name))
    return flat
