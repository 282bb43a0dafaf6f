"""A fund and its ledger as a token may read them, for the API's routes and the
inspector pages."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from service.adapters.db import Row, Transaction
from service.domain.currency import shown
from service.domain.errors import FundNotFound
from service.projections import funds as fund_view
from service.projections import ledger as ledger_view
from service.reads import page, reached


def readable_fund(tx: Transaction, fund_id: UUID) -> Row:
    missing = FundNotFound(
        "Không có quỹ nào với mã này. Hãy kiểm tra lại mã quỹ.", fund_id=str(fund_id)
    )
    fund = reached(tx, fund_view.get(tx, str(fund_id)), missing)
    return with_holdings(tx, fund)


def with_holdings(tx: Transaction, fund: Row) -> Row:
    """The fund with its foreign currency: each holding in minor units with its carrying
    value (the fund's ``dong`` and ``available`` already leave that value out)."""
    held = [
        {
            "currency": row["currency"],
            "held_in": row["held_in"],
            "amount": int(row["amount"]),
            "carrying_value": int(row["carrying_value"]),
            "shown": shown(int(row["amount"]), row["currency"]),
        }
        for row in fund_view.holdings(tx, str(fund["id"]))
    ]
    return {**fund, "holdings": held}


def entries_page(tx: Transaction, fund_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """A page of a fund's ledger (``LedgerQuery``'s fields), once the fund was found readable."""
    rows = ledger_view.entries(
        tx,
        str(fund_id),
        occurred_from=query["date_from"].isoformat() if query["date_from"] else None,
        occurred_to=query["date_to"].isoformat() if query["date_to"] else None,
        after_seq=query["cursor"] or 0,
        limit=query["limit"] + 1,
    )
    return page([ledger_item(row) for row in rows], query["limit"], lambda row: row["seq"])


def ledger_item(row: Row) -> Row:
    donor_kind = row.pop("donor_kind")
    donor_name = row.pop("donor_name")
    description, quantity, unit = (
        row.pop("in_kind_description"),
        row.pop("in_kind_quantity"),
        row.pop("in_kind_unit"),
    )
    row["donor"] = {"name": donor_name, "kind": donor_kind} if donor_kind else None
    row["in_kind"] = (
        {"description": description, "quantity": quantity, "unit": unit} if description else None
    )
    row["reversed"] = row["reversed_by_entry_id"] is not None
    return row
