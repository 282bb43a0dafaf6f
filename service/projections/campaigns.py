"""Campaigns (cuộc vận động), and their figures over every unit that took part: what the
receipts naming the campaign raised and what its payments gave, by unit, against the
target.

The figures count as the unit report does (``counting``): each entry by ``signed_amount``
under what it ``counts_as``, so a reversed gift takes itself back on the day it was
reversed, and goods count apart from money by their value.
"""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from service.adapters.db import Row, Transaction
from service.domain.campaigns import Campaign
from service.projections.base import Projection
from service.projections.counting import (
    DISBURSEMENTS,
    GOODS_GIVEN,
    GOODS_RECEIVED,
    RECEIPTS,
    money,
    total_of,
)
from service.projections.distributions import counts_where

_COLUMNS = "id, code, name, unit_id, starts_on, ends_on, target, note, launched_at, position"


class CampaignsProjection(Projection):
    name = "campaigns"
    tables = ("campaigns",)

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Events of other aggregates change nothing here."""

    @apply.register
    def _launched(self, event: Campaign.Launched, position: int, tx: Transaction) -> None:
        tx.insert(
            "campaigns",
            {
                "id": str(event.originator_id),
                "code": event.code,
                "name": event.name,
                "unit_id": str(event.unit_id),
                "starts_on": event.starts_on.isoformat(),
                "ends_on": event.ends_on.isoformat(),
                "target": event.target,
                "note": event.note,
                "launched_at": event.timestamp.isoformat(),
                "launched_by": event.meta.actor,
                "position": position,
            },
        )


def get(tx: Transaction, campaign_id: str) -> Row | None:
    return tx.one(f"SELECT {_COLUMNS} FROM campaigns WHERE id = :id", {"id": campaign_id})


def by_code(tx: Transaction, code: str) -> Row | None:
    return tx.one(f"SELECT {_COLUMNS} FROM campaigns WHERE code = :code", {"code": code})


def open_to(tx: Transaction, unit_id: str, after: str | None, limit: int) -> list[Row]:
    """The campaigns a unit's funds may count in: those of the unit and of the units above
    it, in id order, after a cursor id."""
    where = ["unit_id IN (SELECT ancestor_id FROM unit_tree WHERE unit_id = :unit)"]
    if after:
        where.append("id > :after")
    return tx.all(
        f"SELECT {_COLUMNS} FROM campaigns WHERE {' AND '.join(where)} ORDER BY id LIMIT :limit",
        {"unit": unit_id, "after": after, "limit": limit},
    )


def figures(tx: Transaction, campaign: Row) -> dict[str, Any]:
    """The campaign's totals and each taking part unit's, against the target."""
    rows = tx.all(
        "SELECT f.unit_id, u.name AS unit_name, u.level, e.counts_as AS kind, "
        f"{money('e')} AS is_money, COALESCE(SUM(e.signed_amount), 0) AS amount "
        "FROM ledger_entries e JOIN funds f ON f.id = e.fund_id JOIN units u ON u.id = f.unit_id "
        f"WHERE e.campaign_id = :campaign GROUP BY f.unit_id, u.name, u.level, e.counts_as, "
        f"{money('e')}",
        {"campaign": str(campaign["id"])},
    )
    households = tx.scalar(
        "SELECT COUNT(DISTINCT household_id) AS n FROM ledger_entries "
        "WHERE campaign_id = :campaign AND kind = 'disbursement'",
        {"campaign": str(campaign["id"])},
    )
    units: dict[str, dict[str, Any]] = {}
    for row in rows:
        total = total_of(row["kind"], row["is_money"])
        if total not in (RECEIPTS, GOODS_RECEIVED, DISBURSEMENTS, GOODS_GIVEN):
            continue
        unit = units.setdefault(
            str(row["unit_id"]),
            {
                "unit_id": str(row["unit_id"]),
                "unit_name": row["unit_name"],
                "level": row["level"],
                RECEIPTS: 0,
                GOODS_RECEIVED: 0,
                DISBURSEMENTS: 0,
                GOODS_GIVEN: 0,
            },
        )
        unit[total] += int(row["amount"])
    by_unit = sorted(units.values(), key=lambda u: (-u[RECEIPTS], u["unit_name"]))
    raised = sum(u[RECEIPTS] for u in by_unit)
    target = campaign["target"]
    return {
        "raised": raised,
        "in_kind_value": sum(u[GOODS_RECEIVED] for u in by_unit),
        "paid": sum(u[DISBURSEMENTS] for u in by_unit),
        "goods_given": sum(u[GOODS_GIVEN] for u in by_unit),
        "households_supported": int(households or 0),
        "counted": counts_where(tx, "d.campaign_id = :campaign", {"campaign": str(campaign["id"])}),
        "target": target,
        "achievement_pct": round(raised * 100 / target, 1) if target else None,
        "units": [
            {
                "unit_id": u["unit_id"],
                "unit_name": u["unit_name"],
                "level": u["level"],
                "raised": u[RECEIPTS],
                "in_kind_value": u[GOODS_RECEIVED],
                "paid": u[DISBURSEMENTS],
                "goods_given": u[GOODS_GIVEN],
            }
            for u in by_unit
        ],
    }
