"""Nhà Đại đoàn kết from a phone: approving a house with its cost sheet, recording each
stage with its evidence, and paying its tranches from a fund."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import request
from werkzeug.wrappers import Response

from service.application import Request, Written
from service.domain.vocabulary import CostSource, HouseKind, Stage
from service.pages.photos import with_photos
from service.pages.treasurer.cases import case_choices, household_name
from service.pages.treasurer.committee import meeting_choices, require_meeting
from service.pages.treasurer.forms import Field, Filled
from service.pages.treasurer.shared import (
    ROWS_SHOWN,
    answered,
    bp,
    my_funds,
    reached_position,
    shown_after,
    shown_form,
    today,
)
from service.projections import houses as house_view
from service.reads import fresh, within
from service.reads.houses import readable_house
from service.web import labels
from service.web.context import services

HOUSE = (
    Field("household_id", "Hộ được hỗ trợ", "choice", required=True),
    Field(
        "kind",
        "Loại",
        "choice",
        required=True,
        choices=(("new_build", "Xây mới"), ("repair", "Sửa chữa")),
    ),
    Field("budget.fund", "Quỹ hỗ trợ (đồng)", "money", required=True),
    Field("budget.household", "Hộ gia đình góp (đồng)", "money"),
    Field("budget.relatives", "Họ hàng góp (đồng)", "money"),
    Field("budget.sponsors", "Nhà tài trợ (đồng)", "money"),
    Field("budget.pagoda", "Nhà chùa (đồng)", "money"),
    Field("budget.labour", "Ngày công quy ra tiền (đồng)", "money"),
    Field("approved_on", "Ngày phê duyệt", "date", required=True),
    Field("meeting_id", "Cuộc họp bình xét đã chọn hộ", "choice", required=True),
    Field("note", "Ghi chú", "area"),
)
STAGE = (
    Field(
        "stage",
        "Giai đoạn",
        "choice",
        required=True,
        choices=tuple((k, v) for k, v in labels.STAGES.items() if k != Stage.APPROVED),
    ),
    Field("on", "Ngày đạt", "date", required=True),
    Field("evidence", "Chứng cứ (mỗi dòng một ảnh hoặc biên bản)", "lines"),
    Field("board_members", "Thành phần nghiệm thu (mỗi dòng một người)", "lines"),
)
CONTRIBUTION = (
    Field(
        "source",
        "Ai góp",
        "choice",
        required=True,
        choices=tuple((k, v) for k, v in labels.COST_SOURCES.items() if k != CostSource.FUND),
    ),
    Field("on", "Ngày nhận", "date", required=True),
    Field("money", "Tiền (đồng)", "money"),
    Field("materials", "Vật liệu", hint="Ví dụ: Xi măng 50 bao."),
    Field("materials_value", "Giá trị vật liệu (đồng)", "money"),
    Field("labour_days", "Số ngày công", "number"),
    Field("note", "Ghi chú", "area"),
)
#: Put before the ids of the contribution form's fields, beside the stage form.
CONTRIBUTION_PREFIX = "dg-"


@bp.route("/nha", methods=["GET", "POST"])
def houses() -> Response | str | tuple[str, int]:
    """The houses of my units, and the form that approves one with its cost sheet."""
    with fresh(reached_position()) as (tx, _):
        rows = house_view.projects(
            tx,
            within_unit=within(tx, None),
            stage=None,
            overdue_since=None,
            after_position=0,
            limit=ROWS_SHOWN,
        )
    choices = {
        "household_id": case_choices()["household_id"],
        "meeting_id": meeting_choices(),
    }
    names = dict(choices["household_id"])
    context: dict[str, Any] = {"houses": rows, "names": names}
    if request.method == "GET":
        values = {"approved_on": today().isoformat(), "kind": "new_build"}
        return shown_form("treasurer/houses.html", HOUSE, choices, values, **context)

    def write(body: dict[str, Any], asked: Request) -> Written:
        require_meeting(body)
        budget = {CostSource(source): amount for source, amount in body["budget"].items()}
        return services().ledger.approve_house(
            asked,
            body["household_id"],
            HouseKind(body["kind"]),
            budget,
            body["approved_on"],
            body["note"],
            meeting_id=body["meeting_id"],
            meeting_required=True,
        )

    return answered(
        "treasurer/houses.html",
        HOUSE,
        "houses.approve_house",
        write,
        choices,
        then=lambda written: shown_after("treasurer.house", project_id=written.body["id"])(written),
        **context,
    )


def _house_context(project_id: UUID) -> dict[str, Any]:
    with fresh(reached_position()) as (tx, _):
        found = readable_house(tx, project_id)
        funds = my_funds(tx)
    day = today().isoformat()
    return {
        "house": found,
        "stages": with_photos(found["stages"], board=False),
        "household": household_name(found["household_id"]),
        "funds": funds,
        "stage_form": Filled(STAGE, {"on": day}, prefix="gd-"),
        "contribution": Filled(
            CONTRIBUTION, {"on": day, "source": "household"}, prefix=CONTRIBUTION_PREFIX
        ),
    }


@bp.route("/nha/<uuid:project_id>", methods=["GET", "POST"])
def house(project_id: UUID) -> Response | str | tuple[str, int]:
    """A house: its cost sheet against what each source gave, stages and tranches; the
    forms that record its next stage and a contribution received, and the funds that may
    pay its next tranche."""
    context = _house_context(project_id)
    if request.method == "GET":
        return shown_form("treasurer/house.html", (), **context)

    def write(body: dict[str, Any], asked: Request) -> Written:
        return services().ledger.record_house_stage(
            asked,
            project_id,
            Stage(body["stage"]),
            body["on"],
            body["evidence"],
            body["board_members"],
        )

    return answered(
        "treasurer/house.html",
        STAGE,
        "houses.record_stage",
        write,
        then=shown_after("treasurer.house", project_id=project_id),
        which="stage",
        **context,
    )


@bp.post("/nha/<uuid:project_id>/doi-ung")
def contribution(project_id: UUID) -> Response | tuple[str, int]:
    """Records what a counterpart gave towards the house: money, materials, labour days."""
    context = _house_context(project_id)

    def write(body: dict[str, Any], asked: Request) -> Written:
        return services().ledger.receive_house_contribution(
            asked,
            project_id,
            CostSource(body["source"]),
            body["on"],
            (body["money"], body["materials"], body["materials_value"], body["labour_days"]),
            body["note"],
        )

    return answered(
        "treasurer/house.html",
        CONTRIBUTION,
        "houses.receive_contribution",
        write,
        then=shown_after("treasurer.house", project_id=project_id),
        which="contribution",
        **context,
    )
