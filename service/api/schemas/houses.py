"""Great Solidarity houses: approved with a budget, built stage by stage, paid in tranches."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import (
    MEETING,
    NO_MEETING,
    Dong,
    PageQuery,
    ReadQuery,
    Text,
    VoucherDate,
    name,
    one_of,
    optional_id,
    optional_text,
)
from service.domain.vocabulary import CostSource, HouseKind, Stage


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
    approved_on = VoucherDate(required=True, metadata={"description": "Not in the future."})
    note = optional_text(1000)
    above_norm_reason = optional_text(
        1000,
        description="Why the fund gives more than the norm that applies (GET "
        "/units/{unit_id}/house-norms); with it, only an approver or an admin approves.",
    )
    meeting_id = optional_id(MEETING)
    no_meeting_reason = optional_text(1000, NO_MEETING)


class StageIn(Schema):
    stage = Text(required=True, validate=one_of([s for s in Stage if s is not Stage.APPROVED]))
    on = VoucherDate(
        required=True,
        metadata={"description": "From the day of the house's previous stage to today."},
    )
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


class StagesQuery(ReadQuery):
    unit_id = fields.UUID(required=True)
    overdue_days = fields.Integer(load_default=90, validate=validate.Range(min=1, max=3650))


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
    above_norm = fields.Dict(
        allow_none=True,
        metadata={"description": "Approved above the norm: the norm, its unit, the reason."},
    )
    meeting_id = fields.String(allow_none=True)
    no_meeting_reason = fields.String(allow_none=True)
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


class ContributionIn(Schema):
    source = Text(
        required=True,
        validate=one_of([source for source in CostSource if source is not CostSource.FUND]),
        metadata={"description": "Who gave it; the fund's share is paid in tranches instead."},
    )
    on = VoucherDate(required=True, metadata={"description": "Not in the future."})
    money = Dong(minimum=0, load_default=0)
    materials = optional_text(500, description="The materials given: bricks, cement, timber.")
    materials_value = Dong(minimum=0, load_default=0, metadata={"description": "Their value."})
    labour_days = fields.Integer(
        load_default=0, strict=True, validate=validate.Range(min=0, max=1_000_000)
    )
    note = optional_text(1000)


class ContributionOut(Schema):
    source = fields.String()
    planned = fields.Integer(metadata={"description": "The cost sheet's share, in đồng."})
    received = fields.Integer(
        metadata={"description": "Given so far: tranches paid (fund), money and materials."}
    )
    labour_days = fields.Integer()


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
    contributions = fields.List(
        fields.Nested(ContributionOut),
        metadata={"description": "Plan against actual, by source of the cost sheet."},
    )


class StagesOut(Schema):
    unit_id = fields.String()
    by_stage = fields.Dict(keys=fields.String(), values=fields.Integer())
    cancelled = fields.Integer()
    overdue = fields.Integer()
    overdue_days = fields.Integer()
    position = fields.Integer()
