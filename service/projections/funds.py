"""Fund balances and totals, one row per fund."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from service.db import Row, Transaction
from service.domain.funds import Fund
from service.domain.vocabulary import EntryKind
from service.projections.base import Projection

#: The column of the funds table that each kind of entry adds to.
_TOTAL_OF = {
    EntryKind.RECEIPT: "total_received",
    EntryKind.DISBURSEMENT: "total_disbursed",
    EntryKind.TRANSFER_IN: "total_transferred_in",
    EntryKind.TRANSFER_OUT: "total_transferred_out",
}


class FundsProjection(Projection):
    name = "funds"
    tables = ("funds",)

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Events of other aggregates change nothing here."""

    @apply.register
    def _opened(self, event: Fund.Opened, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO funds (id, unit_id, name, kind, position, opened_at) "
            "VALUES (:id, :unit_id, :name, :kind, :position, :at)",
            {
                "id": str(event.originator_id),
                "unit_id": str(event.unit_id),
                "name": event.name,
                "kind": event.kind,
                "position": position,
                "at": event.timestamp.isoformat(),
            },
        )

    @apply.register
    def _entry(self, event: Fund.EntryRecorded, position: int, tx: Transaction) -> None:
        if isinstance(event, Fund.EntryReversed):
            kind, amount, sign = EntryKind(event.reversed_kind), event.amount, -1
            in_kind = kind is EntryKind.RECEIPT and event.reversed_effect == 0
        else:
            kind, amount, sign = event.kind, event.amount, 1
            in_kind = kind is EntryKind.RECEIPT and event.effect == 0
        total = "total_in_kind" if in_kind else _TOTAL_OF[kind]
        tx.execute(
            f"UPDATE funds SET balance = balance + :effect, {total} = {total} + :amount, "
            "entries_count = entries_count + 1, position = :position WHERE id = :id",
            {
                "effect": event.effect,
                "amount": sign * amount,
                "position": position,
                "id": str(event.originator_id),
            },
        )

    @apply.register
    def _requested(self, event: Fund.PaymentRequested, position: int, tx: Transaction) -> None:
        self._reserve(event.amount, event.originator_id, position, tx)

    @apply.register
    def _decided(self, event: Fund.PaymentDecided, position: int, tx: Transaction) -> None:
        self._reserve(-event.amount, event.originator_id, position, tx)

    def _reserve(self, amount: int, fund_id: UUID, position: int, tx: Transaction) -> None:
        tx.execute(
            "UPDATE funds SET reserved = reserved + :amount, position = :position WHERE id = :id",
            {"amount": amount, "position": position, "id": str(fund_id)},
        )

    @apply.register
    def _period_closed(self, event: Fund.PeriodClosed, position: int, tx: Transaction) -> None:
        tx.execute(
            "UPDATE funds SET closed_through = :through, position = :position WHERE id = :id",
            {
                "through": event.through.isoformat(),
                "position": position,
                "id": str(event.originator_id),
            },
        )


_COLUMNS = (
    "id, unit_id, name, kind, balance, reserved, balance - reserved AS available, "
    "total_received, total_in_kind, total_disbursed, total_transferred_in, "
    "total_transferred_out, entries_count, closed_through, position, opened_at"
)


def get(tx: Transaction, fund_id: str) -> Row | None:
    return tx.one(f"SELECT {_COLUMNS} FROM funds WHERE id = :id", {"id": fund_id})


def of_unit(tx: Transaction, unit_id: str) -> list[Row]:
    return tx.all(
        f"SELECT {_COLUMNS} FROM funds WHERE unit_id = :unit ORDER BY opened_at, id",
        {"unit": unit_id},
    )
