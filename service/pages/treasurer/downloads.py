"""Downloads: the reports, books and exports the API serves, as files a treasurer opens in
a spreadsheet, fetched with the page's session instead of a bearer token.

The file comes from the API route itself (its query schema, its reach checks, its file),
looked up where the application registered it, so the pages serve exactly what the API
does and import nothing of it; only the routes listed here are served."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, request
from marshmallow import ValidationError
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from service.pages.treasurer.shared import (
    bp,
    my_funds,
    my_units,
    reached_position,
    shown_form,
    today,
)
from service.reads import fresh
from service.web.errors import BadRequest

API = "/api/v1"
#: The API routes whose files the pages serve, by their endpoint.
FILES = frozenset(
    {
        "books.receipts_book",
        "books.payments_book",
        "books.cash_book",
        "books.bank_book",
        "books.yearly_summary",
        "units.unit_report",
        "statement.fund_statement",
    }
)
#: A fund's books: the API's name of each and the Vietnamese one.
BOOKS = (
    ("receipts", "Sổ thu"),
    ("payments", "Sổ chi"),
    ("cash", "Sổ quỹ tiền mặt"),
    ("bank", "Sổ tiền gửi ngân hàng"),
)


@bp.get("/tai-ve")
def downloads() -> str:
    """Links to every file of my funds and units for this year and the last."""
    now = today()
    with fresh(reached_position()) as (tx, _):
        funds, units = my_funds(tx), my_units(tx)
    return shown_form(
        "treasurer/downloads.html",
        (),
        funds=funds,
        units=units,
        years=(now.year, now.year - 1),
        first_day=date(now.year, 1, 1).isoformat(),
        today=now.isoformat(),
        books=BOOKS,
    )


@bp.get("/tai-ve/<path:path>")
def download(path: str) -> Response:
    """The file the API serves at ``/api/v1/<path>`` with this query, read as the signed-in
    person."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        endpoint, arguments = adapter.match(f"{API}/{path}", method="GET")
    except NotFound:
        raise NotFound() from None
    if endpoint not in FILES:
        raise NotFound()
    view: Any = current_app.view_functions[endpoint]
    try:
        query = view.operation.query.load(request.args.to_dict())
    except ValidationError as error:
        raise BadRequest(
            "Đường dẫn tải về có tham số không hợp lệ. Hãy mở lại trang Tải về và bấm lại.",
            {str(k): [str(m) for m in v] for k, v in error.normalized_messages().items()},  # type: ignore[no-untyped-call]
        ) from None
    answer = view.__wrapped__(**arguments, query=query)
    if not isinstance(answer, Response):
        raise NotFound()
    return answer
