"""Two derivations, one answer: on random event streams, the trial balance read from the
postings balances and gives the unit report's figures (opening and closing balances,
receipts, goods, payments, transfers), for a unit alone and with the units below it;
and the postings of a closed period never change, whatever is written after the close."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings

from service.domain import chart
from service.domain.vocabulary import Category, Channel
from tests.api.helpers import MakeToken, get, ok, report
from tests.api.test_closed_periods import THROUGH, YEAR, World, closed_writes, later_writes, today


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
            for a in (chart.CASH, chart.BANK)
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


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(before=closed_writes, after=later_writes)
def test_the_trial_balance_balances_and_gives_the_reports_figures_and_a_closed_year_stays(
    client: FlaskClient,
    make_token: MakeToken,
    before: list[tuple[tuple[Any, ...], str]],
    after: list[tuple[Any, ...]],
) -> None:
    world = World(client, make_token)
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
                    client, world.admin, unit, world.position, start, end, include_children=children
                )
                expected = {key: shown[key] for key in _figures(balance)}
                assert _figures(balance) == expected, (unit, children, start, end)
