"""Donors' pledges (cam kết ủng hộ) and the targets a unit is given (chỉ tiêu vận động),
from a phone."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from flask import request
from werkzeug.wrappers import Response

from service.adapters.db import Row, Transaction
from service.application import Request, Written
from service.domain.money import Money
from service.domain.pledges import Commitment
from service.domain.vocabulary import FundKind
from service.pages.treasurer.forms import Field
from service.pages.treasurer.money import DONOR_KINDS, fund_summary
from service.pages.treasurer.shared import (
    ROWS_SHOWN,
    answered,
    bp,
    my_funds,
    my_units,
    reached_position,
    shown_after,
    shown_form,
    today,
)
from service.projections import pledges as pledge_view
from service.projections import units as unit_view
from service.reads import fresh, readable_unit
from service.web import bodies, labels
from service.web.context import actor, services

PLEDGE = (
    Field("donor.kind", "Người cam kết là", "choice", required=True, choices=DONOR_KINDS),
    Field("donor.name", "Tên người cam kết"),
    Field("amount", "Số tiền cam kết (đồng)", "money", required=True),
    Field("due_on", "Hạn góp", "date"),
    Field("code", "Mã cam kết", hint="Người góp ghi mã này trong nội dung chuyển khoản."),
    Field("note", "Ghi chú", "area"),
)
TARGET = (
    Field("year", "Năm", "number", required=True),
    Field(
        "fund_kind", "Loại quỹ", "choice", required=True, choices=tuple(labels.FUND_KINDS.items())
    ),
    Field("amount", "Chỉ tiêu (đồng)", "money", required=True),
)


@bp.get("/cam-ket")
def pledges() -> str:
    """The pledges made to my units' funds, the overdue ones first, with their totals."""
    with fresh(reached_position()) as (tx, _):
        rows = of_my_units(tx, today(), overdue_only=False)
        funds = my_funds(tx)
    rows.sort(key=lambda row: (-int(row["overdue"] > 0), row["position"]))
    return shown_form("treasurer/pledges.html", (), pledges=rows, funds=funds)


@bp.route("/quy/<uuid:fund_id>/cam-ket", methods=["GET", "POST"])
def pledge(fund_id: UUID) -> Response | str | tuple[str, int]:
    """A donor's pledge to the fund: an amount, by a day, with the code they write in a
    transfer's memo."""
    shown = fund_summary(fund_id)
    if request.method == "GET":
        values = {"donor.kind": "individual"}
        return shown_form("treasurer/pledge.html", PLEDGE, values=values, fund=shown)

    def write(body: dict[str, Any], asked: Request) -> Written:
        commitment = Commitment(
            donor=bodies.donor(body["donor"]),
            amount=Money(body["amount"]),
            due_on=body["due_on"],
            code=body["code"],
            note=body["note"],
        )
        return services().ledger.make_pledge(asked, fund_id, commitment)

    return answered(
        "treasurer/pledge.html",
        PLEDGE,
        "pledges.make_pledge",
        write,
        then=shown_after("treasurer.pledges"),
        fund=shown,
    )


@bp.get("/chi-tieu")
def targets() -> str:
    """The targets of my unit and the units below it, by year and kind of fund."""
    year = today().year
    with fresh(reached_position()) as (tx, _):
        units = [{**u, "targets": unit_view.targets(tx, u["id"], None)} for u in my_units(tx)]
    return shown_form("treasurer/targets.html", (), units=units, year=year)


@bp.route("/don-vi/<uuid:unit_id>/chi-tieu", methods=["GET", "POST"])
def target(unit_id: UUID) -> Response | str | tuple[str, int]:
    """Assigns a unit its target for a year and a kind of fund (the level above does)."""
    with fresh({}) as (tx, _):
        unit = readable_unit(tx, unit_id)
    if request.method == "GET":
        values = {"year": str(today().year), "fund_kind": "for_the_poor"}
        return shown_form("treasurer/target.html", TARGET, values=values, unit=unit)

    def write(body: dict[str, Any], asked: Request) -> Written:
        return services().ledger.assign_target(
            asked, unit_id, body["year"], FundKind(body["fund_kind"]), Money(body["amount"])
        )

    return answered(
        "treasurer/target.html",
        TARGET,
        "units.assign_target",
        write,
        then=shown_after("treasurer.targets"),
        unit=unit,
    )


def of_my_units(tx: Transaction, as_of: date, *, overdue_only: bool) -> list[Row]:
    """The pledges of my unit's funds and those below it (an admin's: every top unit's);
    ``overdue_only`` keeps the open ones with an instalment due and not given."""
    who = actor()
    tops = [u for u in my_units(tx) if u["id"] == str(who.unit_id) or not u["parent_id"]]
    return [
        row
        for unit in tops[:ROWS_SHOWN]
        for row in pledge_view.of_unit(
            tx,
            unit["id"],
            include_children=True,
            status=None,
            overdue_only=overdue_only,
            as_of=as_of.isoformat(),
            after_position=0,
            limit=ROWS_SHOWN,
        )
    ]
