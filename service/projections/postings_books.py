"""The double-entry books read from the postings: the general journal (sổ nhật ký chung),
the ledger of one account (sổ cái; of 111 and 112, the cash and bank books), the trial
balance (bảng cân đối số phát sinh) and the settlement of the period's receipts and
payments (báo cáo quyết toán thu chi), of a fund or of a unit's funds.

A unit's figures cover the funds of its scope and leave out the transfers between two of
them, by the same rules as the unit report (``counting.FundScope``), so the trial balance
of a unit and its report are two derivations of one answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.adapters.db import Row, Transaction
from service.domain import chart
from service.projections.counting import FundScope


@dataclass(frozen=True)
class Scope:
    """The funds whose postings a book reads: a condition on the postings (aliased ``p``)
    and its parameters."""

    condition: str
    params: dict[str, Any]

    @classmethod
    def fund(cls, fund_id: str) -> Scope:
        return cls("p.fund_id = :scope_fund", {"scope_fund": fund_id})

    @classmethod
    def unit(cls, tx: Transaction, unit_id: str, include_children: bool) -> Scope:
        funds = FundScope(tx, unit_id, include_children)
        inside = funds.transfer_inside("p")
        return cls(f"{funds.holds('p.fund_id')} AND NOT ({inside})", funds.params)


def _period(occurred_from: str, occurred_to: str) -> dict[str, str]:
    return {"from": occurred_from, "to": occurred_to}


_LINE = (
    "SELECT p.position, p.line, p.posted_on, p.kind, p.counts_as, p.debit, p.credit, "
    "p.amount, p.currency, p.foreign_amount, p.entry_id, p.reverses_entry_id, p.pledge_id, "
    "p.fund_id, "
    "e.slip_ref, e.bank_ref, e.voucher_no, e.channel, e.category, e.donor_name, "
    "e.donor_kind, e.note, e.reason, e.in_kind_description, c.name AS counterparty_fund "
    "FROM postings p LEFT JOIN ledger_entries e ON e.entry_id = p.entry_id "
    "LEFT JOIN funds c ON c.id = p.counterparty_fund_id "
)


def journal(tx: Transaction, scope: Scope, occurred_from: str, occurred_to: str) -> list[Row]:
    """Every posting dated in the period, by date then log order: the general journal."""
    rows = tx.all(
        f"{_LINE} WHERE {scope.condition} AND p.posted_on >= :from AND p.posted_on <= :to "
        "ORDER BY p.posted_on, p.position, p.line",
        {**scope.params, **_period(occurred_from, occurred_to)},
    )
    for row in rows:
        _tidy(row)
    return rows


def _tidy(row: Row) -> None:
    row["amount"] = int(row["amount"])
    if row["foreign_amount"] is not None:
        row["foreign_amount"] = int(row["foreign_amount"])
    row["posted_on"] = str(row["posted_on"])[:10]
    for column in ("entry_id", "reverses_entry_id", "pledge_id", "fund_id"):
        if row[column] is not None:
            row[column] = str(row[column])


def balance_before(tx: Transaction, scope: Scope, code: str, day: str) -> int:
    """The account's balance (debit less credit) from every posting dated before ``day``;
    an account of the period's sources, transfers and payments opens every period at 0."""
    if chart.ACCOUNTS[code].group is chart.Group.NOMINAL:
        return 0
    accounts = [code]
    if code == chart.FUND.code:  # the earlier periods' nominal accounts closed into it
        accounts += [a.code for a in chart.CHART if a.group is chart.Group.NOMINAL]
    names = {f"acct{i}": account for i, account in enumerate(accounts)}
    listed = ", ".join(f":{name}" for name in names)
    found = tx.scalar(
        f"SELECT COALESCE(SUM(CASE WHEN p.debit IN ({listed}) THEN p.amount ELSE 0 END), 0) "
        f"- COALESCE(SUM(CASE WHEN p.credit IN ({listed}) THEN p.amount ELSE 0 END), 0) AS net "
        f"FROM postings p WHERE {scope.condition} AND p.posted_on < :day",
        {**scope.params, **names, "day": day},
    )
    return int(found or 0)


def account_ledger(
    tx: Transaction, scope: Scope, code: str, occurred_from: str, occurred_to: str
) -> tuple[int, list[Row]]:
    """The opening balance of one account and its postings in the period, each with the
    account on the other side (tài khoản đối ứng), its debit or credit and the balance
    after it (debit less credit)."""
    opening = balance_before(tx, scope, code, occurred_from)
    rows = tx.all(
        f"{_LINE} WHERE {scope.condition} AND (p.debit = :code OR p.credit = :code) "
        "AND p.posted_on >= :from AND p.posted_on <= :to ORDER BY p.posted_on, p.position, p.line",
        {**scope.params, "code": code, **_period(occurred_from, occurred_to)},
    )
    balance = opening
    for row in rows:
        _tidy(row)
        on_debit = row["debit"] == code
        row["contra_account"] = row["credit"] if on_debit else row["debit"]
        row["debit_amount"] = row["amount"] if on_debit else 0
        row["credit_amount"] = 0 if on_debit else row["amount"]
        balance += row["debit_amount"] - row["credit_amount"]
        row["balance"] = balance
    return opening, rows


def trial_balance(
    tx: Transaction, scope: Scope, occurred_from: str, occurred_to: str
) -> list[dict[str, Any]]:
    """Every account of the chart with its opening balance, the period's debits and
    credits and its closing balance, each balance on the side it stands (Nợ or Có).
    The accounts of sources, transfers and payments open at zero, their earlier periods
    closed into the fund (3531), and close with the period's movement."""
    params = {**scope.params, **_period(occurred_from, occurred_to)}
    moved: dict[str, dict[str, int]] = {a.code: {"debit": 0, "credit": 0} for a in chart.CHART}
    earlier = dict.fromkeys(moved, 0)
    for side in ("debit", "credit"):
        for row in tx.all(
            f"SELECT p.{side} AS code, p.posted_on < :from AS earlier, "
            "COALESCE(SUM(p.amount), 0) AS amount FROM postings p "
            f"WHERE {scope.condition} AND p.posted_on <= :to "
            f"GROUP BY p.{side}, p.posted_on < :from",
            params,
        ):
            amount = int(row["amount"])
            if row["earlier"]:
                earlier[row["code"]] += amount if side == "debit" else -amount
            else:
                moved[row["code"]][side] += amount
    carried = sum(
        net for code, net in earlier.items() if chart.ACCOUNTS[code].group is chart.Group.NOMINAL
    )
    lines = []
    for account in chart.CHART:
        opening = 0 if account.group is chart.Group.NOMINAL else earlier[account.code]
        if account is chart.FUND:
            opening += carried
        debit, credit = moved[account.code]["debit"], moved[account.code]["credit"]
        closing = opening + debit - credit
        lines.append(
            {
                "account": account.code,
                "name": account.name,
                "group": account.group.value,
                **_sides("opening", opening),
                "period_debit": debit,
                "period_credit": credit,
                **_sides("closing", closing),
            }
        )
    return lines


def _sides(prefix: str, net: int) -> dict[str, int]:
    """A balance on the side it stands: a debit balance, or a credit balance."""
    return {f"{prefix}_debit": max(net, 0), f"{prefix}_credit": max(-net, 0)}


def totals(lines: list[dict[str, Any]]) -> dict[str, int]:
    """The total line of the trial balance: each column added up."""
    columns = [c for c in lines[0] if c.endswith(("_debit", "_credit"))] if lines else []
    return {column: sum(int(line[column]) for line in lines) for column in columns}


def is_balanced(total: dict[str, int]) -> bool:
    """Whether every pair of columns agrees: debits equal credits."""
    return all(
        total[f"{prefix}_debit"] == total[f"{prefix}_credit"]
        for prefix in ("opening", "period", "closing")
    )


def net(lines: list[dict[str, Any]], column: str, accounts: list[chart.Account]) -> int:
    """The sum of ``column`` over the lines of ``accounts``."""
    codes = {account.code for account in accounts}
    return sum(int(line[column]) for line in lines if line["account"] in codes)


def settlement(lines: list[dict[str, Any]]) -> dict[str, Any]:
    """The settlement of the period's receipts and payments (báo cáo quyết toán thu chi),
    read off the trial balance: the money at the start, the sources by kind, transfers
    in and out, payments by purpose, the exchange difference of currency sold (a loss
    negative), the money at the end (đồng and foreign currency at its carrying value);
    goods apart, by value."""
    money = list(chart.MONEY)
    money_sources = [a for c, a in chart.SOURCES.items() if not c.is_goods]
    goods_sources = [a for c, a in chart.SOURCES.items() if c.is_goods]

    def balance(prefix: str, accounts: list[chart.Account]) -> int:
        return net(lines, f"{prefix}_debit", accounts) - net(lines, f"{prefix}_credit", accounts)

    def credits(accounts: list[chart.Account]) -> dict[str, int]:
        return {a.code: net(lines, "period_credit", [a]) for a in accounts}

    def debits(accounts: list[chart.Account]) -> dict[str, int]:
        return {a.code: net(lines, "period_debit", [a]) for a in accounts}

    sources, payments = credits(money_sources), debits(list(chart.PAYMENTS.values()))
    return {
        "opening_balance": balance("opening", money),
        "receipts": {"total": sum(sources.values()), "by_account": sources},
        "transfers": {
            "in": net(lines, "period_credit", [chart.TRANSFERS]),
            "out": net(lines, "period_debit", [chart.TRANSFERS]),
        },
        "payments": {"total": sum(payments.values()), "by_account": payments},
        "exchange_difference": net(lines, "period_credit", [chart.EXCHANGE])
        - net(lines, "period_debit", [chart.EXCHANGE]),
        "closing_balance": balance("closing", money),
        "goods": {
            "opening": balance("opening", [chart.GOODS]),
            "received": sum(credits(goods_sources).values()),
            "given": net(lines, "period_debit", [chart.GOODS_GIVEN]),
            "closing": balance("closing", [chart.GOODS]),
        },
        "pledges_outstanding": balance("closing", [chart.PLEDGES_RECEIVABLE]),
    }
