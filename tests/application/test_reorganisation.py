"""Mergers through the application on a real store: the tree the read models keep after
communes are merged and a district dissolved, open pledges owed to the successor's fund,
and read models rebuilt from the log equal to the ones built as it happened."""

from __future__ import annotations

import io
from datetime import date
from uuid import UUID

import pytest

from service.application import Ledger, Request
from service.application import import_jobs as imports
from service.bootstrap import Services
from service.domain.errors import AlreadyRegistered, MergeRefused, UnitMerged
from service.domain.funds import Donor, Receipt
from service.domain.households import PersonalData
from service.domain.money import Money
from service.domain.pledges import Commitment
from service.domain.vocabulary import (
    Channel,
    CostSource,
    DonorKind,
    FundKind,
    HouseKind,
    Level,
    PledgeStatus,
)
from service.projections import pledges as pledge_view
from service.projections import units as unit_view
from tests.conftest import ADMIN, read_models, treasurer_of

MERGED_ON = date(2025, 7, 1)


def _unit(ledger: Ledger, name: str, level: Level, parent: UUID | None) -> UUID:
    return UUID(ledger.register_unit(ADMIN, name, level, parent, None).body["id"])


def test_merged_units_sit_below_their_successor_and_the_read_models_rebuild_alike(
    services: Services, ledger: Ledger
) -> None:
    province = _unit(ledger, "Tỉnh Quảng Trị", Level.PROVINCE, None)
    old = _unit(ledger, "Xã Vĩnh Tú", Level.COMMUNE, province)
    new = _unit(ledger, "Xã Vĩnh Linh", Level.COMMUNE, province)
    district = _unit(ledger, "Huyện Vĩnh Linh", Level.DISTRICT, province)
    below = _unit(ledger, "Xã Vĩnh Hòa", Level.COMMUNE, district)
    treasurer = treasurer_of(old)
    fund = UUID(
        ledger.open_fund(treasurer, old, "Quỹ Vì người nghèo", FundKind.FOR_THE_POOR).body["id"]
    )
    gift = Receipt(
        Money(2_000_000),
        date(2025, 3, 1),
        Donor("Nguyễn Văn An", DonorKind.INDIVIDUAL),
        Channel.CASH,
    )
    ledger.record_receipt(treasurer, fund, gift)
    household = UUID(
        ledger.register_household(
            treasurer, old, PersonalData.of("Lê Văn Một", "Thôn 1", None), 3
        ).body["id"]
    )
    ledger.approve_house(
        treasurer, household, HouseKind.REPAIR, {CostSource.FUND: 1_000_000}, date(2025, 6, 1)
    )

    merged = ledger.merge_unit(ADMIN, old, new, MERGED_ON)
    ledger.merge_unit(ADMIN, below, new, MERGED_ON)
    last = ledger.merge_unit(ADMIN, district, province, MERGED_ON)
    services.runner.wait_for(last.position, timeout=10)

    assert merged.body["moved"] == {
        "households": 1,
        "house_projects": 1,
        "grants": 0,
        "pledges": 0,
    }
    assert ledger.household(household).unit_path == [province, new]
    with services.db.transaction() as tx:
        assert unit_view.path(tx, str(old))[0] == str(province)
        assert set(unit_view.path(tx, str(old))) == {str(province), str(new), str(old)}
        assert set(unit_view.path(tx, str(below))) == {
            str(province),
            str(district),
            str(new),
            str(below),
        }
        dissolved = unit_view.get(tx, str(district))
    assert dissolved is not None
    assert str(dissolved["merged_into_id"]) == str(province)
    live = read_models(services.db)

    services.runner.rebuild()

    assert read_models(services.db) == live


def _fund(ledger: Ledger, treasurer: Request, unit: UUID) -> UUID:
    opened = ledger.open_fund(treasurer, unit, "Quỹ Vì người nghèo", FundKind.FOR_THE_POOR)
    return UUID(opened.body["id"])


def _pledge(ledger: Ledger, treasurer: Request, fund: UUID, amount: int, code: str) -> UUID:
    donor = Donor("Công ty TNHH Hồng Phát", DonorKind.ORGANISATION)
    made = ledger.make_pledge(treasurer, fund, Commitment(donor, Money(amount), code=code))
    return UUID(made.body["pledge_id"])


def _give(
    ledger: Ledger, treasurer: Request, fund: UUID, amount: int, on: date, pledge: UUID | None
) -> int:
    donor = Donor("Công ty TNHH Hồng Phát", DonorKind.ORGANISATION)
    gift = Receipt(Money(amount), on, donor, Channel.BANK, pledge_id=pledge)
    return ledger.record_receipt(treasurer, fund, gift).position


def test_an_open_pledge_moves_to_the_successors_fund_and_is_fulfilled_there(
    services: Services, ledger: Ledger
) -> None:
    province = _unit(ledger, "Tỉnh Quảng Trị", Level.PROVINCE, None)
    communes = [
        _unit(ledger, name, Level.COMMUNE, province)
        for name in ("Xã Vĩnh Tú", "Xã Vĩnh Chấp", "Xã Vĩnh Trung")
    ]
    successor = _unit(ledger, "Xã Vĩnh Linh", Level.COMMUNE, province)
    treasurers = [treasurer_of(unit) for unit in communes]
    funds = [_fund(ledger, t, unit) for t, unit in zip(treasurers, communes, strict=True)]
    open_pledge = _pledge(ledger, treasurers[0], funds[0], 10_000_000, "XAY NHA 2025")
    _give(ledger, treasurers[0], funds[0], 4_000_000, date(2025, 3, 1), open_pledge)
    given = _pledge(ledger, treasurers[1], funds[1], 1_000_000, "TET 2025")
    _give(ledger, treasurers[1], funds[1], 1_000_000, date(2025, 2, 1), given)
    withdrawn = _pledge(ledger, treasurers[2], funds[2], 3_000_000, "HOC BONG")
    ledger.cancel_pledge(treasurers[2], withdrawn, "Nhà tài trợ rút lại")

    merged = [ledger.merge_unit(ADMIN, unit, successor, MERGED_ON) for unit in communes]
    new_fund = UUID(merged[0].body["funds"][str(funds[0])])
    new_treasurer = treasurer_of(successor)
    with pytest.raises(AlreadyRegistered):
        _pledge(ledger, new_treasurer, new_fund, 5_000_000, "xây nhà 2025")
    with pytest.raises(UnitMerged):
        _give(ledger, treasurers[0], funds[0], 1_000_000, date(2025, 8, 1), open_pledge)
    _give(ledger, new_treasurer, new_fund, 2_000_000, date(2025, 8, 1), open_pledge)
    # A transfer whose memo carries the code, imported into the successor's fund.
    statement = (
        "Ngày,Mã giao dịch,Số tiền,Nội dung,Người chuyển\n"
        '15/08/2025,FT000000000001,"4,000,000",CK XAY NHA 2025 UNG HO,CONG TY TNHH HONG PHAT\n'
    )
    prepared = imports.prepare(
        io.BytesIO(statement.encode()), "sao-ke.csv", imports.layout_of("sovang")
    )
    imported = imports.run(services, new_treasurer, new_fund, prepared, dry_run=False)
    assert (imported.recorded, imported.linked_to_pledges) == (1, 1)
    services.runner.catch_up()

    assert [answer.body["moved"]["pledges"] for answer in merged] == [1, 0, 0]
    pledge = ledger.pledge(open_pledge)
    assert (pledge.fund_id, pledge.unit_path) == (new_fund, [province, successor])
    assert (pledge.fulfilled, pledge.status) == (10_000_000, PledgeStatus.FULFILLED)
    assert ledger.pledge(given).fund_id == funds[1]
    assert ledger.pledge(withdrawn).fund_id == funds[2]
    with services.db.transaction() as tx:
        shown = pledge_view.get(tx, str(open_pledge), "2025-12-31")
        paid = pledge_view.fulfilments(tx, str(open_pledge))
        listed = pledge_view.of_unit(
            tx,
            str(successor),
            include_children=False,
            status=None,
            overdue_only=False,
            as_of="2025-12-31",
            after_position=0,
            limit=10,
        )
        old = pledge_view.totals(tx, str(communes[0]), include_children=False, as_of="2025-12-31")
        everything = pledge_view.totals(
            tx, str(province), include_children=True, as_of="2025-12-31"
        )
    assert shown is not None
    assert (str(shown["fund_id"]), str(shown["unit_id"])) == (str(new_fund), str(successor))
    assert (str(shown["moved_from_fund_id"]), str(shown["moved_on"])) == (
        str(funds[0]),
        "2025-07-01",
    )
    assert (shown["status"], shown["fulfilled"], shown["outstanding"]) == (
        "fulfilled",
        10_000_000,
        0,
    )
    # Each fulfilment stays with the receipt that made it: before the merger on the old
    # fund, after it on the successor's.
    assert [(str(row["occurred_on"]), row["amount"]) for row in paid] == [
        ("2025-03-01", 4_000_000),
        ("2025-08-01", 2_000_000),
        ("2025-08-15", 4_000_000),
    ]
    assert [str(row["pledge_id"]) for row in listed] == [str(open_pledge)]
    assert old["count"] == 0
    assert (everything["count"], everything["amount"], everything["fulfilled"]) == (
        3,
        14_000_000,
        11_000_000,
    )
    live = read_models(services.db)

    services.runner.rebuild()

    assert read_models(services.db) == live


def test_a_merger_is_refused_when_the_successors_fund_holds_the_same_pledge_code(
    ledger: Ledger,
) -> None:
    province = _unit(ledger, "Tỉnh Quảng Trị", Level.PROVINCE, None)
    old = _unit(ledger, "Xã Vĩnh Tú", Level.COMMUNE, province)
    new = _unit(ledger, "Xã Vĩnh Linh", Level.COMMUNE, province)
    old_fund = _fund(ledger, treasurer_of(old), old)
    new_fund = _fund(ledger, treasurer_of(new), new)
    _pledge(ledger, treasurer_of(old), old_fund, 2_000_000, "TET 2025")
    _pledge(ledger, treasurer_of(new), new_fund, 5_000_000, "TET 2025")

    with pytest.raises(MergeRefused, match="TET 2025"):
        ledger.merge_unit(ADMIN, old, new, MERGED_ON)

    assert ledger.unit(old).merged_into is None
