"""A household as a token may read it: personal data opened and shown in full, masked or
marked erased, for the API's routes and the inspector pages."""

from __future__ import annotations

from uuid import UUID

from service.adapters.db import Row, Transaction
from service.domain.errors import HouseholdNotFound
from service.domain.households import ERASED_NAME
from service.domain.text import mask_digits, mask_name
from service.projections import households as household_view
from service.projections.households import SEALED
from service.reads import reached
from service.web.context import actor, services


def readable_household(tx: Transaction, household_id: UUID) -> Row:
    missing = HouseholdNotFound(
        "Không có hộ nào với mã này. Hãy kiểm tra lại mã hộ.", household_id=str(household_id)
    )
    return reached(tx, household_view.get(tx, str(household_id)), missing)


def students_shown(household: Row, entries: list[Row]) -> list[Row]:
    """The disbursements with each scholarship's student as the household's data is shown:
    in full, masked, or erased."""
    keyring = services().keyring()
    for entry in entries:
        sealed = entry.pop("student_name_sealed")
        school, school_year = entry.pop("school"), entry.pop("school_year")
        if school is None:
            entry["student"] = None
            continue
        opened = (
            keyring.open(UUID(household["id"]), {"student_name": sealed})
            if sealed and household["personal_data"] != "erased"
            else None
        )
        name = opened["student_name"] if opened else None
        if name is None:
            name = ERASED_NAME
        elif household["personal_data"] == "masked":
            name = mask_name(name)
        entry["student"] = {"name": name, "school": school, "school_year": school_year}
    return entries


def shown(rows: list[Row]) -> list[Row]:
    """Households as this token may see them: personal data opened and shown in full,
    masked, or marked erased."""
    full = actor().sees_personal_data
    opened = (
        services()
        .keyring()
        .open_many(
            {
                UUID(row["id"]): {name: row.pop(column) for name, column in SEALED.items()}
                for row in rows
            }
        )
    )
    for row in rows:
        data = opened[UUID(row["id"])]
        if row["erased_at"] is not None or data is None:
            row.update(personal_data="erased", head_name=ERASED_NAME)
            row.update(address=None, cccd=None, phone=None)
        elif full:
            row.update(personal_data="full", **data)
        else:
            row.update(
                personal_data="masked",
                head_name=mask_name(data["head_name"] or ""),
                address=None,
                cccd=mask_digits(data["cccd"]) if data["cccd"] else None,
                phone=mask_digits(data["phone"]) if data["phone"] else None,
            )
    return rows
