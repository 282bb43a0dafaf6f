"""Pledges: each one with what receipts fulfilled of it, its instalments, and what is
outstanding and overdue, for a unit and the units below it."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from service.adapters.db import Row, Transaction
from service.domain.pledges import Pledge
from service.domain.vocabulary import PledgeStatus
from service.projections import counting
from service.projections.base import Projection


class PledgesProjection(Projection):
    name = "pledges"
    tables = ("pledges", "pledge_instalments", "pledge_fulfilments")

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Events of other aggregates change nothing here."""

    @apply.register
    def _made(self, event: Pledge.Made, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO pledges (pledge_id, fund_id, unit_id, code, donor_name, donor_kind, "
            "amount, fulfilled, due_on, note, status, made_at, made_by, position, "
            "last_position) VALUES (:id, :fund, :unit, :code, :donor_name, :donor_kind, "
            ":amount, 0, :due_on, :note, 'open', :at, :by, :position, :position)",
            {
                "id": str(event.originator_id),
                "fund": str(event.fund_id),
                "unit": str(event.unit_id),
                "code": event.code,
                "donor_name": event.donor_name,
                "donor_kind": event.donor_kind,
                "amount": event.amount,
                "due_on": event.due_on.isoformat() if event.due_on else None,
                "note": event.note,
                "at": event.timestamp.isoformat(),
                "by": event.meta.actor,
                "position": position,
            },
        )
        tx.executemany(
            "INSERT INTO pledge_instalments (pledge_id, seq, due_on, amount, cumulative) "
            "VALUES (:id, :seq, :due_on, :amount, :cumulative)",
            [
                {"id": str(event.originator_id), "seq": seq, **row}
                for seq, row in enumerate(event.instalments, 1)
            ],
        )

    @apply.register
    def _fulfilled(self, event: Pledge.Fulfilled, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO pledge_fulfilments (pledge_id, entry_id, amount, position) "
            "VALUES (:id, :entry, :amount, :position)",
            {
                "id": str(event.originator_id),
                "entry": str(event.entry_id),
                "amount": event.amount,
                "position": position,
            },
        )
        self._fulfil(event.originator_id, event.amount, position, tx)

    @apply.register
    def _reversed(self, event: Pledge.FulfilmentReversed, position: int, tx: Transaction) -> None:
        tx.execute(
            "UPDATE pledge_fulfilments SET reversed_position = :position "
            "WHERE pledge_id = :id AND entry_id = :entry",
            {"id": str(event.originator_id), "entry": str(event.entry_id), "position": position},
        )
        self._fulfil(event.originator_id, -event.amount, position, tx)

    def _fulfil(self, pledge_id: Any, amount: int, position: int, tx: Transaction) -> None:
        tx.execute(
            "UPDATE pledges SET fulfilled = fulfilled + :amount, last_position = :position, "
            "status = CASE WHEN fulfilled + :amount = amount THEN 'fulfilled' ELSE 'open' END "
            "WHERE pledge_id = :id",
            {"id": str(pledge_id), "amount": amount, "position": position},
        )

    @apply.register
    def _moved(self, event: Pledge.Moved, position: int, tx: Transaction) -> None:
        tx.execute(
            "UPDATE pledges SET fund_id = :fund, unit_id = :unit, moved_from_fund_id = :from, "
            "moved_on = :on, last_position = :position WHERE pledge_id = :id",
            {
                "id": str(event.originator_id),
                "fund": str(event.fund_id),
                "unit": str(event.unit_id),
                "from": str(event.from_fund_id),
                "on": event.merged_on.isoformat(),
                "position": position,
            },
        )

    @apply.register
    def _closed(self, event: Pledge.Closed, position: int, tx: Transaction) -> None:
        tx.execute(
            "UPDATE pledges SET status = :status, closed_reason = :reason, closed_at = :at, "
            "closed_by = :by, last_position = :position WHERE pledge_id = :id",
            {
                "id": str(event.originator_id),
                "status": event.closed_as,
                "reason": event.reason,
                "at": event.timestamp.isoformat(),
                "by": event.meta.actor,
                "position": position,
            },
        )


_COLUMNS = (
    "p.pledge_id, p.fund_id, p.unit_id, p.code, p.donor_name, p.donor_kind, p.amount, "
    "p.fulfilled, CASE WHEN p.status = 'open' THEN p.amount - p.fulfilled ELSE 0 END "
    "AS outstanding, p.due_on, p.note, p.status, p.made_at, p.made_by, p.closed_reason, "
    "p.closed_at, p.closed_by, p.moved_from_fund_id, p.moved_on, p.position, "
    # What should have been given before the day asked about, beyond what was given.
    "CASE WHEN p.status = 'open' THEN COALESCE((SELECT MAX(i.cumulative) FROM "
    "pledge_instalments i WHERE i.pledge_id = p.pledge_id AND i.due_on < :as_of), 0) "
    "- p.fulfilled ELSE 0 END AS overdue"
)


def _shown(row: Row) -> Row:
    row["overdue"] = max(0, int(row["overdue"]))
    return row


def get(tx: Transaction, pledge_id: str, as_of: str) -> Row | None:
    row = tx.one(
        f"SELECT {_COLUMNS} FROM pledges p WHERE p.pledge_id = :id",
        {"id": pledge_id, "as_of": as_of},
    )
    return _shown(row) if row else None


def of_fund_by_code(tx: Transaction, fund_id: str) -> dict[str, str]:
    """The open pledges of a fund, by code: what an import matches memos against."""
    rows = tx.all(
        "SELECT code, pledge_id FROM pledges WHERE fund_id = :fund AND status = :open",
        {"fund": fund_id, "open": PledgeStatus.OPEN.value},
    )
    return {row["code"]: row["pledge_id"] for row in rows}


def codes(tx: Transaction, fund_id: str) -> set[str]:
    """Every code the fund's pledges hold, whatever their state, those moved in included:
    no new or moved pledge of the fund may take one of them."""
    return {
        str(row["code"])
        for row in tx.all("SELECT code FROM pledges WHERE fund_id = :fund", {"fund": fund_id})
    }


def instalments(tx: Transaction, pledge_id: str) -> list[Row]:
    return tx.all(
        "SELECT due_on, amount, cumulative FROM pledge_instalments WHERE pledge_id = :id "
        "ORDER BY seq",
        {"id": pledge_id},
    )


def fulfilments(tx: Transaction, pledge_id: str) -> list[Row]:
    rows = tx.all(
        "SELECT f.entry_id, f.amount, e.amount AS receipt_amount, e.occurred_on, e.slip_no, "
        "e.slip_ref, f.position, f.reversed_position FROM pledge_fulfilments f "
        "JOIN ledger_entries e ON e.entry_id = f.entry_id WHERE f.pledge_id = :id "
        "ORDER BY f.position",
        {"id": pledge_id},
    )
    for row in rows:
        row["reversed"] = row.pop("reversed_position") is not None
    return rows


def of_unit(
    tx: Transaction,
    unit_id: str,
    *,
    include_children: bool,
    status: str | None,
    overdue_only: bool,
    as_of: str,
    after_position: int,
    limit: int,
) -> list[Row]:
    """A page of the pledges made to the unit's funds (and the units below), oldest first;
    ``overdue_only`` keeps the open ones with instalments due before ``as_of`` unpaid."""
    where = ["p.position > :after"]
    where.append(
        counting.within_unit("p.unit_id", ":unit") if include_children else "p.unit_id = :unit"
    )
    if status:
        where.append("p.status = :status")
    if overdue_only:
        where.append(
            "p.status = 'open' AND EXISTS (SELECT 1 FROM pledge_instalments i WHERE "
            "i.pledge_id = p.pledge_id AND i.due_on < :as_of AND i.cumulative > p.fulfilled)"
        )
    rows = tx.all(
        f"SELECT {_COLUMNS} FROM pledges p WHERE {' AND '.join(where)} "
        "ORDER BY p.position LIMIT :limit",
        {
            "after": after_position,
            "unit": unit_id,
            "status": status,
            "as_of": as_of,
            "limit": limit,
        },
    )
    return [_shown(row) for row in rows]


def totals(tx: Transaction, unit_id: str, *, include_children: bool, as_of: str) -> Row:
    """How much is pledged, fulfilled, outstanding and overdue across the unit's pledges."""
    scope = counting.within_unit("p.unit_id", ":unit") if include_children else "p.unit_id = :unit"
    rows = tx.all(
        f"SELECT {_COLUMNS} FROM pledges p WHERE {scope}", {"unit": unit_id, "as_of": as_of}
    )
    shown = [_shown(row) for row in rows]
    return {
        "count": len(shown),
        "amount": sum(int(r["amount"]) for r in shown),
        "fulfilled": sum(int(r["fulfilled"]) for r in shown),
        "outstanding": sum(int(r["outstanding"]) for r in shown),
        "overdue": sum(r["overdue"] for r in shown),
        "overdue_count": sum(1 for r in shown if r["overdue"] > 0),
    }
