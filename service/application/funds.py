"""Money in and out of a fund: opening it, receipts, disbursements, transfers and
reversals; the payments awaiting approval, the fund's controls and its closed periods."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from service.application.answers import (
    balance_body,
    entry_body,
    entry_id_of,
    fund_body,
    payment_body,
    pledge_state,
    receipt_body,
)
from service.application.cases import CaseLinks
from service.application.engine import Changes, Request, Written
from service.application.roles import APPROVERS, CONTROLLERS, FUND_OPENERS, MONEY_WRITERS
from service.domain.actors import Meta
from service.domain.controls import default_plausibility_limit
from service.domain.errors import InvalidInput
from service.domain.funds import Disbursement, Fund, Receipt, transfer
from service.domain.grants import LivelihoodGrant
from service.domain.money import Money
from service.domain.periods import check_case_date
from service.domain.pledges import Pledge
from service.domain.support import Student
from service.domain.vocabulary import FundKind


class FundUseCases(CaseLinks):
    """The use cases that record a fund's entries."""

    def open_fund(self, request: Request, unit_id: UUID, name: str, kind: FundKind) -> Written:
        def open_(meta: Meta, today: date) -> Changes:
            unit = self._unit(unit_id, field="unit_id")
            request.actor.require(FUND_OPENERS, unit.path, "mở quỹ")
            unit.check_open()
            fund = Fund.open(unit.id, unit.path, name, kind, meta)
            return Changes([fund], fund_body(fund))

        return self._write(request, open_)

    def record_receipt(self, request: Request, fund_id: UUID, receipt: Receipt) -> Written:
        def record(meta: Meta, today: date) -> Changes:
            fund, unit = self._writable_fund_and_unit(request, fund_id, "ghi khoản thu")
            self._check_campaign(
                fund.unit_path, receipt.campaign_id, receipt.occurred_on, receipt=True
            )
            if receipt.pledge_id is None:
                fund.record_receipt(receipt, today, meta, self.controls_of(fund, unit))
                return Changes([fund], receipt_body(fund))
            pledge = self._fulfilled_pledge(fund, receipt)
            fund.record_receipt(receipt, today, meta, self.controls_of(fund, unit))
            if isinstance(fund.pending_events[-1], Fund.ReceiptRequested):
                return Changes([fund], payment_body(fund))
            pledge.fulfil(entry_id_of(fund), receipt.amount.dong, receipt.surplus_as_gift, meta)
            return Changes([fund, pledge], {**receipt_body(fund), "pledge": pledge_state(pledge)})

        return self._write(request, record, fund_id=fund_id)

    def record_disbursement(
        self,
        request: Request,
        fund_id: UUID,
        disbursement: Disbursement,
        student: Student | None = None,
    ) -> Written:
        """Records money out; a house's tranche or a grant's delivery is recorded on the
        case in the same transaction, and a scholarship's student is sealed first."""

        def record(meta: Meta, today: date) -> Changes:
            fund, unit = self._writable_fund_and_unit(request, fund_id, "ghi khoản chi")
            self._check_campaign(
                fund.unit_path, disbursement.campaign_id, disbursement.occurred_on, receipt=False
            )
            case = self._case_paid(fund, disbursement)
            named = replace(disbursement, household_id=case.household_id) if case else None
            checked = self._case_links(fund, named or disbursement, student, repeats=named is None)
            fund.record_disbursement(checked, today, meta, self.controls_of(fund, unit))
            if case is None:
                return Changes([fund], payment_body(fund))
            requested = fund.pending_events[-1]
            if isinstance(requested, Fund.PaymentRequested):
                payment_id, pending = requested.pending_id, True
            else:
                payment_id, pending = entry_id_of(fund), False
            case.record_payment(
                payment_id,
                fund.id,
                checked.amount.dong,
                checked.occurred_on,
                pending=pending,
                meta=meta,
            )
            return Changes([fund, case], payment_body(fund))

        return self._write(
            request,
            record,
            keyed_by=disbursement.household_id if student else None,
            fund_id=fund_id,
        )

    def record_transfer(
        self,
        request: Request,
        fund_id: UUID,
        to_fund_id: UUID,
        amount: Money,
        occurred_on: date,
        note: str | None,
    ) -> Written:
        def record(meta: Meta, today: date) -> Changes:
            source = self._writable_fund(request, fund_id, "điều tiết tiền từ quỹ này")
            destination = self._named_fund(to_fund_id, "to_fund_id")
            self._unit(destination.unit_id).check_open()
            transfer(
                source,
                destination,
                amount,
                occurred_on,
                note,
                today,
                meta,
                self.controls_of(source),
            )
            return Changes([source, destination], payment_body(source))

        return self._write(request, record)

    def reverse_entry(
        self, request: Request, fund_id: UUID, entry_id: UUID, reason: str
    ) -> Written:
        """Reverses the entry, or when the fund's controls hold the reversal (above the
        approval threshold or the plausibility limit) leaves it awaiting an approver."""

        def reverse(meta: Meta, today: date) -> Changes:
            fund = self._writable_fund(request, fund_id, "hủy bút toán")
            entry = self._entry(fund, entry_id)
            if (other := self._counterpart_fund(entry)) is not None:
                request.actor.require(
                    MONEY_WRITERS,
                    other.unit_path,
                    "hủy khoản điều tiết liên quan đến quỹ của đơn vị khác",
                )
            fund.reverse(entry, reason, today, meta, self.controls_of(fund))
            if isinstance(fund.pending_events[-1], Fund.ReversalRequested):
                return Changes([fund], {**payment_body(fund), "reversed_entry_id": str(entry_id)})
            linked = self._reversal_links(entry, other, reason, today, meta)
            return Changes(
                [fund, *linked], {**entry_body(fund), "reversed_entry_id": str(entry_id)}
            )

        return self._write(request, reverse)

    def _counterpart_fund(self, entry: Fund.EntryRecorded) -> Fund | None:
        """The other fund of a transfer's side, reversed with it."""
        if isinstance(entry, Fund.TransferSent):
            return self.fund(entry.to_fund_id)
        if isinstance(entry, Fund.TransferReceived):
            return self.fund(entry.from_fund_id)
        return None

    def _reversal_links(
        self,
        entry: Fund.EntryRecorded,
        other: Fund | None,
        reason: str,
        today: date,
        meta: Meta,
    ) -> list[Aggregate]:
        """What a reversal of ``entry`` changes beside its fund: the transfer's other side,
        the pledge a receipt fulfilled, the case a payment paid."""
        changed: list[Aggregate] = []
        if other is not None and isinstance(entry, Fund.TransferSent | Fund.TransferReceived):
            other.reverse(self._entry(other, entry.counterpart_entry_id), reason, today, meta)
            changed.append(other)
        if isinstance(entry, Fund.ReceiptRecorded) and entry.pledge_id is not None:
            pledge = self.pledge(entry.pledge_id)
            pledge.unfulfil(entry.entry_id, meta)
            changed.append(pledge)
        case = self._case_paid_by(entry)
        if isinstance(case, LivelihoodGrant):
            case.release_payment(entry.entry_id, meta, on=today)
            changed.append(case)
        elif case is not None:
            case.release_payment(entry.entry_id, meta)
            changed.append(case)
        return changed

    def _fulfilled_pledge(self, fund: Fund, receipt: Receipt) -> Pledge:
        """The pledge a receipt names: one of the same fund, fulfilled by money."""
        assert receipt.pledge_id is not None
        pledge = self.pledge(receipt.pledge_id, field="pledge_id")
        if pledge.fund_id != fund.id:
            raise InvalidInput("pledge_id", "Cam kết này là của quỹ khác. Hãy chọn đúng quỹ.")
        if receipt.in_kind is not None:
            raise InvalidInput(
                "pledge_id",
                "Hiện vật không dùng để trả cam kết bằng tiền. Hãy ghi khoản thu bằng tiền.",
            )
        return pledge

    # Payments awaiting approval, controls and periods -------------------------

    def approve_payment(
        self, request: Request, fund_id: UUID, pending_id: UUID, note: str | None = None
    ) -> Written:
        def approve(meta: Meta, today: date) -> Changes:
            fund = self._deciding_fund(request, fund_id, "duyệt chi")
            requested = self._requested(fund, pending_id)
            if isinstance(requested, Fund.ReversalRequested | Fund.ReceiptRequested):
                return self._approve_held_entry(fund, requested, today, meta, note)
            destination = (
                self.fund(requested.to_fund_id)
                if isinstance(requested, Fund.TransferRequested)
                else None
            )
            fund.approve(requested, destination, today, meta, note)
            case = self._case_paid_by(requested)
            if isinstance(case, LivelihoodGrant):
                check_case_date(requested.occurred_on, self._books_closed_through(case.unit_path))
            if case is not None:
                case.approve_payment(pending_id, entry_id_of(fund), meta)
            return Changes(
                [fund, *([destination] if destination else []), *([case] if case else [])],
                {**entry_body(fund), "pending_id": str(pending_id), "status": "approved"},
            )

        return self._write(request, approve)

    def _approve_held_entry(
        self,
        fund: Fund,
        requested: Fund.ReversalRequested | Fund.ReceiptRequested,
        today: date,
        meta: Meta,
        note: str | None,
    ) -> Changes:
        """Approves a reversal (with what it changes beside the fund) or a receipt (with
        the pledge it fulfils), recorded as their recorder asked."""
        approved = {"pending_id": str(requested.pending_id), "status": "approved"}
        if isinstance(requested, Fund.ReversalRequested):
            entry = self._entry(fund, requested.reversed_entry_id)
            fund.approve(requested, None, today, meta, note, reversed_entry=entry)
            other = self._counterpart_fund(entry)
            linked = self._reversal_links(entry, other, requested.reason, today, requested.meta)
            body = {**entry_body(fund), **approved, "reversed_entry_id": str(entry.entry_id)}
            return Changes([fund, *linked], body)
        fund.approve(requested, None, today, meta, note)
        body = {**receipt_body(fund), **approved}
        if requested.pledge_id is None:
            return Changes([fund], body)
        pledge = self.pledge(requested.pledge_id)
        pledge.fulfil(
            entry_id_of(fund), requested.amount, requested.surplus_as_gift, requested.meta
        )
        return Changes([fund, pledge], {**body, "pledge": pledge_state(pledge)})

    def reject_payment(
        self, request: Request, fund_id: UUID, pending_id: UUID, reason: str
    ) -> Written:
        def reject(meta: Meta, today: date) -> Changes:
            fund = self._deciding_fund(request, fund_id, "từ chối khoản chi")
            requested = self._requested(fund, pending_id)
            fund.reject(requested, reason, meta)
            case = self._case_paid_by(requested)
            if case is not None:
                case.release_payment(pending_id, meta)
            return Changes(
                [fund, *([case] if case else [])],
                {**balance_body(fund), "pending_id": str(pending_id), "status": "rejected"},
            )

        return self._write(request, reject)

    def _deciding_fund(self, request: Request, fund_id: UUID, action: str) -> Fund:
        fund = self.fund(fund_id)
        request.actor.require(APPROVERS, fund.unit_path, action)
        return fund

    def set_plausibility_limit(
        self, request: Request, fund_id: UUID, amount: int | None
    ) -> Written:
        """Sets the fund's plausibility limit (None: its level's default). Treasurers may
        not loosen a control over their own entries."""

        def set_limit(meta: Meta, today: date) -> Changes:
            fund = self.fund(fund_id)
            request.actor.require(CONTROLLERS, fund.unit_path, "đặt giới hạn hợp lý của quỹ")
            self._unit(fund.unit_id).check_open()
            fund.set_plausibility_limit(amount, meta)
            return Changes([fund], self.controls_body(fund))

        return self._write(request, set_limit)

    def controls_body(self, fund: Fund) -> dict[str, Any]:
        """What makes the fund's entries wait for an approver."""
        unit = self._unit(fund.unit_id)
        return {
            "fund_id": str(fund.id),
            "approval_threshold": unit.approval_threshold,
            "plausibility_limit": self.controls_of(fund).plausibility_limit,
            "plausibility_limit_default": default_plausibility_limit(unit.level),
            "plausibility_limit_own": fund.plausibility_limit,
        }

    def close_period(self, request: Request, fund_id: UUID, through: date) -> Written:
        def close(meta: Meta, today: date) -> Changes:
            fund = self._writable_fund(request, fund_id, "khóa sổ")
            fund.close_period(through, today, meta)
            return Changes([fund], {"fund_id": str(fund.id), "closed_through": through.isoformat()})

        return self._write(request, close)
