"""The treasurers' forms: the fields a page shows, read into the body the matching API
route takes and checked by that route's own schema (so a form refuses exactly what the
API refuses, in the same Vietnamese words), then written through the application with an
idempotency key made when the form was shown: a form sent twice records once.

A refused form comes back with what was typed and the reason beside the field it names;
a refusal that names no field of the form is shown above it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast
from uuid import uuid4

from flask import current_app, g, request
from marshmallow import Schema, ValidationError

from service.adapters.bank_currency import parse_minor, split_decimal
from service.application import Request, Written
from service.domain.currency import CURRENCIES
from service.domain.errors import DomainError, InvalidInput
from service.web.context import actor
from service.web.errors import status_of

#: The hidden field that carries the key made when the form was shown.
KEY_FIELD = "idempotency_key"
MAX_KEY = 255
#: Where a refusal that names no field of its own belongs, by its code.
FIELD_OF_CODE = {
    "insufficient-funds": "amount",
    "insufficient-stock": "in_kind.quantity",
    "period-closed": "occurred_on",
    "pledge-exceeded": "amount",
    "budget-exceeded": "amount",
    "repeated-support": "repeat_reason",
    "possible-duplicate": "duplicate_reason",
    "stage-out-of-order": "stage",
}
#: Typed in a money field and dropped before reading the number: 1.000.000 đ is 1000000.
MONEY_MARKS = str.maketrans("", "", ". ,\u00a0đĐ")


@dataclass(frozen=True)
class Field:
    """One field of a form: ``name`` is the API's (``donor.name`` for a nested one)."""

    name: str
    label: str
    #: text, money, number, decimal (an exact number sent as text: 25.100,5 is
    #: "25100.5"), date, choice, area (long text), check (a box), lines (one item a
    #: line, sent as a list)
    kind: str = "text"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    #: The kinds of file a ``file`` field takes (its ``accept``).
    accept: str = ".csv,.txt,.xlsx,.xlsm,.xls"
    #: A money field read in the currency the form's ``currency`` field names (in its
    #: minor units: 100,00 USD is 10000), in đồng when it names none.
    in_currency: bool = False

    @property
    def id(self) -> str:
        return "o-" + self.name.replace(".", "-").replace("_", "-")


@dataclass
class Filled:
    """A form as shown: its fields, what is typed in them, the reasons it was refused (by
    field name; ``""`` above the form) and the idempotency key of its next sending."""

    fields: tuple[Field, ...]
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    key: str = field(default_factory=lambda: str(uuid4()))
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: Put before each field's id, where one page shows the same form more than once.
    prefix: str = ""

    def options(self, shown: Field) -> list[tuple[str, str]]:
        return self.choices.get(shown.name) or list(shown.choices)


class Refused(Exception):
    """A form that was not written, with what was typed and why."""

    def __init__(self, filled: Filled, status: int) -> None:
        super().__init__(filled.errors)
        self.filled = filled
        self.status = status


def send(
    fields: tuple[Field, ...],
    route: str,
    write: Callable[[dict[str, Any], Request], Written],
    given: Mapping[str, Any] | None = None,
) -> Written:
    """Reads the sent form through the API route's body schema and writes it with
    ``write``; raises ``Refused`` with the form as typed when either refuses. ``given``
    holds what the page itself read from the request (an uploaded file's hash), sent
    beside the typed fields."""
    typed = {f.name: request.form.get(f.name, "") for f in fields}
    filled = Filled(fields, typed)
    raw = _raw(fields, typed, filled.errors)
    if filled.errors:
        raise Refused(filled, 422)
    raw.update(given or {})
    filled.values.update({name: str(value) for name, value in (given or {}).items()})
    raw, rows = _listed(raw)
    try:
        body = cast(dict[str, Any], _route_body(route).load(raw))
    except ValidationError as error:
        messages = _flatten(error.normalized_messages())  # type: ignore[no-untyped-call]
        _place(filled, {_row_name(name, rows): said for name, said in messages.items()})
        raise Refused(filled, 422) from None
    try:
        return write(body, page_request(raw))
    except DomainError as error:
        named = error.field if isinstance(error, InvalidInput) else FIELD_OF_CODE.get(error.code)
        _place(filled, {_row_name(named or "", rows): [error.detail]})
        raise Refused(filled, status_of(error)) from None


def page_request(raw: Mapping[str, Any]) -> Request:
    """The application's view of a form sent from a page: who, the form's key, and the
    fingerprint of what was sent (a key sent again with other values is refused)."""
    key = request.form.get(KEY_FIELD, "").strip()
    fingerprint = hashlib.sha256(
        "\n".join(
            [request.method, request.path, json.dumps(raw, sort_keys=True, ensure_ascii=False)]
        ).encode()
    ).hexdigest()
    return Request(
        actor=actor(),
        idempotency_key=key if 0 < len(key) <= MAX_KEY and key.isprintable() else None,
        fingerprint=fingerprint,
        request_id=g.get("request_id"),
    )


def _raw(
    fields: tuple[Field, ...], typed: dict[str, str], errors: dict[str, list[str]]
) -> dict[str, Any]:
    """The body the API route would be sent: empty fields left out, numbers read as
    numbers, nested names as nested objects."""
    raw: dict[str, Any] = {}
    code = typed.get("currency", "").strip().upper()
    for shown in fields:
        text = typed[shown.name].strip()
        if shown.kind == "check":
            value: Any = bool(text)
        elif not text:
            continue
        elif shown.in_currency and code in CURRENCIES:
            try:
                value = parse_minor(text, code)
            except ValueError as error:
                errors[shown.name] = [f"{error} Hãy nhập số {code}, ví dụ 1.250,50."]
                continue
        elif shown.kind == "decimal":
            whole, fraction = split_decimal(text)
            number = whole.replace(".", "").replace(",", "") + (f".{fraction}" if fraction else "")
            if not number.replace(".", "", 1).isdigit():
                errors[shown.name] = ["Hãy nhập một số, phần lẻ sau dấu phẩy, ví dụ 25.100,5."]
                continue
            value = number
        elif shown.kind in ("money", "number"):
            digits = text.translate(MONEY_MARKS) if shown.kind == "money" else text
            if not digits.isdigit():
                errors[shown.name] = [
                    "Hãy nhập số đồng, chỉ gồm chữ số, ví dụ 1.000.000."
                    if shown.kind == "money"
                    else "Hãy nhập một số nguyên, ví dụ 3."
                ]
                continue
            value = int(digits)
        elif shown.kind == "lines":
            value = [line.strip() for line in text.splitlines() if line.strip()]
        else:
            value = text
        *outer, last = shown.name.split(".")
        into = raw
        for part in outer:
            into = into.setdefault(part, {})
        into[last] = value
    return raw


def _listed(raw: dict[str, Any], prefix: str = "") -> tuple[dict[str, Any], dict[str, str]]:
    """The numbered rows of a form (``lines.1.packages``, ``lines.2.packages``) as the
    list the API takes, rows left blank dropped; and, for each item of each list, the
    row it came from (``lines.0`` → ``lines.2``), to place a refusal beside its row."""
    rows: dict[str, str] = {}
    out: dict[str, Any] = {}
    for key, value in raw.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value and all(k.isdigit() for k in value):
            items = []
            for index, number in enumerate(sorted(value, key=int)):
                rows[f"{name}.{index}"] = f"{name}.{number}"
                item = value[number]
                if isinstance(item, dict):
                    item, inner = _listed(item, f"{name}.{number}.")
                    rows.update(inner)
                items.append(item)
            out[key] = items
        elif isinstance(value, dict):
            out[key], inner = _listed(value, name + ".")
            rows.update(inner)
        else:
            out[key] = value
    return out, rows


def _row_name(name: str, rows: dict[str, str]) -> str:
    """A refusal's field name (``lines.0.packages``) as the form names it
    (``lines.2.packages``)."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        head = ".".join(parts[:end])
        if head in rows:
            return ".".join([rows[head], *parts[end:]])
    return name


def _route_body(endpoint: str) -> Schema:
    """The body schema of the API route registered at ``endpoint``."""
    view: Any = current_app.view_functions[endpoint]
    return cast(Schema, view.operation.body)


def _flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    if isinstance(messages, list):
        return {prefix: [str(m) for m in messages]}
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        name = prefix if key == "_schema" else (f"{prefix}.{key}" if prefix else str(key))
        flat.update(_flatten(value, name))
    return flat


def _place(filled: Filled, errors: dict[str, list[str]]) -> None:
    """Each reason beside the field it names (or the field holding it: ``in_kind`` is
    said of its description), or above the form."""
    names = [f.name for f in filled.fields]
    for name, messages in errors.items():
        home = name if name in names else next((n for n in names if n.startswith(name + ".")), "")
        filled.errors.setdefault(home, []).extend(messages)
