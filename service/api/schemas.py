"""Marshmallow schemas of every body, query and answer of the API.

Bodies are strict: an unknown field, a number sent as a string ("100.000" means
one hundred thousand to a Vietnamese reader), a boolean or a fraction where đồng
are expected is refused, so a typo never silently changes money.
"""

from __future__ import annotations

import binascii
from datetime import date
from typing import Any
from uuid import UUID

from marshmallow import ValidationError, validates_schema

from service.adapters.bank_files import PRESETS
from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.domain.funds import EARLIEST_VOUCHER_DATE
from service.domain.grants import FOLLOW_UP_MONTHS, MAX_ATTRIBUTES
from service.domain.money import MAX_ENTRY_DONG
from service.domain.supervision import MAX_CONCLUSION, MAX_FINDING_TEXT, MAX_LINKS
from service.domain.text import visible
from service.domain.vocabulary import (
    GOODS_CHANNELS,
    Category,
    Channel,
    DonorKind,
    FollowUpStatus,
    FundKind,
    GrantOutcome,
    HouseholdCategory,
    HouseKind,
    Level,
    PledgeStatus,
    Severity,
    Stage,
    SubjectKind,
    SupervisionStatus,
)
from service.web.cursors import decode_cursor

_CONTROL = {chr(c) for c in range(32) if chr(c) not in "\n\t"} | {"\x7f"}


class Text(fields.String):
    """A string without NUL or other control characters, and without the invisible ones
    (zero-width, bidirectional controls), which are dropped."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if any(ch in _CONTROL for ch in text):
            raise ValidationError("Văn bản có ký tự điều khiển; hãy xóa chúng rồi gửi lại.")
        return visible(text)


class Dong(fields.Integer):
    """An amount of đồng: a whole JSON number, never a string, boolean or fraction."""

    default_error_messages = {  # noqa: RUF012
        "invalid": "Hãy gửi số đồng nguyên, không đặt trong dấu ngoặc kép, không có dấu chấm hay "
        "dấu phẩy, ví dụ 100000.",
    }

    def __init__(self, *, minimum: int = 1, **kwargs: Any) -> None:
        super().__init__(
            strict=True,
            validate=validate.Range(
                min=minimum,
                max=MAX_ENTRY_DONG,
                error=f"Số tiền phải từ {minimum} đến 10.000.000.000.000 đ. Hãy nhập lại số tiền.",
            ),
            **kwargs,
        )

    def _validated(self, value: Any) -> int:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._validated(value)


class Count(fields.Integer):
    """A whole number from 1: never a string, boolean or fraction."""

    def __init__(self, *, most: int = 10**9, **kwargs: Any) -> None:
        super().__init__(strict=True, validate=validate.Range(min=1, max=most), **kwargs)

    def _validated(self, value: Any) -> int:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._validated(value)


class VoucherDate(fields.Date):
    """A calendar date (YYYY-MM-DD) in a sensible range."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        day: date = super()._deserialize(value, attr, data, **kwargs)
        if day < EARLIEST_VOUCHER_DATE or day.year > 2100:
            raise ValidationError("Ngày nằm ngoài khoảng cho phép. Hãy kiểm tra lại năm.")
        return day


def one_of(values: Any) -> validate.OneOf:
    choices = [v.value for v in values]
    return validate.OneOf(choices, error=f"Hãy chọn một trong các giá trị: {', '.join(choices)}.")


def name(max_length: int = 200, **kwargs: Any) -> Text:
    return Text(validate=validate.Length(min=1, max=max_length), **kwargs)


def optional_text(max_length: int, description: str | None = None) -> Text:
    return Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=max_length),
        metadata={"description": description} if description else {},
    )


def optional_id() -> fields.UUID:
    return fields.UUID(load_default=None, allow_none=True)


def prose(max_length: int, **kwargs: Any) -> Text:
    return Text(validate=validate.Length(min=1, max=max_length), **kwargs)


# Bodies --------------------------------------------------------------------


class UnitIn(Schema):
    name = name(required=True)
    level = Text(required=True, validate=one_of(Level))
    parent_id = optional_id()
    code = optional_text(50)


class MergeIn(Schema):
    successor_id = fields.UUID(
        required=True,
        metadata={"description": "The unit that takes over: of the same level, or the parent."},
    )
    merged_on = VoucherDate(
        required=True,
        metadata={"description": "The day the merger takes effect (1 July 2025 nationally)."},
    )


class FundIn(Schema):
    unit_id = fields.UUID(required=True)
    name = name(required=True)
    kind = Text(required=True, validate=one_of(FundKind))


class DonorIn(Schema):
    name = Text(load_default=None, allow_none=True, validate=validate.Length(max=200))
    kind = Text(required=True, validate=one_of(DonorKind))


class InKindIn(Schema):
    description = name(required=True)
    quantity = Count(required=True)
    unit = name(50, required=True)


class ReceiptIn(Schema):
    amount = Dong(required=True)
    occurred_on = VoucherDate(required=True)
    donor = fields.Nested(DonorIn, required=True)
    channel = Text(required=True, validate=one_of(Channel))
    voucher_no = optional_text(50)
    bank_ref = optional_text(100)
    pledge_id = optional_id()
    in_kind = fields.Nested(InKindIn, load_default=None, allow_none=True)
    note = optional_text(1000)
    surplus_as_gift = fields.Boolean(
        load_default=False,
        metadata={
            "description": "With pledge_id: record what exceeds the pledge's outstanding "
            "amount as a plain gift instead of refusing the receipt."
        },
    )

    @validates_schema
    def goods_go_with_the_in_kind_channel(self, data: dict[str, Any], **kwargs: Any) -> None:
        if (data.get("channel") in GOODS_CHANNELS) != (data.get("in_kind") is not None):
            raise ValidationError(
                "Chỉ mô tả hiện vật (in_kind) khi hình thức là in_kind, và khi đó phải mô tả.",
                "in_kind",
            )


class StudentIn(Schema):
    """A scholarship's student: the name is personal data, sealed like the household's."""

    school = name(required=True)
    name = name(required=True)
    school_year = Text(
        required=True, validate=validate.Length(max=9), metadata={"example": "2025-2026"}
    )


class DisbursementIn(Schema):
    amount = Dong(required=True)
    occurred_on = VoucherDate(required=True)
    category = Text(required=True, validate=one_of(Category))
    household_id = optional_id()
    house_project_id = optional_id()
    grant_id = optional_id()
    voucher_no = optional_text(50)
    note = optional_text(1000)
    channel = Text(
        load_default="cash",
        validate=validate.OneOf(["cash", "bank"]),
        metadata={
            "description": "cash: paid from the cash box, numbered with a payment slip "
            "(phiếu chi); bank: paid from the bank account, with the bank's payment order."
        },
    )
    bank_ref = optional_text(100, description="The bank's payment order (ủy nhiệm chi).")
    repeat_reason = optional_text(
        500,
        description="Why the household is supported again this year in the same category.",
    )
    student = fields.Nested(
        StudentIn,
        load_default=None,
        allow_none=True,
        metadata={"description": "A scholarship's student (category scholarship only)."},
    )
    in_kind = fields.Nested(
        InKindIn,
        load_default=None,
        allow_none=True,
        metadata={
            "description": "Goods given out of the fund's stock instead of money; the "
            "amount is then their value and no money leaves the fund."
        },
    )


class InstalmentIn(Schema):
    due_on = VoucherDate(required=True)
    amount = Dong(required=True)


class PledgeIn(Schema):
    donor = fields.Nested(DonorIn, required=True)
    amount = Dong(required=True)
    due_on = VoucherDate(load_default=None, allow_none=True)
    instalments = fields.List(
        fields.Nested(InstalmentIn), load_default=list, validate=validate.Length(max=120)
    )
    code = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=40),
        metadata={
            "description": "What the donor writes in a transfer's memo (e.g. UH BAO LU); "
            "made up when not given. Unique in the fund."
        },
    )
    note = optional_text(1000)


class PledgeCloseIn(Schema):
    reason = name(500, required=True)


class TransferIn(Schema):
    to_fund_id = fields.UUID(required=True)
    amount = Dong(required=True)
    occurred_on = VoucherDate(required=True)
    note = optional_text(1000)


class ReversalIn(Schema):
    reason = name(500, required=True)


class PeriodCloseIn(Schema):
    through = VoucherDate(required=True)


class SubjectIn(Schema):
    kind = Text(required=True, validate=one_of(SubjectKind))
    fund_id = optional_id()
    unit_id = optional_id()
    house_project_id = optional_id()
    period_from = VoucherDate(data_key="from", load_default=None, allow_none=True)
    period_to = VoucherDate(data_key="to", load_default=None, allow_none=True)


class SupervisionIn(Schema):
    subject = fields.Nested(SubjectIn, required=True)
    title = name(required=True)


class FindingIn(Schema):
    severity = Text(required=True, validate=one_of(Severity))
    description = prose(MAX_FINDING_TEXT, required=True)
    recommendation = optional_text(MAX_FINDING_TEXT)
    fund_id = optional_id()
    entry_ids = fields.List(
        fields.UUID(), load_default=list, validate=validate.Length(max=MAX_LINKS)
    )
    positions = fields.List(
        Count(most=2**62),
        load_default=list,
        validate=validate.Length(max=MAX_LINKS),
        metadata={"description": "Log positions of the events the finding is about."},
    )


class ResponseIn(Schema):
    response = prose(MAX_FINDING_TEXT, required=True)


class ConclusionIn(Schema):
    conclusion = prose(MAX_CONCLUSION, required=True)


class ApprovalThresholdIn(Schema):
    amount = Dong(
        minimum=0,
        required=True,
        allow_none=True,
        metadata={
            "description": "Disbursements and transfers above this many đồng wait for an "
            "approver; null: none wait."
        },
    )


class TargetIn(Schema):
    year = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1990, max=2100, error="Năm phải từ 1990 đến 2100."),
    )
    fund_kind = Text(required=True, validate=one_of(FundKind))
    amount = Dong(required=True, metadata={"description": "What the unit is to raise, in đồng."})


class ApprovalIn(Schema):
    note = optional_text(1000)


class RejectionIn(Schema):
    reason = name(500, required=True)


class CategoryPeriodIn(Schema):
    category = Text(required=True, validate=one_of(HouseholdCategory))
    since = VoucherDate(required=True)


class HouseholdIn(Schema):
    unit_id = fields.UUID(required=True)
    head_name = name(required=True, metadata={"description": "The head of household (chủ hộ)."})
    address = name(300, required=True)
    cccd = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=20),
        metadata={"description": "The head's national ID number (12 digits), where known."},
    )
    phone = Text(load_default=None, allow_none=True, validate=validate.Length(max=20))
    members_count = Count(most=50, required=True)
    categories = fields.List(
        fields.Nested(CategoryPeriodIn), load_default=list, validate=validate.Length(max=10)
    )
    duplicate_reason = optional_text(
        500, "Why this household is registered although it matches one already registered."
    )


class CategoryIn(Schema):
    category = Text(required=True, validate=one_of(HouseholdCategory))
    since = VoucherDate(load_default=None, metadata={"description": "Puts it in the category."})
    until = VoucherDate(load_default=None, metadata={"description": "Takes it out of it."})

    @validates_schema
    def since_or_until(self, data: dict[str, Any], **kwargs: Any) -> None:
        if (data.get("since") is None) == (data.get("until") is None):
            raise ValidationError(
                "Hãy ghi ngày bắt đầu (since) hoặc ngày kết thúc (until).", "since"
            )


class EscapeIn(Schema):
    on = VoucherDate(required=True)
    note = optional_text(1000)


class ErasureIn(Schema):
    reason = name(500, required=True, metadata={"description": "The request this erasure answers."})


class BudgetIn(Schema):
    """The cost sheet by source, in đồng; labour days are valued in đồng."""

    fund = Dong(required=True, metadata={"description": "The share paid by funds, in tranches."})
    household = Dong(minimum=0, load_default=0)
    relatives = Dong(minimum=0, load_default=0)
    sponsors = Dong(minimum=0, load_default=0)
    pagoda = Dong(minimum=0, load_default=0)
    labour = Dong(minimum=0, load_default=0)


class HouseIn(Schema):
    household_id = fields.UUID(required=True)
    kind = Text(required=True, validate=one_of(HouseKind))
    budget = fields.Nested(BudgetIn, required=True)
    approved_on = VoucherDate(required=True)
    note = optional_text(1000)


class StageIn(Schema):
    stage = Text(required=True, validate=one_of([s for s in Stage if s is not Stage.APPROVED]))
    on = VoucherDate(required=True)
    evidence = fields.List(
        name(),
        load_default=list,
        validate=validate.Length(max=50),
        metadata={"description": "Ids of the photos or documents that show the stage."},
    )
    board_members = fields.List(
        name(),
        load_default=list,
        validate=validate.Length(max=50),
        metadata={"description": "The acceptance board (nghiệm thu); required for accepted."},
    )


class CancellationIn(Schema):
    reason = name(500, required=True)


class GrantIn(Schema):
    household_id = fields.UUID(required=True)
    item = name(required=True, metadata={"description": "What is given: Bò cái sinh sản..."})
    attributes = fields.Dict(
        keys=name(50),
        values=name(),
        load_default=dict,
        validate=validate.Length(max=MAX_ATTRIBUTES),
        metadata={"description": "What describes it: breed, age, make..., as texts."},
    )
    value = Dong(required=True)
    approved_on = VoucherDate(required=True)
    note = optional_text(1000)


class DeliveryIn(Schema):
    """A grant given in kind: goods with a value, no fund money."""

    on = VoucherDate(required=True)
    value = Dong(
        load_default=None,
        allow_none=True,
        metadata={"description": "The goods' value; the approved value if not given."},
    )
    description = optional_text(300)
    note = optional_text(1000)


class FollowUpIn(Schema):
    months = fields.Integer(
        strict=True,
        required=True,
        validate=validate.OneOf(FOLLOW_UP_MONTHS, error="Hãy chọn 3, 6 hoặc 12."),
    )
    on = VoucherDate(required=True)
    status = Text(required=True, validate=one_of(FollowUpStatus))
    note = optional_text(1000)


class GrantClosureIn(Schema):
    outcome = Text(required=True, validate=one_of(GrantOutcome))
    on = VoucherDate(required=True)
    note = optional_text(1000)


# Queries -------------------------------------------------------------------


class Cursor(fields.String):
    """An opaque page cursor: the key after which the next page starts."""

    def __init__(self, *, numeric: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.numeric = numeric

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            after = decode_cursor(text)
            return int(after) if self.numeric else str(UUID(after))
        except (binascii.Error, ValueError, UnicodeDecodeError):
            raise ValidationError(
                "Con trỏ (cursor) này không phải do hệ thống cấp. Hãy dùng con trỏ từ trang trước."
            ) from None


class ReadQuery(Schema):
    min_position = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=2**62),
        metadata={"description": "Wait until the read models have passed this log position."},
    )


class PageQuery(ReadQuery):
    cursor = Cursor(numeric=True, load_default=None)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class UnitsQuery(PageQuery):
    cursor = Cursor(numeric=False, load_default=None)
    parent_id = fields.UUID(load_default=None)


class LedgerQuery(PageQuery):
    date_from = VoucherDate(data_key="from", load_default=None)
    date_to = VoucherDate(data_key="to", load_default=None)


class PendingQuery(PageQuery):
    status = Text(load_default=None, validate=validate.OneOf(["pending", "approved", "rejected"]))


class ReportQuery(ReadQuery):
    date_from = VoucherDate(data_key="from", required=True)
    date_to = VoucherDate(data_key="to", required=True)
    include_children = fields.Boolean(load_default=False)
    format = Text(
        load_default="json",
        validate=validate.OneOf(["json", "csv", "csv-vi", "xlsx"]),
        metadata={
            "description": "csv: the figures by their JSON names, for programs; csv-vi and "
            "xlsx: for people, with Vietnamese headers, đồng as 1.024.230.000 đ, dates "
            "dd/mm/yyyy and the checkpoint the figures were read from."
        },
    )

    @validates_schema
    def period_is_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["date_from"] > data["date_to"]:
            raise ValidationError("Ngày kết thúc của kỳ phải bằng hoặc sau ngày bắt đầu.", "to")


class AuditQuery(PageQuery):
    aggregate_id = fields.UUID(load_default=None)
    actor = Text(
        load_default=None,
        validate=validate.Length(max=200),
        metadata={"description": "The token's name or id."},
    )
    unit_id = fields.UUID(load_default=None)
    recorded_from = fields.AwareDateTime(data_key="from", load_default=None)
    recorded_to = fields.AwareDateTime(data_key="to", load_default=None)
    event_type = Text(
        data_key="type",
        load_default=None,
        validate=validate.Length(max=100),
        metadata={"description": "An event type, e.g. ReceiptRecorded or FindingRecorded."},
    )


class PledgesQuery(PageQuery):
    status = Text(load_default=None, validate=one_of(PledgeStatus))
    overdue = fields.Boolean(
        load_default=False, metadata={"description": "Only pledges with instalments overdue."}
    )
    as_of = VoucherDate(
        load_default=None, metadata={"description": "The day overdue is judged on; today."}
    )
    include_children = fields.Boolean(load_default=False)


class PledgeQuery(ReadQuery):
    as_of = VoucherDate(load_default=None)


class ImportQuery(ReadQuery):
    preset = Text(
        load_default="sovang",
        validate=validate.OneOf(list(PRESETS)),
        metadata={"description": "The bank's layout: " + ", ".join(PRESETS) + "."},
    )
    dry_run = fields.Boolean(load_default=False)
    columns = Text(
        load_default=None,
        validate=validate.Length(max=2000),
        metadata={
            "description": "JSON naming columns by their header label, overriding the "
            'preset: {"date", "amount", "debit", "reference", "memo", "counterparty"}.'
        },
    )


class StatementQuery(PageQuery):
    date_from = VoucherDate(data_key="from", load_default=None)
    date_to = VoucherDate(data_key="to", load_default=None)
    amount = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1, max=MAX_ENTRY_DONG),
        metadata={"description": "Exactly this many đồng (digits only)."},
    )
    min_amount = fields.Integer(load_default=None, validate=validate.Range(min=1))
    max_amount = fields.Integer(load_default=None, validate=validate.Range(min=1))
    q = Text(
        load_default=None,
        validate=validate.Length(max=100),
        metadata={
            "description": "A fragment of the donor's name, the memo or a reference, "
            "compared without case or diacritics."
        },
    )
    format = Text(load_default="json", validate=validate.OneOf(["json", "csv"]))


class DonorHistoryQuery(PageQuery):
    name = name(required=True, metadata={"description": "The donor's name, in any case."})


class SupervisionsQuery(PageQuery):
    unit_id = fields.UUID(
        load_default=None,
        metadata={"description": "Reviews of this unit and the units below it."},
    )
    status = Text(load_default=None, validate=one_of(SupervisionStatus))


class HouseholdsQuery(PageQuery):
    unit_id = fields.UUID(
        load_default=None,
        metadata={"description": "Households of this unit and the units below it."},
    )
    category = Text(load_default=None, validate=one_of(HouseholdCategory))


class HousesQuery(PageQuery):
    unit_id = fields.UUID(
        load_default=None, metadata={"description": "Houses of this unit and the units below."}
    )
    stage = Text(load_default=None, validate=one_of(Stage))
    overdue_days = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1, max=3650),
        metadata={
            "description": "Only houses started more than this many days ago and not completed."
        },
    )


class GrantsQuery(PageQuery):
    unit_id = fields.UUID(
        load_default=None, metadata={"description": "Grants of this unit and the units below."}
    )
    status = Text(
        load_default=None,
        validate=validate.OneOf(["approved", "awaiting_approval", "delivered", "closed"]),
    )


class OverdueQuery(PageQuery):
    unit_id = fields.UUID(
        load_default=None,
        metadata={"description": "Follow-ups of this unit's grants and the units below."},
    )


class StagesQuery(ReadQuery):
    unit_id = fields.UUID(required=True)
    overdue_days = fields.Integer(load_default=90, validate=validate.Range(min=1, max=3650))


# Answers -------------------------------------------------------------------


class UnitOut(Schema):
    id = fields.String()
    name = fields.String()
    level = fields.String()
    parent_id = fields.String(allow_none=True)
    code = fields.String(allow_none=True)
    approval_threshold = fields.Integer(
        allow_none=True,
        metadata={"description": "Payments above this many đồng wait for an approver."},
    )
    merged_into_id = fields.String(
        allow_none=True, metadata={"description": "The successor of a merged unit."}
    )
    merged_on = fields.String(allow_none=True)
    position = fields.Integer()


class UnitPage(Schema):
    items = fields.List(fields.Nested(UnitOut))
    next_cursor = fields.String(allow_none=True)


class FundOut(Schema):
    id = fields.String()
    unit_id = fields.String()
    name = fields.String()
    kind = fields.String()
    balance = fields.Integer()
    reserved = fields.Integer(metadata={"description": "Held for payments awaiting approval."})
    available = fields.Integer(metadata={"description": "The balance less the money reserved."})
    total_received = fields.Integer()
    total_in_kind = fields.Integer(metadata={"description": "Value of the goods received."})
    total_in_kind_out = fields.Integer(metadata={"description": "Value of the goods given out."})
    total_disbursed = fields.Integer()
    total_transferred_in = fields.Integer()
    total_transferred_out = fields.Integer()
    entries_count = fields.Integer()
    closed_through = fields.String(allow_none=True)
    position = fields.Integer()


class FundOpened(Schema):
    id = fields.String()
    unit_id = fields.String()
    name = fields.String()
    kind = fields.String()
    balance = fields.Integer()
    position = fields.Integer()


class EntryWritten(Schema):
    entry_id = fields.String()
    fund_id = fields.String()
    balance = fields.Integer(metadata={"description": "The fund's balance after the entry."})
    available = fields.Integer(metadata={"description": "The balance less the money reserved."})
    position = fields.Integer()
    to_fund_id = fields.String()
    counterpart_entry_id = fields.String(allow_none=True)
    reversed_entry_id = fields.String()
    pending_id = fields.String(metadata={"description": "The payment this entry approved."})
    status = fields.String()
    receipt_url = fields.String(
        metadata={"description": "Where anyone checks this gift and its proof (receipts)."}
    )
    slip_no = fields.Integer(
        allow_none=True,
        metadata={
            "description": "The cash slip's number (phiếu thu or phiếu chi) in its fund and "
            "accounting year; none for a bank movement or goods."
        },
    )
    slip_ref = fields.String(
        allow_none=True,
        metadata={
            "description": "The slip's reference, unique across funds: PT- or PC-year-number-fund."
        },
    )


class PledgeStateOut(Schema):
    pledge_id = fields.String()
    fund_id = fields.String()
    code = fields.String()
    amount = fields.Integer()
    fulfilled = fields.Integer()
    outstanding = fields.Integer()
    status = fields.String()


class ReceiptWritten(EntryWritten):
    pledge = fields.Nested(
        PledgeStateOut, metadata={"description": "The pledge the receipt fulfilled."}
    )


class PledgeWritten(PledgeStateOut):
    position = fields.Integer()


class InstalmentOut(Schema):
    due_on = fields.String()
    amount = fields.Integer()
    cumulative = fields.Integer(metadata={"description": "What is due by then in all."})


class FulfilmentOut(Schema):
    entry_id = fields.String()
    amount = fields.Integer(metadata={"description": "What the receipt fulfilled."})
    receipt_amount = fields.Integer()
    occurred_on = fields.String()
    slip_no = fields.Integer()
    slip_ref = fields.String()
    position = fields.Integer()
    reversed = fields.Boolean()


class PledgeOut(PledgeStateOut):
    unit_id = fields.String()
    donor = fields.Nested("DonorOut")
    due_on = fields.String(allow_none=True)
    overdue = fields.Integer(
        metadata={"description": "What was due before as_of (today) and is not yet given."}
    )
    note = fields.String(allow_none=True)
    made_at = fields.String()
    made_by = fields.String()
    closed_reason = fields.String(allow_none=True)
    closed_at = fields.String(allow_none=True)
    closed_by = fields.String(allow_none=True)
    moved_from_fund_id = fields.String(
        allow_none=True,
        metadata={"description": "The merged unit's fund the pledge was made to, if it moved."},
    )
    moved_on = fields.String(
        allow_none=True, metadata={"description": "The date of the merger it moved with."}
    )
    position = fields.Integer()


class PledgeDetail(PledgeOut):
    instalments = fields.List(fields.Nested(InstalmentOut))
    fulfilments = fields.List(fields.Nested(FulfilmentOut))


class PledgeTotalsOut(Schema):
    count = fields.Integer()
    amount = fields.Integer()
    fulfilled = fields.Integer()
    outstanding = fields.Integer()
    overdue = fields.Integer()
    overdue_count = fields.Integer()


class PledgePage(Schema):
    items = fields.List(fields.Nested(PledgeOut))
    totals = fields.Nested(PledgeTotalsOut)
    next_cursor = fields.String(allow_none=True)


class StatementItemOut(Schema):
    entry_id = fields.String()
    seq = fields.Integer()
    position = fields.Integer()
    slip_no = fields.Integer(allow_none=True)
    slip_ref = fields.String(allow_none=True)
    occurred_on = fields.String()
    recorded_at = fields.String()
    amount = fields.Integer()
    channel = fields.String()
    donor_name = fields.String(
        allow_none=True, metadata={"description": "Masked for a person on the public route."}
    )
    donor_kind = fields.String()
    memo = fields.String(
        allow_none=True,
        metadata={
            "description": "As the donor wrote it; on the public route account numbers and "
            "a person's name masked, an anonymous gift's not shown."
        },
    )
    bank_ref = fields.String(allow_none=True)
    in_kind = fields.Nested("InKindOut", allow_none=True)
    reversed = fields.Boolean()


class StatementTotalsOut(Schema):
    count = fields.Integer(metadata={"description": "Receipts that match, reversed ones too."})
    amount = fields.Integer(metadata={"description": "Their money, reversed receipts left out."})
    in_kind_value = fields.Integer(metadata={"description": "Their goods, by value, apart."})
    reversed_count = fields.Integer()
    reversed_amount = fields.Integer()


class StatementPage(Schema):
    fund_id = fields.String()
    position = fields.Integer(metadata={"description": "The cut-off: the log position read."})
    totals = fields.Nested(StatementTotalsOut)
    items = fields.List(fields.Nested(StatementItemOut))
    next_cursor = fields.String(allow_none=True)


class DonorGiftOut(Schema):
    entry_id = fields.String()
    fund_id = fields.String()
    fund_name = fields.String()
    fund_kind = fields.String()
    position = fields.Integer()
    occurred_on = fields.String()
    amount = fields.Integer()
    channel = fields.String()
    donor_name = fields.String(metadata={"description": "As this receipt recorded it."})
    donor_kind = fields.String()
    slip_no = fields.Integer()
    slip_ref = fields.String()
    pledge_id = fields.String(allow_none=True)
    reversed = fields.Boolean()


class DonorTotalsOut(Schema):
    receipts = fields.Integer()
    funds = fields.Integer()
    money = fields.Integer()
    in_kind_value = fields.Integer()


class DonorHistoryPage(Schema):
    name = fields.String()
    totals = fields.Nested(DonorTotalsOut)
    items = fields.List(fields.Nested(DonorGiftOut))
    next_cursor = fields.String(allow_none=True)


class PaymentOut(Schema):
    """A payment above the unit's approval threshold, awaiting approval or rejected."""

    pending_id = fields.String()
    fund_id = fields.String()
    status = fields.String()
    amount = fields.Integer()
    balance = fields.Integer()
    available = fields.Integer(metadata={"description": "The balance less the money reserved."})
    to_fund_id = fields.String()
    position = fields.Integer()
    kind = fields.String(
        metadata={"description": "What waits: disbursement, transfer_out, receipt or reversal."}
    )
    held_because = fields.String(
        metadata={
            "description": "threshold, split (the day's payments of one purpose or "
            "payee add up above it) or plausibility (above the fund's limit)."
        }
    )
    reversed_entry_id = fields.String()


class PendingPaymentOut(Schema):
    pending_id = fields.String()
    fund_id = fields.String()
    seq = fields.Integer()
    position = fields.Integer()
    kind = fields.String()
    amount = fields.Integer()
    occurred_on = fields.String()
    category = fields.String(allow_none=True)
    household_id = fields.String(allow_none=True)
    house_project_id = fields.String(allow_none=True)
    grant_id = fields.String(allow_none=True)
    voucher_no = fields.String(allow_none=True)
    to_fund_id = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    repeat_reason = fields.String(allow_none=True)
    requested_at = fields.String()
    requested_by = fields.String()
    status = fields.String()
    decided_at = fields.String(allow_none=True)
    decided_by = fields.String(allow_none=True)
    decided_position = fields.Integer(allow_none=True)
    decision_note = fields.String(
        allow_none=True,
        metadata={"description": "The approver's note, or the reason for a rejection."},
    )
    entry_id = fields.String(allow_none=True)
    held_because = fields.String(allow_none=True)
    reversed_entry_id = fields.String(allow_none=True)
    donor_name = fields.String(allow_none=True)


class PendingPage(Schema):
    items = fields.List(fields.Nested(PendingPaymentOut))
    next_cursor = fields.String(allow_none=True)


class MovedCasesOut(Schema):
    households = fields.Integer()
    house_projects = fields.Integer()
    grants = fields.Integer()
    pledges = fields.Integer(
        metadata={"description": "Open pledges now owed to the successor's funds."}
    )


class MergedOut(Schema):
    unit_id = fields.String()
    successor_id = fields.String()
    merged_on = fields.String()
    funds = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "Each closed fund, and the successor's fund it went to."},
    )
    moved = fields.Nested(MovedCasesOut)
    position = fields.Integer()


class PeriodClosedOut(Schema):
    fund_id = fields.String()
    closed_through = fields.String()
    position = fields.Integer()


class DonorOut(Schema):
    name = fields.String(allow_none=True)
    kind = fields.String()


class InKindOut(Schema):
    description = fields.String()
    quantity = fields.Integer()
    unit = fields.String()


class LedgerEntryOut(Schema):
    entry_id = fields.String()
    fund_id = fields.String()
    seq = fields.Integer()
    position = fields.Integer()
    kind = fields.String()
    amount = fields.Integer()
    effect = fields.Integer(metadata={"description": "What the entry did to the balance."})
    running_balance = fields.Integer()
    occurred_on = fields.String()
    recorded_at = fields.String()
    channel = fields.String(allow_none=True)
    category = fields.String(allow_none=True)
    donor = fields.Nested(DonorOut, allow_none=True)
    in_kind = fields.Nested(InKindOut, allow_none=True)
    voucher_no = fields.String(allow_none=True)
    bank_ref = fields.String(allow_none=True)
    pledge_id = fields.String(allow_none=True)
    household_id = fields.String(allow_none=True)
    house_project_id = fields.String(allow_none=True)
    grant_id = fields.String(allow_none=True)
    counterparty_fund_id = fields.String(allow_none=True)
    counterpart_entry_id = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    reverses_entry_id = fields.String(allow_none=True)
    reversed_by_entry_id = fields.String(allow_none=True)
    reversed = fields.Boolean()
    repeat_reason = fields.String(
        allow_none=True,
        metadata={"description": "Why the household was supported again in the same year."},
    )
    actor = fields.String()
    slip_no = fields.Integer(
        allow_none=True, metadata={"description": "Cash receipts and cash payments only."}
    )
    slip_ref = fields.String(
        allow_none=True, metadata={"description": "PT-… for a receipt, PC-… for a payment."}
    )


class LedgerPage(Schema):
    items = fields.List(fields.Nested(LedgerEntryOut))
    next_cursor = fields.String(allow_none=True)


class ReceiptsOut(Schema):
    total = fields.Integer()
    by_channel = fields.Dict(keys=fields.String(), values=fields.Integer())
    in_kind_value = fields.Integer()


class DisbursementsOut(Schema):
    total = fields.Integer()
    by_category = fields.Dict(keys=fields.String(), values=fields.Integer())
    in_kind_value = fields.Integer(metadata={"description": "Value of the goods given out."})


class StockItemOut(Schema):
    description = fields.String()
    unit = fields.String()
    quantity_in = fields.Integer()
    quantity_out = fields.Integer()
    quantity_held = fields.Integer()
    value_in = fields.Integer()
    value_out = fields.Integer()


class StockOut(Schema):
    fund_id = fields.String()
    items = fields.List(fields.Nested(StockItemOut))


class TransfersOut(Schema):
    in_ = fields.Integer(data_key="in", attribute="in")
    out = fields.Integer()


class CountsOut(Schema):
    houses_new_build = fields.Integer()
    houses_repair = fields.Integer()
    livelihood_grants = fields.Integer()
    households_supported = fields.Integer()
    students = fields.Integer()


class TargetKindOut(Schema):
    amount = fields.Integer()
    raised = fields.Integer()
    achievement_pct = fields.Float()


class TargetOut(Schema):
    amount = fields.Integer(
        metadata={
            "description": "The targets of the years the period touches; with the "
            "children, a unit without a target of its own counts its children's."
        }
    )
    raised = fields.Integer(
        metadata={"description": "Money received into funds of the kinds with a target."}
    )
    achievement_pct = fields.Float(metadata={"description": "raised ÷ amount, in percent."})
    by_fund_kind = fields.Dict(keys=fields.String(), values=fields.Nested(TargetKindOut))


class TargetsQuery(ReadQuery):
    year = fields.Integer(load_default=None, validate=validate.Range(min=1990, max=2100))


class AssignedTargetOut(Schema):
    unit_id = fields.String()
    year = fields.Integer()
    fund_kind = fields.String()
    amount = fields.Integer()
    assigned_at = fields.String()
    assigned_by = fields.String()
    position = fields.Integer()


class TargetList(Schema):
    items = fields.List(fields.Nested(AssignedTargetOut))


class ReportOut(Schema):
    unit_id = fields.String()
    from_ = fields.String(data_key="from", attribute="from")
    to = fields.String()
    include_children = fields.Boolean()
    opening_balance = fields.Integer()
    receipts = fields.Nested(ReceiptsOut)
    disbursements = fields.Nested(DisbursementsOut)
    transfers = fields.Nested(TransfersOut)
    closing_balance = fields.Integer()
    counts = fields.Nested(CountsOut)
    target = fields.Nested(TargetOut)
    position = fields.Integer()


class AuditEventOut(Schema):
    position = fields.Integer()
    aggregate_id = fields.String(attribute="originator_id")
    version = fields.Integer(attribute="originator_version")
    aggregate_type = fields.String()
    event_type = fields.String()
    unit_id = fields.String(allow_none=True)
    recorded_at = fields.String()
    occurred_on = fields.String(allow_none=True)
    actor_id = fields.String(allow_none=True)
    actor = fields.String(allow_none=True)
    role = fields.String(allow_none=True)
    actor_unit_id = fields.String(allow_none=True)
    idempotency_key = fields.String(allow_none=True)
    request_id = fields.String(allow_none=True)
    leaf_hash = fields.String(
        allow_none=True, metadata={"description": "base64 of the event's leaf in the log's tree"}
    )
    data = fields.Dict()


class AuditPage(Schema):
    items = fields.List(fields.Nested(AuditEventOut))
    next_cursor = fields.String(allow_none=True)


class SubjectOut(Schema):
    kind = fields.String()
    fund_id = fields.String(allow_none=True)
    house_project_id = fields.String(allow_none=True)
    from_ = fields.String(data_key="from", attribute="from", allow_none=True)
    to = fields.String(allow_none=True)


class SupervisionOpened(Schema):
    id = fields.String()
    unit_id = fields.String()
    board_unit_id = fields.String()
    subject = fields.Nested(SubjectOut)
    title = fields.String()
    status = fields.String()
    position = fields.Integer()


class SupervisionOut(SupervisionOpened):
    findings_count = fields.Integer()
    responses_count = fields.Integer()
    conclusion = fields.String(allow_none=True)
    opened_at = fields.String()
    opened_by = fields.String()
    concluded_at = fields.String(allow_none=True)
    concluded_by = fields.String(allow_none=True)


class FindingOut(Schema):
    id = fields.String(attribute="finding_id")
    severity = fields.String()
    description = fields.String()
    recommendation = fields.String(allow_none=True)
    fund_id = fields.String(allow_none=True)
    entry_ids = fields.List(fields.String())
    positions = fields.List(fields.Integer())
    recorded_at = fields.String()
    recorded_by = fields.String()
    response = fields.String(allow_none=True)
    responded_at = fields.String(allow_none=True)
    responded_by = fields.String(allow_none=True)
    position = fields.Integer()


class SupervisionDetail(SupervisionOut):
    findings = fields.List(fields.Nested(FindingOut))


class SupervisionPage(Schema):
    items = fields.List(fields.Nested(SupervisionOut))
    next_cursor = fields.String(allow_none=True)


class SupervisionWritten(Schema):
    supervision_id = fields.String()
    finding_id = fields.String()
    status = fields.String()
    position = fields.Integer()


class CategoryPeriodOut(Schema):
    category = fields.String()
    since = fields.String()
    until = fields.String(allow_none=True)


class HouseholdWritten(Schema):
    id = fields.String()
    unit_id = fields.String()
    members_count = fields.Integer()
    categories = fields.List(fields.Nested(CategoryPeriodOut))
    escaped_poverty_on = fields.String(allow_none=True)
    position = fields.Integer()


class HouseholdOut(HouseholdWritten):
    personal_data = fields.String(
        metadata={"description": "full, masked (for readers without the right) or erased"}
    )
    head_name = fields.String()
    address = fields.String(allow_none=True)
    cccd = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    duplicate_of = fields.List(fields.String())
    duplicate_reason = fields.String(allow_none=True)
    registered_at = fields.String()
    registered_by = fields.String()
    erased_at = fields.String(allow_none=True)


class HouseholdPage(Schema):
    items = fields.List(fields.Nested(HouseholdOut))
    next_cursor = fields.String(allow_none=True)


class ErasedOut(Schema):
    household_id = fields.String()
    erased = fields.Boolean()
    position = fields.Integer()


class StudentOut(Schema):
    name = fields.String(metadata={"description": "In full, masked, or marked erased."})
    school = fields.String()
    school_year = fields.String()


class SupportOut(Schema):
    entry_id = fields.String()
    fund_id = fields.String()
    fund_name = fields.String()
    unit_id = fields.String(metadata={"description": "The unit holding the fund."})
    occurred_on = fields.String()
    category = fields.String()
    amount = fields.Integer()
    house_project_id = fields.String(allow_none=True)
    grant_id = fields.String(allow_none=True)
    voucher_no = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    repeat_reason = fields.String(allow_none=True)
    student = fields.Nested(StudentOut, allow_none=True)
    reversed = fields.Boolean(metadata={"description": "Reversed: counted in no total."})
    position = fields.Integer()


class YearTotalsOut(Schema):
    total = fields.Integer()
    by_category = fields.Dict(keys=fields.String(), values=fields.Integer())


class HistoryTotalsOut(YearTotalsOut):
    by_year = fields.Dict(keys=fields.String(), values=fields.Nested(YearTotalsOut))


class HouseWritten(Schema):
    id = fields.String()
    unit_id = fields.String()
    household_id = fields.String()
    kind = fields.String()
    stage = fields.String()
    status = fields.String(metadata={"description": "open, cancelled or handed_over"})
    budget = fields.Dict(keys=fields.String(), values=fields.Integer())
    paid = fields.Integer(metadata={"description": "Fund money paid in tranches."})
    reserved = fields.Integer(metadata={"description": "Tranches awaiting approval."})
    position = fields.Integer()


class StageOut(Schema):
    stage = fields.String()
    reached_on = fields.String()
    evidence = fields.List(fields.String())
    board_members = fields.List(fields.String())
    recorded_by = fields.String()
    position = fields.Integer()


class TrancheOut(Schema):
    payment_id = fields.String(metadata={"description": "The entry, or the pending payment."})
    fund_id = fields.String()
    amount = fields.Integer()
    status = fields.String(metadata={"description": "paid, pending or released"})
    entry_id = fields.String(allow_none=True)
    position = fields.Integer()


class HouseOut(HouseWritten):
    fund_share = fields.Integer()
    stage_on = fields.String()
    started_on = fields.String(allow_none=True)
    completed_on = fields.String(allow_none=True)
    cancel_reason = fields.String(allow_none=True)
    approved_on = fields.String()
    note = fields.String(allow_none=True)
    stages = fields.List(fields.Nested(StageOut))
    tranches = fields.List(fields.Nested(TrancheOut))


class HousePage(Schema):
    items = fields.List(fields.Nested(HouseOut))
    next_cursor = fields.String(allow_none=True)


class StagesOut(Schema):
    unit_id = fields.String()
    by_stage = fields.Dict(keys=fields.String(), values=fields.Integer())
    cancelled = fields.Integer()
    overdue = fields.Integer()
    overdue_days = fields.Integer()
    position = fields.Integer()


class GrantWritten(Schema):
    id = fields.String()
    unit_id = fields.String()
    household_id = fields.String()
    item = fields.String()
    value = fields.Integer()
    status = fields.String(
        metadata={"description": "approved, awaiting_approval, delivered or closed"}
    )
    delivered_on = fields.String(allow_none=True)
    followed_up_months = fields.List(fields.Integer())
    outcome = fields.String(allow_none=True)
    position = fields.Integer()


class FollowUpOut(Schema):
    months = fields.Integer()
    due_on = fields.String()
    followed_on = fields.String(allow_none=True)
    status = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    recorded_by = fields.String(allow_none=True)


class GrantOut(Schema):
    id = fields.String()
    unit_id = fields.String()
    household_id = fields.String()
    item = fields.String()
    attributes = fields.Dict(keys=fields.String(), values=fields.String())
    value = fields.Integer()
    approved_on = fields.String()
    note = fields.String(allow_none=True)
    status = fields.String()
    delivery = fields.String(allow_none=True, metadata={"description": "disbursement or in_kind"})
    delivered_on = fields.String(allow_none=True)
    delivered_value = fields.Integer(allow_none=True)
    fund_id = fields.String(allow_none=True)
    payment_id = fields.String(
        allow_none=True, metadata={"description": "The entry, or the payment awaiting approval."}
    )
    description = fields.String(allow_none=True)
    delivery_note = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    closed_on = fields.String(allow_none=True)
    close_note = fields.String(allow_none=True)
    follow_ups = fields.List(fields.Nested(FollowUpOut))
    position = fields.Integer()


class GrantPage(Schema):
    items = fields.List(fields.Nested(GrantOut))
    next_cursor = fields.String(allow_none=True)


class OverdueOut(Schema):
    grant_id = fields.String()
    months = fields.Integer()
    due_on = fields.String()
    unit_id = fields.String()
    household_id = fields.String()
    item = fields.String()
    delivered_on = fields.String()


class OverduePage(Schema):
    items = fields.List(fields.Nested(OverdueOut))
    next_cursor = fields.String(allow_none=True)


class HistoryOut(Schema):
    household = fields.Nested(HouseholdOut)
    disbursements = fields.List(fields.Nested(SupportOut))
    houses = fields.List(fields.Nested(HouseOut))
    grants = fields.List(fields.Nested(GrantOut))
    totals = fields.Nested(HistoryTotalsOut)
    position = fields.Integer()


# The log's checkpoints and proofs ---------------------------------------------


class CheckpointsQuery(ReadQuery):
    cursor = Cursor(numeric=True, load_default=None)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class InclusionQuery(ReadQuery):
    position = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=2**62),
        metadata={"description": "The log position of the event; its leaf index is one less."},
    )
    tree_size = fields.Integer(required=True, validate=validate.Range(min=1, max=2**62))

    @validates_schema
    def position_is_in_tree(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["position"] > data["tree_size"]:
            raise ValidationError("Vị trí phải nằm trong kích thước cây.", "position")


class ConsistencyQuery(ReadQuery):
    first = fields.Integer(required=True, validate=validate.Range(min=1, max=2**62))
    second = fields.Integer(required=True, validate=validate.Range(min=1, max=2**62))

    @validates_schema
    def sizes_are_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["first"] > data["second"]:
            raise ValidationError("Cây thứ nhất không được lớn hơn cây thứ hai.", "first")


class WitnessIn(Schema):
    verifier_key = Text(
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "The witness's cosignature/v1 verifier key, name+id+key."},
    )
    unit_id = fields.UUID(
        load_default=None, metadata={"description": "The unit whose board holds the key."}
    )


class CosignatureIn(Schema):
    signature = Text(
        required=True,
        validate=validate.Length(min=1, max=1000),
        metadata={"description": "The witness's signature line over the checkpoint."},
    )


class CheckpointOut(Schema):
    tree_size = fields.Integer()
    root_hash = fields.String(metadata={"description": "base64 of the 32-byte root"})
    timestamp = fields.String(metadata={"description": "when the service signed it (UTC)"})
    checkpoint = fields.String(
        metadata={"description": "the signed note, c2sp.org/tlog-checkpoint"}
    )


class CheckpointPage(Schema):
    items = fields.List(fields.Nested(CheckpointOut))
    next_cursor = fields.String(allow_none=True)


class LogKeyOut(Schema):
    origin = fields.String()
    verifier_key = fields.String()


class WitnessOut(Schema):
    name = fields.String()
    verifier_key = fields.String()
    unit_id = fields.String(allow_none=True)
    position = fields.Integer()


class WitnessList(Schema):
    items = fields.List(fields.Nested(WitnessOut))


class CosignedOut(Schema):
    tree_size = fields.Integer()
    witness = fields.String()
    checkpoint = fields.String()
    position = fields.Integer()


class InclusionOut(Schema):
    leaf_index = fields.Integer()
    tree_size = fields.Integer()
    leaf_hash = fields.String()
    root_hash = fields.String()
    proof = fields.List(fields.String())


class ConsistencyOut(Schema):
    first = fields.Integer()
    second = fields.Integer()
    first_root = fields.String()
    second_root = fields.String()
    proof = fields.List(fields.String())


class LeafOut(Schema):
    position = fields.Integer()
    leaf_index = fields.Integer()
    leaf_hash = fields.String()


class PublicReceiptOut(Schema):
    entry_id = fields.String()
    fund_id = fields.String()
    fund_name = fields.String()
    unit_id = fields.String()
    unit_name = fields.String()
    amount = fields.Integer()
    occurred_on = fields.String()
    channel = fields.String()
    donor_name = fields.String(
        allow_none=True,
        metadata={"description": "masked for a person, in full for an organisation"},
    )
    donor_kind = fields.String()
    bank_ref = fields.String(allow_none=True)
    slip_no = fields.Integer()
    slip_ref = fields.String()
    reversed = fields.Boolean()
    leaf = fields.Nested(LeafOut)
    checkpoint = fields.Nested(CheckpointOut, allow_none=True)
    inclusion_proof = fields.List(fields.String(), allow_none=True)


class PublicReceipts(Schema):
    reference = fields.String()
    receipts = fields.List(fields.Nested(PublicReceiptOut))


class ExportQuery(ReadQuery):
    year = fields.Integer(required=True, validate=validate.Range(min=1990, max=2100))
    format = Text(
        load_default="json",
        validate=validate.OneOf(["json", "csv-vi", "xlsx"]),
        metadata={"description": "csv-vi or xlsx: a file with Vietnamese headers."},
    )


class SummaryQuery(ExportQuery):
    include_children = fields.Boolean(load_default=False)


class ExportCheckpointOut(Schema):
    tree_size = fields.Integer()
    root_hash = fields.String()
    made_at = fields.String()


class SummaryLineOut(Schema):
    opening_balance = fields.Integer()
    receipts = fields.Integer()
    in_kind_value = fields.Integer()
    disbursements = fields.Integer()
    transfers_in = fields.Integer()
    transfers_out = fields.Integer()
    closing_balance = fields.Integer()


class SummaryOut(Schema):
    unit_id = fields.String()
    year = fields.Integer()
    include_children = fields.Boolean()
    by_fund_kind = fields.Dict(keys=fields.String(), values=fields.Nested(SummaryLineOut))
    position = fields.Integer()
    checkpoint = fields.Nested(ExportCheckpointOut, allow_none=True)


class DisclosureQuery(ReportQuery):
    include_children = fields.Boolean(load_default=True)
    format = Text(load_default="json", validate=validate.OneOf(["json"]))


class DisclosureUnitOut(Schema):
    id = fields.String()
    name = fields.String()
    level = fields.String()
    code = fields.String(allow_none=True)


class MonthOut(Schema):
    month = fields.String(metadata={"description": "YYYY-MM"})
    receipts = fields.Integer()
    disbursements = fields.Integer()


class HousesByStageOut(Schema):
    by_stage = fields.Dict(keys=fields.String(), values=fields.Integer())
    cancelled = fields.Integer()


class SupportedHouseholdOut(Schema):
    name = fields.String(metadata={"description": "The head's name, masked."})
    unit_name = fields.String()
    amount = fields.Integer()
    entries = fields.Integer()


class DisclosureFundOut(Schema):
    id = fields.String()
    name = fields.String()
    kind = fields.String()
    balance = fields.Integer()


class DisclosureReportOut(ReportOut):
    class Meta:
        exclude = ("unit_id", "position")


class DisclosureOut(Schema):
    unit = fields.Nested(DisclosureUnitOut)
    parent = fields.Nested(DisclosureUnitOut, allow_none=True)
    children = fields.List(fields.Nested(DisclosureUnitOut))
    from_ = fields.String(data_key="from", attribute="from")
    to = fields.String()
    include_children = fields.Boolean()
    report = fields.Nested(DisclosureReportOut)
    monthly = fields.List(fields.Nested(MonthOut))
    houses = fields.Nested(HousesByStageOut)
    households = fields.List(fields.Nested(SupportedHouseholdOut))
    funds = fields.List(fields.Nested(DisclosureFundOut))
    position = fields.Integer()
