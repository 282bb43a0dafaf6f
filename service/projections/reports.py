"""The unit report of DESIGN.md, computed from the ledger for any period.

Every entry counts where and when it was made. A reversal is an entry of its own,
dated the day it was made (always in an open period): it counts there, its amount
negative, under the kind, channel and category of the entry it reverses, and the
reversed entry still counts in its own period. So a closed period's figures never
change, and a balance read at any later date is right. Transfers between two funds
inside the report's scope cancel out and are left out of both sides.
"""

from __future__ import annotations

from typing import Any

from service.adapters.db import Transaction
from service.domain.currency import shown
from service.domain.vocabulary import Category, Channel, HouseKind
from service.projections.counting import (
    DISBURSEMENTS,
    EXCHANGE,
    GOODS_GIVEN,
    GOODS_RECEIVED,
    RECEIPTS,
    TRANSFERS_IN,
    TRANSFERS_OUT,
    FundScope,
    money,
    total_of,
    units_within,
    within_unit,
)


def _counts(
    tx: Transaction, covered: str, include_children: bool, params: dict[str, Any]
) -> dict[str, int]:
    """The cases of the period: houses of the scope's units handed over in it, grants of
    its units delivered in it less those whose delivery was reversed in it, and, from its
    funds' disbursements, the distinct households supported and the distinct scholarship
    students (one per entry naming none)."""
    units = f"({units_within(':unit')})" if include_children else "(:unit)"
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
    # A delivery counts +1 on its date and a reversal of it -1 on the reversal's date.
    grants = tx.scalar(
        "SELECT COALESCE(SUM(d.change), 0) AS n FROM grant_deliveries d "
        "JOIN livelihood_grants g ON g.id = d.grant_id "
        f"WHERE g.unit_id IN {units} AND d.counted_on >= :from AND d.counted_on <= :to",
        params,
    )
    support = (
        tx.one(
            "SELECT COUNT(DISTINCT household_id) AS households, "
            "COUNT(DISTINCT CASE WHEN category = 'scholarship' "
            "THEN COALESCE(student_key, CAST(entry_id AS text)) END) AS students "
            f"FROM ledger_entries WHERE {covered} AND kind = 'disbursement' "
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
    covered = f"{scope.holds('fund_id')} AND NOT ({scope.transfer_inside()})"
    params = {"unit": unit_id, "from": occurred_from, "to": occurred_to, **scope.params}
    opening = tx.scalar(
        f"SELECT COALESCE(SUM(effect), 0) AS total FROM ledger_entries "
        f"WHERE {covered} AND occurred_on < :from",
        params,
    )
    # One pass over the period's entries gives every total, per fund for the targets.
    rows = tx.all(
        "SELECT fund_id, SUBSTR(CAST(occurred_on AS text), 1, 4) AS year, counts_as AS kind, "
        f"channel, category, {money()} AS is_money, "
        "COALESCE(SUM(signed_amount), 0) AS amount "
        f"FROM ledger_entries WHERE {covered} AND occurred_on >= :from AND occurred_on <= :to "
        "GROUP BY fund_id, SUBSTR(CAST(occurred_on AS text), 1, 4), counts_as, channel, "
        f"category, {money()}",
        params,
    )
    raised: dict[tuple[str, int], int] = {}
    by_channel = {channel.value: 0 for channel in Channel if not channel.is_goods}
    by_category = {category.value: 0 for category in Category}
    sums = dict.fromkeys((GOODS_RECEIVED, GOODS_GIVEN, TRANSFERS_IN, TRANSFERS_OUT, EXCHANGE), 0)
    for row in rows:
        amount = int(row["amount"])
        total = total_of(row["kind"], row["is_money"])
        if total == RECEIPTS:
            by_channel[row["channel"]] += amount
            key = (str(row["fund_id"]), int(row["year"]))
            raised[key] = raised.get(key, 0) + amount
        elif total == DISBURSEMENTS:
            by_category[row["category"]] += amount
        elif total is not None:
            sums[total] += amount
    counts = _counts(tx, covered, include_children, params)
    foreign = _foreign(tx, covered, params)
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
            "in_kind_value": sums[GOODS_RECEIVED],
        },
        "disbursements": {
            "total": disbursements_total,
            "by_category": by_category,
            "in_kind_value": sums[GOODS_GIVEN],
        },
        "transfers": {"in": sums[TRANSFERS_IN], "out": sums[TRANSFERS_OUT]},
        #: Foreign currency sold: the đồng received beyond its carrying value (a loss
        #: negative).
        "exchange_difference": sums[EXCHANGE],
        "foreign_currency": foreign,
        "closing_balance": opening_balance
        + receipts_total
        + sums[TRANSFERS_IN]
        + sums[EXCHANGE]
        - disbursements_total
        - sums[TRANSFERS_OUT],
        "counts": counts,
        "target": _target(tx, unit_id, occurred_from, occurred_to, include_children, raised),
    }


def _foreign(tx: Transaction, covered: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The foreign currency of the period, by currency: received (its minor units and
    the đồng it counts for in the receipts) and sold (its minor units and the đồng
    received), reversals taken off on their day."""
    lines: dict[str, dict[str, Any]] = {}
    for row in tx.all(
        "SELECT currency, counts_as AS kind, COALESCE(SUM(foreign_amount), 0) AS amount, "
        "COALESCE(SUM(CASE WHEN kind = 'reversal' THEN -amount ELSE amount END), 0) AS dong "
        f"FROM ledger_entries WHERE {covered} AND currency IS NOT NULL "
        "AND occurred_on >= :from AND occurred_on <= :to GROUP BY currency, counts_as",
        params,
    ):
        code = str(row["currency"])
        line = lines.setdefault(
            code,
            {"currency": code, "received": 0, "received_dong": 0, "sold": 0, "sold_dong": 0},
        )
        side = "received" if row["kind"] == "receipt" else "sold"
        line[side] += int(row["amount"])
        line[f"{side}_dong"] += int(row["dong"])
    for line in lines.values():
        line["shown"] = shown(line["received"], line["currency"])
    return [lines[code] for code in sorted(lines)]


def _target(
    tx: Transaction,
    unit_id: str,
    occurred_from: str,
    occurred_to: str,
    include_children: bool,
    raised: dict[tuple[str, int], int],
) -> dict[str, Any]:
    """The targets of the years the period touches, and the money raised against them,
    like with like: a target is measured only against the money of the unit it was
    assigned to and of the units below it. With the children, the targets counted are
    those of the highest units of the subtree that hold one (per year and kind of fund:
    a unit's own target stands for its subtree, and a target passed down and split among
    the units below is never counted twice), and the money raised is that of those same
    units' subtrees; money of a unit above them that holds no target counts in no
    achievement. ``raised`` is the money received (goods apart, reversals taken off) per
    fund and year."""
    years = range(int(occurred_from[:4]), int(occurred_to[:4]) + 1)
    tree = _ancestors(tx, unit_id, include_children)
    own: dict[tuple[int, str], dict[str, int]] = {}
    for row in tx.all(
        "SELECT unit_id, year, fund_kind, amount FROM unit_targets "
        f"WHERE {within_unit('unit_id', ':unit')} AND year >= :first AND year <= :last",
        {"unit": unit_id, "first": years[0], "last": years[-1]},
    ):
        if str(row["unit_id"]) in tree:
            key = (int(row["year"]), str(row["fund_kind"]))
            own.setdefault(key, {})[str(row["unit_id"])] = int(row["amount"])
    funds = _fund_units(tx, unit_id, include_children)
    by_kind: dict[str, dict[str, int]] = {}
    for (year, kind), targets in own.items():
        highest = {u for u in targets if not (tree[u] - {u}) & targets.keys()}
        covered = {u for u, ancestors in tree.items() if ancestors & highest}
        line = by_kind.setdefault(kind, {"amount": 0, "raised": 0})
        line["amount"] += sum(targets[u] for u in highest)
        line["raised"] += sum(
            raised.get((fund, year), 0)
            for fund, (fund_unit, fund_kind) in funds.items()
            if fund_kind == kind and fund_unit in covered
        )
    shown = {
        kind: {**line, "achievement_pct": _pct(line["raised"], line["amount"])}
        for kind, line in sorted(by_kind.items())
        if line["amount"]
    }
    amount = sum(int(line["amount"]) for line in shown.values())
    total_raised = sum(int(line["raised"]) for line in shown.values())
    return {
        "amount": amount,
        "raised": total_raised,
        "achievement_pct": _pct(total_raised, amount),
        "by_fund_kind": shown,
    }


def _ancestors(tx: Transaction, unit_id: str, include_children: bool) -> dict[str, set[str]]:
    """Each unit of the report's scope with its ancestors inside the scope, itself among
    them (a merged unit counts under its successor, as the unit tree places it)."""
    if not include_children:
        return {unit_id: {unit_id}}
    tree: dict[str, set[str]] = {}
    for row in tx.all(
        "SELECT t.ancestor_id, t.unit_id FROM unit_tree t "
        f"WHERE {within_unit('t.unit_id', ':unit')} AND {within_unit('t.ancestor_id', ':unit')}",
        {"unit": unit_id},
    ):
        tree.setdefault(str(row["unit_id"]), {str(row["unit_id"])}).add(str(row["ancestor_id"]))
    return tree or {unit_id: {unit_id}}


def _fund_units(
    tx: Transaction, unit_id: str, include_children: bool
) -> dict[str, tuple[str, str]]:
    """The unit and kind of each fund of the scope."""
    where = within_unit("unit_id", ":unit") if include_children else "unit_id = :unit"
    return {
        str(row["id"]): (str(row["unit_id"]), str(row["kind"]))
        for row in tx.all(f"SELECT id, unit_id, kind FROM funds WHERE {where}", {"unit": unit_id})
    }


def _pct(raised: int, target: int) -> float:
    return round(100 * raised / target, 1) if target else 0.0
