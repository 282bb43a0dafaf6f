"""Mergers through the application on a real store: the tree the read models keep after
communes are merged and a district dissolved, and read models rebuilt from the log equal
to the ones built as it happened."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from service import Services
from service.application import Ledger
from service.domain.funds import Donor, Receipt
from service.domain.households import PersonalData
from service.domain.money import Money
from service.domain.vocabulary import Channel, CostSource, DonorKind, FundKind, HouseKind, Level
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

    assert merged.body["moved"] == {"households": 1, "house_projects": 1, "grants": 0}
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
