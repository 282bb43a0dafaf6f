"""The inspector pages' filters: a page's form fields, in Vietnamese, read into the query
the matching API route takes, through the route's own schema. A field that does not
read is left out and named in a note, so the page still answers.

The schema is the one the route declares where the application registered it (its
``operation``), so the pages read the API's published contract and import nothing of it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from flask import current_app
from marshmallow import Schema, ValidationError

#: The API routes whose queries the pages' filters read, by what they list.
AUDIT_ROUTE = "audit.list_events"
LEDGER_ROUTE = "funds.list_entries"
#: Rows on one page of a table.
PAGE_SIZE = 50
VIETNAM_MIDNIGHT = "T00:00:00+07:00"
#: What each form field is called on the pages, by the API's name for it.
AUDIT_FIELDS = {"unit_id": "don_vi", "type": "loai", "aggregate_id": "doi_tuong", "actor": "nguoi"}
LABELS = {
    "unit_id": "Đơn vị",
    "type": "Loại sự kiện",
    "aggregate_id": "Mã đối tượng",
    "actor": "Người ghi",
    "from": "Từ ngày",
    "to": "Đến ngày",
    "cursor": "Trang",
}


def audit_query(args: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """The audit trail's query from the page's fields: dates are whole days in Vietnam."""
    sent = {name: args[field].strip() for name, field in AUDIT_FIELDS.items() if args.get(field)}
    notes: list[str] = []
    for name, field, shift in (("from", "tu", 0), ("to", "den", 1)):
        day = _day(args.get(field, ""), LABELS[name], notes)
        if day is not None:
            sent[name] = (day + timedelta(days=shift)).isoformat() + VIETNAM_MIDNIGHT
    return _load(_route_query(AUDIT_ROUTE), sent, args, notes)


def ledger_query(args: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """A fund ledger's query from the page's fields."""
    notes: list[str] = []
    sent = {
        name: day.isoformat()
        for name, field in (("from", "tu"), ("to", "den"))
        if (day := _day(args.get(field, ""), LABELS[name], notes)) is not None
    }
    return _load(_route_query(LEDGER_ROUTE), sent, args, notes)


def _route_query(endpoint: str) -> Schema:
    """The query schema of the API route registered at ``endpoint``."""
    view: Any = current_app.view_functions[endpoint]
    return cast(Schema, view.operation.query)


def _day(text: str, label: str, notes: list[str]) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        notes.append(f"{label}: “{text[:40]}” không phải một ngày; đã bỏ qua.")
        return None


def _load(
    schema: Schema, sent: dict[str, str], args: dict[str, str], notes: list[str]
) -> tuple[dict[str, Any], list[str]]:
    sent["limit"] = str(PAGE_SIZE)
    if args.get("sau"):
        sent["cursor"] = args["sau"]
    try:
        return dict(schema.load(sent)), notes
    except ValidationError as error:
        bad = error.normalized_messages()  # type: ignore[no-untyped-call]
        for name in bad:
            notes.append(f"{LABELS.get(name, name)}: giá trị không hợp lệ; đã bỏ qua.")
        kept = {name: value for name, value in sent.items() if name not in bad}
        return dict(schema.load(kept)), notes
