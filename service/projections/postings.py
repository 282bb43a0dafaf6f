"""The postings: every money event of a fund as balanced lines of the double-entry books,
on the chart and by the mapping of ``service.domain.chart`` (one line per event, a debit
account and a credit account for the same amount).

What an entry is (money in the cash box or at the bank, or goods) is the ledger's rule
(``ledger.account``), read here, not spelled again. A reversal posts the legs of the
entry it reverses, its amount negative, on the day it was made, so no posting dated in a
closed period is ever added or changed. A pledge posts what is owed (1388 against 3388)
on the day it was recorded, and takes it back as receipts fulfil it or it is closed.
"""

from __future__ import annotations

from datetime import datetime
from functools import singledispatchmethod
from typing import Any

from service.adapters.db import Transaction
from service.domain import chart
from service.domain.clock import VIETNAM
from service.domain.exchange import sale_lines
from service.domain.funds import Fund
from service.domain.pledges import Pledge
from service.projections.base import Projection, text_id
from service.projections.ledger import account


class PostingsProjection(Projection):
    name = "postings"
    weight = 8
    tables = ("postings",)

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Events that move no money post nothing."""

    @apply.register
    def _entry(self, event: Fund.EntryRecorded, position: int, tx: Transaction) -> None:
        if isinstance(event, Fund.EntryReversed):
            self._reversal(event, position, tx)
            return
        if isinstance(event, Fund.CurrencySold):
            self._sale(event, position, tx)
            return
        goods = getattr(event, "in_kind", None) or {}
        facts = chart.Facts(
            holding=account(
                {
                    "kind": event.kind.value,
                    "channel": getattr(event, "channel", None),
                    "in_kind_description": goods.get("description"),
                }
            ),
            channel=getattr(event, "channel", None),
            category=getattr(event, "category", None),
            currency=getattr(event, "currency", None),
        )
        debit, credit = chart.legs(event.kind.value, facts)
        counterparty = getattr(event, "to_fund_id", None) or getattr(event, "from_fund_id", None)
        _post(
            tx,
            position,
            fund_id=str(event.originator_id),
            entry_id=str(event.entry_id),
            pledge_id=text_id(getattr(event, "pledge_id", None)),
            posted_on=event.occurred_on.isoformat(),
            kind=event.kind.value,
            counts_as=event.kind.value,
            counterparty_fund_id=text_id(counterparty),
            debit=debit.code,
            credit=credit.code,
            amount=event.amount,
            currency=facts.currency,
            foreign_amount=getattr(event, "foreign_amount", None),
        )

    def _sale(self, event: Fund.CurrencySold, position: int, tx: Transaction) -> None:
        """Currency sold: the đồng received against the currency's carrying value, the
        difference on the exchange account (413), as ``currency.sale_lines`` splits it."""
        facts = chart.Facts(holding=event.channel)  # its đồng: 111 or 112
        for line, (kind, amount) in enumerate(sale_lines(event.amount, event.carrying_value)):
            debit, credit = chart.legs(kind, facts)
            first = line == 0
            _post(
                tx,
                position,
                line,
                fund_id=str(event.originator_id),
                entry_id=str(event.entry_id),
                posted_on=event.occurred_on.isoformat(),
                kind=event.kind.value,
                counts_as=kind.value,
                debit=debit.code,
                credit=credit.code,
                amount=amount,
                currency=event.currency if first else None,
                foreign_amount=event.foreign_amount if first else None,
            )

    def _reversal(self, event: Fund.EntryReversed, position: int, tx: Transaction) -> None:
        reversed_lines = tx.all(
            "SELECT fund_id, counts_as, counterparty_fund_id, debit, credit, amount, "
            "currency, foreign_amount "
            "FROM postings WHERE entry_id = :entry AND kind <> 'reversal' ORDER BY line",
            {"entry": str(event.reversed_entry_id)},
        )
        for line, row in enumerate(reversed_lines):
            _post(
                tx,
                position,
                line,
                fund_id=str(event.originator_id),
                entry_id=str(event.entry_id),
                reverses_entry_id=str(event.reversed_entry_id),
                posted_on=event.occurred_on.isoformat(),
                kind="reversal",
                counts_as=row["counts_as"],
                counterparty_fund_id=text_id(row["counterparty_fund_id"]),
                debit=row["debit"],
                credit=row["credit"],
                amount=-int(row["amount"]),
                currency=row["currency"],
                foreign_amount=None
                if row["foreign_amount"] is None
                else -int(row["foreign_amount"]),
            )

    @apply.register
    def _pledge_made(self, event: Pledge.Made, position: int, tx: Transaction) -> None:
        _post_pledge(tx, position, event, str(event.fund_id), chart.Kind.PLEDGE_MADE, event.amount)

    @apply.register
    def _fulfilled(self, event: Pledge.Fulfilled, position: int, tx: Transaction) -> None:
        fund_id = _pledge_fund(tx, str(event.originator_id))
        if fund_id is not None:
            _post_pledge(tx, position, event, fund_id, chart.Kind.PLEDGE_FULFILLED, event.amount)

    @apply.register
    def _fulfilment_reversed(
        self, event: Pledge.FulfilmentReversed, position: int, tx: Transaction
    ) -> None:
        fund_id = _pledge_fund(tx, str(event.originator_id))
        if fund_id is not None:
            kind = chart.Kind.PLEDGE_FULFILMENT_REVERSED
            _post_pledge(tx, position, event, fund_id, kind, event.amount)

    @apply.register
    def _closed(self, event: Pledge.Closed, position: int, tx: Transaction) -> None:
        fund_id = _pledge_fund(tx, str(event.originator_id))
        if fund_id is not None:
            owed = _owed(tx, str(event.originator_id), fund_id)
            if owed:
                _post_pledge(tx, position, event, fund_id, chart.Kind.PLEDGE_CLOSED, owed)

    @apply.register
    def _moved(self, event: Pledge.Moved, position: int, tx: Transaction) -> None:
        source = _pledge_fund(tx, str(event.originator_id))
        if source is None:
            return
        owed = _owed(tx, str(event.originator_id), source)
        if owed:
            kind = chart.Kind.PLEDGE_MOVED_OUT
            _post_pledge(tx, position, event, source, kind, owed)
            kind = chart.Kind.PLEDGE_MOVED_IN
            _post_pledge(tx, position, event, str(event.fund_id), kind, owed, line=1)


def _post(tx: Transaction, position: int, line: int = 0, **columns: Any) -> None:
    row: dict[str, Any] = dict.fromkeys(
        (
            "entry_id",
            "reverses_entry_id",
            "pledge_id",
            "counterparty_fund_id",
            "currency",
            "foreign_amount",
        )
    )
    row.update(columns, position=position, line=line)
    tx.insert("postings", row)


def _post_pledge(
    tx: Transaction,
    position: int,
    event: Any,
    fund_id: str,
    kind: chart.Kind,
    amount: int,
    line: int = 0,
) -> None:
    debit, credit = chart.legs(kind)
    _post(
        tx,
        position,
        line,
        fund_id=fund_id,
        pledge_id=str(event.originator_id),
        posted_on=_day(event.timestamp),
        kind=kind.value,
        counts_as=kind.value,
        debit=debit.code,
        credit=credit.code,
        amount=amount,
    )


def _day(moment: datetime) -> str:
    """A pledge's events carry no voucher date: they post on the day they were recorded
    (a merger's move too, since the merged fund's books are closed through its date)."""
    return moment.astimezone(VIETNAM).date().isoformat()


def _pledge_fund(tx: Transaction, pledge_id: str) -> str | None:
    """The fund the pledge is owed to now: that of its latest posting."""
    found = tx.scalar(
        "SELECT fund_id FROM postings WHERE pledge_id = :pledge "
        "ORDER BY position DESC, line DESC LIMIT 1",
        {"pledge": pledge_id},
    )
    return None if found is None else str(found)


def _owed(tx: Transaction, pledge_id: str, fund_id: str) -> int:
    """What is still owed of the pledge to the fund: its pledges receivable."""
    code = chart.PLEDGES_RECEIVABLE.code
    found = tx.scalar(
        "SELECT COALESCE(SUM(CASE WHEN debit = :code THEN amount ELSE -amount END), 0) AS owed "
        "FROM postings WHERE pledge_id = :pledge AND fund_id = :fund "
        "AND (debit = :code OR credit = :code)",
        {"pledge": pledge_id, "fund": fund_id, "code": code},
    )
    return int(found or 0)
