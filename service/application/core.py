"""What every family of use cases shares: the aggregates loaded by id, the fund's entries
and controls, and the case index's answers about units."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TypeVar
from uuid import UUID

from service.application import loading
from service.application.engine import Request, WriteEngine
from service.application.loading import load
from service.application.roles import CONTROLLERS, MONEY_WRITERS
from service.domain.campaigns import Campaign
from service.domain.controls import Controls, default_plausibility_limit
from service.domain.errors import (
    EntryNotFound,
    FundNotFound,
    InvalidInput,
    NotFound,
    PaymentNotFound,
)
from service.domain.funds import Fund, entry_version
from service.domain.grants import LivelihoodGrant
from service.domain.households import Household
from service.domain.houses import HouseProject
from service.domain.norms import Norm
from service.domain.pledges import Pledge
from service.domain.reorganisation import UnitContents
from service.domain.selections import SelectionMeeting, meeting_or_reason
from service.domain.supervision import Supervision
from service.domain.text import normalise
from service.domain.units import Unit
from service.domain.vocabulary import HouseKind

E = TypeVar("E")


class LedgerCore(WriteEngine):
    """The loaders and checks that more than one family of use cases needs."""

    # Aggregates by id -----------------------------------------------------------

    def unit(self, unit_id: UUID) -> Unit:
        return self._unit(unit_id)

    def _unit(self, unit_id: UUID, *, field: str | None = None) -> Unit:
        return load(self.repository, unit_id, Unit, loading.UNIT, field=field)

    def _unit_to_read(self, unit_id: UUID) -> Unit:
        """The unit as the aggregate cache holds it, not copied: for checks that only read
        it (open or merged, its controls), never to be changed or saved."""
        return load(self.repository, unit_id, Unit, loading.UNIT, shared=True)

    def fund(self, fund_id: UUID) -> Fund:
        """The fund, held against its other writers when a write loads it first."""
        self._fund_locks.hold(fund_id)
        return load(self.repository, fund_id, Fund, loading.FUND)

    def _named_fund(self, fund_id: UUID, field: str) -> Fund:
        """The fund a field of the request names (``fund``), refused as that field when
        there is none."""
        try:
            return self.fund(fund_id)
        except FundNotFound:
            raise loading.FUND.refusal(fund_id, field) from None

    def household(self, household_id: UUID, *, field: str | None = None) -> Household:
        return load(self.repository, household_id, Household, loading.HOUSEHOLD, field=field)

    def house(self, project_id: UUID, *, field: str | None = None) -> HouseProject:
        return load(self.repository, project_id, HouseProject, loading.HOUSE, field=field)

    def grant(self, grant_id: UUID, *, field: str | None = None) -> LivelihoodGrant:
        return load(self.repository, grant_id, LivelihoodGrant, loading.GRANT, field=field)

    def pledge(self, pledge_id: UUID, *, field: str | None = None) -> Pledge:
        return load(self.repository, pledge_id, Pledge, loading.PLEDGE, field=field)

    def campaign(self, campaign_id: UUID, *, field: str | None = None) -> Campaign:
        return load(self.repository, campaign_id, Campaign, loading.CAMPAIGN, field=field)

    def supervision(self, supervision_id: UUID) -> Supervision:
        return load(self.repository, supervision_id, Supervision, loading.SUPERVISION)

    # Funds ------------------------------------------------------------------------

    def _writable_fund(self, request: Request, fund_id: UUID, action: str) -> Fund:
        return self._writable_fund_and_unit(request, fund_id, action)[0]

    def _writable_fund_and_unit(
        self, request: Request, fund_id: UUID, action: str
    ) -> tuple[Fund, Unit]:
        """The fund the request writes to, and its unit (only to be read), loaded once and
        found open."""
        fund = self.fund(fund_id)
        request.actor.require(MONEY_WRITERS, fund.unit_path, action)
        unit = self._unit_to_read(fund.unit_id)
        unit.check_open()
        return fund, unit

    def _check_campaign(
        self,
        unit_path: Sequence[UUID],
        campaign_id: UUID | None,
        occurred_on: date,
        *,
        receipt: bool,
    ) -> None:
        """Refuses what a unit records naming a campaign it cannot count in (an entry of
        one of its funds, a distribution): ``Campaign.check_entry``."""
        if campaign_id is not None:
            campaign = load(
                self.repository,
                campaign_id,
                Campaign,
                loading.CAMPAIGN,
                field="campaign_id",
                shared=True,
            )
            campaign.check_entry(unit_path, occurred_on, receipt=receipt)

    def controls_of(self, fund: Fund, unit: Unit | None = None) -> Controls:
        """The fund's controls: its unit's approval threshold, and its plausibility limit
        or its unit level's default. ``unit`` is the fund's unit when the write has
        loaded it already (it is read once a write)."""
        if unit is None or unit.id != fund.unit_id:
            unit = self._unit_to_read(fund.unit_id)
        limit = fund.plausibility_limit
        return Controls(
            approval_threshold=unit.approval_threshold,
            plausibility_limit=limit
            if limit is not None
            else default_plausibility_limit(unit.level),
        )

    def _entry(self, fund: Fund, entry_id: UUID) -> Fund.EntryRecorded:
        message = "Quỹ này không có bút toán với mã này. Hãy kiểm tra lại mã bút toán."
        missing = EntryNotFound(message, entry_id=str(entry_id))
        return self._event_of(fund, entry_id, Fund.EntryRecorded, missing)

    def _requested(self, fund: Fund, pending_id: UUID) -> Fund.PaymentRequested:
        message = "Quỹ này không có khoản chi chờ duyệt với mã này. Hãy kiểm tra lại mã."
        missing = PaymentNotFound(message, pending_id=str(pending_id))
        return self._event_of(fund, pending_id, Fund.PaymentRequested, missing)

    def _event_of(self, fund: Fund, event_id: UUID, kind: type[E], missing: NotFound) -> E:
        """The fund's event of ``kind`` named by ``event_id``, read with one indexed read of
        the store; refused with ``missing`` when the fund has none."""
        version = entry_version(fund.id, event_id)
        if version is not None and 1 < version <= fund.version:
            for event in self.events.get(fund.id, gt=version - 1, lte=version):
                if isinstance(event, kind):
                    return event
        raise missing

    def _check_meeting(
        self, meeting_id: UUID | None, household: Household, approved_on: date
    ) -> None:
        """Refuses an approval naming a bình xét meeting that did not select the household
        before the approval (``SelectionMeeting.check_names``), or of another unit's."""
        if meeting_id is None:
            return
        meeting = load(
            self.repository, meeting_id, SelectionMeeting, loading.MEETING, field="meeting_id"
        )
        if meeting.unit_id not in household.unit_path:
            raise InvalidInput(
                "meeting_id",
                "Cuộc họp bình xét này là của đơn vị khác với đơn vị của hộ. Hãy chọn cuộc "
                "họp của thôn, tổ hoặc xã của hộ.",
            )
        meeting.check_names(household.id, approved_on)

    def _check_selection(
        self,
        request: Request,
        household: Household,
        approved_on: date,
        meeting_id: UUID | None,
        no_meeting_reason: str | None,
        required: bool,
    ) -> str | None:
        """Checks what an approval says of its bình xét: the meeting it names
        (``_check_meeting``), or the reason it names none, which only an approver (the
        head of the board) or an admin gives; with ``required``, one or the other
        (``meeting_or_reason``). Returns the reason, normalised."""
        if no_meeting_reason:
            request.actor.require(
                CONTROLLERS, household.unit_path, "phê duyệt không qua họp bình xét"
            )
        self._check_meeting(meeting_id, household, approved_on)
        if required:
            return meeting_or_reason(meeting_id, no_meeting_reason)
        return normalise(no_meeting_reason or "") or None

    def _house_norm(self, unit_path: Sequence[UUID], kind: HouseKind, year: int) -> Norm | None:
        """The norm of support for a house of the unit at the end of ``unit_path``: the
        one set for its kind and year by the nearest unit on the path (``norms``)."""
        for unit_id in reversed(unit_path):
            norm = self._unit_to_read(unit_id).house_norm(year, kind)
            if norm is not None:
                return norm
        return None

    # The case index -------------------------------------------------------------

    def _books_closed_through(self, unit_path: Sequence[UUID]) -> date | None:
        """The latest date through which a fund of these units is closed
        (``service/domain/periods.py``)."""
        return self._case_index.books_closed_through(unit_path) if self._case_index else None

    def _contents(self, unit_id: UUID) -> UnitContents:
        return self._case_index.unit_contents(unit_id) if self._case_index else UnitContents()

    def _pledge_codes(self, fund_id: UUID) -> set[str]:
        return self._case_index.pledge_codes(fund_id) if self._case_index else set()
