"""The unit report of DESIGN.md, computed from the ledger for any period.

Reversed entries and their reversals count in no total and in no balance, so
the report reads as if the mistake had never been recorded. Transfers between
two funds inside the report's scope cancel out and are left out of both sides.
"""

from __future__ import annotations

from typing import Any

from service.db import Transaction
from service.domain.vocabulary import Category, Channel, HouseKind
from service.projections.scope import FundScope


def _counts(
    tx: Transaction, counted: str, include_children: bool, params: dict[str, Any]
) -> dict[str, int]:
    """The cases of the period: houses of the scope's units handed over in it, grants of
    its units delivered in it, and, from its funds' disbursements, the distinct households
    supported and the distinct scholarship students (one per entry naming none)."""
    units = (
        "(SELECT unit_id FROM unit_tree WHERE ancestor_id = :unit)"
        if include_children
        else "(:unit)"
    )
    houses = {
        row["kind"]: int(row["n"])
        for row in tx.all(
            "SELECT h.kind, COUNT(*) AS n FROM house_projects h JOIN house_stages s "
            "ON s.project_id = h.id AND s.stage = 'handed_over' "
            f"WHERE h.unit_id IN {units} AND s.reached_on >= :from AND s.reached_on <= :to "
            "GROUP BY h.kind",
            params,
        )
    }
    grants = tx.scalar(
        "SELECT COUNT(*) AS n FROM livelihood_grants WHERE status IN ('delivered', 'closed') "
        f"AND unit_id IN {units} AND delivered_on >= :from AND delivered_on <= :to",
        params,
    )
    support = (
        tx.one(
            "SELECT COUNT(DISTINCT household_id) AS households, "
            "COUNT(DISTINCT CASE WHEN category = 'scholarship' "
            "THEN COALESCE(student_key, CAST(entry_id AS text)) END) AS students "
            f"FROM ledger_entries WHERE {counted} AND kind = 'disbursement' "
            "AND occurred_on >= :from AND occurred_on <= :to",
            params,
        )
        or {}
    )
    return {
        "houses_new_build": houses.get(HouseKind.NEW_BUILD.value, 0),
        "houses_repair": houses.get(HouseKind.REPAIR.value, 0),
        "livelihood_grants": int(grants or 0),
        "households_supported": int(support.get("households") or 0),
        "students": int(support.get("students") or 0),
    }


def unit_report(
    tx: Transaction, unit_id: str, occurred_from: str, occurred_to: str, include_children: bool
) -> dict[str, Any]:
    scope = FundScope(tx, unit_id, include_children)
    counted = (
        f"{scope.holds('fund_id')} AND reversed_by_entry_id IS NULL AND kind <> 'reversal' "
        "AND NOT (kind IN ('transfer_in', 'transfer_out') "
        f"AND {scope.holds('counterparty_fund_id')})"
    )
    params = {"unit": unit_id, "from": occurred_from, "to": occurred_to, **scope.params}
    opening = tx.scalar(
        f"SELECT COALESCE(SUM(effect), 0) AS total FROM ledger_entries "
        f"WHERE {counted} AND occurred_on < :from",
        params,
    )
    # One pass over the period's entries gives every total, per fund for the targets.
    rows = tx.all(
        "SELECT fund_id, kind, channel, category, in_kind_description IS NOT NULL AS goods, "
        "COALESCE(SUM(amount), 0) AS amount "
        f"FROM ledger_entries WHERE {counted} AND occurred_on >= :from AND occurred_on <= :to "
        "GROUP BY fund_id, kind, channel, category, in_kind_description IS NOT NULL",
        params,
    )
    raised: dict[str, int] = {}
    by_channel = {channel.value: 0 for channel in Channel if channel is not Channel.IN_KIND}
    by_category = {category.value: 0 for category in Category}
    in_kind_value = goods_given = transfers_in = transfers_out = 0
    for row in rows:
        amount = int(row["amount"])
        if row["kind"] == "receipt" and row["channel"] == Channel.IN_KIND:
            in_kind_value += amount
        elif row["kind"] == "disbursement" and row["goods"]:
            goods_given += amount
        elif row["kind"] == "receipt":
            by_channel[row["channel"]] += amount
            kind = scope.kinds[str(row["fund_id"])]
            raised[kind] = raised.get(kind, 0) + amount
        elif row["kind"] == "disbursement":
            by_category[row["category"]] += amount
        elif row["kind"] == "transfer_in":
            transfers_in += amount
        elif row["kind"] == "transfer_out":
            transfers_out += amount
    counts = _counts(tx, counted, include_children, params)
    receipts_total = sum(by_channel.values())
    disbursements_total = sum(by_category.values())
    opening_balance = int(opening or 0)
    return {
        "unit_id": unit_id,
        "from": occurred_from,
        "to": occurred_to,
        "include_children": include_children,
        "opening_balance": opening_balance,
        "receipts": {
            "total": receipts_total,
            "by_channel": by_channel,
            "in_kind_value": in_kind_value,
        },
        "disbursements": {
            "total": disbursements_total,
            "by_category": by_category,
            "in_kind_value": goods_given,
        },
        "transfers": {"in": transfers_in, "out": transfers_out},
        "closing_balance": opening_balance
        + receipts_total
        + transfers_in
        - disbursements_total
        - transfers_out,
        "counts": counts,
        "target": _target(tx, unit_id, occurred_from, occurred_to, include_children, raised),
    }


def _target(
    tx: Transaction,
    unit_id: str,
    occurred_from: str,
    occurred_to: str,
    include_children: bool,
    raised: dict[str, int],
) -> dict[str, Any]:
    """The targets of the years the period touches, and the money raised against them:
    ``raised`` is the receipts (goods excluded) per kind of fund."""
    years = range(int(occurred_from[:4]), int(occurred_to[:4]) + 1)
    assigned = _assigned(tx, unit_id, years, include_children)
    by_kind: dict[str, dict[str, Any]] = {
        kind: {
            "amount": amount,
            "raised": raised.get(kind, 0),
            "achievement_pct": _pct(raised.get(kind, 0), amount),
        }
        for kind, amount in sorted(assigned.items())
    }
    amount = sum(assigned.values())
    total_raised = sum(int(part["raised"]) for part in by_kind.values())
    return {
        "amount": amount,
        "raised": total_raised,
        "achievement_pct": _pct(total_raised, amount),
        "by_fund_kind": by_kind,
    }


def _assigned(
    tx: Transaction, unit_id: str, years: range, include_children: bool
) -> dict[str, int]:
    """The target per kind of fund over ``years``. With the children, a unit's own target
    stands for its subtree; a unit without one counts its children's, rolled up alike, so
    a target passed down and split among the units below is never counted twice."""
    units = (
        tx.all(
            "SELECT id, parent_id FROM units WHERE id IN "
            "(SELECT unit_id FROM unit_tree WHERE ancestor_id = :unit)",
            {"unit": unit_id},
        )
        if include_children
        else [{"id": unit_id, "parent_id": None}]
    )
    children: dict[str, list[str]] = {}
    for unit in units:
        children.setdefault(str(unit["parent_id"] or ""), []).append(str(unit["id"]))
    own: dict[tuple[str, int, str], int] = {}
    for row in tx.all(
        "SELECT unit_id, year, fund_kind, amount FROM unit_targets WHERE unit_id IN "
        "(SELECT unit_id FROM unit_tree WHERE ancestor_id = :unit) "
        "AND year >= :first AND year <= :last",
        {"unit": unit_id, "first": years[0], "last": years[-1]},
    ):
        if include_children or row["unit_id"] == unit_id:
            own[(row["unit_id"], int(row["year"]), row["fund_kind"])] = int(row["amount"])

    def rolled(unit: str, year: int, kind: str) -> int:
        if (unit, year, kind) in own:
            return own[(unit, year, kind)]
        return sum(rolled(child, year, kind) for child in children.get(unit, []))

    kinds = {kind for (_, _, kind) in own}
    totals = {kind: sum(rolled(unit_id, year, kind) for year in years) for kind in kinds}
    return {kind: amount for kind, amount in totals.items() if amount}


def _pct(raised: int, target: int) -> float:
    return round(100 * raised / target, 1) if target else 0.0
