"""The unit report of DESIGN.md, computed from the ledger for any period.

Reversed entries and their reversals count in no total and in no balance, so
the report reads as if the mistake had never been recorded. Transfers between
two funds inside the report's scope cancel out and are left out of both sides.
"""

from __future__ import annotations

from typing import Any

from service.db import Transaction
from service.domain.vocabulary import Category, Channel


def unit_report(
    tx: Transaction, unit_id: str, occurred_from: str, occurred_to: str, include_children: bool
) -> dict[str, Any]:
    scope = (
        "SELECT id FROM funds WHERE unit_id IN "
        "(SELECT unit_id FROM unit_tree WHERE ancestor_id = :unit)"
        if include_children
        else "SELECT id FROM funds WHERE unit_id = :unit"
    )
    counted = (
        f"fund_id IN ({scope}) AND reversed_by_entry_id IS NULL AND kind <> 'reversal' "
        f"AND NOT (kind IN ('transfer_in', 'transfer_out') AND counterparty_fund_id IN ({scope}))"
    )
    params = {"unit": unit_id, "from": occurred_from, "to": occurred_to}
    opening = tx.scalar(
        f"SELECT COALESCE(SUM(effect), 0) AS total FROM ledger_entries "
        f"WHERE {counted} AND occurred_on < :from",
        params,
    )
    rows = tx.all(
        "SELECT kind, channel, category, COALESCE(SUM(amount), 0) AS amount "
        f"FROM ledger_entries WHERE {counted} AND occurred_on >= :from AND occurred_on <= :to "
        "GROUP BY kind, channel, category",
        params,
    )
    by_channel = {channel.value: 0 for channel in Channel if channel is not Channel.IN_KIND}
    by_category = {category.value: 0 for category in Category}
    in_kind_value = transfers_in = transfers_out = 0
    for row in rows:
        amount = int(row["amount"])
        if row["kind"] == "receipt" and row["channel"] == Channel.IN_KIND:
            in_kind_value += amount
        elif row["kind"] == "receipt":
            by_channel[row["channel"]] += amount
        elif row["kind"] == "disbursement":
            by_category[row["category"]] += amount
        elif row["kind"] == "transfer_in":
            transfers_in += amount
        elif row["kind"] == "transfer_out":
            transfers_out += amount
    counts = (
        tx.one(
            "SELECT "
            "COUNT(DISTINCT CASE WHEN category = 'house_new_build' "
            "THEN COALESCE(house_project_id, entry_id) END) AS houses_new_build, "
            "COUNT(DISTINCT CASE WHEN category = 'house_repair' "
            "THEN COALESCE(house_project_id, entry_id) END) AS houses_repair, "
            "COUNT(DISTINCT CASE WHEN category = 'livelihood' "
            "THEN COALESCE(grant_id, entry_id) END) AS livelihood_grants, "
            "COUNT(DISTINCT household_id) AS households_supported, "
            "COUNT(CASE WHEN category = 'scholarship' THEN 1 END) AS students "
            f"FROM ledger_entries WHERE {counted} AND kind = 'disbursement' "
            "AND occurred_on >= :from AND occurred_on <= :to",
            params,
        )
        or {}
    )
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
        "disbursements": {"total": disbursements_total, "by_category": by_category},
        "transfers": {"in": transfers_in, "out": transfers_out},
        "closing_balance": opening_balance
        + receipts_total
        + transfers_in
        - disbursements_total
        - transfers_out,
        "counts": {
            key: int(counts.get(key) or 0)
            for key in (
                "houses_new_build",
                "houses_repair",
                "livelihood_grants",
                "households_supported",
                "students",
            )
        },
        "target": {"amount": 0, "achievement_pct": 0.0},
    }
