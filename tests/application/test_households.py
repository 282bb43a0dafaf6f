"""Households through the application on a real store: sealed data opened with the
household's key only, rebuilt read models equal to live ones, erasure destroying the key."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from service.application import Ledger
from service.bootstrap import Services
from service.domain.errors import Forbidden, PossibleDuplicate
from service.domain.households import PersonalData
from service.domain.vocabulary import HouseholdCategory, Level
from tests.conftest import ADMIN, read_models, treasurer_of


def test_households_rebuild_to_the_same_rows_and_erasure_destroys_only_that_key(
    services: Services, ledger: Ledger
) -> None:
    unit = UUID(ledger.register_unit(ADMIN, "Xã Mẫu", Level.COMMUNE, None, None).body["id"])
    treasurer = treasurer_of(unit)
    ids = [
        UUID(
            ledger.register_household(
                treasurer,
                unit,
                PersonalData.of(name, f"Thôn {i}, xã Mẫu", cccd),
                3,
                [(HouseholdCategory.NEAR_POOR, date(2024, 1, 1))],
            ).body["id"]
        )
        for i, (name, cccd) in enumerate([("Lê Văn A", "044085000001"), ("Hồ Thị B", None)])
    ]
    with pytest.raises(PossibleDuplicate):
        ledger.register_household(
            treasurer, unit, PersonalData.of("Trần C", "Xóm 9", "044085000001"), 2
        )
    with pytest.raises(Forbidden):
        ledger.erase_household(treasurer, ids[0], "Đơn yêu cầu")
    ledger.record_escape_from_poverty(treasurer, ids[1], date(2025, 1, 1), None)
    ledger.erase_household(ADMIN, ids[0], "Đơn yêu cầu")
    services.runner.catch_up()
    live = read_models(services.db)

    services.runner.rebuild(["households"])

    assert read_models(services.db) == live
    assert len(live["households"]) == 2
    assert {row["kind"] for row in live["household_index"]} == {"name_skeleton", "address"}
    keyring = services.keyring()
    row = next(row for row in live["households"] if row["id"] == str(ids[1]))
    sealed = {"head_name": row["head_name_sealed"]}
    assert keyring.open(ids[1], sealed) == {"head_name": "Hồ Thị B"}
    assert keyring.open(ids[0], sealed) is None
    assert ledger.household(ids[0]).erased
