"""The `households` projection: a household's personal data kept sealed, its categories
over time, the blind indexes that find it again, its erasure and its move by a merger."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

from service.bootstrap import Services
from service.domain.households import PersonalData
from service.domain.vocabulary import HouseholdCategory
from service.projections.households import SEALED, HouseholdsProjection
from tests.conftest import ADMIN
from tests.projections.conftest import Commune, one, register_commune, replay, rows


def household(services: Services, household_id: UUID) -> dict[str, Any]:
    return one(services, "SELECT * FROM households WHERE id = :id", id=str(household_id))


def index_kinds(services: Services, household_id: UUID) -> set[str]:
    found = rows(
        services, "SELECT kind FROM household_index WHERE household_id = :h", h=str(household_id)
    )
    return {row["kind"] for row in found}


def test_a_registered_household_is_sealed_indexed_and_in_its_categories(
    services: Services, commune: Commune
) -> None:
    registered = commune.ledger.register_household(
        commune.treasurer,
        commune.unit,
        PersonalData.of("Lò Văn Páo", "Bản Co Mạ, xã Mẫu", "044085000001", "0912345678"),
        5,
        [
            (HouseholdCategory.POOR, date(2024, 1, 1)),
            (HouseholdCategory.POLICY_FAMILY, date(2020, 5, 1)),
        ],
    )
    home = UUID(registered.body["id"])

    position = replay(services, HouseholdsProjection())

    row = household(services, home)
    assert (row["unit_id"], row["members_count"], row["registered_by"]) == (
        str(commune.unit),
        5,
        "Thủ quỹ",
    )
    assert row["position"] == position
    assert row["registered_position"] <= position
    assert json.loads(str(row["duplicate_of"])) == []
    sealed = {name: row[column] for name, column in SEALED.items()}
    assert all(sealed.values())
    assert "Lò Văn Páo" not in str(sealed)
    assert "044085000001" not in str(sealed)
    assert services.keyring().open(home, {"head_name": sealed["head_name"]}) == {
        "head_name": "Lò Văn Páo"
    }
    assert index_kinds(services, home) == {"name_skeleton", "address", "cccd"}
    categories = rows(
        services,
        "SELECT category, since, until FROM household_categories WHERE household_id = :h "
        "ORDER BY since",
        h=str(home),
    )
    assert [(c["category"], c["since"], c["until"]) for c in categories] == [
        ("policy_family", "2020-05-01", None),
        ("poor", "2024-01-01", None),
    ]


def test_categories_end_by_date_or_by_an_escape_and_an_erasure_drops_data_and_indexes(
    services: Services, commune: Commune
) -> None:
    kept, erased = commune.household("Lò Văn Páo"), commune.household("Hồ Thị Mai")
    commune.ledger.record_household_category(
        commune.treasurer, kept, HouseholdCategory.POOR, None, date(2025, 1, 31)
    )
    commune.ledger.record_household_category(
        commune.treasurer, kept, HouseholdCategory.NEAR_POOR, date(2025, 2, 1), None
    )
    commune.ledger.record_escape_from_poverty(commune.treasurer, kept, date(2025, 6, 30), None)
    commune.ledger.erase_household(ADMIN, erased, "Đơn yêu cầu xóa dữ liệu")

    replay(services, HouseholdsProjection())

    categories = rows(
        services,
        "SELECT category, since, until FROM household_categories WHERE household_id = :h "
        "ORDER BY since",
        h=str(kept),
    )
    assert [(c["category"], c["since"], c["until"]) for c in categories] == [
        ("poor", "2024-01-01", "2025-01-31"),
        ("near_poor", "2025-02-01", "2025-06-30"),  # ended by the escape from poverty
    ]
    assert household(services, kept)["escaped_poverty_on"] == "2025-06-30"
    gone = household(services, erased)
    assert [gone[column] for column in SEALED.values()] == [None] * len(SEALED)
    assert gone["erasure_reason"] == "Đơn yêu cầu xóa dữ liệu"
    assert gone["erased_at"]
    assert index_kinds(services, erased) == set()
    assert index_kinds(services, kept) == {"name_skeleton", "address"}


def test_a_household_of_a_merged_commune_moves_to_the_successor(
    services: Services, commune: Commune
) -> None:
    home = commune.household()
    successor = register_commune(commune.ledger, "Xã Mới")
    commune.ledger.merge_unit(ADMIN, commune.unit, successor.unit, date(2025, 7, 1))

    replay(services, HouseholdsProjection())

    assert household(services, home)["unit_id"] == str(successor.unit)
