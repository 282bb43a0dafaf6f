"""What counts, and where: the rules every report, book, disclosure, statement and export
shares, spelled here once and nowhere else.

The ledger projection writes what each entry counts as, once, from its event:

- ``counts_as``: the kind of entry it counts under, with ``signed_amount``; a reversal
  counts under the kind of the entry it reverses, its amount negative;
- ``is_money``: whether it moves money; goods (hiện vật) count apart, by their value,
  and in no balance (the channels of goods are ``GOODS_CHANNELS`` of the vocabulary);
- ``counted``: whether it stands, neither reversed nor itself a reversal.

The figures count entries in one of two ways. The report, the books and the disclosure
count every entry where and when it was made (``signed_amount`` under ``counts_as``):
a reversal takes back, on its own day, what its entry added, and a closed period never
changes. The statement, a donor's history and a household's support count what stands
today (``counted``): reversed entries and their reversals are left out.

The figures of a unit cover its own funds, or every fund of its subtree
(``FundScope``); lists filtered to a unit's subtree use ``within_unit``. The funds of a
scope are read first and named one by one in the queries over the ledger's entries, so
the planner walks the ``(fund_id, ...)`` indexes for a commune's few funds whatever it
believes of the table (a plan chosen on stale statistics scanned a million entries for
one commune). A scope of very many funds is given as a subquery instead: it stays within
the protocols' limits on parameters, and its report reads most of the table anyway.
"""

from __future__ import annotations

from typing import Any

from service.adapters.db import Transaction

#: Above this many funds, a scope is named by its subquery rather than fund by fund.
LISTED_FUNDS = 2_000

#: The kinds of entry that move money between two funds.
TRANSFERS = ("transfer_in", "transfer_out")


#: The totals an amount counts in, by what it counts as (``total_of``).
RECEIPTS, GOODS_RECEIVED = "receipts", "in_kind_value"
DISBURSEMENTS, GOODS_GIVEN = "disbursements", "goods_given"
TRANSFERS_IN, TRANSFERS_OUT = "transfers_in", "transfers_out"
#: The exchange gain (positive) or loss of foreign currency sold for đồng.
EXCHANGE = "exchange_difference"


def total_of(counts_as: str | None, is_money: Any) -> str | None:
    """The total that an amount counted under the kind ``counts_as`` adds to: money
    received or paid out, goods received or given out (apart, by value), or a transfer
    in or out; None for what counts in no total."""
    if counts_as == "receipt":
        return RECEIPTS if is_money else GOODS_RECEIVED
    if counts_as == "disbursement":
        return DISBURSEMENTS if is_money else GOODS_GIVEN
    return {
        "transfer_in": TRANSFERS_IN,
        "transfer_out": TRANSFERS_OUT,
        "currency_sale": EXCHANGE,
    }.get(counts_as or "")


def _of(entry: str) -> str:
    return f"{entry}." if entry else ""


def counted(entry: str = "") -> str:
    """The condition that an entry (of the table aliased ``entry``) stands: neither
    reversed nor itself a reversal."""
    return f"{_of(entry)}counted"


def money(entry: str = "") -> str:
    """The condition that an entry moves money (it is no gift of goods)."""
    return f"{_of(entry)}is_money"


def goods(entry: str = "") -> str:
    """The condition that an entry records goods (hiện vật), valued in đồng."""
    return f"NOT {_of(entry)}is_money"


def reversed_by_then(reversal: str, entry: str, day: str) -> str:
    """The join condition that ``reversal`` reversed ``entry`` on or before ``day``: a
    period's books show as reversed only what was reversed within it."""
    return f"{reversal}.entry_id = {entry}.reversed_by_entry_id AND {reversal}.occurred_on <= {day}"


def within_unit(column: str = "unit_id", unit: str = ":within") -> str:
    """The condition that ``column`` names the unit ``unit`` or a unit below it."""
    return f"{column} IN ({units_within(unit)})"


def units_within(unit: str = ":within") -> str:
    """The units of ``unit``'s subtree, itself among them, as a subquery."""
    return f"SELECT unit_id FROM unit_tree WHERE ancestor_id = {unit}"


class FundScope:
    """The funds a unit's figures cover: its own, or every fund of its subtree."""

    def __init__(self, tx: Transaction, unit_id: str, include_children: bool) -> None:
        funds = (
            "FROM funds f JOIN unit_tree t ON t.unit_id = f.unit_id "
            "WHERE t.ancestor_id = :scope_unit"
            if include_children
            else "FROM funds f WHERE f.unit_id = :scope_unit"
        )
        self._subquery = f"SELECT f.id {funds}"
        self.params: dict[str, Any] = {"scope_unit": unit_id}
        #: The kind of each fund of the scope, by its id.
        self.kinds = {
            str(row["id"]): str(row["kind"])
            for row in tx.all(f"SELECT f.id, f.kind {funds}", self.params)
        }
        self.listed = len(self.kinds) <= LISTED_FUNDS
        if self.listed:
            self.params = {f"scope_fund{i}": fund for i, fund in enumerate(self.kinds)}

    def holds(self, column: str) -> str:
        """The condition that ``column`` names a fund of the scope (with ``params``)."""
        if not self.listed:
            return f"{column} IN ({self._subquery})"
        if not self.params:
            return "1 = 0"
        return f"{column} IN ({', '.join(':' + name for name in self.params)})"

    def transfer_inside(self, entry: str = "", counterparty: str | None = None) -> str:
        """The condition that an entry is a transfer between two funds of the scope, which
        cancels out in the scope's figures (``counterparty`` names the other fund's id,
        by default the entry's ``counterparty_fund_id``)."""
        other = counterparty or f"{_of(entry)}counterparty_fund_id"
        kinds = ", ".join(f"'{kind}'" for kind in TRANSFERS)
        return f"{_of(entry)}counts_as IN ({kinds}) AND {self.holds(other)}"
