"""The `pledges` projection: a pledge with its instalments, the receipts that fulfilled
it (a reversed one taken back), its close, and its move to a successor's fund."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from service.bootstrap import Services
from service.domain.funds import Donor
from service.domain.money import Money
from service.domain.pledges import Commitment, Instalment
from service.domain.vocabulary import Channel, DonorKind
from service.projections.pledges import PledgesProjection
from tests.conftest import ADMIN
from tests.projections.conftest import Commune, one, register_commune, replay, rows

COMPANY = Donor("Công ty TNHH Hồng Phát", DonorKind.ORGANISATION)


def pledge(commune: Commune, amount: int, code: str, **details: Any) -> UUID:
    commitment = Commitment(COMPANY, Money(amount), code=code, **details)
    return UUID(
        commune.ledger.make_pledge(commune.treasurer, commune.fund, commitment).body["pledge_id"]
    )


def give(commune: Commune, amount: int, pledge_id: UUID) -> UUID:
    return commune.receive(amount, donor=COMPANY, channel=Channel.BANK, pledge_id=pledge_id)


def row(services: Services, pledge_id: UUID) -> dict[str, Any]:
    return one(services, "SELECT * FROM pledges WHERE pledge_id = :p", p=str(pledge_id))


def test_a_pledge_is_a_row_of_its_fund_with_its_instalments(
    services: Services, commune: Commune
) -> None:
    made = pledge(
        commune,
        30_000_000,
        "HONGPHAT25",
        instalments=(
            Instalment(date(2025, 6, 30), Money(10_000_000)),
            Instalment(date(2025, 12, 31), Money(20_000_000)),
        ),
        note="Hai đợt",
    )

    position = replay(services, PledgesProjection())

    found = row(services, made)
    assert (found["fund_id"], found["unit_id"], found["code"]) == (
        str(commune.fund),
        str(commune.unit),
        "HONGPHAT25",
    )
    assert (found["donor_name"], found["donor_kind"], found["note"]) == (
        "Công ty TNHH Hồng Phát",
        "organisation",
        "Hai đợt",
    )
    assert (found["amount"], found["fulfilled"], found["status"]) == (30_000_000, 0, "open")
    assert found["position"] == found["last_position"] == position
    instalments = rows(
        services,
        "SELECT seq, due_on, amount, cumulative FROM pledge_instalments WHERE pledge_id = :p "
        "ORDER BY seq",
        p=str(made),
    )
    assert [(i["seq"], i["due_on"], i["amount"], i["cumulative"]) for i in instalments] == [
        (1, "2025-06-30", 10_000_000, 10_000_000),
        (2, "2025-12-31", 20_000_000, 30_000_000),
    ]


def test_receipts_fulfil_a_pledge_and_a_reversed_one_is_taken_back(
    services: Services, commune: Commune
) -> None:
    made = pledge(commune, 10_000_000, "HONGPHAT25")
    first = give(commune, 6_000_000, made)
    wrong = give(commune, 4_000_000, made)
    replay(services, PledgesProjection())
    assert (row(services, made)["fulfilled"], row(services, made)["status"]) == (
        10_000_000,
        "fulfilled",
    )

    commune.reverse(wrong, "Ngân hàng ghi trùng")
    position = replay(services, PledgesProjection())

    found = row(services, made)
    assert (found["fulfilled"], found["status"], found["last_position"]) == (
        6_000_000,
        "open",
        position,
    )
    fulfilments = rows(
        services,
        "SELECT entry_id, amount, reversed_position FROM pledge_fulfilments "
        "WHERE pledge_id = :p ORDER BY position",
        p=str(made),
    )
    assert [(f["entry_id"], f["amount"], f["reversed_position"]) for f in fulfilments] == [
        (str(first), 6_000_000, None),
        (str(wrong), 4_000_000, position),
    ]


def test_a_cancelled_and_a_written_off_pledge_say_why_and_by_whom(
    services: Services, commune: Commune
) -> None:
    cancelled = pledge(commune, 5_000_000, "CANCEL01")
    written_off = pledge(commune, 8_000_000, "WRITEOFF1")
    give(commune, 3_000_000, written_off)
    commune.ledger.cancel_pledge(commune.treasurer, cancelled, "Nhà tài trợ rút lại")
    commune.ledger.write_off_pledge(commune.treasurer, written_off, "Doanh nghiệp giải thể")

    replay(services, PledgesProjection())

    found = {p: row(services, p) for p in (cancelled, written_off)}
    assert [
        (f["status"], f["closed_reason"], f["closed_by"], f["fulfilled"]) for f in found.values()
    ] == [
        ("cancelled", "Nhà tài trợ rút lại", "Thủ quỹ", 0),
        ("written_off", "Doanh nghiệp giải thể", "Thủ quỹ", 3_000_000),
    ]
    assert all(f["closed_at"] for f in found.values())


def test_an_open_pledge_of_a_merged_commune_moves_to_the_successors_fund(
    services: Services, commune: Commune
) -> None:
    made = pledge(commune, 10_000_000, "HONGPHAT25")
    successor = register_commune(commune.ledger, "Xã Mới")
    commune.ledger.merge_unit(ADMIN, commune.unit, successor.unit, date(2025, 7, 1))

    replay(services, PledgesProjection())

    found = row(services, made)
    assert (found["fund_id"], found["unit_id"]) == (str(successor.fund), str(successor.unit))
    assert (found["moved_from_fund_id"], found["moved_on"]) == (str(commune.fund), "2025-07-01")
    assert found["status"] == "open"
