"""The chart of accounts covers every kind of money event, every channel and every
purpose, and the mapping posts each to two different accounts of the chart."""

from __future__ import annotations

import pytest

from service.domain import chart
from service.domain.vocabulary import Category, Channel


def test_every_channel_has_a_source_and_every_category_a_purpose() -> None:
    assert set(chart.SOURCES) == set(Channel)
    assert set(chart.PAYMENTS) == set(Category)
    assert len(chart.ACCOUNTS) == len(chart.CHART)  # no code given twice


@pytest.mark.parametrize("kind", list(chart.Kind))
@pytest.mark.parametrize("holding", ["cash", "bank", None])
def test_every_event_posts_to_two_different_accounts_of_the_chart(
    kind: chart.Kind, holding: str | None
) -> None:
    debit, credit = chart.legs(kind, chart.Facts(holding, Channel.CASH, Category.MEDICAL))
    assert debit.code in chart.ACCOUNTS
    assert credit.code in chart.ACCOUNTS
    assert debit != credit


def test_money_and_goods_post_to_their_own_accounts() -> None:
    gift = chart.legs("receipt", chart.Facts("bank", Channel.BANK))
    assert (gift[0].code, gift[1].code) == ("112", "35332")
    goods_in = chart.legs("receipt", chart.Facts(None, Channel.IN_KIND))
    assert (goods_in[0].code, goods_in[1].code) == ("156", "35338")
    goods_out = chart.legs("disbursement", chart.Facts(None, category=Category.LIVELIHOOD))
    assert (goods_out[0].code, goods_out[1].code) == ("35349", "156")
    paid = chart.legs("disbursement", chart.Facts("cash", category=Category.SCHOLARSHIP))
    assert (paid[0].code, paid[1].code) == ("35344", "111")
