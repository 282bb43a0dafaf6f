"""Foreign currency held by a fund: selling it for đồng (bán ngoại tệ), and what an
entry in a currency moves, which its reversal moves back."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from service.domain import chart
from service.domain.actors import Meta
from service.domain.currency import (
    CurrencySale,
    carrying_out,
    check_held,
    holding_key,
    where_held,
)
from service.domain.entries import optional_text
from service.domain.recording import check_date

if TYPE_CHECKING:
    from service.domain.funds import Fund


def sell_currency(fund: Fund, sale: CurrencySale, today: date, meta: Meta) -> None:
    """Sells ``sale.amount`` of the currency for ``sale.dong``: the holding goes out at
    its average cost, and the difference is the exchange gain or loss. Refused for more
    than the fund holds, or on a day of a closed period."""
    check_date(fund, sale.occurred_on, today)
    check_held(fund.holdings, sale.currency, sale.channel, sale.amount)
    fund.trigger_event(
        fund.CurrencySold,
        meta=meta,
        occurred_on=sale.occurred_on,
        amount=sale.dong.dong,
        currency=sale.currency,
        foreign_amount=sale.amount,
        carrying_value=carrying_out(
            fund.holdings[holding_key(sale.currency, sale.channel)], sale.amount
        ),
        channel=sale.channel,
        bank_ref=optional_text(sale.bank_ref),
        note=optional_text(sale.note),
    )


def holding_moved(entry: Any) -> dict[str, Any] | None:
    """The foreign currency ``entry`` moved into the fund (negative: out of it), in minor
    units and carrying value; None for an entry in đồng. A reversal moves back what its
    entry moved."""
    if entry.kind.value == "reversal":
        held: dict[str, Any] | None = getattr(entry, "reversed_holding", None)
        return held
    currency = getattr(entry, "currency", None)
    amount = getattr(entry, "foreign_amount", None)
    if currency is None or amount is None:
        return None
    held_in = where_held(entry.channel)
    if entry.kind.value == "currency_sale":
        return {
            "currency": currency,
            "held_in": held_in,
            "amount": -amount,
            "value": -entry.carrying_value,
        }
    return {"currency": currency, "held_in": held_in, "amount": amount, "value": entry.amount}


def moved_back(entry: Any) -> dict[str, Any] | None:
    """What a reversal of ``entry`` moves: the opposite of what it moved."""
    moved = holding_moved(entry)
    if moved is None:
        return None
    return {**moved, "amount": -moved["amount"], "value": -moved["value"]}


def sale_lines(received: int, carrying: int) -> list[tuple[chart.Kind, int]]:
    """The lines a sale posts: the currency out at its carrying value against the đồng
    received, and the difference: a gain (đồng received beyond the carrying value,
    credited to 413) or a loss (the carrying value not recovered, debited to 413)."""
    if received >= carrying:
        lines = [
            (chart.Kind.CURRENCY_SALE, carrying),
            (chart.Kind.EXCHANGE_GAIN, received - carrying),
        ]
    else:
        lines = [
            (chart.Kind.CURRENCY_SALE, received),
            (chart.Kind.EXCHANGE_LOSS, carrying - received),
        ]
    return [(kind, amount) for kind, amount in lines if amount]
