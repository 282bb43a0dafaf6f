"""The households each member of a village's self-governing group (tổ tự quản) looks
after."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from service.adapters.db import Transaction
from service.domain.units import Unit
from service.projections.base import Projection


class CaretakersProjection(Projection):
    name = "caretakers"
    tables = ("unit_caretakers",)

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Other events change nothing here."""

    @apply.register
    def _assigned(self, event: Unit.CaretakerAssigned, position: int, tx: Transaction) -> None:
        unit = str(event.originator_id)
        tx.execute(
            "DELETE FROM unit_caretakers WHERE unit_id = :unit AND member = :member",
            {"unit": unit, "member": event.member},
        )
        for household in event.households:
            # A household has one member looking after it: the latest to be given it.
            tx.execute(
                "DELETE FROM unit_caretakers WHERE unit_id = :unit AND household_id = :household",
                {"unit": unit, "household": str(household)},
            )
            tx.insert(
                "unit_caretakers",
                {
                    "unit_id": unit,
                    "member": event.member,
                    "household_id": str(household),
                    "position": position,
                },
            )


def of_unit(tx: Transaction, unit_id: str) -> list[dict[str, Any]]:
    """The members of the unit's self-governing group, each with the households it looks
    after, by member's name."""
    members: dict[str, list[str]] = {}
    for row in tx.all(
        "SELECT member, household_id FROM unit_caretakers WHERE unit_id = :unit "
        "ORDER BY member, position, household_id",
        {"unit": unit_id},
    ):
        members.setdefault(row["member"], []).append(str(row["household_id"]))
    return [
        {"member": member, "household_ids": ids, "households": len(ids)}
        for member, ids in members.items()
    ]
