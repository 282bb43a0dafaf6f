"""The month's bank file against the credits bank notifications recorded (đối chiếu).

When a bank file is imported into a fund, each of its credit lines is one of:

- **matched**: a credit a notification recorded already (the same amount, dated the
  same day or the day before, the same bank reference where both carry one). The line
  is marked as recorded, with the notified receipt's entry, and the notified credit as
  reconciled with the line: nothing is recorded twice, and importing the file again
  finds the line marked;
- **recorded from the statement**: no notification brought it (the service was silent,
  or the fund has none); the import records it as it records any line;
- **recorded before**: an earlier import of this or an overlapping file recorded it;
- **not recorded**: identical to an earlier line and not confirmed, or refused (see the
  import's report, line by line).

These four groups add up to the file's credits, in count and in đồng. Apart from them,
a notified credit dated within the file's dates that no line matched is **missing from
the statement**: it is flagged (``NotifiedCredit.Missing``, in the audit trail and in
``GET /funds/{id}/notified-credits?state=missing``) for the treasurer and the board,
since a gift the bank never booked is a problem someone must look at. Its receipt stays
recorded until the treasurer, having asked the bank, reverses it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from service.application.loading import find
from service.domain.actors import Meta
from service.domain.bank_lines import BankLine, CreditLine, mark_key
from service.domain.giving import (
    GivingAccount,
    NotifiedCredit,
    NotifiedCreditFacts,
    same_transfer,
)
from service.domain.imports import ImportedTransfer

if TYPE_CHECKING:
    from service.application import Ledger, Request
    from service.application.bank_import import ImportReport

#: Lines held before their matches are saved: the import checks them after they pass.
BATCH = 500
NOTIFIED_REASON = "Đã ghi khi ngân hàng báo về (thông báo giao dịch); khớp với dòng sao kê."


@dataclass
class _Group:
    count: int = 0
    amount: int = 0

    def add(self, amount: int) -> None:
        self.count += 1
        self.amount += amount

    def body(self) -> dict[str, int]:
        return {"count": self.count, "amount": self.amount}


@dataclass
class Reconciliation:
    """One bank file's credits matched against the fund's notified credits."""

    ledger: Ledger
    fund_id: UUID
    meta: Meta
    dry_run: bool
    #: The fund's notified credits no bank line has matched yet.
    open_credits: list[NotifiedCreditFacts]
    #: Keys of the lines matched, for the import to count as recorded.
    keys: set[str] = field(default_factory=set)
    rows: set[int] = field(default_factory=set)
    credits: _Group = field(default_factory=_Group)
    matched: _Group = field(default_factory=_Group)
    first: date | None = None
    last: date | None = None
    _occurrences: dict[str, int] = field(default_factory=dict)
    _pending: list[tuple[str, NotifiedCreditFacts]] = field(default_factory=list)
    _by_amount: dict[int, list[NotifiedCreditFacts]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for credit in self.open_credits:
            self._by_amount.setdefault(credit.amount, []).append(credit)

    def lines(self, lines: Iterable[BankLine]) -> Iterator[BankLine]:
        """The file's lines, each credit that a notification recorded marked first."""
        held: list[BankLine] = []
        for line in lines:
            if isinstance(line, CreditLine):
                self._take(line)
            held.append(line)
            if len(held) >= BATCH:
                self._save()
                yield from held
                held = []
        self._save()
        yield from held

    def _take(self, line: CreditLine) -> None:
        self.credits.add(line.amount)
        self.first = min(self.first or line.occurred_on, line.occurred_on)
        self.last = max(self.last or line.occurred_on, line.occurred_on)
        digest = line.digest
        occurrence = self._occurrences.get(digest, 0)
        self._occurrences[digest] = occurrence + 1
        alike = [c for c in self._by_amount.get(line.amount, ()) if same_transfer(line, c)]
        if not alike:
            return
        # The credit of the same day first, then one notified the day before.
        found = min(alike, key=lambda c: (line.occurred_on - c.occurred_on).days)
        self._by_amount[line.amount].remove(found)
        self.open_credits.remove(found)
        key = mark_key(digest, occurrence)
        self.keys.add(key)
        self.rows.add(line.row_no)
        self.matched.add(line.amount)
        self._pending.append((key, found))

    def _save(self) -> None:
        """Marks each matched line with its notified receipt, and each notified credit as
        reconciled with its line, together (a dry run saves nothing)."""
        pending, self._pending = self._pending, []
        if self.dry_run or not pending:
            return
        try:
            self.ledger.save(*self._changes(pending))
        except IntegrityError:
            # Another import marked some of these lines meanwhile: one at a time, and
            # each line already marked stays as it is.
            for one in pending:
                try:
                    self.ledger.save(*self._changes([one]))
                except IntegrityError:
                    continue

    def _changes(self, pending: list[tuple[str, NotifiedCreditFacts]]) -> list[Any]:
        changed: list[Any] = []
        for key, facts in pending:
            credit = find(self.ledger.repository, facts.credit_id, NotifiedCredit)
            if credit is None:
                continue
            credit.reconcile(key, self.meta)
            mark = ImportedTransfer.mark(self.fund_id, facts.entry_id, key, self.meta)
            changed += [credit, mark]
        return changed

    def finish(self, report: ImportReport) -> None:
        """Flags the notified credits the file should have listed and did not, and puts
        the groups in the import's report."""
        missing = [
            c
            for c in self.open_credits
            if self.first is not None
            and self.last is not None
            and self.first <= c.occurred_on <= self.last
        ]
        if not self.dry_run and self.first and self.last:
            flagged: list[Any] = []
            account = find(
                self.ledger.repository, GivingAccount.id_for(self.fund_id), GivingAccount
            )
            if account is not None:
                account.statement_imported(self.last, self.meta)
                flagged.append(account)
            for facts in missing:
                credit = find(self.ledger.repository, facts.credit_id, NotifiedCredit)
                if credit is not None and not credit.missing:
                    credit.flag_missing(self.first, self.last, self.meta)
                    flagged.append(credit)
            if flagged:
                self.ledger.save(*flagged)
        before = _Group()
        refused = _Group()
        for row in report.not_recorded:
            if row["outcome"] == "already_recorded":
                if row["row"] in self.rows:
                    row["reason"] = NOTIFIED_REASON
                else:
                    before.add(int(row["amount"]))
            elif row["outcome"] in ("repeated", "bad") and row.get("amount") is not None:
                refused.add(int(row["amount"]))
        report.reconciliation = {
            "statement_from": self.first.isoformat() if self.first else None,
            "statement_to": self.last.isoformat() if self.last else None,
            "statement_credits": self.credits.body(),
            "matched_notifications": self.matched.body(),
            "recorded_from_statement": {"count": report.recorded, "amount": report.amount},
            "recorded_before": before.body(),
            "not_recorded": refused.body(),
            "missing_from_statement": {
                "count": len(missing),
                "amount": sum(c.amount for c in missing),
                "credits": [
                    {
                        "credit_id": str(c.credit_id),
                        "entry_id": str(c.entry_id),
                        "occurred_on": c.occurred_on.isoformat(),
                        "reference": c.reference,
                        "amount": c.amount,
                    }
                    for c in missing
                ],
            },
        }


def start(
    ledger: Ledger,
    request: Request,
    fund_id: UUID,
    open_credits: list[NotifiedCreditFacts],
    dry_run: bool,
) -> Reconciliation:
    """The reconciliation of a bank file about to be imported into the fund."""
    meta = Meta.of(request.actor, request.idempotency_key, request.request_id)
    return Reconciliation(ledger, fund_id, meta, dry_run, list(open_credits))
