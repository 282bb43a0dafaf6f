"""Fund balances and totals, one row per fund."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from service.adapters.db import Row, Transaction
from service.domain.exchange import holding_moved
from service.domain.funds import Fund, stock_item
from service.domain.vocabulary import EntryKind
from service.projections.base import Projection

#: The column of the funds table that each kind of entry adds to.
_TOTAL_OF = {
    EntryKind.RECEIPT: "total_received",
    EntryKind.DISBURSEMENT: "total_disbursed",
    EntryKind.TRANSFER_IN: "total_transferred_in",
    EntryKind.TRANSFER_OUT: "total_transferred_out",
}
#: The column that goods received or given out add to, by their value.
_GOODS_TOTAL_OF = {EntryKind.RECEIPT: "total_in_kind", EntryKind.DISBURSEMENT: "total_in_kind_out"}


#: The columns an entry adds to; a page's entries are summed per fund and written at once.
_SUMMED = ("balance", *_TOTAL_OF.values(), *_GOODS_TOTAL_OF.values(), "entries_count")
_ADD_SUMS = (
    "UPDATE funds SET "
    + ", ".join(f"{column} = {column} + :{column}" for column in _SUMMED)
    + ", position = CASE WHEN position > :position THEN position ELSE :position END "
    "WHERE id = :id"
)


class FundsProjection(Projection):
    name = "funds"
    weight = 4
    tables = ("funds", "in_kind_stock", "fund_holdings")

    def __init__(self) -> None:
        self._sums: dict[str, dict[str, int]] = {}

    def apply_page(self, tx: Transaction, events: Sequence[tuple[int, Any]]) -> None:
        self._sums = {}
        try:
            super().apply_page(tx, events)
            tx.executemany(_ADD_SUMS, [{**sums, "id": fund} for fund, sums in self._sums.items()])
        finally:
            self._sums = {}

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
            goods = event.reversed_goods
        else:
            kind, amount, sign = event.kind, event.amount, 1
            goods = getattr(event, "in_kind", None)
        if goods is not None:
            self._move_stock(event, goods, sign * amount, position, tx)
        if (moved := holding_moved(event)) is not None:
            _move_holding(tx, str(event.originator_id), moved, position)
        fund = str(event.originator_id)
        sums = self._sums.setdefault(fund, dict.fromkeys(_SUMMED, 0))
        sums["balance"] += event.effect
        total = _TOTAL_OF.get(kind) if goods is None else _GOODS_TOTAL_OF[kind]
        if total is not None:  # a currency sale adds to no total, only to the balance
            sums[total] += sign * amount
        sums["entries_count"] += 1
        sums["position"] = position

    def _move_stock(
        self,
        event: Fund.EntryRecorded,
        goods: dict[str, Any],
        value: int,
        position: int,
        tx: Transaction,
    ) -> None:
        """Goods in or out of the stock; a reversal moves them back, ``value`` negative."""
        received = (event.kind is EntryKind.RECEIPT) or (
            isinstance(event, Fund.EntryReversed) and event.reversed_kind == EntryKind.RECEIPT
        )
        side = "in" if received else "out"
        quantity = abs(goods["quantity"]) * (-1 if value < 0 else 1)
        tx.execute(
            "INSERT INTO in_kind_stock (fund_id, item, description, unit, position) "
            "VALUES (:fund, :item, :description, :unit, :position) "
            "ON CONFLICT (fund_id, item) DO NOTHING",
            {
                "fund": str(event.originator_id),
                "item": stock_item(goods),
                "description": goods["description"],
                "unit": goods["unit"],
                "position": position,
            },
        )
        tx.execute(
            f"UPDATE in_kind_stock SET quantity_{side} = quantity_{side} + :quantity, "
            f"value_{side} = value_{side} + :value, position = :position "
            "WHERE fund_id = :fund AND item = :item",
            {
                "quantity": quantity,
                "value": value,
                "position": position,
                "fund": str(event.originator_id),
                "item": stock_item(goods),
            },
        )

    @apply.register
    def _requested(self, event: Fund.PaymentRequested, position: int, tx: Transaction) -> None:
        self._reserve(event.reserves, event.originator_id, position, tx)

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


def _move_holding(tx: Transaction, fund_id: str, moved: dict[str, Any], position: int) -> None:
    """Foreign currency into (or out of) the fund's holding, with its carrying value."""
    tx.execute(
        "INSERT INTO fund_holdings (fund_id, currency, held_in, position) "
        "VALUES (:fund, :currency, :held_in, :position) "
        "ON CONFLICT (fund_id, currency, held_in) DO NOTHING",
        {**moved, "fund": fund_id, "position": position},
    )
    tx.execute(
        "UPDATE fund_holdings SET amount = amount + :amount, "
        "carrying_value = carrying_value + :value, position = :position "
        "WHERE fund_id = :fund AND currency = :currency AND held_in = :held_in",
        {**moved, "position": position, "fund": fund_id},
    )


def holdings(tx: Transaction, fund_id: str) -> list[Row]:
    """The foreign currency the fund holds: minor units and carrying value, by code."""
    return tx.all(
        "SELECT currency, held_in, amount, carrying_value FROM fund_holdings "
        "WHERE fund_id = :fund AND (amount <> 0 OR carrying_value <> 0) "
        "ORDER BY currency, held_in",
        {"fund": fund_id},
    )


#: The đồng value the fund's foreign currency is carried at: part of its balance, but
#: not đồng it may pay with.
_CARRIED = (
    "CAST(COALESCE((SELECT SUM(h.carrying_value) FROM fund_holdings h "
    "WHERE h.fund_id = funds.id), 0) AS BIGINT)"
)
#: A fund's figures; ``dong`` is the đồng it holds (its balance less the carrying value of
#: its currency) and ``available`` what it may still pay in đồng (``dong`` less the money
#: reserved), for one fund as for a unit's list.
_COLUMNS = (
    f"id, unit_id, name, kind, balance, reserved, balance - {_CARRIED} AS dong, "
    f"balance - {_CARRIED} - reserved AS available, "
    "total_received, total_in_kind, total_in_kind_out, total_disbursed, total_transferred_in, "
    "total_transferred_out, entries_count, closed_through, position, opened_at"
)


def get(tx: Transaction, fund_id: str) -> Row | None:
    return tx.one(f"SELECT {_COLUMNS} FROM funds WHERE id = :id", {"id": fund_id})


def of_unit(tx: Transaction, unit_id: str) -> list[Row]:
    return tx.all(
        f"SELECT {_COLUMNS} FROM funds WHERE unit_id = :unit ORDER BY opened_at, id",
        {"unit": unit_id},
    )


def stock(tx: Transaction, fund_id: str) -> list[Row]:
    """The goods the fund has received and given out, by kind, with what it still holds."""
    return tx.all(
        "SELECT description, unit, quantity_in, quantity_out, quantity_in - quantity_out "
        "AS quantity_held, value_in, value_out FROM in_kind_stock WHERE fund_id = :fund "
        "ORDER BY item",
        {"fund": fund_id},
    )


def books_closed_through(tx: Transaction, unit_ids: list[str]) -> date | None:
    """The latest date through which any fund of these units is closed."""
    if not unit_ids:
        return None
    params = {f"u{i}": unit_id for i, unit_id in enumerate(unit_ids)}
    through = tx.scalar(
        "SELECT MAX(closed_through) AS through FROM funds "
        f"WHERE unit_id IN ({', '.join(':' + name for name in params)})",
        params,
    )
    return date.fromisoformat(str(through)[:10]) if through else None
