"""The funds a unit's figures cover: its own, or every fund of its subtree.

They are read first and named one by one in the queries over the ledger's entries, so
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


class FundScope:
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
