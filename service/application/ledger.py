"""The Sổ Vàng application: one method per use case, plain values in and out.

Every write goes through ``_write``: it honours the Idempotency-Key (the first
answer, or the first refusal, is given again; the same key with another body is
refused), saves every changed aggregate and the request's record in one
transaction, and retries a bounded number of times when a concurrent request
changed the same fund first.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Transcoding

from service.adapters.db import APPLICATION_NAME
from service.adapters.fund_locks import FundLocks
from service.application.statement_import import ImportReport, import_statement
from service.domain.actors import Actor, Meta
from service.domain.checkpoints import Checkpoint, TreeHead, Witness
from service.domain.controls import Controls, default_plausibility_limit
from service.domain.errors import (
    AlreadyRegistered,
    Conflict,
    DomainError,
    EntryNotFound,
    Forbidden,
    FundNotFound,
    GrantNotFound,
    HouseholdNotFound,
    HouseProjectNotFound,
    InvalidInput,
    MergeRefused,
    NotFound,
    PaymentNotFound,
    PledgeNotFound,
    SupervisionNotFound,
    UnitNotFound,
)
from service.domain.fingerprints import RequestKeys, keyed, same_request
from service.domain.funds import Disbursement, Fund, Receipt, entry_version, transfer
from service.domain.grants import LivelihoodGrant
from service.domain.households import (
    Blinded,
    CaseIndex,
    Household,
    Keyring,
    PersonalData,
    check_not_duplicate,
    check_not_repeated,
)
from service.domain.houses import HouseProject
from service.domain.idempotency import RequestRecord
from service.domain.imports import StatementLine
from service.domain.money import Money
from service.domain.notes import NoteError, Signer, parse_signature
from service.domain.periods import check_case_date, check_target_year
from service.domain.pledges import Commitment, Pledge
from service.domain.reorganisation import UnitContents
from service.domain.supervision import Finding, Subject, Supervision, subject_view
from service.domain.support import Student
from service.domain.units import Unit
from service.domain.vocabulary import (
    Category,
    CostSource,
    FollowUpStatus,
    FundKind,
    GrantOutcome,
    HouseholdCategory,
    HouseKind,
    Level,
    PledgeStatus,
    Role,
    Stage,
    SubjectKind,
)
from service.domain.words import word

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_ATTEMPTS = 40

MONEY_WRITERS = {Role.TREASURER}
AUDITORS = {Role.ADMIN, Role.INSPECTOR}
#: Who may open a review; findings and the conclusion belong to the board that opened it.
REVIEWERS = {Role.ADMIN, Role.INSPECTOR}
#: Who may answer a finding for the reviewed unit.
RESPONDERS = {Role.ADMIN, Role.TREASURER, Role.APPROVER}
#: Who decides on payments above a unit's approval threshold: the head of the unit's board.
APPROVERS = {Role.APPROVER}
#: Who registers households and records their cases: the unit's treasurer, who pays them.
CASE_WRITERS = {Role.ADMIN, Role.TREASURER}
#: Who honours a request to erase a household's personal data: the head of the unit's board.
ERASERS = {Role.ADMIN, Role.APPROVER}

#: Who merges a unit into its successor (the 2025 reorganisation): the level above,
#: through the head of its board; a treasurer alone may not close a unit's books.
MERGERS = {Role.ADMIN, Role.APPROVER}

#: Who assigns a unit its yearly targets: the level above, through its board or treasurer.
TARGET_SETTERS = {Role.ADMIN, Role.APPROVER, Role.TREASURER}

E = TypeVar("E")
#: A case that fund money pays in the same transaction as the fund's entry: a house's
#: tranches, a livelihood grant's delivery.
Case = HouseProject | LivelihoodGrant


@dataclass(frozen=True)
class Request:
    """Who asks, and how to recognise the same request when it is sent again."""

    actor: Actor
    idempotency_key: str | None = None
    #: The request's digest (``fingerprints``): compared, never stored as it is.
    fingerprint: str = ""
    request_id: str | None = None

    @property
    def record_id(self) -> UUID | None:
        if self.idempotency_key is None:
            return None
        return RequestRecord.id_for(self.actor.id, self.idempotency_key)


@dataclass(frozen=True)
class Written:
    """The answer to a write: what was recorded, and the log position to read it at."""

    body: dict[str, Any]
    position: int
    replayed: bool = False


@dataclass
class MergedFunds:
    """The funds a merger closes, and the successor's fund that takes each kind."""

    closing: list[Fund]
    by_kind: dict[str, Fund] = field(default_factory=dict)


@dataclass
class Changes:
    """What a use case changed, and the answer it gives."""

    aggregates: Sequence[Aggregate]
    body: dict[str, Any] = field(default_factory=dict)


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class MetaAsDict(Transcoding):
    type = Meta
    name = "meta"

    def encode(self, obj: Meta) -> dict[str, Any]:
        return {
            "actor_id": obj.actor_id,
            "actor": obj.actor,
            "role": obj.role,
            "unit_id": obj.unit_id,
            "idempotency_key": obj.idempotency_key,
            "request_id": obj.request_id,
            **({"person_id": obj.person_id} if obj.person_id is not None else {}),
        }

    def decode(self, data: dict[str, Any]) -> Meta:
        return Meta(**data)


class Ledger(Application[UUID]):
    """The units, funds and entries of Sổ Vàng, kept as events."""

    name = APPLICATION_NAME
    #: A fund is loaded from its latest snapshot and the few events after it, so
    #: the cost of a write does not grow with the length of the fund's history.
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {Fund: 100}

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        position_of: Callable[[UUID], int | None] | None = None,
        log_signer: Callable[[], Signer] | None = None,
        keyring: Callable[[], Keyring] | None = None,
        case_index: CaseIndex | None = None,
        request_keys: Callable[[], RequestKeys | None] | None = None,
        fund_locks: FundLocks | None = None,
    ) -> None:
        super().__init__(env)
        self._fund_locks = fund_locks or FundLocks()
        self._clock = clock or (lambda: datetime.now(VIETNAM))
        self._position_of = position_of
        self._log_signer = log_signer
        self._keyring = keyring
        self._case_index = case_index
        self._request_keys = request_keys or (lambda: None)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(MetaAsDict())

    def today(self) -> date:
        """Today's date in Vietnam, which vouchers are dated by."""
        return self._clock().astimezone(VIETNAM).date()

    # Units and funds ------------------------------------------------------

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
            request.actor.require({Role.ADMIN}, parent.path if parent else [], "đăng ký đơn vị")
            if parent is not None:
                parent.check_open()
            unit = Unit.register(name, level, parent, code, meta)
            return Changes([unit], unit_body(unit))

        return self._write(request, register)

    def open_fund(self, request: Request, unit_id: UUID, name: str, kind: FundKind) -> Written:
        def open_(meta: Meta, today: date) -> Changes:
            unit = self._unit(unit_id, field="unit_id")
            request.actor.require({Role.ADMIN, Role.TREASURER}, unit.path, "mở quỹ")
            unit.check_open()
            fund = Fund.open(unit.id, unit.path, name, kind, meta)
            return Changes([fund], fund_body(fund))

        return self._write(request, open_)

    def set_approval_threshold(
        self, request: Request, unit_id: UUID, amount: int | None
    ) -> Written:
        def set_threshold(meta: Meta, today: date) -> Changes:
            unit = self._unit(unit_id)
            # Treasurers may not loosen the control over their own payments.
            request.actor.require(
                {Role.ADMIN, *APPROVERS}, unit.path, "đặt ngưỡng duyệt chi của đơn vị"
            )
            unit.check_open()
            unit.set_approval_threshold(amount, meta)
            return Changes([unit], unit_body(unit))

        return self._write(request, set_threshold)

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
            if held.unmerged_children:
                raise MergeRefused(
                    f"{unit.name} còn đơn vị cấp dưới chưa sáp nhập: "
                    f"{', '.join(held.unmerged_children)}. Hãy sáp nhập các đơn vị đó trước.",
                )
            if held.last_entry_on is not None and held.last_entry_on > merged_on:
                raise InvalidInput(
                    "merged_on",
                    f"{unit.name} có bút toán đến ngày {held.last_entry_on:%d/%m/%Y}; "
                    "ngày sáp nhập phải bằng hoặc sau ngày bút toán cuối đó.",
                )
            unit.merge_into(successor, merged_on, today, meta)
            funds = self._successor_funds(successor, held.funds, meta)
            moved = self._move_cases(unit, successor, held, merged_on, meta)
            pledges = self._move_pledges(funds, successor, held, merged_on, meta)
            for fund in funds.closing:
                self._close_merged_fund(fund, funds.by_kind[fund.kind], successor, merged_on, meta)
            return Changes(
                [unit, *funds.closing, *funds.by_kind.values(), *moved, *pledges],
                {
                    "unit_id": str(unit.id),
                    "successor_id": str(successor.id),
                    "merged_on": merged_on.isoformat(),
                    "funds": {
                        str(fund.id): str(funds.by_kind[fund.kind].id) for fund in funds.closing
                    },
                    "moved": {
                        "households": sum(isinstance(case, Household) for case in moved),
                        "house_projects": sum(isinstance(case, HouseProject) for case in moved),
                        "grants": sum(isinstance(case, LivelihoodGrant) for case in moved),
                        "pledges": len(pledges),
                    },
                },
            )

        return self._write(request, merge)

    def unit(self, unit_id: UUID) -> Unit:
        return self._unit(unit_id)

    def fund(self, fund_id: UUID) -> Fund:
        self._fund_locks.hold(fund_id)
        try:
            fund: Fund = self.repository.get(fund_id)
        except AggregateNotFoundError:
            raise FundNotFound(
                "Không có quỹ nào với mã này. Hãy kiểm tra lại mã quỹ.", fund_id=str(fund_id)
            ) from None
        if not isinstance(fund, Fund):
            raise FundNotFound(
                "Không có quỹ nào với mã này. Hãy kiểm tra lại mã quỹ.", fund_id=str(fund_id)
            )
        return fund

    # Money in and out -------------------------------------------------------

    def record_receipt(self, request: Request, fund_id: UUID, receipt: Receipt) -> Written:
        def record(meta: Meta, today: date) -> Changes:
            fund = self._writable_fund(request, fund_id, "ghi khoản thu")
            if receipt.pledge_id is None:
                fund.record_receipt(receipt, today, meta, self.controls_of(fund))
                return Changes([fund], receipt_body(fund))
            pledge = self._fulfilled_pledge(fund, receipt)
            fund.record_receipt(receipt, today, meta, self.controls_of(fund))
            if isinstance(fund.pending_events[-1], Fund.ReceiptRequested):
                return Changes([fund], payment_body(fund))
            pledge.fulfil(entry_id_of(fund), receipt.amount.dong, receipt.surplus_as_gift, meta)
            return Changes([fund, pledge], {**receipt_body(fund), "pledge": pledge_state(pledge)})

        return self._write(request, record)

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
            fund = self._writable_fund(request, fund_id, "ghi khoản chi")
            case = self._case_paid(fund, disbursement)
            named = replace(disbursement, household_id=case.household_id) if case else None
            checked = self._case_links(fund, named or disbursement, student, repeats=named is None)
            fund.record_disbursement(checked, today, meta, self.controls_of(fund))
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

        return self._write(request, record, keyed_by=disbursement.household_id if student else None)

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
            try:
                destination = self.fund(to_fund_id)
            except FundNotFound:
                raise InvalidInput(
                    "to_fund_id", "Không có quỹ nào với mã này. Hãy kiểm tra lại mã quỹ."
                ) from None
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

    # Households -------------------------------------------------------------

    def register_household(
        self,
        request: Request,
        unit_id: UUID,
        data: PersonalData,
        members_count: int,
        categories: Sequence[tuple[HouseholdCategory, date]] = (),
        duplicate_reason: str | None = None,
    ) -> Written:
        household_id = uuid4()

        def register(meta: Meta, today: date) -> Changes:
            unit = self._unit(unit_id, field="unit_id")
            request.actor.require(CASE_WRITERS, unit.path, "đăng ký hộ gia đình")
            unit.check_open()
            blinded = Blinded.of(data, self.keyring)
            matches = (
                self._case_index.household_matches(
                    blinded.cccd, blinded.name, blinded.address, blinded.legacy_name
                )
                if self._case_index
                else []
            )
            reason = check_not_duplicate(matches, duplicate_reason)
            self.keyring.create_key(household_id)
            household = Household.register(
                household_id,
                unit.id,
                unit.path,
                self.keyring.seal(household_id, data.fields()),
                blinded,
                members_count,
                matches,
                reason,
                meta,
            )
            for category, since in categories:
                household.apply_category(category, since, today, meta)
            return Changes([household], household_body(household))

        return self._write(request, register, keyed_by=household_id)

    def record_household_category(
        self,
        request: Request,
        household_id: UUID,
        category: HouseholdCategory,
        since: date | None,
        until: date | None,
    ) -> Written:
        """Puts the household in ``category`` from ``since``, or takes it out after ``until``."""

        def record(meta: Meta, today: date) -> Changes:
            household = self._case_household(request, household_id, "ghi diện của hộ")
            if since is not None:
                household.apply_category(category, since, today, meta)
            elif until is not None:
                household.end_category(category, until, today, meta)
            return Changes([household], household_body(household))

        return self._write(request, record)

    def record_escape_from_poverty(
        self, request: Request, household_id: UUID, on: date, note: str | None
    ) -> Written:
        def record(meta: Meta, today: date) -> Changes:
            household = self._case_household(
                request, household_id, "ghi kết quả thoát nghèo của hộ"
            )
            household.escape_poverty(on, note, today, meta)
            return Changes([household], household_body(household))

        return self._write(request, record)

    def erase_household(self, request: Request, household_id: UUID, reason: str) -> Written:
        """Destroys the household's key, so its personal data can no longer be read, and
        records the erasure; no event changes, and every money figure stays."""

        def erase(meta: Meta, today: date) -> Changes:
            household = self.household(household_id)
            request.actor.require(ERASERS, household.unit_path, "xóa dữ liệu cá nhân")
            household.erase(reason, meta)
            self.keyring.destroy_key(household.id)
            return Changes([household], {"household_id": str(household.id), "erased": True})

        return self._write(request, erase)

    def household(self, household_id: UUID, *, field: str | None = None) -> Household:
        try:
            household: Household = self.repository.get(household_id)
            if isinstance(household, Household):
                return household
        except AggregateNotFoundError:
            pass
        if field:
            raise InvalidInput(field, "Không có hộ nào với mã này. Hãy kiểm tra lại mã hộ.")
        raise HouseholdNotFound(
            "Không có hộ nào với mã này. Hãy kiểm tra lại mã hộ.", household_id=str(household_id)
        )

    @property
    def keyring(self) -> Keyring:
        """The keys of beneficiaries' personal data, read when first needed."""
        if self._keyring is None:
            raise LookupError("hệ thống chưa được cài khóa bảo vệ dữ liệu cá nhân")
        return self._keyring()

    # House projects ---------------------------------------------------------

    def approve_house(
        self,
        request: Request,
        household_id: UUID,
        kind: HouseKind,
        budget: dict[CostSource, int],
        approved_on: date,
        note: str | None = None,
    ) -> Written:
        def approve(meta: Meta, today: date) -> Changes:
            household = self.household(household_id, field="household_id")
            request.actor.require(CASE_WRITERS, household.unit_path, "duyệt công trình nhà")
            project = HouseProject.approve(household, kind, budget, approved_on, note, today, meta)
            return Changes([project], house_body(project))

        return self._write(request, approve)

    def record_house_stage(
        self,
        request: Request,
        project_id: UUID,
        stage: Stage,
        on: date,
        evidence: Sequence[str] = (),
        board_members: Sequence[str] = (),
    ) -> Written:
        def record(meta: Meta, today: date) -> Changes:
            project = self._case_house(request, project_id, "ghi giai đoạn xây nhà")
            check_case_date(on, self._books_closed_through(project.unit_path))
            project.reach_stage(stage, on, evidence, board_members, today, meta)
            return Changes([project], house_body(project))

        return self._write(request, record)

    def cancel_house(self, request: Request, project_id: UUID, reason: str) -> Written:
        def cancel(meta: Meta, today: date) -> Changes:
            project = self._case_house(request, project_id, "hủy công trình nhà")
            project.cancel(reason, meta)
            return Changes([project], house_body(project))

        return self._write(request, cancel)

    def house(self, project_id: UUID, *, field: str | None = None) -> HouseProject:
        try:
            project: HouseProject = self.repository.get(project_id)
            if isinstance(project, HouseProject):
                return project
        except AggregateNotFoundError:
            pass
        if field:
            raise InvalidInput(
                field, "Không có công trình nhà nào với mã này. Hãy kiểm tra lại mã."
            )
        raise HouseProjectNotFound(
            "Không có công trình nhà nào với mã này. Hãy kiểm tra lại mã.",
            project_id=str(project_id),
        )

    # Livelihood grants ------------------------------------------------------

    def approve_grant(
        self,
        request: Request,
        household_id: UUID,
        item: str,
        attributes: dict[str, str],
        value: int,
        approved_on: date,
        note: str | None = None,
    ) -> Written:
        def approve(meta: Meta, today: date) -> Changes:
            household = self.household(household_id, field="household_id")
            request.actor.require(CASE_WRITERS, household.unit_path, "duyệt hỗ trợ sinh kế")
            grant = LivelihoodGrant.approve(
                household, item, attributes, value, approved_on, note, today, meta
            )
            return Changes([grant], grant_body(grant))

        return self._write(request, approve)

    def deliver_grant_in_kind(
        self,
        request: Request,
        grant_id: UUID,
        on: date,
        value: int | None = None,
        description: str | None = None,
        note: str | None = None,
    ) -> Written:
        """Records a grant given as goods, with their value; no fund money moves."""

        def deliver(meta: Meta, today: date) -> Changes:
            grant = self._case_grant(request, grant_id, "trao hỗ trợ sinh kế")
            self.household(grant.household_id).check_not_erased()
            check_case_date(on, self._books_closed_through(grant.unit_path))
            grant.deliver_in_kind(on, value, description, note, today, meta)
            return Changes([grant], grant_body(grant))

        return self._write(request, deliver)

    def record_follow_up(
        self,
        request: Request,
        grant_id: UUID,
        months: int,
        on: date,
        status: FollowUpStatus,
        note: str | None = None,
    ) -> Written:
        def record(meta: Meta, today: date) -> Changes:
            grant = self._case_grant(request, grant_id, "theo dõi hỗ trợ sinh kế")
            grant.follow_up(months, on, status, note, today, meta)
            return Changes([grant], grant_body(grant))

        return self._write(request, record)

    def close_grant(
        self,
        request: Request,
        grant_id: UUID,
        outcome: GrantOutcome,
        on: date,
        note: str | None = None,
    ) -> Written:
        def close(meta: Meta, today: date) -> Changes:
            grant = self._case_grant(request, grant_id, "đóng khoản hỗ trợ sinh kế")
            grant.close(outcome, on, note, today, meta)
            return Changes([grant], grant_body(grant))

        return self._write(request, close)

    def grant(self, grant_id: UUID, *, field: str | None = None) -> LivelihoodGrant:
        try:
            grant: LivelihoodGrant = self.repository.get(grant_id)
            if isinstance(grant, LivelihoodGrant):
                return grant
        except AggregateNotFoundError:
            pass
        if field:
            raise InvalidInput(
                field, "Không có khoản hỗ trợ sinh kế nào với mã này. Hãy kiểm tra lại mã."
            )
        raise GrantNotFound(
            "Không có khoản hỗ trợ sinh kế nào với mã này. Hãy kiểm tra lại mã.",
            grant_id=str(grant_id),
        )

    # Pledges -----------------------------------------------------------------

    def make_pledge(self, request: Request, fund_id: UUID, commitment: Commitment) -> Written:
        def make(meta: Meta, today: date) -> Changes:
            fund = self._writable_fund(request, fund_id, "ghi cam kết ủng hộ")
            pledge = Pledge.make(fund.id, fund.unit_path, commitment, meta)
            try:
                self.repository.get(pledge.id)
            except AggregateNotFoundError:
                if pledge.code not in self._pledge_codes(fund.id):
                    return Changes([pledge], pledge_state(pledge))
            raise AlreadyRegistered(
                f"Quỹ này đã có cam kết ủng hộ mã {pledge.code}. Hãy dùng mã khác.",
                pledge_code=pledge.code,
            )

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

    def pledge(self, pledge_id: UUID) -> Pledge:
        try:
            pledge: Pledge = self.repository.get(pledge_id)
            if isinstance(pledge, Pledge):
                return pledge
        except AggregateNotFoundError:
            pass
        raise PledgeNotFound(
            "Không có cam kết ủng hộ nào với mã này. Hãy kiểm tra lại mã.", pledge_id=str(pledge_id)
        )

    # Bank statements --------------------------------------------------------

    def import_statement(
        self,
        request: Request,
        fund_id: UUID,
        lines: Iterable[StatementLine],
        pledge_codes: Mapping[str, UUID],
        *,
        dry_run: bool = False,
        confirmed: Collection[int] = (),
        batch_size: int = 500,
        progress: Callable[[ImportReport], None] | None = None,
    ) -> ImportReport:
        """Records every credit of a statement as a bank receipt exactly once and reports
        every other line (``service.application.statement_import``)."""
        return import_statement(
            self,
            request,
            fund_id,
            lines,
            pledge_codes,
            dry_run=dry_run,
            confirmed=confirmed,
            batch_size=batch_size,
            progress=progress,
        )

    def importable_fund(self, request: Request, fund_id: UUID) -> Fund:
        """The fund, if the requester may import statements into it."""
        return self._writable_fund(request, fund_id, "nhập sao kê ngân hàng")

    def _take_snapshots(self, processing_event: Any) -> None:
        """Snapshots each aggregate at most once per save, from the state in hand, when the
        save took it past a multiple of its interval: a batch of 500 receipts takes one
        snapshot of the fund, not five replays of it."""
        if not (self.snapshots and self.snapshotting_intervals):
            return
        crossed: dict[UUID, Aggregate] = {}
        for event in processing_event.events:
            aggregate = processing_event.aggregates.get(event.originator_id)
            interval = self.snapshotting_intervals.get(type(aggregate))
            if aggregate is not None and interval and event.originator_version % interval == 0:
                crossed[event.originator_id] = aggregate
        for aggregate in crossed.values():
            snapshot_class: Any = getattr(type(aggregate), "Snapshot", type(self).snapshot_class)
            self.snapshots.put([snapshot_class.take(aggregate)])

    # Payments awaiting approval ---------------------------------------------

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

    def set_plausibility_limit(
        self, request: Request, fund_id: UUID, amount: int | None
    ) -> Written:
        """Sets the fund's plausibility limit (None: its level's default). Treasurers may
        not loosen a control over their own entries."""

        def set_limit(meta: Meta, today: date) -> Changes:
            fund = self.fund(fund_id)
            request.actor.require(
                {Role.ADMIN, *APPROVERS}, fund.unit_path, "đặt giới hạn hợp lý của quỹ"
            )
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

    def close_period(self, request: Request, fund_id: UUID, through: date) -> Written:
        def close(meta: Meta, today: date) -> Changes:
            fund = self._writable_fund(request, fund_id, "khóa sổ")
            fund.close_period(through, today, meta)
            return Changes([fund], {"fund_id": str(fund.id), "closed_through": through.isoformat()})

        return self._write(request, close)

    # The log's checkpoints -------------------------------------------------------

    @property
    def log_signer(self) -> Signer:
        """The service's key for its checkpoints, read when first needed."""
        if self._log_signer is None:
            raise LookupError("hệ thống chưa được cài khóa ký nhật ký")
        return self._log_signer()

    def sign_checkpoint(self, size: int, root: bytes) -> Checkpoint:
        """Signs the tree head of ``size`` leaves; signing the same size again gives the
        checkpoint already made."""
        head = TreeHead(self.log_signer.name, size, root)
        checkpoint = Checkpoint.sign(head, self.log_signer)
        try:
            self.save(checkpoint)
        except IntegrityError:
            return self.checkpoint(size)
        return checkpoint

    def checkpoint(self, tree_size: int) -> Checkpoint:
        try:
            checkpoint: Checkpoint = self.repository.get(
                Checkpoint.id_for(self.log_signer.name, tree_size)
            )
        except AggregateNotFoundError:
            raise NotFound(f"Chưa có điểm kiểm tra nào với kích thước cây {tree_size}.") from None
        return checkpoint

    def register_witness(
        self, request: Request, verifier_key: str, unit_id: UUID | None
    ) -> Written:
        def register(meta: Meta, today: date) -> Changes:
            path = self._unit(unit_id, field="unit_id").path if unit_id else []
            if unit_id is None and request.actor.role is not Role.ADMIN:
                raise InvalidInput("unit_id", "Hãy chọn đơn vị có ban giữ khóa này.")
            request.actor.require(AUDITORS, path, "đăng ký bên chứng kiến")
            witness = Witness.register(verifier_key, unit_id, meta)
            try:
                self.repository.get(witness.id)
            except AggregateNotFoundError:
                return Changes([witness], witness_body(witness))
            raise AlreadyRegistered(
                f"Đã có bên chứng kiến tên {witness.name}. Hãy dùng tên khác.", name=witness.name
            )

        return self._write(request, register)

    def cosign_checkpoint(self, request: Request, tree_size: int, signature: str) -> Written:
        def cosign(meta: Meta, today: date) -> Changes:
            if request.actor.role not in AUDITORS:
                raise Forbidden(
                    f"Mã truy cập có vai trò “{word(request.actor.role)}” không được ký xác nhận "
                    "điểm kiểm tra."
                )
            checkpoint = self.checkpoint(tree_size)
            try:
                name = parse_signature(signature).name
            except NoteError as error:
                raise InvalidInput("signature", str(error)) from None
            try:
                witness: Witness = self.repository.get(Witness.id_for(name))
            except AggregateNotFoundError:
                raise InvalidInput(
                    "signature",
                    f"Chưa có bên chứng kiến nào tên {name} được đăng ký. Hãy đăng ký trước.",
                ) from None
            checkpoint.cosign(witness.verifier, signature, meta)
            return Changes(
                [checkpoint],
                {"tree_size": tree_size, "witness": witness.name, "checkpoint": checkpoint.note},
            )

        return self._write(request, cosign)

    # Supervision ------------------------------------------------------------

    def open_supervision(self, request: Request, subject: Subject, title: str) -> Written:
        def open_(meta: Meta, today: date) -> Changes:
            unit_id, unit_path = self._subject_unit(subject)
            request.actor.require(REVIEWERS, unit_path, "mở cuộc giám sát")
            board = request.actor.unit_id or unit_id
            review = Supervision.open(subject, unit_id, unit_path, board, title, meta)
            return Changes([review], supervision_body(review))

        return self._write(request, open_)

    def record_finding(self, request: Request, supervision_id: UUID, finding: Finding) -> Written:
        def record(meta: Meta, today: date) -> Changes:
            review = self._board_review(request, supervision_id, "ghi kiến nghị")
            review.check_open()
            finding_id = review.record_finding(self._linked(review, finding), meta)
            return Changes(
                [review], {"supervision_id": str(review.id), "finding_id": str(finding_id)}
            )

        return self._write(request, record)

    def record_response(
        self, request: Request, supervision_id: UUID, finding_id: UUID, response: str
    ) -> Written:
        def respond(meta: Meta, today: date) -> Changes:
            review = self.supervision(supervision_id)
            request.actor.require(RESPONDERS, [review.unit_id], "trả lời kiến nghị")
            review.record_response(finding_id, response, meta)
            return Changes(
                [review], {"supervision_id": str(review.id), "finding_id": str(finding_id)}
            )

        return self._write(request, respond)

    def conclude_supervision(
        self, request: Request, supervision_id: UUID, conclusion: str
    ) -> Written:
        def conclude(meta: Meta, today: date) -> Changes:
            review = self._board_review(request, supervision_id, "kết luận cuộc giám sát")
            review.conclude(conclusion, meta)
            return Changes(
                [review], {"supervision_id": str(review.id), "status": review.status.value}
            )

        return self._write(request, conclude)

    def supervision(self, supervision_id: UUID) -> Supervision:
        try:
            review: Supervision = self.repository.get(supervision_id)
            if isinstance(review, Supervision):
                return review
        except AggregateNotFoundError:
            pass
        raise SupervisionNotFound(
            "Không có cuộc giám sát nào với mã này. Hãy kiểm tra lại mã.",
            supervision_id=str(supervision_id),
        )

    # The reorganisation -----------------------------------------------------

    def _books_closed_through(self, unit_path: Sequence[UUID]) -> date | None:
        """The latest date through which a fund of these units is closed
        (``service/domain/periods.py``)."""
        return self._case_index.books_closed_through(unit_path) if self._case_index else None

    def _contents(self, unit_id: UUID) -> UnitContents:
        return self._case_index.unit_contents(unit_id) if self._case_index else UnitContents()

    def _successor_funds(self, successor: Unit, closing: Sequence[UUID], meta: Meta) -> MergedFunds:
        """The merged unit's funds, and the successor's fund of each of their kinds: the
        first it opened, or one opened now under the same name."""
        funds = MergedFunds([self.fund(fund_id) for fund_id in closing])
        for fund_id in self._contents(successor.id).funds:
            existing = self.fund(fund_id)
            funds.by_kind.setdefault(existing.kind, existing)
        for fund in funds.closing:
            if fund.reserved:
                raise MergeRefused(
                    f"{fund.name} còn khoản chi chờ duyệt; hãy duyệt hoặc từ chối chúng "
                    "trước khi sáp nhập.",
                    fund_id=str(fund.id),
                )
            if fund.stock:
                raise MergeRefused(
                    f"{fund.name} còn giữ hiện vật được ủng hộ; hãy trao hết hoặc ghi lại chúng "
                    "trước khi sáp nhập.",
                    fund_id=str(fund.id),
                )
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
            if pledge.code in taken[destination.id]:
                raise MergeRefused(
                    f"{destination.name} đã có cam kết ủng hộ mã {pledge.code}; "
                    "hãy hủy hoặc xóa nợ một trong hai cam kết trước khi sáp nhập.",
                    pledge_id=str(pledge.id),
                    pledge_code=pledge.code,
                )
            taken[destination.id].add(pledge.code)
            pledge.move_to(destination.id, successor.path, merged_on, meta)
            moved.append(pledge)
        return moved

    def _pledge_codes(self, fund_id: UUID) -> set[str]:
        return self._case_index.pledge_codes(fund_id) if self._case_index else set()

    # Internals --------------------------------------------------------------

    def _unit(self, unit_id: UUID, *, field: str | None = None) -> Unit:
        try:
            unit: Unit = self.repository.get(unit_id)
            if isinstance(unit, Unit):
                return unit
        except AggregateNotFoundError:
            pass
        if field:
            raise InvalidInput(field, "Không có đơn vị nào với mã này. Hãy kiểm tra lại mã đơn vị.")
        raise UnitNotFound(
            "Không có đơn vị nào với mã này. Hãy kiểm tra lại mã đơn vị.", unit_id=str(unit_id)
        )

    def _subject_unit(self, subject: Subject) -> tuple[UUID, list[UUID]]:
        """The unit that holds what a review is of, and its path from the root."""
        if subject.kind is SubjectKind.FUND:
            assert subject.fund_id is not None
            try:
                fund = self.fund(subject.fund_id)
            except FundNotFound:
                raise InvalidInput(
                    "subject.fund_id", "Không có quỹ nào với mã này. Hãy kiểm tra lại mã quỹ."
                ) from None
            return fund.unit_id, fund.unit_path
        if subject.kind is SubjectKind.HOUSE_PROJECT:
            assert subject.house_project_id is not None
            house = self.house(subject.house_project_id, field="subject.house_project_id")
            return house.unit_id, house.unit_path
        assert subject.unit_id is not None
        unit = self._unit(subject.unit_id, field="subject.unit_id")
        return unit.id, unit.path

    def _board_review(self, request: Request, supervision_id: UUID, action: str) -> Supervision:
        review = self.supervision(supervision_id)
        request.actor.require(REVIEWERS, review.unit_path, action)
        if not request.actor.reaches([review.board_unit_id]):
            raise Forbidden(f"Chỉ ban đã mở cuộc giám sát này mới được {action}.")
        return review

    def _linked(self, review: Supervision, finding: Finding) -> Finding:
        """The finding with its links checked: entries of a fund under review, and
        positions of events in the log. A fund review's findings are about its fund."""
        fund_id = finding.fund_id
        if review.subject_kind == SubjectKind.FUND:
            fund_id = fund_id or review.subject_id
        if fund_id is not None:
            fund = self._reviewed_fund(review, fund_id)
            for entry_id in finding.entry_ids:
                try:
                    self._entry(fund, entry_id)
                except EntryNotFound:
                    raise InvalidInput(
                        "entry_ids", f"Quỹ “{fund.name}” không có bút toán {entry_id}."
                    ) from None
        elif finding.entry_ids:
            raise InvalidInput("fund_id", "Hãy chọn quỹ có các bút toán mà kiến nghị này gắn tới.")
        if finding.positions:
            head = int(self.recorder.max_notification_id() or 0)
            for position in finding.positions:
                if position > head:
                    raise InvalidInput(
                        "positions", f"Nhật ký kết thúc ở vị trí {head}; {position} vượt quá."
                    )
                stored = self.recorder.select_notifications(start=position, limit=1)
                if not stored or stored[0].id != position:
                    raise InvalidInput("positions", f"Không có sự kiện nào ở vị trí {position}.")
        return replace(finding, fund_id=fund_id)

    def _reviewed_fund(self, review: Supervision, fund_id: UUID) -> Fund:
        try:
            fund = self.fund(fund_id)
        except FundNotFound:
            raise InvalidInput(
                "fund_id", "Không có quỹ nào với mã này. Hãy kiểm tra lại mã quỹ."
            ) from None
        if review.subject_kind == SubjectKind.FUND and fund.id != review.subject_id:
            raise InvalidInput(
                "fund_id",
                "Cuộc giám sát này là của quỹ khác; hãy gắn bút toán của quỹ đang được giám sát.",
            )
        if review.subject_kind == SubjectKind.HOUSE_PROJECT:
            # A house is often paid from a fund of the district or province above it.
            if review.unit_id not in fund.unit_path and fund.unit_id not in review.unit_path:
                raise InvalidInput(
                    "fund_id",
                    "Quỹ này không thuộc đơn vị nào ở trên hay dưới căn nhà được giám sát.",
                )
        elif review.unit_id not in fund.unit_path:
            raise InvalidInput(
                "fund_id", "Quỹ này không thuộc đơn vị được giám sát hay đơn vị cấp dưới của nó."
            )
        return fund

    def _case_household(self, request: Request, household_id: UUID, action: str) -> Household:
        household = self.household(household_id)
        request.actor.require(CASE_WRITERS, household.unit_path, action)
        return household

    def _case_house(self, request: Request, project_id: UUID, action: str) -> HouseProject:
        project = self.house(project_id)
        request.actor.require(CASE_WRITERS, project.unit_path, action)
        return project

    def _case_grant(self, request: Request, grant_id: UUID, action: str) -> LivelihoodGrant:
        grant = self.grant(grant_id)
        request.actor.require(CASE_WRITERS, grant.unit_path, action)
        return grant

    def _tranche_of(self, fund: Fund, disbursement: Disbursement) -> HouseProject | None:
        """The house a disbursement pays a tranche of, checked: of the fund's unit or a unit
        below it, at the stage the amount needs, within the fund's share."""
        if disbursement.house_project_id is None:
            return None
        project = self.house(disbursement.house_project_id, field="house_project_id")
        if fund.unit_id not in project.unit_path:
            raise InvalidInput(
                "house_project_id",
                "Căn nhà này thuộc đơn vị ngoài đơn vị giữ quỹ và các đơn vị cấp dưới.",
            )
        project.check_tranche(
            disbursement.amount.dong, disbursement.category, disbursement.household_id
        )
        return project

    def _grant_delivered_by(self, fund: Fund, disbursement: Disbursement) -> LivelihoodGrant:
        """The grant a disbursement delivers, checked: of the fund's unit or a unit below
        it, not delivered yet, of the livelihood category and within its approved value."""
        assert disbursement.grant_id is not None
        grant = self.grant(disbursement.grant_id, field="grant_id")
        if fund.unit_id not in grant.unit_path:
            raise InvalidInput(
                "grant_id",
                "Khoản hỗ trợ này thuộc đơn vị ngoài đơn vị giữ quỹ và các đơn vị cấp dưới.",
            )
        grant.check_delivery(
            disbursement.amount.dong,
            disbursement.category,
            disbursement.household_id,
            disbursement.occurred_on,
        )
        check_case_date(disbursement.occurred_on, self._books_closed_through(grant.unit_path))
        return grant

    def _case_paid(self, fund: Fund, disbursement: Disbursement) -> Case | None:
        """The house or the grant a disbursement pays, checked; none for other support."""
        if disbursement.grant_id is not None:
            if disbursement.house_project_id is not None:
                raise InvalidInput(
                    "grant_id",
                    "Một khoản chi chỉ chi cho căn nhà hoặc trao khoản hỗ trợ sinh kế, "
                    "không cả hai.",
                )
            return self._grant_delivered_by(fund, disbursement)
        return self._tranche_of(fund, disbursement)

    def _case_paid_by(self, payment: Any) -> Case | None:
        """The house or grant a disbursement (or one awaiting approval) paid."""
        if not isinstance(payment, Fund.DisbursementRecorded | Fund.DisbursementRequested):
            return None
        if payment.house_project_id:
            return self.house(payment.house_project_id)
        return self.grant(payment.grant_id) if payment.grant_id else None

    def _case_links(
        self,
        fund: Fund,
        disbursement: Disbursement,
        student: Student | None = None,
        *,
        repeats: bool = True,
    ) -> Disbursement:
        """The disbursement with the household it names checked: known, held by the fund's
        unit or a unit below it, not erased, and not supported again in the same category
        and year (for a scholarship: the same student) without a reason. A scholarship's
        student is sealed under the household's key."""
        if student is not None and disbursement.category is not Category.SCHOLARSHIP:
            raise InvalidInput("student", "Chỉ khoản chi học bổng mới ghi học sinh.")
        if student is not None and disbursement.household_id is None:
            raise InvalidInput("household_id", "Khoản học bổng phải ghi hộ gia đình của học sinh.")
        if disbursement.household_id is None:
            return replace(disbursement, repeat_reason=None)
        household = self.household(disbursement.household_id, field="household_id")
        if fund.unit_id not in household.unit_path:
            raise InvalidInput(
                "household_id",
                "Hộ này do đơn vị ngoài đơn vị giữ quỹ và các đơn vị cấp dưới đăng ký.",
            )
        household.check_not_erased()
        sealed = self._sealed_student(household.id, student) if student else None
        prior = (
            self._case_index.prior_support(
                household.id,
                disbursement.category.value,
                disbursement.occurred_on.year,
                sealed["key"] if sealed else None,
            )
            if self._case_index and repeats
            else []
        )
        return replace(
            disbursement,
            repeat_reason=check_not_repeated(prior, disbursement.repeat_reason),
            student=sealed,
        )

    def _sealed_student(self, household_id: UUID, student: Student) -> dict[str, str]:
        """The student as the event keeps it: the name sealed under the household's key and
        blinded (to count distinct students), the school and school year in the clear."""
        return {
            "name": self.keyring.seal(household_id, {"student_name": student.name})["student_name"],
            "key": self.keyring.blind("student", f"{household_id}\n{student.folded_name}"),
            "school": student.school,
            "school_year": student.school_year,
        }

    def _writable_fund(self, request: Request, fund_id: UUID, action: str) -> Fund:
        fund = self.fund(fund_id)
        request.actor.require(MONEY_WRITERS, fund.unit_path, action)
        self._unit(fund.unit_id).check_open()
        return fund

    def _writable_pledge(self, request: Request, pledge_id: UUID, action: str) -> Pledge:
        pledge = self.pledge(pledge_id)
        request.actor.require(MONEY_WRITERS, pledge.unit_path, action)
        return pledge

    def _fulfilled_pledge(self, fund: Fund, receipt: Receipt) -> Pledge:
        """The pledge a receipt names: one of the same fund, fulfilled by money."""
        assert receipt.pledge_id is not None
        try:
            pledge = self.pledge(receipt.pledge_id)
        except PledgeNotFound:
            raise InvalidInput(
                "pledge_id", "Không có cam kết ủng hộ nào với mã này. Hãy kiểm tra lại mã."
            ) from None
        if pledge.fund_id != fund.id:
            raise InvalidInput("pledge_id", "Cam kết này là của quỹ khác. Hãy chọn đúng quỹ.")
        if receipt.in_kind is not None:
            raise InvalidInput(
                "pledge_id",
                "Hiện vật không dùng để trả cam kết bằng tiền. Hãy ghi khoản thu bằng tiền.",
            )
        return pledge

    def _deciding_fund(self, request: Request, fund_id: UUID, action: str) -> Fund:
        fund = self.fund(fund_id)
        request.actor.require(APPROVERS, fund.unit_path, action)
        return fund

    def _threshold(self, fund: Fund) -> int | None:
        return self._unit(fund.unit_id).approval_threshold

    def controls_of(self, fund: Fund) -> Controls:
        """The fund's controls: its unit's approval threshold, and its plausibility limit
        or its unit level's default."""
        unit = self._unit(fund.unit_id)
        limit = fund.plausibility_limit
        return Controls(
            approval_threshold=unit.approval_threshold,
            plausibility_limit=limit
            if limit is not None
            else default_plausibility_limit(unit.level),
        )

    def _entry(self, fund: Fund, entry_id: UUID) -> Fund.EntryRecorded:
        entry = self._event_of(fund, entry_id, Fund.EntryRecorded)
        if entry is None:
            raise EntryNotFound(
                "Quỹ này không có bút toán với mã này. Hãy kiểm tra lại mã bút toán.",
                entry_id=str(entry_id),
            )
        return entry

    def _requested(self, fund: Fund, pending_id: UUID) -> Fund.PaymentRequested:
        requested = self._event_of(fund, pending_id, Fund.PaymentRequested)
        if requested is None:
            raise PaymentNotFound(
                "Quỹ này không có khoản chi chờ duyệt với mã này. Hãy kiểm tra lại mã.",
                pending_id=str(pending_id),
            )
        return requested

    def _event_of(self, fund: Fund, event_id: UUID, kind: type[E]) -> E | None:
        """The fund's event of ``kind`` named by ``event_id``: one indexed read of the store."""
        version = entry_version(fund.id, event_id)
        if version is not None and 1 < version <= fund.version:
            for event in self.events.get(fund.id, gt=version - 1, lte=version):
                if isinstance(event, kind):
                    return event
        return None

    def _write(
        self,
        request: Request,
        use_case: Callable[[Meta, date], Changes],
        keyed_by: UUID | None = None,
    ) -> Written:
        """``_attempts`` with the first fund the use case loads locked against the fund's
        other writers until the write ends (``service.adapters.fund_locks``)."""
        with self._fund_locks.scope():
            return self._attempts(request, use_case, keyed_by)

    def _attempts(
        self,
        request: Request,
        use_case: Callable[[Meta, date], Changes],
        keyed_by: UUID | None = None,
    ) -> Written:
        """Runs ``use_case`` and saves what it changed, once per Idempotency-Key; a request
        carrying the personal data of the household ``keyed_by`` has its fingerprint keyed
        under that household's key."""
        record_id = request.record_id
        if record_id is not None and (prior := self._request_record(record_id)) is not None:
            return self._replay(prior, request)
        meta = Meta.of(request.actor, request.idempotency_key, request.request_id)
        for attempt in range(MAX_ATTEMPTS):
            try:
                changes = use_case(meta, self.today())
            except DomainError as refusal:
                if (
                    record_id is not None
                    and (
                        first := self._remember_refusal(record_id, request, refusal, meta, keyed_by)
                    )
                    is not None
                ):
                    return first
                raise
            records = (
                [
                    RequestRecord.answered(
                        record_id, self._fingerprint(request, keyed_by), changes.body, meta
                    )
                ]
                if record_id is not None
                else []
            )
            try:
                recordings = self.save(*changes.aggregates, *records)
            except IntegrityError:
                if record_id is not None and (prior := self._request_record(record_id)) is not None:
                    return self._replay(prior, request)
                time.sleep(random.uniform(0, 0.002 * (attempt + 1)))  # noqa: S311
                continue
            return Written(changes.body, recordings[-1].notification.id)
        raise Conflict("Quỹ đang bận xử lý yêu cầu khác; hãy thử lại sau giây lát.")

    def _remember_refusal(
        self,
        record_id: UUID,
        request: Request,
        refusal: DomainError,
        meta: Meta,
        keyed_by: UUID | None = None,
    ) -> Written | None:
        """Records the refusal as the request's answer. When a concurrent retry of the same
        request answered first, that first answer is given (or its refusal raised) instead."""
        try:
            fingerprint = self._fingerprint(request, keyed_by)
            self.save(RequestRecord.refused(record_id, fingerprint, refusal, meta))
        except IntegrityError:
            prior = self._request_record(record_id)
            if prior is not None:
                return self._replay(prior, request)
        return None

    def _request_record(self, record_id: UUID) -> RequestRecord | None:
        try:
            record: RequestRecord = self.repository.get(record_id)
        except AggregateNotFoundError:
            return None
        return record

    def _fingerprint(self, request: Request, keyed_by: UUID | None) -> str:
        return keyed(request.fingerprint, self._request_keys(), keyed_by)

    def _replay(self, record: RequestRecord, request: Request) -> Written:
        same = same_request(record.fingerprint, request.fingerprint, self._request_keys())
        body = record.replay_if(same)
        position = self._position_of(record.id) if self._position_of else None
        if position is None:
            position = int(self.recorder.max_notification_id() or 0)
        return Written(body, position, replayed=True)


def unit_body(unit: Unit) -> dict[str, Any]:
    return {
        "id": str(unit.id),
        "name": unit.name,
        "level": unit.level,
        "parent_id": str(unit.parent_id) if unit.parent_id else None,
        "code": unit.code,
        "merged_into_id": str(unit.merged_into) if unit.merged_into else None,
        "merged_on": unit.merged_on.isoformat() if unit.merged_on else None,
        "approval_threshold": unit.approval_threshold,
    }


def fund_body(fund: Fund) -> dict[str, Any]:
    return {
        "id": str(fund.id),
        "unit_id": str(fund.unit_id),
        "name": fund.name,
        "kind": fund.kind,
        "balance": fund.balance,
    }


def witness_body(witness: Witness) -> dict[str, Any]:
    return {
        "name": witness.name,
        "verifier_key": witness.verifier_key,
        "unit_id": str(witness.unit_id) if witness.unit_id else None,
    }


def supervision_body(review: Supervision) -> dict[str, Any]:
    return {
        "id": str(review.id),
        "unit_id": str(review.unit_id),
        "board_unit_id": str(review.board_unit_id),
        "subject": subject_view(
            review.subject_kind,
            str(review.subject_id) if review.subject_id else None,
            review.period_from.isoformat() if review.period_from else None,
            review.period_to.isoformat() if review.period_to else None,
        ),
        "title": review.title,
        "status": review.status.value,
    }


def household_body(household: Household) -> dict[str, Any]:
    """The answer to a household's write: no personal data, since the answer is kept in
    the log for retries."""
    return {
        "id": str(household.id),
        "unit_id": str(household.unit_id),
        "members_count": household.members_count,
        "categories": [
            {
                "category": category,
                "since": since.isoformat() if since else None,
                "until": until.isoformat() if until else None,
            }
            for category, periods in household.categories.items()
            for since, until in periods
        ],
        "escaped_poverty_on": household.escaped_on.isoformat() if household.escaped_on else None,
    }


def house_body(project: HouseProject) -> dict[str, Any]:
    return {
        "id": str(project.id),
        "unit_id": str(project.unit_id),
        "household_id": str(project.household_id),
        "kind": project.kind,
        "stage": project.stage,
        "status": "cancelled" if project.cancelled else "open",
        "budget": dict(project.budget),
        "paid": sum(project.paid.values()),
        "reserved": sum(project.reserved.values()),
    }


def grant_body(grant: LivelihoodGrant) -> dict[str, Any]:
    return {
        "id": str(grant.id),
        "unit_id": str(grant.unit_id),
        "household_id": str(grant.household_id),
        "item": grant.item,
        "value": grant.value,
        "status": grant.status,
        "delivered_on": grant.delivered_on.isoformat() if grant.delivered_on else None,
        "followed_up_months": list(grant.follow_ups),
        "outcome": grant.outcome,
    }


def balance_body(fund: Fund) -> dict[str, Any]:
    return {"fund_id": str(fund.id), "balance": fund.balance, "available": fund.available}


def entry_body(fund: Fund) -> dict[str, Any]:
    """The answer to an entry: its id and the fund's balance after it."""
    body = {"entry_id": str(entry_id_of(fund)), **balance_body(fund)}
    if isinstance(sent := fund.pending_events[-1], Fund.TransferSent):
        body.update(
            to_fund_id=str(sent.to_fund_id), counterpart_entry_id=str(sent.counterpart_entry_id)
        )
    return body


def receipt_body(fund: Fund) -> dict[str, Any]:
    """The answer to a receipt: the entry and the number of its receipt slip, or the
    receipt awaiting approval."""
    recorded = fund.pending_events[-1]
    if isinstance(recorded, Fund.ReceiptRequested):
        return payment_body(fund)
    assert isinstance(recorded, Fund.ReceiptRecorded)
    return {**entry_body(fund), "slip_no": recorded.slip_no or None, "slip_ref": recorded.slip_ref}


def pledge_state(pledge: Pledge) -> dict[str, Any]:
    """A pledge as writes answer it: its code, how much is fulfilled and outstanding."""
    return {
        "pledge_id": str(pledge.id),
        "fund_id": str(pledge.fund_id),
        "code": pledge.code,
        "amount": pledge.amount,
        "fulfilled": pledge.fulfilled,
        "outstanding": pledge.outstanding,
        "status": pledge.status.value,
    }


def payment_body(fund: Fund) -> dict[str, Any]:
    """The answer to a disbursement or transfer: the entry, or the payment awaiting approval."""
    requested = fund.pending_events[-1]
    if isinstance(requested, Fund.DisbursementRecorded) and requested.slip_no:
        return {**entry_body(fund), "slip_no": requested.slip_no, "slip_ref": requested.slip_ref}
    if not isinstance(requested, Fund.PaymentRequested):
        return entry_body(fund)
    body = {
        "pending_id": str(requested.pending_id),
        "status": "pending",
        "kind": requested.kind.value,
        "held_because": requested.held_because,
        "amount": requested.amount,
        **balance_body(fund),
    }
    if isinstance(requested, Fund.TransferRequested):
        body["to_fund_id"] = str(requested.to_fund_id)
    return body


def entry_id_of(fund: Fund) -> UUID:
    event = fund.pending_events[-1]
    assert isinstance(event, Fund.EntryRecorded)
    return event.entry_id
