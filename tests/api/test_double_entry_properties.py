"""Two derivations, one answer: on random event streams, the trial balance read from the
postings balances and gives the unit report's figures (opening and closing balances,
receipts, goods, payments, transfers), for a unit alone and with the units below it;
and the postings of a closed period never change, whatever is written after the close."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.domain import chart
from service.domain.vocabulary import Category, Channel
from tests.api.helpers import MakeToken, get, ok, receipt, report
from tests.api.test_closed_periods import (
    THROUGH,
    YEAR,
    World,
    closed_writes,
    days,
    later_writes,
    today,
)

#: Gifts in USD (whole dollars and cents) valued by the bank's đồng or by a rate entered,
#: into the bank account or the cash box, and sales of USD at rates around them.
cents = st.integers(1, 50_000)
rates = st.integers(2_300_000, 2_700_000).map(lambda n: f"{n // 100}.{n % 100:02d}")
#: Mostly the commune's first fund and its bank account, so that sales find USD to sell.
fx_funds = st.sampled_from([0, 0, 0, 1, 2])
usd_in = st.tuples(
    st.just("usd"),
    fx_funds,
    cents,
    st.one_of(rates, st.integers(2_300_000, 2_700_000)),
    st.sampled_from(["bank", "cash"]),
)
usd_out = st.tuples(
    st.just("sell"),
    fx_funds,
    st.integers(1, 8_000),
    st.integers(23_000, 27_000),
    st.sampled_from(["bank", "bank", "cash"]),
)
fx_closed_writes = st.lists(st.tuples(st.one_of(usd_in, usd_out), days), min_size=2, max_size=10)
fx_later_writes = st.lists(
    st.one_of(usd_in, usd_out, st.tuples(st.just("reverse"), st.integers(0, 1_000))),
    min_size=1,
    max_size=6,
)


class FxWorld(World):
    """The same world, whose treasurer also records gifts in USD and sells USD."""

    def write(self, command: tuple[Any, ...], on: str) -> None:
        name, *args = command
        if name == "usd":
            index, amount, value, channel = args
            valued = (
                {"rate": value, "rate_source": "Vietcombank, tỷ giá mua chuyển khoản"}
                if isinstance(value, str)
                else {"vnd_amount": max(1, amount * value // 10_000)}
            )
            body = receipt(amount, occurred_on=on, channel=channel, currency="USD", **valued)
            self._post(index, "receipts", body)
        elif name == "sell":
            index, amount, rate, channel = args
            body = {
                "currency": "USD",
                "amount": amount,
                "vnd_amount": max(1, amount * rate // 100),
                "occurred_on": on,
                "channel": channel,
            }
            self._post(index, "currency-sales", body)
        else:
            super().write(command, on)


def _trial_balance(world: World, unit: str, children: str, start: str, end: str) -> Any:
    return ok(
        get(
            world.client,
            f"/units/{unit}/trial-balance",
            world.admin,
            min_position=world.position,
            from_=start,
            to=end,
            include_children=children,
        )
    )


def _figures(balance: dict[str, Any]) -> dict[str, Any]:
    """The unit report's figures, as the trial balance gives them."""
    lines = {line["account"]: line for line in balance["lines"]}

    def money(prefix: str) -> int:
        return sum(
            lines[a.code][f"{prefix}_debit"] - lines[a.code][f"{prefix}_credit"]
            for a in chart.MONEY
        )

    by_channel = {
        channel.value: lines[account.code]["period_credit"]
        for channel, account in chart.SOURCES.items()
        if not channel.is_goods
    }
    by_category = {
        category.value: lines[chart.PAYMENTS[category].code]["period_debit"]
        for category in Category
    }
    return {
        "opening_balance": money("opening"),
        "receipts": {
            "total": sum(by_channel.values()),
            "by_channel": by_channel,
            "in_kind_value": lines[chart.SOURCES[Channel.IN_KIND].code]["period_credit"],
        },
        "disbursements": {
            "total": sum(by_category.values()),
            "by_category": by_category,
            "in_kind_value": lines[chart.GOODS_GIVEN.code]["period_debit"],
        },
        "transfers": {
            "in": lines[chart.TRANSFERS.code]["period_credit"],
            "out": lines[chart.TRANSFERS.code]["period_debit"],
        },
        "exchange_difference": lines[chart.EXCHANGE.code]["period_credit"]
        - lines[chart.EXCHANGE.code]["period_debit"],
        "closing_balance": money("closing"),
    }


def _closed_books(world: World) -> dict[str, bytes]:
    """The double-entry books of the closed year, as JSON and as files."""
    shown: dict[str, bytes] = {}
    year = {"from_": f"{YEAR}-01-01", "to": THROUGH}
    reads = (
        ("journal", "json"),
        ("journal", "misa"),
        ("trial-balance", "json"),
        ("settlement", "csv-vi"),
        ("ledgers/112", "xlsx"),
    )
    for fund in world.funds:
        for path, fmt in reads:
            shown[f"{path} {fund} {fmt}"] = world.read(f"/funds/{fund}/{path}", format=fmt, **year)
    shown["unit"] = world.read(
        f"/units/{world.province}/trial-balance", include_children="true", format="xlsx", **year
    )
    return shown


def _holds(world: World, before: list[tuple[Any, str]], after: list[tuple[Any, ...]]) -> None:
    """Writes ``before`` into the year, closes it, writes ``after`` today; then the closed
    year reads the same, and every trial balance balances and gives the report's figures."""
    for command, on in sorted(before, key=lambda pair: pair[1]):
        world.write(command, on)
    world.close()
    closed = _closed_books(world)

    for command in after:
        world.write(command, today())

    assert _closed_books(world) == closed
    periods = ((f"{YEAR}-01-01", THROUGH), (f"{YEAR}-04-01", today()))
    for unit in (world.commune, world.province):
        for children in ("false", "true"):
            for start, end in periods:
                balance = _trial_balance(world, unit, children, start, end)
                assert balance["balanced"] is True, balance["totals"]
                shown = report(
                    world.client,
                    world.admin,
                    unit,
                    world.position,
                    start,
                    end,
                    include_children=children,
                )
                expected = {key: shown[key] for key in _figures(balance)}
                assert _figures(balance) == expected, (unit, children, start, end)


_SETTINGS = settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@_SETTINGS
@given(before=closed_writes, after=later_writes)
def test_the_trial_balance_balances_and_gives_the_reports_figures_and_a_closed_year_stays(
    client: FlaskClient,
    make_token: MakeToken,
    before: list[tuple[tuple[Any, ...], str]],
    after: list[tuple[Any, ...]],
) -> None:
    _holds(World(client, make_token), before, after)


@settings(_SETTINGS, max_examples=6)
@given(money=closed_writes, usd=fx_closed_writes, after=later_writes, usd_after=fx_later_writes)
def test_with_gifts_in_usd_and_sales_of_usd_the_books_still_balance_and_agree(
    client: FlaskClient,
    make_token: MakeToken,
    money: list[tuple[tuple[Any, ...], str]],
    usd: list[tuple[tuple[Any, ...], str]],
    after: list[tuple[Any, ...]],
    usd_after: list[tuple[Any, ...]],
) -> None:
    world = FxWorld(client, make_token)
    _holds(world, [*money, *usd], [*after, *usd_after])
    # What every fund holds of USD is what its foreign-currency accounts say.
    for fund in world.funds:
        held = ok(get(client, f"/funds/{fund}", world.admin, min_position=world.position))
        lines = {line["account"]: line for line in _fund_balance(world, fund)["lines"]}
        for holding in held["holdings"]:
            code = chart.FOREIGN_HOLDINGS[holding["held_in"]].code
            assert lines[code]["closing_debit"] == holding["carrying_value"]
            assert holding["amount"] >= 0
        carried = sum(h["carrying_value"] for h in held["holdings"])
        assert held["dong"] + carried == held["balance"]


def _fund_balance(world: World, fund: str) -> Any:
    return ok(
        get(
            world.client,
            f"/funds/{fund}/trial-balance",
            world.admin,
            min_position=world.position,
            from_=f"{YEAR}-01-01",
            to=today(),
        )
    )
