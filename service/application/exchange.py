"""Foreign currency a fund holds: selling it for đồng."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from service.application.answers import entry_body
from service.application.cases import CaseLinks
from service.application.engine import Changes, Request, Written
from service.domain.actors import Meta
from service.domain.currency import CurrencySale, shown
from service.domain.funds import Fund


def holdings_body(fund: Fund) -> list[dict[str, Any]]:
    """The fund's foreign currency: each holding's minor units and carrying value."""
    return [
        {
            "currency": key.partition(":")[2],
            "held_in": key.partition(":")[0],
            "amount": held["amount"],
            "carrying_value": held["value"],
            "shown": shown(held["amount"], key.partition(":")[2]),
        }
        for key, held in sorted(fund.holdings.items(), key=lambda item: item[0][::-1])
    ]


class ExchangeUseCases(CaseLinks):
    """The use cases of the currency a fund holds."""

    def sell_currency(self, request: Request, fund_id: UUID, sale: CurrencySale) -> Written:
        def sell(meta: Meta, today: date) -> Changes:
            fund = self._writable_fund(request, fund_id, "bán ngoại tệ")
            fund.sell_currency(sale, today, meta)
            sold = fund.pending_events[-1]
            assert isinstance(sold, Fund.CurrencySold)
            return Changes(
                [fund],
                {
                    **entry_body(fund),
                    "currency": sold.currency,
                    "foreign_amount": sold.foreign_amount,
                    "carrying_value": sold.carrying_value,
                    "exchange_difference": sold.effect,
                    "dong": fund.dong,
                    "holdings": holdings_body(fund),
                },
            )

        return self._write(request, sell)
