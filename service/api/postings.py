"""The double-entry books of a fund, derived from its postings: the general journal (and
its export for accounting software), the ledger of an account, the trial balance and the
settlement report; and the trial balance of a unit's funds. JSON, or CSV and XLSX files
with Vietnamese headers, each naming the checkpoint it was made from."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.adapters.db import Transaction
from service.api import postings_exports as tables
from service.api.operation import operation
from service.api.schemas.postings import (
    AccountLedgerOut,
    JournalOut,
    JournalQuery,
    PeriodQuery,
    SettlementOut,
    TrialBalanceOut,
    UnitPeriodQuery,
)
from service.api.spreadsheets import file_response
from service.domain import chart
from service.domain.errors import InvalidInput
from service.projections import books
from service.projections import postings_books as ledger
from service.reads import fresh, readable_unit
from service.reads.funds import readable_fund

bp = Blueprint("postings", __name__)


def _period(query: dict[str, Any]) -> tuple[str, str]:
    return query["date_from"].isoformat(), query["date_to"].isoformat()


def _source(
    tx: Transaction,
    name: str,
    slug: str,
    unit_id: str | None,
    fund_id: str | None,
    to: str,
    frm: str,
) -> tables.Source:
    position = books.last_position(tx, unit_id, fund_id, to)
    checkpoint = books.covering_checkpoint(tx, position)
    return tables.Source(name, slug, frm, to, position, checkpoint)


def _provenance(source: tables.Source, position: int) -> dict[str, Any]:
    return {
        "date_from": source.date_from,
        "date_to": source.date_to,
        "position": position,
        "data_position": source.position,
        "checkpoint": source.checkpoint,
    }


@bp.get("/funds/<uuid:fund_id>/journal")
@operation(
    "Read a fund's general journal (sổ nhật ký chung)",
    tag="reports",
    query=JournalQuery,
    response=JournalOut,
    errors=(401, 403, 404, 422, 503),
)
def journal(fund_id: UUID, query: dict[str, Any]) -> Any:
    """Every posting dated in the period, debit and credit account, by date;
    ``format=misa`` for the postings as MISA imports vouchers."""
    frm, to = _period(query)
    with fresh(query, bulk=True) as (tx, position):
        fund = readable_fund(tx, fund_id)
        rows = ledger.journal(tx, ledger.Scope.fund(str(fund_id)), frm, to)
        source = _source(tx, fund["name"], str(fund_id), None, str(fund_id), to, frm)
    if query["format"] == "misa":
        return file_response(tables.misa_table(source, rows), "xlsx")
    if query["format"] != "json":
        return file_response(tables.journal_table(source, rows), query["format"])
    total = sum(row["amount"] for row in rows)
    return {"fund_id": str(fund_id), "items": rows, "total": total, **_provenance(source, position)}


@bp.get("/funds/<uuid:fund_id>/ledgers/<account>")
@operation(
    "Read a fund's ledger of one account (sổ cái; 111: sổ quỹ tiền mặt, 112: sổ tiền gửi)",
    tag="reports",
    query=PeriodQuery,
    response=AccountLedgerOut,
    errors=(401, 403, 404, 422, 503),
)
def account_ledger(fund_id: UUID, account: str, query: dict[str, Any]) -> Any:
    """The account's opening balance, its postings in the period with the contra account
    and the balance after each, and its closing balance."""
    found = chart.ACCOUNTS.get(account)
    if found is None:
        codes = ", ".join(chart.ACCOUNTS)
        raise InvalidInput(
            "account", f"Không có tài khoản {account} trong hệ thống tài khoản. Hãy dùng: {codes}."
        )
    frm, to = _period(query)
    with fresh(query, bulk=True) as (tx, position):
        fund = readable_fund(tx, fund_id)
        opening, rows = ledger.account_ledger(tx, ledger.Scope.fund(str(fund_id)), account, frm, to)
        source = _source(tx, fund["name"], str(fund_id), None, str(fund_id), to, frm)
    if query["format"] != "json":
        return file_response(tables.ledger_table(source, found, opening, rows), query["format"])
    debit = sum(row["debit_amount"] for row in rows)
    credit = sum(row["credit_amount"] for row in rows)
    return {
        "fund_id": str(fund_id),
        "account": {"code": found.code, "name": found.name, "group": found.group.value},
        "opening_balance": opening,
        "period_debit": debit,
        "period_credit": credit,
        "closing_balance": opening + debit - credit,
        "items": rows,
        **_provenance(source, position),
    }


@bp.get("/funds/<uuid:fund_id>/trial-balance")
@operation(
    "Read a fund's trial balance (bảng cân đối số phát sinh)",
    tag="reports",
    query=PeriodQuery,
    response=TrialBalanceOut,
    errors=(401, 403, 404, 422, 503),
)
def fund_trial_balance(fund_id: UUID, query: dict[str, Any]) -> Any:
    """Every account: opening balance, the period's debits and credits, closing balance."""
    frm, to = _period(query)
    with fresh(query, bulk=True) as (tx, position):
        fund = readable_fund(tx, fund_id)
        lines = ledger.trial_balance(tx, ledger.Scope.fund(str(fund_id)), frm, to)
        source = _source(tx, fund["name"], str(fund_id), None, str(fund_id), to, frm)
    return _trial_balance(source, lines, query, position, {"fund_id": str(fund_id)})


@bp.get("/units/<uuid:unit_id>/trial-balance")
@operation(
    "Read the trial balance of a unit's funds",
    tag="reports",
    query=UnitPeriodQuery,
    response=TrialBalanceOut,
    errors=(401, 403, 404, 422, 503),
)
def unit_trial_balance(unit_id: UUID, query: dict[str, Any]) -> Any:
    """The unit's funds (with ``include_children``, its subtree's) as one set of books:
    transfers between two of them cancel out, as in the unit's report."""
    frm, to = _period(query)
    children = query["include_children"]
    with fresh(query, bulk=True) as (tx, position):
        unit = readable_unit(tx, unit_id)
        scope = ledger.Scope.unit(tx, str(unit_id), children)
        lines = ledger.trial_balance(tx, scope, frm, to)
        slug = f"{unit_id}{'-ca-cap-duoi' if children else ''}"
        source = _source(tx, unit["name"], slug, str(unit_id), None, to, frm)
    extra = {"unit_id": str(unit_id), "include_children": children}
    return _trial_balance(source, lines, query, position, extra)


def _trial_balance(
    source: tables.Source,
    lines: list[dict[str, Any]],
    query: dict[str, Any],
    position: int,
    whose: dict[str, Any],
) -> Any:
    totals = ledger.totals(lines)
    if query["format"] != "json":
        return file_response(tables.trial_balance_table(source, lines, totals), query["format"])
    return {
        **whose,
        "lines": lines,
        "totals": totals,
        "balanced": ledger.is_balanced(totals),
        **_provenance(source, position),
    }


@bp.get("/funds/<uuid:fund_id>/settlement")
@operation(
    "Read a fund's settlement of receipts and payments (báo cáo quyết toán thu chi)",
    tag="reports",
    query=PeriodQuery,
    response=SettlementOut,
    errors=(401, 403, 404, 422, 503),
)
def settlement(fund_id: UUID, query: dict[str, Any]) -> Any:
    """The money at the start, sources by kind, transfers, payments by purpose, the money
    at the end, and goods apart, read off the trial balance of the period."""
    frm, to = _period(query)
    with fresh(query, bulk=True) as (tx, position):
        fund = readable_fund(tx, fund_id)
        lines = ledger.trial_balance(tx, ledger.Scope.fund(str(fund_id)), frm, to)
        source = _source(tx, fund["name"], str(fund_id), None, str(fund_id), to, frm)
    report = ledger.settlement(lines)
    if query["format"] != "json":
        return file_response(tables.settlement_table(source, report), query["format"])
    return {"fund_id": str(fund_id), **report, **_provenance(source, position)}
