"""Importing a bank file (sao kê ngân hàng) into a fund: every line of the file gets exactly
one outcome, and the report names every line that was not recorded.

- The fund is loaded once, by ``importable_fund``, which checks that the requester may
  import into it; the import goes on from that fund and reloads it only when a concurrent
  write to the fund refused a batch.
- A credit is recorded once as a bank receipt, with the mark of its identity (see
  ``service.domain.bank_lines`` and ``service.domain.imports``). A credit whose mark the
  store already holds is ``already_recorded``; the check is made **before** anything is
  saved, so a repeated import writes nothing and leaves no gap in the log.
- A line identical in every field to an earlier line of the file is ``repeated``: not
  recorded unless the treasurer confirms its line number. The lines of each such group
  are reported together.
- Debits, unreadable lines and lines that hold no transaction are reported with their
  line numbers, so the outcomes add up to the file's line count.
- A dry run runs the same code and saves nothing: same counts, same totals, same
  line-by-line report.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, cast
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from service.application.bulk_save import remember, save_in_bulk
from service.application.engine import MAX_ATTEMPTS
from service.domain.actors import Meta
from service.domain.bank_lines import (
    BadLine,
    BankLine,
    CreditLine,
    DebitLine,
    Outcome,
    SkippedLine,
    bank_receipt,
    mark_key,
)
from service.domain.controls import check_plausible
from service.domain.currency import shown
from service.domain.errors import Conflict, DomainError, PledgeNotFound
from service.domain.funds import Fund, Receipt
from service.domain.imports import ImportedTransfer
from service.domain.pledges import Pledge, memo_names
from service.domain.text import fold
from service.domain.vocabulary import PledgeStatus

if TYPE_CHECKING:
    from service.application import Ledger, Request

#: What the requester does, as a refusal names it.
IMPORTING = "nhập sao kê ngân hàng"
ALREADY_RECORDED_REASON = (
    "Đã ghi ở một lần nhập trước (của tệp này hoặc một sao kê trùng khoảng); không ghi lại."
)


@dataclass
class ImportReport:
    """What an import recorded (or, dry, would record), and every line it did not."""

    dry_run: bool
    #: Lines of the file read, every one counted in exactly one group below.
    lines: int = 0
    recorded: int = 0
    amount: int = 0
    linked_to_pledges: int = 0
    #: Credits recorded before, by an earlier import of this or an overlapping file.
    duplicates: int = 0
    duplicates_amount: int = 0
    #: Credits identical to an earlier line of the file, not confirmed by the treasurer.
    repeats: int = 0
    repeats_amount: int = 0
    debits: int = 0
    #: The đồng of the debits: lines in đồng, and lines in a currency at the đồng the
    #: bank converted them at where the file gives it.
    debits_amount: int = 0
    #: The debits in a currency, by code: their count and amount in minor units.
    debits_foreign: dict[str, dict[str, int]] = field(default_factory=dict)
    bad: int = 0
    skipped: int = 0
    first_row: int | None = None
    last_row: int | None = None
    position: int | None = None
    #: Every line not recorded, in file order: row, outcome, reason, date, reference, amount.
    not_recorded: list[dict[str, Any]] = field(default_factory=list)
    #: Each group of lines identical in every field, and what became of each line.
    repeat_groups: list[dict[str, Any]] = field(default_factory=list)
    #: The bank file against the credits bank notifications recorded (``reconciliation``).
    reconciliation: dict[str, Any] | None = None

    def line(self, outcome: Outcome, row_no: int, reason: str, **facts: Any) -> None:
        self.lines += 1
        self.not_recorded.append(
            {"row": row_no, "outcome": outcome.value, "reason": reason, **facts}
        )

    def body(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "lines": self.lines,
            "recorded": self.recorded,
            "amount": self.amount,
            "linked_to_pledges": self.linked_to_pledges,
            "duplicates": self.duplicates,
            "duplicates_amount": self.duplicates_amount,
            "repeats": self.repeats,
            "repeats_amount": self.repeats_amount,
            "debits": self.debits,
            "debits_amount": self.debits_amount,
            "debits_foreign": [
                {**held, "currency": code, "shown": shown(held["amount"], code)}
                for code, held in sorted(self.debits_foreign.items())
            ],
            "bad": self.bad,
            "skipped": self.skipped,
            "first_row": self.first_row,
            "last_row": self.last_row,
            "position": self.position,
            "not_recorded": self.not_recorded,
            "repeat_groups": self.repeat_groups,
            "reconciliation": self.reconciliation,
        }

    def rows_of(self, outcome: str) -> list[dict[str, Any]]:
        """The lines not recorded with this outcome."""
        return [row for row in self.not_recorded if row["outcome"] == outcome]


def _facts(row: CreditLine | DebitLine) -> dict[str, Any]:
    """A line's date, reference and amount in đồng (None for a debit in a currency the
    file does not convert; its reason names the currency)."""
    return {
        "occurred_on": row.occurred_on.isoformat(),
        "reference": row.reference,
        "amount": row.dong,
    }


class _MarkLookup(Protocol):
    """The store's recorders (``service.adapters.log_recorders``): which of many
    aggregates it holds, in one lookup."""

    def originators_present(self, originator_ids: Collection[UUID]) -> set[UUID]: ...


@dataclass
class _Credit:
    row: CreditLine
    digest: str
    occurrence: int
    legacy_key: str | None
    #: The key of the credit's mark: ``row.key(occurrence)``.
    key: str
    #: The ids of the marks of ``key`` and ``legacy_key``, once the credit is checked.
    mark_id: UUID | None = None
    legacy_id: UUID | None = None


@dataclass
class _Import:
    """One run over a bank file's lines; credits are checked and saved in batches."""

    ledger: Ledger
    #: The fund as the import has it: as loaded, then with each batch applied; ``None``
    #: after a concurrent write refused a batch, to be loaded again.
    fund: Fund | None
    fund_id: UUID
    pledge_codes: Mapping[str, UUID]
    meta: Meta
    confirmed: Collection[int]
    report: ImportReport
    #: Keys of lines recorded otherwise (from bank notifications), counted as recorded.
    notified: Collection[str] = ()
    pending: list[_Credit] = field(default_factory=list)
    pledges: dict[UUID, Pledge] = field(default_factory=dict)
    occurrences: dict[str, int] = field(default_factory=dict)
    legacy_occurrences: dict[str, int] = field(default_factory=dict)
    #: The first line of each identity, and the later lines of those that repeat.
    first_of: dict[str, int] = field(default_factory=dict)
    repeated: dict[str, list[int]] = field(default_factory=dict)
    fate: dict[int, Outcome] = field(default_factory=dict)

    def take(self, line: BankLine) -> None:
        report = self.report
        if isinstance(line, SkippedLine):
            report.skipped += 1
            report.line(Outcome.NOT_A_TRANSACTION, line.row_no, line.reason)
        elif isinstance(line, BadLine):
            report.bad += 1
            report.line(Outcome.BAD, line.row_no, line.reason)
        elif isinstance(line, DebitLine):
            report.debits += 1
            report.debits_amount += line.dong or 0
            in_currency = ""
            if line.currency:
                held = report.debits_foreign.setdefault(line.currency, {"debits": 0, "amount": 0})
                held["debits"] += 1
                held["amount"] += line.amount
                in_currency = f" Số tiền: {shown(line.amount, line.currency)}."
            report.line(
                Outcome.DEBIT,
                line.row_no,
                "Tiền ra khỏi tài khoản (khoản chi, phí ngân hàng): không phải khoản thu; "
                f"đối chiếu với khoản chi đã ghi.{in_currency}",
                **_facts(line),
            )
        else:
            self._take_credit(line)

    def _take_credit(self, row: CreditLine) -> None:
        digest = row.digest
        occurrence = self.occurrences.get(digest, 0)
        self.occurrences[digest] = occurrence + 1
        if occurrence == 0:
            self.first_of[digest] = row.row_no
        else:
            self.repeated.setdefault(digest, []).append(row.row_no)
        legacy = row.legacy_key
        rank = self.legacy_occurrences.get(legacy, 0)
        self.legacy_occurrences[legacy] = rank + 1
        # The old rule recorded only the first line of a date, reference and amount.
        legacy_key = (legacy if rank == 0 else None) if row.reference else f"{legacy}|#{rank}"
        key = mark_key(digest, occurrence)
        self.pending.append(_Credit(row, digest, occurrence, legacy_key, key))

    def flush(self) -> None:
        """Checks the pending credits against the store, then saves those to record."""
        if not self.pending:
            return
        for attempt in range(MAX_ATTEMPTS):
            if attempt:
                self.fund, self.pledges = None, {}
            if self._attempt():
                self.pending = []
                return
            time.sleep(random.uniform(0, 0.002 * (attempt + 1)))  # noqa: S311
        raise Conflict(
            "Quỹ đang bận với các yêu cầu khác; hãy nhập lại sao kê "
            "(không dòng nào bị ghi hai lần)."
        )

    def _attempt(self) -> bool:
        ledger, dry_run = self.ledger, self.report.dry_run
        fund = self.fund if self.fund is not None else ledger.fund(self.fund_id)
        controls = ledger.controls_of(fund)
        batch = ImportReport(dry_run=dry_run)
        fates: dict[int, Outcome] = {}
        marks: list[ImportedTransfer.Recorded] = []
        marked = self._marked(fund.id)
        for credit in self.pending:
            row, key = credit.row, credit.key
            if key in marked or (credit.legacy_key is not None and credit.legacy_key in marked):
                batch.duplicates += 1
                batch.duplicates_amount += row.dong
                batch.line(
                    Outcome.ALREADY_RECORDED,
                    row.row_no,
                    ALREADY_RECORDED_REASON,
                    **_facts(row),
                )
                fates[row.row_no] = Outcome.ALREADY_RECORDED
                continue
            if credit.occurrence and row.row_no not in self.confirmed:
                first = self.first_of[credit.digest]
                batch.repeats += 1
                batch.repeats_amount += row.dong
                batch.line(
                    Outcome.REPEATED,
                    row.row_no,
                    _repeat_reason(first, row),
                    **_facts(row),
                )
                fates[row.row_no] = Outcome.REPEATED
                continue
            try:
                receipt = self._receipt_of(row, fund)
                check_plausible(receipt.amount.dong, controls)
                fund.record_receipt(receipt, ledger.today(), self.meta)
            except DomainError as refusal:
                batch.bad += 1
                batch.line(Outcome.BAD, row.row_no, refusal.detail, **_facts(row))
                fates[row.row_no] = Outcome.BAD
                continue
            entry_id = _last_entry_id(fund)
            if receipt.pledge_id is not None:
                # Open and taking any surplus as a gift, the pledge cannot refuse.
                self.pledges[receipt.pledge_id].fulfil(
                    entry_id, receipt.amount.dong, True, self.meta
                )
            if not dry_run:
                # A dry run saves no mark, so it makes none.
                marks.append(
                    ImportedTransfer.recorded(fund.id, entry_id, key, self.meta, credit.mark_id)
                )
            batch.recorded += 1
            batch.amount += row.dong
            batch.linked_to_pledges += receipt.pledge_id is not None
            batch.first_row = batch.first_row if batch.first_row is not None else row.row_no
            batch.last_row = row.row_no
            fates[row.row_no] = Outcome.RECORDED
        touched = [p for p in self.pledges.values() if p.pending_events]
        position: int | None = None
        if dry_run or not marks:
            # A dry run goes on from the fund as if the batch were recorded.
            for aggregate in (fund, *touched):
                aggregate.collect_events()
        else:
            try:
                position = save_in_bulk(ledger, fund, *touched, created=marks)
            except IntegrityError:
                return False
        self.fund = fund
        self._merge(batch, position)
        self.fate.update(fates)
        return True

    def _marked(self, fund_id: UUID) -> set[str]:
        """Those of the batch's keys (each credit's, and its legacy key) whose mark the
        store holds, found by one lookup of all their marks' ids."""
        unchecked = [credit for credit in self.pending if credit.mark_id is None]
        for credit, mark_id in zip(
            unchecked, ImportedTransfer.ids_for(fund_id, [c.key for c in unchecked]), strict=True
        ):
            credit.mark_id = mark_id
        legacy = [c for c in unchecked if c.legacy_key is not None]
        for credit, legacy_id in zip(
            legacy,
            ImportedTransfer.ids_for(fund_id, [cast(str, c.legacy_key) for c in legacy]),
            strict=True,
        ):
            credit.legacy_id = legacy_id
        ids: dict[UUID, str] = {}
        for credit in self.pending:
            ids[cast(UUID, credit.mark_id)] = credit.key
            if credit.legacy_key is not None:
                ids[cast(UUID, credit.legacy_id)] = credit.legacy_key
        recorder = cast(_MarkLookup, self.ledger.recorder)
        present = recorder.originators_present(ids.keys())
        notified = self.notified
        return {ids[mark_id] for mark_id in present} | {
            credit.key for credit in self.pending if credit.key in notified
        }

    def _merge(self, batch: ImportReport, position: int | None) -> None:
        report = self.report
        for name in (
            "lines",
            "recorded",
            "amount",
            "linked_to_pledges",
            "duplicates",
            "duplicates_amount",
            "repeats",
            "repeats_amount",
            "bad",
        ):
            setattr(report, name, getattr(report, name) + getattr(batch, name))
        report.lines += batch.recorded
        if report.first_row is None:
            report.first_row = batch.first_row
        report.last_row = batch.last_row if batch.last_row is not None else report.last_row
        report.position = position if position is not None else report.position
        report.not_recorded.extend(batch.not_recorded)

    def finish(self) -> ImportReport:
        report = self.report
        report.not_recorded.sort(key=lambda row: int(row["row"]))
        for digest, later in self.repeated.items():
            rows = [self.first_of[digest], *later]
            report.repeat_groups.append(
                {
                    "rows": rows,
                    "outcomes": {str(row): self.fate[row].value for row in rows},
                    "confirmed": [row for row in later if row in self.confirmed],
                }
            )
        report.repeat_groups.sort(key=lambda group: int(group["rows"][0]))
        return report

    def _receipt_of(self, row: CreditLine, fund: Fund) -> Receipt:
        """The bank receipt a credit line records: the donor the bank file names (the
        counterparty column, else the sender the memo names), linked to the open pledge
        whose code the memo carries (a surplus beyond what is outstanding is a gift)."""
        return bank_receipt(row, self._pledge_named(row, fund))

    def _pledge_named(self, row: CreditLine, fund: Fund) -> UUID | None:
        if not self.pledge_codes:
            return None
        memo = f" {fold(row.memo).upper()} "
        for code, candidate in self.pledge_codes.items():
            if memo_names(memo, code):
                if candidate not in self.pledges:
                    try:
                        self.pledges[candidate] = self.ledger.pledge(candidate)
                    except PledgeNotFound:
                        continue
                pledge = self.pledges[candidate]
                if pledge.status is PledgeStatus.OPEN and pledge.fund_id == fund.id:
                    return candidate
        return None


def _repeat_reason(first: int, row: CreditLine) -> str:
    likely = (
        ", cả số dư: nhiều khả năng trang sao kê bị in lặp"
        if row.balance is not None
        else "; sao kê không in số dư nên có thể là hai món bằng nhau"
    )
    return (
        f"Giống hệt dòng {first} ở mọi cột{likely}. Chỉ ghi một lần; nếu đây là một món "
        f"khác, hãy xác nhận dòng {row.row_no} (--confirm-repeats {row.row_no}, hoặc "
        f"confirm_repeats={row.row_no} qua API) rồi nhập lại."
    )


def _last_entry_id(fund: Fund) -> UUID:
    event = fund.pending_events[-1]
    assert isinstance(event, Fund.EntryRecorded)
    return event.entry_id


def importable_fund(ledger: Ledger, request: Request, fund_id: UUID) -> Fund:
    """The fund, loaded, if the requester may import bank files into it: a treasurer of
    its unit (or of a unit above), the unit not merged away."""
    return ledger._writable_fund(request, fund_id, IMPORTING)


def import_bank_file(
    ledger: Ledger,
    request: Request,
    fund: Fund,
    lines: Iterable[BankLine],
    pledge_codes: Mapping[str, UUID],
    *,
    dry_run: bool = False,
    confirmed: Collection[int] = (),
    batch_size: int = 2000,
    progress: Callable[[ImportReport], None] | None = None,
    notified: Collection[str] = (),
) -> ImportReport:
    """Records every credit of a bank file as a bank receipt exactly once, many to a
    transaction (the fund's receipts, the pledges they fulfil and each transfer's mark
    are saved together), and reports every other line. ``fund`` is as ``importable_fund``
    gave it. ``confirmed`` names the lines, identical to an earlier one, that the
    treasurer confirmed as gifts of their own; ``notified`` the keys of lines that bank
    notifications recorded already (``reconciliation``), checked as their lines are saved."""
    run = _Import(
        ledger,
        fund,
        fund.id,
        pledge_codes,
        Meta.of(request.actor, request.idempotency_key, request.request_id),
        frozenset(confirmed),
        ImportReport(dry_run=dry_run),
        notified,
    )
    for line in lines:
        run.take(line)
        if len(run.pending) >= batch_size:
            run.flush()
            if progress is not None:
                progress(run.report)
    run.flush()
    if run.fund is not None and run.report.position is not None:
        remember(ledger, run.fund)
    report = run.finish()
    if progress is not None:
        progress(report)
    return report
