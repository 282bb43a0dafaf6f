"""The books a treasurer keeps under Thông tư 103/2018/TT-BTC, read from the ledger: the
receipts book (sổ thu), the payments book (sổ chi), the cash book (sổ quỹ tiền mặt) and
the bank book (sổ tiền gửi ngân hàng) of a fund for one accounting year,
the yearly summary of a unit's money by kind of fund, and the checkpoint that covers
what an export was made from."""

from __future__ import annotations

from typing import Any

from service.adapters.db import Row, Transaction
from service.projections import checkpoints as checkpoint_view
from service.projections.counting import (
    DISBURSEMENTS,
    EXCHANGE,
    GOODS_RECEIVED,
    RECEIPTS,
    TRANSFERS,
    TRANSFERS_IN,
    TRANSFERS_OUT,
    FundScope,
    money,
    reversed_by_then,
    total_of,
    within_unit,
)

#: The kinds of entry each book lists; a reversal is listed in the book of what it reverses.
BOOK_KINDS = {
    "receipts": ("receipt",),
    "payments": ("disbursement", "transfer_out"),
    # Currency kept in the cash box or at the bank counts there at its đồng value; a sale
    # of it adds its exchange difference (a loss negative).
    "cash": ("receipt", "disbursement", *TRANSFERS, "currency_sale"),
    "bank": ("receipt", "disbursement", *TRANSFERS, "currency_sale"),
}
#: Money coming in, in the cash and bank books.
_INFLOWS = ("receipt", "transfer_in", "currency_sale")


def _year(year: int) -> dict[str, str]:
    return {"from": f"{year:04d}-01-01", "to": f"{year:04d}-12-31"}


def opening_balance(tx: Transaction, fund_id: str, year: int, account: str | None = None) -> int:
    """The fund's money on the first day of ``year`` (of one account, cash or bank, if
    named): every entry dated earlier, reversals on the day they were made."""
    where = "" if account is None else "AND account = :account "
    return int(
        tx.scalar(
            "SELECT COALESCE(SUM(effect), 0) AS total FROM ledger_entries "
            f"WHERE fund_id = :fund {where}AND occurred_on < :from",
            {"fund": fund_id, "account": account, **_year(year)},
        )
        or 0
    )


def balance_on(tx: Transaction, fund_id: str, day: str) -> int:
    """The fund's money at the end of ``day``: every entry dated on or before it."""
    return int(
        tx.scalar(
            "SELECT COALESCE(SUM(effect), 0) AS total FROM ledger_entries "
            "WHERE fund_id = :fund AND occurred_on <= :day",
            {"fund": fund_id, "day": day},
        )
        or 0
    )


def book(tx: Transaction, fund_id: str, year: int, name: str) -> list[Row]:
    """The lines of one book of the fund for ``year``, by date then recording order.

    A line's ``money`` is the money it adds to the book and ``goods_value`` the value of
    the goods it records (each negative on a reversal, which is listed on the day it was
    made, in the book of the entry it reverses; the reversed entry stays on its own
    line, marked reversed if the reversal is dated in the same year). The receipts and
    payments books carry the year's running total of money
    (``running_total``); the cash book (sổ quỹ tiền mặt) and the bank book (sổ tiền gửi)
    list only their account's money, as ``money_in`` and ``money_out``, with the
    account's ``running_balance``."""
    kinds = BOOK_KINDS[name]
    account = name if name in ("cash", "bank") else None
    rows = tx.all(
        "SELECT e.slip_no, e.slip_ref, e.voucher_no, e.bank_ref, e.occurred_on, e.kind, "
        "e.counts_as, e.channel, e.category, e.donor_name, e.donor_kind, e.amount, "
        f"e.signed_amount, {money('e')} AS is_money, e.account, e.in_kind_description, "
        "e.in_kind_quantity, e.in_kind_unit, "
        "e.note, e.reason, e.counterparty_fund_id, c.name AS counterparty_fund, e.household_id, "
        "e.reverses_entry_id, r.entry_id AS reversed_by_entry_id, e.entry_id, e.position "
        "FROM ledger_entries e LEFT JOIN funds c ON c.id = e.counterparty_fund_id "
        # A reversal made after the year is no part of the year's book, which never changes.
        f"LEFT JOIN ledger_entries r ON {reversed_by_then('r', 'e', ':to')} "
        f"WHERE e.fund_id = :fund AND e.counts_as IN ({', '.join(repr(k) for k in kinds)}) "
        + ("AND e.account = :account " if account else "")
        + "AND e.occurred_on >= :from AND e.occurred_on <= :to ORDER BY e.occurred_on, e.seq",
        {"fund": fund_id, "account": account, **_year(year)},
    )
    balance = opening_balance(tx, fund_id, year, account) if account else 0
    for row in rows:
        signed = int(row.pop("signed_amount") or 0)
        row["amount"] = int(row["amount"])
        row["reversed"] = row.pop("reversed_by_entry_id") is not None
        row["reversal"] = row["kind"] == "reversal"
        row["kind"] = row.pop("counts_as")
        is_money = bool(row.pop("is_money"))
        row["money"] = signed if is_money else 0
        row["goods_value"] = 0 if is_money else signed
        if account:
            inflow = row["kind"] in _INFLOWS
            row["money_in"] = row["money"] if inflow else 0
            row["money_out"] = 0 if inflow else row["money"]
            balance += row["money_in"] - row["money_out"]
            row["running_balance"] = balance
        else:
            balance += row["money"]
            row["running_total"] = balance
    return rows


def book_totals(rows: list[Row]) -> dict[str, int]:
    """The total line of a book: each column of money added up."""
    return {
        column: sum(int(row.get(column) or 0) for row in rows)
        for column in ("money", "goods_value", "money_in", "money_out")
    }


def yearly_summary(
    tx: Transaction, unit_id: str, year: int, include_children: bool
) -> dict[str, dict[str, int]]:
    """Per kind of fund: opening balance, money received (goods apart), goods received by
    value, money paid out, transfers in and out, closing balance. A transfer between two
    funds of the same kind inside the scope cancels out; between kinds it moves money
    from one line to another, so the lines still add up to the unit's report."""
    scope = FundScope(tx, unit_id, include_children)
    rows = tx.all(
        f"SELECT f.kind AS fund_kind, e.counts_as AS kind, {money('e')} AS is_money, "
        "e.occurred_on < :from AS earlier, "
        "COALESCE(SUM(e.signed_amount), 0) AS amount, COALESCE(SUM(e.effect), 0) AS effect "
        "FROM ledger_entries e JOIN funds f ON f.id = e.fund_id "
        "LEFT JOIN funds c ON c.id = e.counterparty_fund_id "
        f"WHERE {scope.holds('e.fund_id')} AND e.occurred_on <= :to "
        f"AND NOT ({scope.transfer_inside('e', 'c.id')} AND c.kind = f.kind) "
        f"GROUP BY f.kind, e.counts_as, {money('e')}, e.occurred_on < :from",
        {**scope.params, **_year(year)},
    )
    summary = {kind: _zero() for kind in set(scope.kinds.values())}
    for row in rows:
        line = summary.setdefault(str(row["fund_kind"]), _zero())
        amount = int(row["amount"])
        if row["earlier"]:
            line["opening_balance"] += int(row["effect"])
            continue
        total = total_of(row["kind"], row["is_money"])
        if total in line:  # goods given out are no line of the summary
            line[str(total)] += amount
        elif total == EXCHANGE:  # currency sold: in the balance, on no line of its own
            line["closing_balance"] += amount
    for line in summary.values():
        line["closing_balance"] += (
            line["opening_balance"]
            + line["receipts"]
            + line["transfers_in"]
            - line["disbursements"]
            - line["transfers_out"]
        )
    return dict(sorted(summary.items()))


def _zero() -> dict[str, int]:
    return dict.fromkeys(
        (
            "opening_balance",
            RECEIPTS,
            GOODS_RECEIVED,
            DISBURSEMENTS,
            TRANSFERS_IN,
            TRANSFERS_OUT,
            "closing_balance",
        ),
        0,
    )


def last_position(
    tx: Transaction, unit_id: str | None, fund_id: str | None = None, through: str | None = None
) -> int:
    """The log position of the latest ledger entry an export of ``unit_id``'s subtree (or of
    one fund) depends on: with ``through``, of the entries dated on or before it, which a
    later write never changes once the period is closed."""
    if fund_id is not None:
        where, params = "f.id = :fund", {"fund": fund_id}
    else:
        where = within_unit("f.unit_id", ":unit")
        params = {"unit": str(unit_id)}
    if through is not None:
        found = tx.scalar(
            "SELECT MAX(e.position) AS p FROM ledger_entries e JOIN funds f ON f.id = e.fund_id "
            f"WHERE {where} AND e.occurred_on <= :through",
            {**params, "through": through},
        )
        return int(found or 0)
    # A fund's entries are appended in log order, so its latest is its last by sequence:
    # one index look-up per fund, however long the ledgers.
    latest = "(SELECT position FROM ledger_entries WHERE fund_id = f.id ORDER BY seq DESC LIMIT 1)"
    found = tx.scalar(f"SELECT MAX({latest}) AS p FROM funds f WHERE {where}", params)
    return int(found or 0)


def covering_checkpoint(tx: Transaction, position: int) -> dict[str, Any] | None:
    """The first signed checkpoint that covers the log up to ``position``: the tree size
    and root by which anyone can later prove that the exported data was not changed, and
    the same in every export of the same data."""
    row = checkpoint_view.first_covering(tx, max(position, 1))
    if row is None:
        return None
    return {
        "tree_size": int(row["tree_size"]),
        "root_hash": row["root_hash"],
        "made_at": row["made_at"],
    }
