"""A donor's giving history: every receipt a named donor gave to the funds of a unit and
the units below it, across funds, recognised by the name as compared."""

from __future__ import annotations

from service.adapters.db import Row, Transaction
from service.projections.counting import counted, goods, money, within_unit
from service.projections.ledger import donor_key

_SCOPE = f"fund_id IN (SELECT id FROM funds WHERE {within_unit('unit_id', ':unit')})"


def history(
    tx: Transaction, unit_id: str, name: str, *, after_position: int, limit: int
) -> list[Row]:
    """A page of the donor's receipts, oldest recorded first, with the fund of each."""
    rows = tx.all(
        "SELECT e.entry_id, e.fund_id, f.name AS fund_name, f.kind AS fund_kind, e.position, "
        "e.occurred_on, e.amount, e.channel, e.donor_name, e.donor_kind, e.slip_no, "
        "e.slip_ref, e.pledge_id, e.reversed_by_entry_id FROM ledger_entries e "
        "JOIN funds f ON f.id = e.fund_id WHERE e.donor_key = :key AND e.kind = 'receipt' "
        f"AND e.{_SCOPE} AND e.position > :after ORDER BY e.position LIMIT :limit",
        {"key": donor_key(name), "unit": unit_id, "after": after_position, "limit": limit},
    )
    for row in rows:
        row["reversed"] = row.pop("reversed_by_entry_id") is not None
    return rows


def totals(tx: Transaction, unit_id: str, name: str) -> Row:
    """What the donor gave in money and in goods (reversed receipts left out), to how
    many funds, in how many receipts."""
    row = tx.one(
        "SELECT COUNT(*) AS receipts, COUNT(DISTINCT fund_id) AS funds, "
        f"COALESCE(SUM(CASE WHEN {money()} THEN amount END), 0) AS money, "
        f"COALESCE(SUM(CASE WHEN {goods()} THEN amount END), 0) AS in_kind_value "
        "FROM ledger_entries WHERE donor_key = :key AND kind = 'receipt' "
        f"AND {counted()} AND {_SCOPE}",
        {"key": donor_key(name), "unit": unit_id},
    )
    return {key: int(value or 0) for key, value in (row or {}).items()}
