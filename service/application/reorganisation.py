"""The 2025 reorganisation: a unit merged into its successor, in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate

from service.application.answers import merger_body
from service.application.core import LedgerCore
from service.application.engine import Changes, Request, Written
from service.application.roles import MERGERS
from service.domain.actors import Meta
from service.domain.funds import Fund, transfer
from service.domain.grants import LivelihoodGrant
from service.domain.households import Household
from service.domain.houses import HouseProject
from service.domain.money import Money
from service.domain.pledges import Pledge
from service.domain.reorganisation import UnitContents, check_can_merge, check_fund_can_close
from service.domain.units import Unit
from service.domain.vocabulary import FundKind, PledgeStatus


@dataclass
class MergedFunds:
    """The funds a merger closes, and the successor's fund that takes each kind."""

    closing: list[Fund]
    by_kind: dict[str, Fund] = field(default_factory=dict)


class ReorganisationUseCases(LedgerCore):
    """The merger of a unit into its successor."""

    def merge_unit(
        self, request: Request, unit_id: UUID, successor_id: UUID, merged_on: date
    ) -> Written:
        """Merges the unit into its successor from ``merged_on``, in one transaction: each
        fund's balance is transferred to the successor's fund of the same kind (opened if
        missing) and its books are closed through the date; its households, house
        projects and livelihood grants move to the successor, and its open pledges to the
        successor's fund that takes their fund's balance."""

        def merge(meta: Meta, today: date) -> Changes:
            unit = self._unit(unit_id)
            successor = self._unit(successor_id, field="successor_id")
            request.actor.require(MERGERS, unit.path[:-1], "sáp nhập đơn vị này")
            request.actor.require(MERGERS, successor.path, "sáp nhập đơn vị vào đơn vị nhận này")
            held = self._contents(unit.id)
            check_can_merge(unit.name, held, merged_on)
            unit.merge_into(successor, merged_on, today, meta)
            funds = self._successor_funds(successor, held.funds, meta)
            moved = self._move_cases(unit, successor, held, merged_on, meta)
            pledges = self._move_pledges(funds, successor, held, merged_on, meta)
            for fund in funds.closing:
                self._close_merged_fund(fund, funds.by_kind[fund.kind], successor, merged_on, meta)
            successors = {fund.id: funds.by_kind[fund.kind].id for fund in funds.closing}
            return Changes(
                [unit, *funds.closing, *funds.by_kind.values(), *moved, *pledges],
                merger_body(unit, successors, moved, pledges),
            )

        return self._write(request, merge)

    def _successor_funds(self, successor: Unit, closing: Sequence[UUID], meta: Meta) -> MergedFunds:
        """The merged unit's funds, and the successor's fund of each of their kinds: the
        first it opened, or one opened now under the same name."""
        funds = MergedFunds([self.fund(fund_id) for fund_id in closing])
        for fund_id in self._contents(successor.id).funds:
            existing = self.fund(fund_id)
            funds.by_kind.setdefault(existing.kind, existing)
        for fund in funds.closing:
            check_fund_can_close(fund)
            if fund.kind not in funds.by_kind:
                funds.by_kind[fund.kind] = Fund.open(
                    successor.id, successor.path, fund.name, FundKind(fund.kind), meta
                )
        return funds

    @staticmethod
    def _close_merged_fund(
        fund: Fund, destination: Fund, successor: Unit, merged_on: date, meta: Meta
    ) -> None:
        """Transfers the fund's balance to ``destination``, then closes its books."""
        if fund.balance > 0:
            transfer(
                fund,
                destination,
                Money(fund.balance),
                merged_on,
                f"Sáp nhập vào {successor.name}",
                merged_on,
                meta,
            )
        if fund.closed_through is None or fund.closed_through < merged_on:
            fund.close_period(merged_on, merged_on, meta)

    def _move_cases(
        self,
        unit: Unit,
        successor: Unit,
        held: UnitContents,
        merged_on: date,
        meta: Meta,
    ) -> list[Aggregate]:
        """Records on each case of the unit that it belongs to the successor."""
        moved: list[Aggregate] = []
        cases: list[Household | HouseProject | LivelihoodGrant] = [
            *(self.household(case_id) for case_id in held.households),
            *(self.house(case_id) for case_id in held.house_projects),
            *(self.grant(case_id) for case_id in held.grants),
        ]
        for case in cases:
            if case.unit_id == unit.id:
                case.move_to(successor.id, successor.path, merged_on, meta)
                moved.append(case)
        return moved

    def _move_pledges(
        self, funds: MergedFunds, successor: Unit, held: UnitContents, merged_on: date, meta: Meta
    ) -> list[Pledge]:
        """Records on each open pledge of the closing funds that it is owed to the
        successor's fund of its fund's kind. A code that fund already holds is refused:
        donors write the code in their transfers, so it must name one pledge."""
        kinds = {fund.id: fund.kind for fund in funds.closing}
        taken = {fund.id: self._pledge_codes(fund.id) for fund in funds.by_kind.values()}
        moved: list[Pledge] = []
        for pledge in (self.pledge(pledge_id) for pledge_id in held.pledges):
            if pledge.status is not PledgeStatus.OPEN or pledge.fund_id not in kinds:
                continue
            destination = funds.by_kind[kinds[pledge.fund_id]]
            pledge.check_code_free_in(destination.name, taken[destination.id])
            taken[destination.id].add(pledge.code)
            pledge.move_to(destination.id, successor.path, merged_on, meta)
            moved.append(pledge)
        return moved
