"""Thanks to donors: every letter and certificate issued, by batch and by donor."""

from __future__ import annotations

import json
from functools import singledispatchmethod
from typing import Any

from service.adapters.db import Row, Transaction
from service.domain.thanks import Thanks
from service.projections.base import Projection
from service.projections.counting import counted, money, within_unit
from service.projections.ledger import donor_key


class ThanksProjection(Projection):
    name = "thanks"
    tables = ("thanks_letters",)

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Events of other aggregates change nothing here."""

    @apply.register
    def _issued(self, event: Thanks.Issued, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO thanks_letters (id, batch_id, fund_id, unit_id, kind, donor_name, "
            "donor_key, donor_kind, entry_ids, amount, first_on, last_on, issued_at, "
            "issued_by, position) VALUES (:id, :batch, :fund, :unit, :kind, :name, :key, "
            ":donor_kind, :entries, :amount, :first_on, :last_on, :at, :by, :position)",
            {
                "id": str(event.originator_id),
                "batch": str(event.batch_id),
                "fund": str(event.fund_id),
                "unit": str(event.unit_id),
                "kind": event.kind,
                "name": event.donor_name,
                "key": donor_key(event.donor_name),
                "donor_kind": event.donor_kind,
                "entries": json.dumps([str(entry) for entry in event.entry_ids]),
                "amount": event.amount,
                "first_on": event.first_on.isoformat(),
                "last_on": event.last_on.isoformat(),
                "at": event.timestamp.isoformat(),
                "by": event.meta.actor,
                "position": position,
            },
        )


_COLUMNS = (
    "t.id, t.batch_id, t.fund_id, f.name AS fund_name, t.unit_id, u.name AS unit_name, t.kind, "
    "t.donor_name, t.donor_kind, t.entry_ids, t.amount, t.first_on, t.last_on, t.issued_at, "
    "t.issued_by, t.position"
)
_FROM = "FROM thanks_letters t JOIN funds f ON f.id = t.fund_id JOIN units u ON u.id = t.unit_id"


def _decoded(rows: list[Row]) -> list[Row]:
    for row in rows:
        row["entry_ids"] = json.loads(row["entry_ids"])
    return rows


def batch(tx: Transaction, batch_id: str) -> list[Row]:
    """The letters issued together, in the order issued."""
    return _decoded(
        tx.all(
            f"SELECT {_COLUMNS} {_FROM} WHERE t.batch_id = :id ORDER BY t.position, t.id",
            {"id": batch_id},
        )
    )


def of_donor(tx: Transaction, unit_id: str | None, name: str) -> list[Row]:
    """What was sent to a donor by the funds of a unit and the units below it (of every
    unit, with none)."""
    scope = f"AND {within_unit('t.unit_id', ':unit')} " if unit_id else ""
    return _decoded(
        tx.all(
            f"SELECT {_COLUMNS} {_FROM} WHERE t.donor_key = :key {scope}ORDER BY t.position",
            {"key": donor_key(name), "unit": unit_id},
        )
    )


def donors_of_fund(
    tx: Transaction, fund_id: str, first: str, last: str, threshold: int
) -> list[list[str]]:
    """The gifts of each named donor who gave the fund at least ``threshold`` đồng in money
    between ``first`` and ``last``: a list of entry ids per donor, largest giver first."""
    rows = tx.all(
        "SELECT entry_id, donor_key, amount FROM ledger_entries WHERE fund_id = :fund "
        f"AND kind = 'receipt' AND {counted()} AND {money()} AND donor_key IS NOT NULL "
        "AND donor_kind <> 'anonymous' AND occurred_on >= :first AND occurred_on <= :last "
        "ORDER BY position",
        {"fund": fund_id, "first": first, "last": last},
    )
    by_donor: dict[str, tuple[int, list[str]]] = {}
    for row in rows:
        total, entries = by_donor.get(row["donor_key"], (0, []))
        by_donor[row["donor_key"]] = (total + int(row["amount"]), [*entries, row["entry_id"]])
    chosen = sorted(
        (item for item in by_donor.values() if item[0] >= threshold), key=lambda item: -item[0]
    )
    return [entries for _, entries in chosen]


def gifts_of_donor(tx: Transaction, fund_id: str, name: str, first: str, last: str) -> list[str]:
    """The standing gifts of one donor to the fund between two days."""
    return [
        row["entry_id"]
        for row in tx.all(
            "SELECT entry_id FROM ledger_entries WHERE fund_id = :fund AND kind = 'receipt' "
            f"AND {counted()} AND donor_key = :key AND occurred_on >= :first "
            "AND occurred_on <= :last ORDER BY position",
            {"fund": fund_id, "key": donor_key(name), "first": first, "last": last},
        )
    ]
