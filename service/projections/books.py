"""The books a treasurer keeps under Thông tư 103/2018/TT-BTC, read from the ledger: the
receipts book (sổ thu) and the payments book (sổ chi) of a fund for one accounting year,
the yearly summary of a unit's money by kind of fund, and the checkpoint that covers
what an export was made from."""

from __future__ import annotations

from typing import Any

from service.db import Row, Transaction
from service.projections import checkpoints as checkpoint_view
from service.projections.scope import FundScope

_COUNTED = "reversed_by_entry_id IS NULL AND kind <> 'reversal'"


def _year(year: int) -> dict[str, str]:
    return {"from": f"{year:04d}-01-01", "to": f"{year:04d}-12-31"}


def opening_balance(tx: Transaction, fund_id: str, year: int) -> int:
    """The fund's money on the first day of ``year``, reversed entries left out."""
    return int(
        tx.scalar(
            "SELECT COALESCE(SUM(effect), 0) AS total FROM ledger_entries "
            f"WHERE fund_id = :fund AND {_COUNTED} AND occurred_on < :from",
            {"fund": fund_id, **_year(year)},
        )
        or 0
    )


def receipts_book(tx: Transaction, fund_id: str, year: int) -> list[Row]:
    """Every receipt of the fund dated in ``year``, in slip order (reversed ones listed and
    marked: the slip exists, its reversal says why)."""
    rows = tx.all(
        "SELECT slip_no, slip_ref, occurred_on, donor_name, donor_kind, channel, amount, "
        "in_kind_description, note, bank_ref, reversed_by_entry_id, entry_id, position "
        "FROM ledger_entries WHERE fund_id = :fund AND kind = 'receipt' "
        "AND occurred_on >= :from AND occurred_on <= :to ORDER BY slip_no, seq",
        {"fund": fund_id, **_year(year)},
    )
    for row in rows:
        row["reversed"] = row.pop("reversed_by_entry_id") is not None
        row["amount"] = int(row["amount"])
    return rows


def payments_book(tx: Transaction, fund_id: str, year: int) -> list[Row]:
    """Every payment of the fund dated in ``year`` (disbursements and transfers out), by
    date then recording order, with the voucher number the treasurer gave it."""
    rows = tx.all(
        "SELECT e.voucher_no, e.occurred_on, e.kind, e.category, e.amount, "
        "e.in_kind_description, e.note, e.counterparty_fund_id, c.name AS counterparty_fund, "
        "e.household_id, e.reversed_by_entry_id, e.entry_id, e.position "
        "FROM ledger_entries e LEFT JOIN funds c ON c.id = e.counterparty_fund_id "
        "WHERE e.fund_id = :fund AND e.kind IN ('disbursement', 'transfer_out') "
        "AND e.occurred_on >= :from AND e.occurred_on <= :to ORDER BY e.occurred_on, e.seq",
        {"fund": fund_id, **_year(year)},
    )
    for row in rows:
        row["reversed"] = row.pop("reversed_by_entry_id") is not None
        row["amount"] = int(row["amount"])
    return rows


def yearly_summary(
    tx: Transaction, unit_id: str, year: int, include_children: bool
) -> dict[str, dict[str, int]]:
    """Per kind of fund: opening balance, money received (goods apart), goods received by
    value, money paid out, transfers in and out, closing balance. A transfer between two
    funds of the same kind inside the scope cancels out; between kinds it moves money
    from one line to another, so the lines still add up to the unit's report."""
    scope = FundScope(tx, unit_id, include_children)
    rows = tx.all(
        "SELECT f.kind AS fund_kind, e.kind, e.channel, "
        "e.in_kind_description IS NOT NULL AS goods, e.occurred_on < :from AS earlier, "
        "COALESCE(SUM(e.amount), 0) AS amount, COALESCE(SUM(e.effect), 0) AS effect "
        "FROM ledger_entries e JOIN funds f ON f.id = e.fund_id "
        "LEFT JOIN funds c ON c.id = e.counterparty_fund_id "
        f"WHERE {scope.holds('e.fund_id')} AND e.reversed_by_entry_id IS NULL "
        "AND e.kind <> 'reversal' AND e.occurred_on <= :to "
        f"AND NOT (e.kind IN ('transfer_in', 'transfer_out') AND {scope.holds('c.id')} "
        "AND c.kind = f.kind) "
        "GROUP BY f.kind, e.kind, e.channel, e.in_kind_description IS NOT NULL, "
        "e.occurred_on < :from",
        {**scope.params, **_year(year)},
    )
    summary = {kind: _zero() for kind in set(scope.kinds.values())}
    for row in rows:
        line = summary.setdefault(str(row["fund_kind"]), _zero())
        amount = int(row["amount"])
        if row["earlier"]:
            line["opening_balance"] += int(row["effect"])
            continue
        if row["kind"] == "receipt" and row["channel"] == "in_kind":
            line["in_kind_value"] += amount
        elif row["kind"] == "receipt":
            line["receipts"] += amount
        elif row["kind"] == "disbursement" and not row["goods"]:
            line["disbursements"] += amount
        elif row["kind"] == "transfer_in":
            line["transfers_in"] += amount
        elif row["kind"] == "transfer_out":
            line["transfers_out"] += amount
    for line in summary.values():
        line["closing_balance"] = (
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
            "receipts",
            "in_kind_value",
            "disbursements",
            "transfers_in",
            "transfers_out",
            "closing_balance",
        ),
        0,
    )


def last_position(tx: Transaction, unit_id: str | None, fund_id: str | None = None) -> int:
    """The log position of the latest ledger entry an export of ``unit_id``'s subtree (or of
    one fund) depends on: a reversal recorded later changes what an earlier period shows."""
    # A fund's entries are appended in log order, so its latest is its last by sequence:
    # one index look-up per fund, however long the ledgers.
    latest = "(SELECT position FROM ledger_entries WHERE fund_id = f.id ORDER BY seq DESC LIMIT 1)"
    if fund_id is not None:
        where, params = "f.id = :fund", {"fund": fund_id}
    else:
        where = "f.unit_id IN (SELECT unit_id FROM unit_tree WHERE ancestor_id = :unit)"
        params = {"unit": str(unit_id)}
    found = tx.scalar(f"SELECT MAX({latest}) AS p FROM funds f WHERE {where}", params)
    return int(found or 0)


def covering_checkpoint(tx: Transaction, position: int) -> dict[str, Any] | None:
    """The latest signed checkpoint, if it covers the log up to ``position``: the tree size
    and root by which anyone can later prove that the exported data was not changed."""
    row = checkpoint_view.covering(tx, max(position, 1))
    if row is None:
        return None
    return {
        "tree_size": int(row["tree_size"]),
        "root_hash": row["root_hash"],
        "made_at": row["made_at"],
    }
