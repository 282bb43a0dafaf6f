"""The `units` projection: each unit, the (ancestor, descendant) pairs of the tree, its
approval threshold, its yearly targets, and a merger folding one subtree into another."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from service.application import Ledger
from service.bootstrap import Services
from service.domain.money import Money
from service.domain.vocabulary import FundKind, Level
from service.projections.units import UnitsProjection
from tests.conftest import ADMIN
from tests.projections.conftest import approver_of, one, replay, rows


def register(ledger: Ledger, name: str, level: Level, parent: UUID | None = None) -> UUID:
    return UUID(ledger.register_unit(ADMIN, name, level, parent, None).body["id"])


def tree(services: Services) -> set[tuple[str, str, int]]:
    found = rows(services, "SELECT ancestor_id, unit_id, depth FROM unit_tree")
    return {(row["ancestor_id"], row["unit_id"], int(row["depth"])) for row in found}


def test_a_unit_is_a_row_and_a_pair_with_each_of_its_ancestors(
    services: Services, ledger: Ledger
) -> None:
    province = register(ledger, "Tỉnh Lào Cai", Level.PROVINCE)
    commune = register(ledger, "Xã Co Mạ", Level.COMMUNE, province)

    replay(services, UnitsProjection())

    row = one(services, "SELECT * FROM units WHERE id = :id", id=str(commune))
    assert (row["name"], row["level"], row["parent_id"]) == ("Xã Co Mạ", "commune", str(province))
    assert row["approval_threshold"] is None
    assert row["merged_into_id"] is None
    assert row["position"] == 2
    assert tree(services) == {
        (str(province), str(province), 0),
        (str(commune), str(commune), 0),
        (str(province), str(commune), 1),
    }


def test_a_threshold_and_targets_update_the_unit_and_a_target_assigned_again_replaces_it(
    services: Services, ledger: Ledger
) -> None:
    province = register(ledger, "Tỉnh Lào Cai", Level.PROVINCE)
    commune = register(ledger, "Xã Co Mạ", Level.COMMUNE, province)
    ledger.set_approval_threshold(approver_of(commune), commune, 5_000_000)
    ledger.assign_target(ADMIN, commune, 2025, FundKind.FOR_THE_POOR, Money(100_000_000))
    ledger.assign_target(ADMIN, commune, 2025, FundKind.RELIEF, Money(20_000_000))
    ledger.assign_target(ADMIN, commune, 2025, FundKind.FOR_THE_POOR, Money(120_000_000))

    replay(services, UnitsProjection())

    row = one(services, "SELECT * FROM units WHERE id = :id", id=str(commune))
    assert row["approval_threshold"] == 5_000_000
    assert row["position"] == 3
    targets = rows(
        services,
        "SELECT unit_id, year, fund_kind, amount, position FROM unit_targets ORDER BY fund_kind",
    )
    assert [(t["fund_kind"], t["amount"], t["position"]) for t in targets] == [
        ("for_the_poor", 120_000_000, 6),
        ("relief", 20_000_000, 5),
    ]
    assert {(t["unit_id"], t["year"]) for t in targets} == {(str(commune), 2025)}


def test_a_merged_unit_also_sits_below_its_successor_and_the_successors_ancestors(
    services: Services, ledger: Ledger
) -> None:
    province = register(ledger, "Tỉnh Lào Cai", Level.PROVINCE)
    old_district = register(ledger, "Huyện Cũ", Level.DISTRICT, province)
    merged = register(ledger, "Xã Cũ", Level.COMMUNE, old_district)
    new_district = register(ledger, "Huyện Mới", Level.DISTRICT, province)
    successor = register(ledger, "Xã Mới", Level.COMMUNE, new_district)
    ledger.merge_unit(ADMIN, merged, successor, date(2025, 7, 1))

    replay(services, UnitsProjection())

    row = one(services, "SELECT * FROM units WHERE id = :id", id=str(merged))
    assert (row["merged_into_id"], row["merged_on"]) == (str(successor), "2025-07-01")
    assert {(a, d) for a, u, d in tree(services) if u == str(merged)} == {
        (str(merged), 0),
        (str(old_district), 1),
        (str(province), 2),  # already an ancestor: kept as it was
        (str(new_district), 2),
        (str(successor), 1),
    }
    assert {(a, d) for a, u, d in tree(services) if u == str(successor)} == {
        (str(successor), 0),
        (str(new_district), 1),
        (str(province), 2),
    }
