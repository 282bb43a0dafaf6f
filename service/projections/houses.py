"""House projects: each one with its stage, budget and fund money paid; the stages with
their dates and evidence; the tranches that paid them."""

from __future__ import annotations

import json
from functools import singledispatchmethod
from typing import Any

from service.adapters.db import Row, Transaction
from service.domain import photos
from service.domain.houses import HouseProject, house_status
from service.domain.vocabulary import CostSource, Stage
from service.projections import counting
from service.projections.base import Projection, touch


class HousesProjection(Projection):
    name = "houses"
    tables = ("house_projects", "house_stages", "house_tranches", "house_contributions")

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Events of other aggregates change nothing here."""

    @apply.register
    def _contribution(
        self, event: HouseProject.ContributionReceived, position: int, tx: Transaction
    ) -> None:
        tx.insert(
            "house_contributions",
            {
                "project_id": str(event.originator_id),
                "source": event.source,
                "received_on": event.on.isoformat(),
                "money": event.money,
                "materials": event.materials,
                "materials_value": event.materials_value,
                "labour_days": event.labour_days,
                "note": event.note,
                "position": position,
            },
        )

    @apply.register
    def _approved(self, event: HouseProject.Approved, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO house_projects (id, unit_id, household_id, kind, budget, fund_share, "
            "stage, stage_on, status, approved_on, note, approved_position, position) VALUES "
            "(:id, :unit_id, :household_id, :kind, :budget, :fund_share, :stage, :on, :status, "
            ":on, :note, :position, :position)",
            {
                "id": str(event.originator_id),
                "unit_id": str(event.unit_id),
                "household_id": str(event.household_id),
                "kind": event.kind,
                "budget": json.dumps(event.budget),
                "fund_share": event.budget[CostSource.FUND.value],
                "stage": Stage.APPROVED.value,
                "status": house_status(Stage.APPROVED.value),
                "on": event.approved_on.isoformat(),
                "note": event.note,
                "position": position,
            },
        )
        self._stage(tx, event, Stage.APPROVED.value, event.approved_on.isoformat(), [], position)

    @apply.register
    def _reached(self, event: HouseProject.StageReached, position: int, tx: Transaction) -> None:
        on = event.on.isoformat()
        self._stage(tx, event, event.stage, on, event.evidence, position, event.board_members)
        columns = {"stage": event.stage, "stage_on": on}
        if event.stage == Stage.STARTED.value:
            columns["started_on"] = on
        if event.stage == Stage.COMPLETED.value:
            columns["completed_on"] = on
        columns["status"] = house_status(event.stage)
        self._touch(tx, event, position, **columns)

    @apply.register
    def _cancelled(self, event: HouseProject.Cancelled, position: int, tx: Transaction) -> None:
        self._touch(
            tx,
            event,
            position,
            status=house_status(None, cancelled=True),
            cancel_reason=event.reason,
        )

    @apply.register
    def _paid(self, event: HouseProject.TranchePaid, position: int, tx: Transaction) -> None:
        self._tranche(tx, event, str(event.entry_id), "paid", str(event.entry_id), position)
        self._money(tx, event, position, paid=event.amount)

    @apply.register
    def _requested(
        self, event: HouseProject.TrancheRequested, position: int, tx: Transaction
    ) -> None:
        self._tranche(tx, event, str(event.pending_id), "pending", None, position)
        self._money(tx, event, position, reserved=event.amount)

    @apply.register
    def _approved_tranche(
        self, event: HouseProject.TrancheApproved, position: int, tx: Transaction
    ) -> None:
        amount = tx.scalar(
            "SELECT amount FROM house_tranches WHERE payment_id = :id",
            {"id": str(event.pending_id)},
        )
        tx.execute(
            "UPDATE house_tranches SET status = 'paid', entry_id = :entry, position = :position "
            "WHERE payment_id = :id",
            {"entry": str(event.entry_id), "position": position, "id": str(event.pending_id)},
        )
        self._money(tx, event, position, paid=int(amount), reserved=-int(amount))

    @apply.register
    def _released(
        self, event: HouseProject.TrancheReleased, position: int, tx: Transaction
    ) -> None:
        row = tx.one(
            "SELECT status FROM house_tranches WHERE payment_id = :id OR entry_id = :id",
            {"id": str(event.released_id)},
        )
        tx.execute(
            "UPDATE house_tranches SET status = 'released', position = :position "
            "WHERE payment_id = :id OR entry_id = :id",
            {"position": position, "id": str(event.released_id)},
        )
        column = "reserved" if row and row["status"] == "pending" else "paid"
        self._money(tx, event, position, **{column: -event.amount})

    def _stage(
        self,
        tx: Transaction,
        event: Any,
        stage: str,
        on: str,
        evidence: list[str],
        position: int,
        board_members: list[str] | None = None,
    ) -> None:
        tx.execute(
            "INSERT INTO house_stages (project_id, stage, reached_on, evidence, board_members, "
            "recorded_by, position) VALUES (:id, :stage, :on, :evidence, :board, :by, :position)",
            {
                "id": str(event.originator_id),
                "stage": stage,
                "on": on,
                "evidence": json.dumps(evidence, ensure_ascii=False),
                "board": json.dumps(board_members or [], ensure_ascii=False),
                "by": event.meta.actor,
                "position": position,
            },
        )

    def _tranche(
        self,
        tx: Transaction,
        event: Any,
        payment_id: str,
        status: str,
        entry_id: str | None,
        position: int,
    ) -> None:
        tx.execute(
            "INSERT INTO house_tranches (payment_id, project_id, fund_id, amount, status, "
            "entry_id, position) VALUES (:id, :project, :fund, :amount, :status, :entry, "
            ":position)",
            {
                "id": payment_id,
                "project": str(event.originator_id),
                "fund": str(event.fund_id),
                "amount": event.amount,
                "status": status,
                "entry": entry_id,
                "position": position,
            },
        )

    def _money(self, tx: Transaction, event: Any, position: int, **change: int) -> None:
        sets = "".join(f"{column} = {column} + :{column}, " for column in change)
        tx.execute(
            f"UPDATE house_projects SET {sets}position = :position WHERE id = :id",
            {**change, "position": position, "id": str(event.originator_id)},
        )

    @apply.register
    def _moved(self, event: HouseProject.Moved, position: int, tx: Transaction) -> None:
        self._touch(tx, event, position, unit_id=str(event.unit_id))

    def _touch(self, tx: Transaction, event: Any, position: int, **columns: Any) -> None:
        touch(tx, "house_projects", str(event.originator_id), position, **columns)


_COLUMNS = (
    "id, unit_id, household_id, kind, budget, fund_share, stage, stage_on, started_on, "
    "completed_on, status, cancel_reason, paid, reserved, approved_on, note, "
    "approved_position, position"
)


def naming_photo(tx: Transaction, digest: str) -> list[Row]:
    """The house projects (id and unit) one of whose stages names the photo ``digest``."""
    return tx.all(
        "SELECT DISTINCT p.id, p.unit_id FROM house_stages s "
        "JOIN house_projects p ON p.id = s.project_id WHERE s.evidence LIKE :named",
        {"named": f'%"{photos.reference(digest)}"%'},
    )


def latest(tx: Transaction, unit_id: str, limit: int) -> list[Row]:
    """The houses of the unit and the units below, latest approval first."""
    return tx.all(
        f"SELECT {_COLUMNS} FROM house_projects WHERE {counting.within_unit()} "
        "ORDER BY approved_position DESC LIMIT :limit",
        {"within": unit_id, "limit": limit},
    )


def get(tx: Transaction, project_id: str) -> Row | None:
    row = tx.one(f"SELECT {_COLUMNS} FROM house_projects WHERE id = :id", {"id": project_id})
    if row is None:
        return None
    row["budget"] = json.loads(row["budget"])
    row["stages"] = tx.all(
        "SELECT stage, reached_on, evidence, board_members, recorded_by, position "
        "FROM house_stages WHERE project_id = :id ORDER BY position",
        {"id": project_id},
    )
    for stage in row["stages"]:
        stage["evidence"] = json.loads(stage["evidence"])
        stage["board_members"] = json.loads(stage["board_members"])
    row["tranches"] = tx.all(
        "SELECT payment_id, fund_id, amount, status, entry_id, position FROM house_tranches "
        "WHERE project_id = :id ORDER BY position",
        {"id": project_id},
    )
    row["contributions"] = _plan_and_actual(tx, project_id, row)
    return row


def _plan_and_actual(tx: Transaction, project_id: str, row: Row) -> list[dict[str, Any]]:
    """Each source of the cost sheet: what it planned, and what it gave (for the fund,
    the tranches paid; for the others, the contributions received, money and materials
    by value, and the days of labour)."""
    received = {
        str(r["source"]): r
        for r in tx.all(
            "SELECT source, SUM(money) + SUM(materials_value) AS value, "
            "SUM(labour_days) AS labour_days FROM house_contributions "
            "WHERE project_id = :id GROUP BY source",
            {"id": project_id},
        )
    }
    paid = sum(int(t["amount"]) for t in row["tranches"] if t["status"] == "paid")
    lines = []
    for source, planned in row["budget"].items():
        got = received.get(source, {})
        lines.append(
            {
                "source": source,
                "planned": int(planned),
                "received": paid if source == "fund" else int(got.get("value") or 0),
                "labour_days": int(got.get("labour_days") or 0),
            }
        )
    return lines


def projects(
    tx: Transaction,
    *,
    within_unit: str | None,
    stage: str | None,
    overdue_since: str | None,
    after_position: int,
    limit: int,
) -> list[Row]:
    """A page of house projects, oldest approval first; ``overdue_since`` keeps those
    started on or before that day and neither completed nor cancelled."""
    where = ["approved_position > :after"]
    if within_unit:
        where.append(counting.within_unit())
    if stage:
        where.append("stage = :stage")
    if overdue_since:
        where.append("started_on <= :overdue AND completed_on IS NULL AND status = 'open'")
    rows = tx.all(
        f"SELECT {_COLUMNS} FROM house_projects WHERE {' AND '.join(where)} "
        "ORDER BY approved_position LIMIT :limit",
        {
            "after": after_position,
            "within": within_unit,
            "stage": stage,
            "overdue": overdue_since,
            "limit": limit,
        },
    )
    for row in rows:
        row["budget"] = json.loads(row["budget"])
    return rows


def by_stage(tx: Transaction, within_unit: str, overdue_since: str) -> dict[str, Any]:
    """How many houses of the unit's subtree are at each stage, and how many are overdue."""
    scope = counting.within_unit()
    rows = tx.all(
        f"SELECT stage, status, COUNT(*) AS n FROM house_projects WHERE {scope} "
        "GROUP BY stage, status",
        {"within": within_unit},
    )
    stages = {stage.value: 0 for stage in Stage}
    cancelled = 0
    for row in rows:
        if row["status"] == "cancelled":
            cancelled += int(row["n"])
        else:
            stages[row["stage"]] += int(row["n"])
    overdue = tx.scalar(
        f"SELECT COUNT(*) AS n FROM house_projects WHERE {scope} AND started_on <= :overdue "
        "AND completed_on IS NULL AND status = 'open'",
        {"within": within_unit, "overdue": overdue_since},
    )
    return {"by_stage": stages, "cancelled": cancelled, "overdue": int(overdue or 0)}


def stages_without_evidence(tx: Transaction, within_unit: str | None, limit: int) -> list[Row]:
    """The stages of open houses recorded with no evidence (no photo, no minutes), oldest
    first, with the house they belong to."""
    scope = f"AND {counting.within_unit('p.unit_id')} " if within_unit else ""
    return tx.all(
        "SELECT s.project_id, s.stage, s.reached_on, p.household_id, p.kind, p.unit_id "
        "FROM house_stages s JOIN house_projects p ON p.id = s.project_id "
        f"WHERE s.evidence = '[]' AND s.stage <> 'approved' AND p.status = 'open' {scope}"
        "ORDER BY s.position LIMIT :limit",
        {"within": within_unit, "limit": limit},
    )
