"""The `funds` projection: each fund's balance and totals by kind of entry, goods counted
apart from money in the fund's stock, and a reversal taking back what it reverses."""

from __future__ import annotations

from uuid import UUID

from service.bootstrap import Services
from service.domain.funds import InKind
from service.domain.money import Money
from service.domain.vocabulary import Channel, FundKind
from service.projections.funds import FundsProjection
from tests.projections.conftest import DAY, Commune, one, replay, rows

TOTALS = (
    "balance",
    "total_received",
    "total_in_kind",
    "total_disbursed",
    "total_transferred_in",
    "total_transferred_out",
    "total_in_kind_out",
    "reserved",
    "entries_count",
)


def totals(services: Services, fund: UUID) -> dict[str, int]:
    row = one(services, "SELECT * FROM funds WHERE id = :id", id=str(fund))
    return {column: int(row[column]) for column in TOTALS}


def test_an_opened_fund_is_a_row_of_its_unit_with_nothing_in_it(
    services: Services, commune: Commune
) -> None:
    replay(services, FundsProjection())

    row = one(services, "SELECT * FROM funds WHERE id = :id", id=str(commune.fund))
    assert (row["unit_id"], row["name"], row["kind"]) == (
        str(commune.unit),
        "Quỹ Vì người nghèo",
        "for_the_poor",
    )
    assert row["closed_through"] is None
    assert set(totals(services, commune.fund).values()) == {0}


def test_receipts_payments_transfers_and_a_reversal_add_to_the_balance_and_totals(
    services: Services, commune: Commune
) -> None:
    other = UUID(
        commune.ledger.open_fund(
            commune.treasurer, commune.unit, "Quỹ Cứu trợ", FundKind.RELIEF
        ).body["id"]
    )
    commune.receive(10_000_000)
    wrong = commune.receive(700_000)
    commune.pay(2_000_000)
    commune.ledger.record_transfer(
        commune.treasurer, commune.fund, other, Money(3_000_000), DAY, "Điều tiết"
    )
    commune.reverse(wrong)

    position = replay(services, FundsProjection())

    assert totals(services, commune.fund) == {
        "balance": 10_000_000 - 2_000_000 - 3_000_000,
        "total_received": 10_000_000,  # the reversed receipt is taken back
        "total_in_kind": 0,
        "total_disbursed": 2_000_000,
        "total_transferred_in": 0,
        "total_transferred_out": 3_000_000,
        "total_in_kind_out": 0,
        "reserved": 0,
        "entries_count": 5,
    }
    assert totals(services, other)["total_transferred_in"] == 3_000_000
    assert totals(services, other)["balance"] == 3_000_000
    fund_row = one(services, "SELECT position FROM funds WHERE id = :id", id=str(commune.fund))
    assert fund_row["position"] == position


def test_goods_count_in_the_stock_by_value_and_quantity_not_in_the_balance(
    services: Services, commune: Commune
) -> None:
    commune.receive(3_000_000, channel=Channel.IN_KIND, in_kind=InKind("Gạo", 200, "kg"))
    second = commune.receive(1_500_000, channel=Channel.IN_KIND, in_kind=InKind("gạo ", 100, "KG"))
    commune.pay(600_000, in_kind=InKind("Gạo", 40, "kg"))
    commune.reverse(second)

    replay(services, FundsProjection())

    fund = totals(services, commune.fund)
    assert (fund["balance"], fund["total_received"], fund["total_disbursed"]) == (0, 0, 0)
    assert (fund["total_in_kind"], fund["total_in_kind_out"]) == (3_000_000, 600_000)
    stock = rows(services, "SELECT * FROM in_kind_stock WHERE fund_id = :f", f=str(commune.fund))
    assert len(stock) == 1
    assert (stock[0]["description"], stock[0]["unit"]) == ("Gạo", "kg")
    assert (stock[0]["quantity_in"], stock[0]["quantity_out"]) == (200, 40)
    assert (stock[0]["value_in"], stock[0]["value_out"]) == (3_000_000, 600_000)


def test_closing_the_books_records_the_date_they_are_closed_through(
    services: Services, commune: Commune
) -> None:
    commune.receive(1_000_000)
    commune.ledger.close_period(commune.treasurer, commune.fund, DAY)

    replay(services, FundsProjection())

    row = one(services, "SELECT closed_through FROM funds WHERE id = :id", id=str(commune.fund))
    assert row["closed_through"] == DAY.isoformat()
