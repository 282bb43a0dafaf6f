"""Pledges: made to a fund, cancelled or written off; receipts fulfil them."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from service.application.answers import pledge_state
from service.application.core import LedgerCore
from service.application.engine import Changes, Request, Written
from service.application.loading import find
from service.application.roles import MONEY_WRITERS
from service.domain.actors import Meta
from service.domain.pledges import Commitment, Pledge, check_new_code


class PledgeUseCases(LedgerCore):
    """The use cases of donors' pledges."""

    def make_pledge(self, request: Request, fund_id: UUID, commitment: Commitment) -> Written:
        def make(meta: Meta, today: date) -> Changes:
            fund = self._writable_fund(request, fund_id, "ghi cam kết ủng hộ")
            pledge = Pledge.make(fund.id, fund.unit_path, commitment, meta)
            made = find(self.repository, pledge.id, Pledge) is not None
            check_new_code(pledge.code, {pledge.code} if made else self._pledge_codes(fund.id))
            return Changes([pledge], pledge_state(pledge))

        return self._write(request, make)

    def cancel_pledge(self, request: Request, pledge_id: UUID, reason: str) -> Written:
        def cancel(meta: Meta, today: date) -> Changes:
            pledge = self._writable_pledge(request, pledge_id, "hủy cam kết ủng hộ")
            pledge.cancel(reason, meta)
            return Changes([pledge], pledge_state(pledge))

        return self._write(request, cancel)

    def write_off_pledge(self, request: Request, pledge_id: UUID, reason: str) -> Written:
        def write_off(meta: Meta, today: date) -> Changes:
            pledge = self._writable_pledge(request, pledge_id, "xóa nợ cam kết ủng hộ")
            pledge.write_off(reason, meta)
            return Changes([pledge], pledge_state(pledge))

        return self._write(request, write_off)

    def _writable_pledge(self, request: Request, pledge_id: UUID, action: str) -> Pledge:
        pledge = self.pledge(pledge_id)
        request.actor.require(MONEY_WRITERS, pledge.unit_path, action)
        return pledge
