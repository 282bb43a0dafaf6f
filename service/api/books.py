"""The books and summaries a treasurer prints: sổ thu and sổ chi of a fund for a year, and
a unit's year by kind of fund; as JSON, or as CSV and XLSX files with Vietnamese headers,
each naming the checkpoint it was made from."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.api import exports
from service.api.operation import operation
from service.api.schemas import ExportQuery, SummaryOut, SummaryQuery
from service.api.schemas.books import BookOut
from service.api.spreadsheets import file_response
from service.projections import books
from service.reads import fresh, readable_unit
from service.reads.funds import readable_fund

bp = Blueprint("books", __name__)


@bp.get("/funds/<uuid:fund_id>/books/receipts")
@operation(
    "Read a fund's receipts book (sổ thu)",
    tag="reports",
    query=ExportQuery,
    response=BookOut,
    errors=(401, 403, 404, 422, 503),
)
def receipts_book(fund_id: UUID, query: dict[str, Any]) -> Any:
    """Every receipt of the fund dated in ``year`` and every reversal of one made in it,
    by date, with the year's running total; ``format=csv-vi`` or ``xlsx`` for the book."""
    return _book(fund_id, query, "receipts")


@bp.get("/funds/<uuid:fund_id>/books/payments")
@operation(
    "Read a fund's payments book (sổ chi)",
    tag="reports",
    query=ExportQuery,
    response=BookOut,
    errors=(401, 403, 404, 422, 503),
)
def payments_book(fund_id: UUID, query: dict[str, Any]) -> Any:
    """Every disbursement and transfer out of the fund dated in ``year`` and every
    reversal of one made in it, by date, with the running total; files as for sổ thu."""
    return _book(fund_id, query, "payments")


@bp.get("/funds/<uuid:fund_id>/books/cash")
@operation(
    "Read a fund's cash book (sổ quỹ tiền mặt)",
    tag="reports",
    query=ExportQuery,
    response=BookOut,
    errors=(401, 403, 404, 422, 503),
)
def cash_book(fund_id: UUID, query: dict[str, Any]) -> Any:
    """The cash box's money in and out in ``year``, with its phiếu thu and phiếu chi
    numbers and the balance after each line; files as for sổ thu."""
    return _book(fund_id, query, "cash")


@bp.get("/funds/<uuid:fund_id>/books/bank")
@operation(
    "Read a fund's bank book (sổ tiền gửi ngân hàng)",
    tag="reports",
    query=ExportQuery,
    response=BookOut,
    errors=(401, 403, 404, 422, 503),
)
def bank_book(fund_id: UUID, query: dict[str, Any]) -> Any:
    """The bank account's money in and out in ``year``, with the bank's documents and
    the balance after each line; files as for sổ thu."""
    return _book(fund_id, query, "bank")


def _book(fund_id: UUID, query: dict[str, Any], name: str) -> Any:
    year = query["year"]
    with fresh(query, bulk=True) as (tx, position):
        fund = readable_fund(tx, fund_id)
        account = name if name in ("cash", "bank") else None
        opening = books.opening_balance(tx, str(fund_id), year, account)
        rows = books.book(tx, str(fund_id), year, name)
        data_position = books.last_position(tx, None, str(fund_id), f"{year:04d}-12-31")
        checkpoint = books.covering_checkpoint(tx, data_position)
    totals = books.book_totals(rows)
    if query["format"] != "json":
        book = exports.Book(fund, year, name, opening, rows, totals, data_position, checkpoint)
        return file_response(book.table(), query["format"])
    return {
        "fund_id": str(fund_id),
        "year": year,
        "book": name,
        "opening_balance": opening,
        "total": totals["money"] if account is None else totals["money_in"] - totals["money_out"],
        "totals": totals,
        "closing_balance": opening + totals["money_in"] - totals["money_out"] if account else None,
        "items": rows,
        "position": position,
        "data_position": data_position,
        "checkpoint": checkpoint,
    }


@bp.get("/units/<uuid:unit_id>/summary")
@operation(
    "Summarise a unit's year by kind of fund",
    tag="reports",
    query=SummaryQuery,
    response=SummaryOut,
    errors=(401, 403, 404, 422, 503),
)
def yearly_summary(unit_id: UUID, query: dict[str, Any]) -> Any:
    """Per kind of fund: opening balance, receipts, goods, disbursements, transfers and
    closing balance of ``year``; with ``include_children``, for the whole subtree."""
    year, children = query["year"], query["include_children"]
    with fresh(query, bulk=True) as (tx, position):
        unit = readable_unit(tx, unit_id)
        summary = books.yearly_summary(tx, str(unit_id), year, children)
        data_position = books.last_position(tx, str(unit_id), None, f"{year:04d}-12-31")
        checkpoint = books.covering_checkpoint(tx, data_position)
    if query["format"] != "json":
        table = exports.summary_table(unit, year, children, summary, data_position, checkpoint)
        return file_response(table, query["format"])
    return {
        "unit_id": str(unit_id),
        "year": year,
        "include_children": children,
        "by_fund_kind": summary,
        "position": position,
        "checkpoint": checkpoint,
    }
