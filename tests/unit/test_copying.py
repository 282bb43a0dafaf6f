"""The fund's cheap copy (``service.domain.copying``): what a command changes in the copy
never reaches the cached fund, and the fund's state stays flat enough for it."""

from __future__ import annotations

from copy import deepcopy
from datetime import date
from typing import Any
from uuid import UUID

from service.domain.currency import CurrencySale, Foreign
from service.domain.exchange import sell_currency
from service.domain.funds import Fund, Receipt
from service.domain.money import Money
from service.domain.vocabulary import Channel
from tests.unit.test_approvals import THRESHOLD, funded, request_disbursement
from tests.unit.test_funds import DAY, DONOR, META, TODAY, disburse, give_goods, receive, reverse

#: The values a flat aggregate's state holds, alone or in a list, dict or set.
IMMUTABLE = (str, int, date, UUID, type(None))


def a_fund_with_history() -> Fund:
    fund = funded()
    receive(fund, 2_000_000)
    give_goods(fund, 500_000)
    reverse(fund, disburse(fund, 100_000))
    request_disbursement(fund, THRESHOLD + 1)
    receive_usd(fund, 10_000, 2_540_000)
    fund.collect_events()
    return fund


def receive_usd(fund: Fund, cents: int, dong: int) -> None:
    usd = Foreign.of("USD", cents, dong, None, None)
    fund.record_receipt(Receipt(Money(dong), DAY, DONOR, Channel.BANK, foreign=usd), TODAY, META)


def flat_holdings(value: Any) -> bool:
    """The holdings (currency and place → amount and value): each is replaced whole by
    every entry that moves it (``currency.holdings_after``), never changed in place, so
    the copy may share them."""
    return isinstance(value, dict) and all(
        isinstance(k, str) and flat(dict(v)) for k, v in value.items()
    )


def flat(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, IMMUTABLE) and isinstance(v, IMMUTABLE) for k, v in value.items())
    if isinstance(value, list | set | tuple):
        return all(isinstance(v, IMMUTABLE) for v in value)
    return isinstance(value, IMMUTABLE)


def test_a_funds_state_is_flat() -> None:
    fund = a_fund_with_history()

    assert fund.holdings
    assert {
        name
        for name, value in vars(fund).items()
        if not (flat_holdings(value) if name == "holdings" else flat(value))
    } == set()


def test_a_copy_has_the_funds_state_and_changes_apart_from_it() -> None:
    fund = a_fund_with_history()
    before = {name: deepcopy(value) for name, value in vars(fund).items()}

    copy = deepcopy(fund)
    assert vars(copy) == vars(fund)
    reverse(copy, receive(copy, 300_000))
    request_disbursement(copy, THRESHOLD + 2)
    receive_usd(copy, 5_000, 1_270_000)
    sell_currency(copy, CurrencySale("USD", 12_000, Money(3_100_000), DAY), TODAY, META)

    assert vars(fund) == before
    assert copy.version == fund.version + 5
    assert copy.holdings != fund.holdings
    assert copy.reversed != fund.reversed
    assert fund.pending_events == []
