"""Cases: households, their house projects and livelihood grants, and what a fund's
payment pays of them: the house tranche, the grant delivered, the household supported."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from service.application.answers import grant_body, house_body, household_body
from service.application.core import LedgerCore
from service.application.engine import Changes, Request, Written
from service.application.roles import CASE_WRITERS, CONTROLLERS, ERASERS
from service.domain import photos
from service.domain.actors import Meta
from service.domain.errors import InvalidInput
from service.domain.funds import Disbursement, Fund
from service.domain.grants import LivelihoodGrant
from service.domain.households import (
    Blinded,
    Household,
    PersonalData,
    check_not_duplicate,
    check_not_repeated,
)
from service.domain.houses import HouseProject
from service.domain.periods import check_case_date
from service.domain.support import Student
from service.domain.vocabulary import (
    Category,
    CostSource,
    FollowUpStatus,
    GrantOutcome,
    HouseholdCategory,
    HouseKind,
    Stage,
)

#: A case that fund money pays in the same transaction as the fund's entry: a house's
#: tranches, a livelihood grant's delivery.
Case = HouseProject | LivelihoodGrant


class CaseUseCases(LedgerCore):
    """The use cases of the unit's beneficiaries."""

    # Households ---------------------------------------------------------------

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

    def _case_household(self, request: Request, household_id: UUID, action: str) -> Household:
        household = self.household(household_id)
        request.actor.require(CASE_WRITERS, household.unit_path, action)
        return household

    # House projects -----------------------------------------------------------

    def approve_house(
        self,
        request: Request,
        household_id: UUID,
        kind: HouseKind,
        budget: dict[CostSource, int],
        approved_on: date,
        note: str | None = None,
        above_norm_reason: str | None = None,
        meeting_id: UUID | None = None,
        no_meeting_reason: str | None = None,
        *,
        meeting_required: bool = False,
    ) -> Written:
        """Approves a house; one above the norm that applies, with its reason, or one that
        names no bình xét meeting, with the reason why, only by an approver (the head of
        the board) or an admin."""

        def approve(meta: Meta, today: date) -> Changes:
            household = self.household(household_id, field="household_id")
            if above_norm_reason:
                request.actor.require(
                    CONTROLLERS, household.unit_path, "duyệt nhà vượt định mức hỗ trợ"
                )
            elif not no_meeting_reason:
                request.actor.require(CASE_WRITERS, household.unit_path, "duyệt công trình nhà")
            reason = self._check_selection(
                request, household, approved_on, meeting_id, no_meeting_reason, meeting_required
            )
            norm = self._house_norm(household.unit_path, kind, approved_on.year)
            project = HouseProject.approve(
                household,
                kind,
                budget,
                approved_on,
                note,
                today,
                meta,
                norm,
                above_norm_reason,
                meeting_id,
                reason,
            )
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
            self._check_photos(evidence)
            project.reach_stage(stage, on, evidence, board_members, today, meta)
            return Changes([project], house_body(project))

        return self._write(request, record)

    def receive_house_contribution(
        self,
        request: Request,
        project_id: UUID,
        source: CostSource,
        on: date,
        given: tuple[int, str | None, int, int],
        note: str | None = None,
    ) -> Written:
        """Records money, materials or labour days a counterpart gave towards a house."""

        def receive(meta: Meta, today: date) -> Changes:
            project = self._case_house(request, project_id, "ghi phần đóng góp cho căn nhà")
            project.receive_contribution(source, on, given, note, today, meta)
            return Changes([project], house_body(project))

        return self._write(request, receive)

    def cancel_house(self, request: Request, project_id: UUID, reason: str) -> Written:
        def cancel(meta: Meta, today: date) -> Changes:
            project = self._case_house(request, project_id, "hủy công trình nhà")
            project.cancel(reason, meta)
            return Changes([project], house_body(project))

        return self._write(request, cancel)

    def _check_photos(self, evidence: Sequence[str]) -> None:
        """Refuses evidence naming a photo that was never uploaded: the stage's event will
        carry each photo's digest, so the photo must be kept before the event names it."""
        for digest in photos.digests(evidence):
            if not self._photo_stored(digest):
                raise InvalidInput(
                    "evidence",
                    f"Không có ảnh “{photos.reference(digest)}” trong kho ảnh. Hãy tải ảnh lên "
                    "trước (POST /photos), rồi ghi giai đoạn với mã ảnh nhận được.",
                )

    def _case_house(self, request: Request, project_id: UUID, action: str) -> HouseProject:
        project = self.house(project_id)
        request.actor.require(CASE_WRITERS, project.unit_path, action)
        return project

    # Livelihood grants --------------------------------------------------------

    def approve_grant(
        self,
        request: Request,
        household_id: UUID,
        item: str,
        attributes: dict[str, str],
        value: int,
        approved_on: date,
        note: str | None = None,
        meeting_id: UUID | None = None,
        no_meeting_reason: str | None = None,
        *,
        meeting_required: bool = False,
    ) -> Written:
        """Approves a grant; one that names no bình xét meeting, with the reason why, only
        by an approver or an admin."""

        def approve(meta: Meta, today: date) -> Changes:
            household = self.household(household_id, field="household_id")
            if not no_meeting_reason:
                request.actor.require(CASE_WRITERS, household.unit_path, "duyệt hỗ trợ sinh kế")
            reason = self._check_selection(
                request, household, approved_on, meeting_id, no_meeting_reason, meeting_required
            )
            grant = LivelihoodGrant.approve(
                household,
                item,
                attributes,
                value,
                approved_on,
                note,
                today,
                meta,
                meeting_id,
                reason,
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

    def add_grant_evidence(
        self, request: Request, grant_id: UUID, evidence: Sequence[str]
    ) -> Written:
        """Records papers and photos of a grant's delivery (photos uploaded first)."""

        def add(meta: Meta, today: date) -> Changes:
            grant = self._case_grant(request, grant_id, "ghi chứng cứ trao hỗ trợ sinh kế")
            self._check_photos(evidence)
            grant.add_evidence(evidence, meta)
            return Changes([grant], grant_body(grant))

        return self._write(request, add)

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

    def _case_grant(self, request: Request, grant_id: UUID, action: str) -> LivelihoodGrant:
        grant = self.grant(grant_id)
        request.actor.require(CASE_WRITERS, grant.unit_path, action)
        return grant


class CaseLinks(LedgerCore):
    """The checks and links between a fund's payments and the cases they pay."""

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
