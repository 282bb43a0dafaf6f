"""Units: registering them, their approval threshold and their yearly targets."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from service.application.answers import unit_body
from service.application.core import LedgerCore
from service.application.engine import Changes, Request, Written
from service.application.roles import (
    CASE_WRITERS,
    CONTROLLERS,
    TARGET_SETTERS,
    UNIT_REGISTRARS,
)
from service.domain.actors import Meta
from service.domain.errors import InvalidInput
from service.domain.money import Money
from service.domain.periods import check_target_year
from service.domain.text import normalise
from service.domain.units import Unit
from service.domain.vocabulary import EmulationTarget, FundKind, HouseKind, Level


class UnitUseCases(LedgerCore):
    """The use cases of the unit tree."""

    def register_unit(
        self,
        request: Request,
        name: str,
        level: Level,
        parent_id: UUID | None,
        code: str | None,
    ) -> Written:
        def register(meta: Meta, today: date) -> Changes:
            parent = self._unit(parent_id, field="parent_id") if parent_id else None
            request.actor.require(UNIT_REGISTRARS, parent.path if parent else [], "đăng ký đơn vị")
            if parent is not None:
                parent.check_open()
            unit = Unit.register(name, level, parent, code, meta)
            return Changes([unit], unit_body(unit))

        return self._write(request, register)

    def set_approval_threshold(
        self, request: Request, unit_id: UUID, amount: int | None
    ) -> Written:
        def set_threshold(meta: Meta, today: date) -> Changes:
            unit = self._unit(unit_id)
            # Treasurers may not loosen the control over their own payments.
            request.actor.require(CONTROLLERS, unit.path, "đặt ngưỡng duyệt chi của đơn vị")
            unit.check_open()
            unit.set_approval_threshold(amount, meta)
            return Changes([unit], unit_body(unit))

        return self._write(request, set_threshold)

    def set_house_norm(
        self,
        request: Request,
        unit_id: UUID,
        year: int,
        kind: HouseKind,
        least: int | None,
        most: int,
    ) -> Written:
        def set_norm(meta: Meta, today: date) -> Changes:
            unit = self._unit(unit_id)
            request.actor.require(CONTROLLERS, unit.path, "đặt định mức hỗ trợ nhà")
            unit.check_open()
            unit.set_house_norm(year, kind, least, most, meta)
            return Changes(
                [unit],
                {
                    "unit_id": str(unit.id),
                    "year": year,
                    "kind": kind.value,
                    "least": least,
                    "most": most,
                },
            )

        return self._write(request, set_norm)

    def set_emulation_target(
        self,
        request: Request,
        unit_id: UUID,
        year: int,
        kind: EmulationTarget,
        amount: int,
        reported: int | None,
    ) -> Written:
        def set_target(meta: Meta, today: date) -> Changes:
            unit = self._unit(unit_id)
            # A committee sets its own emulation targets, or the level above sets them.
            request.actor.require(TARGET_SETTERS, unit.path, "đặt chỉ tiêu thi đua")
            unit.check_open()
            unit.set_emulation_target(year, kind, amount, reported, meta)
            return Changes(
                [unit],
                {
                    "unit_id": str(unit.id),
                    "year": year,
                    "kind": kind.value,
                    "amount": amount,
                    "reported": reported,
                },
            )

        return self._write(request, set_target)

    def record_household_count(
        self, request: Request, unit_id: UUID, year: int, households: int
    ) -> Written:
        def record(meta: Meta, today: date) -> Changes:
            unit = self._unit(unit_id)
            # The committee records its own count, or the level above records it.
            request.actor.require(TARGET_SETTERS, unit.path, "ghi tổng số hộ của đơn vị")
            unit.check_open()
            unit.record_household_count(year, households, meta)
            return Changes(
                [unit], {"unit_id": str(unit.id), "year": year, "households": households}
            )

        return self._write(request, record)

    def assign_caretaker(
        self, request: Request, unit_id: UUID, member: str, household_ids: list[UUID]
    ) -> Written:
        def assign(meta: Meta, today: date) -> Changes:
            unit = self._unit(unit_id)
            request.actor.require(CASE_WRITERS, unit.path, "phân công tổ viên tổ tự quản")
            unit.check_open()
            for i, household_id in enumerate(household_ids):
                field = f"household_ids.{i}"
                if unit.id not in self.household(household_id, field=field).unit_path:
                    raise InvalidInput(
                        field,
                        f"Hộ này không thuộc {unit.name}. Chỉ giao các hộ của thôn cho tổ viên.",
                    )
            unit.assign_caretaker(member, household_ids, meta)
            return Changes(
                [unit],
                {
                    "unit_id": str(unit.id),
                    "member": normalise(member),
                    "household_ids": [str(h) for h in household_ids],
                },
            )

        return self._write(request, assign)

    def assign_target(
        self, request: Request, unit_id: UUID, year: int, fund_kind: FundKind, amount: Money
    ) -> Written:
        def assign(meta: Meta, today: date) -> Changes:
            unit = self._unit(unit_id)
            # The level above assigns: reaching the unit's parent, not the unit itself.
            request.actor.require(TARGET_SETTERS, unit.path[:-1], "giao chỉ tiêu cho đơn vị này")
            unit.check_open()
            check_target_year(year, self._books_closed_through(unit.path))
            unit.assign_target(year, fund_kind, amount, meta)
            return Changes(
                [unit],
                {
                    "unit_id": str(unit.id),
                    "year": year,
                    "fund_kind": fund_kind.value,
                    "amount": amount.dong,
                },
            )

        return self._write(request, assign)
