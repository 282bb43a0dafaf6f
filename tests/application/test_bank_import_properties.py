"""The import's rules, proved over random bank files on both stores.

A random bank file reuses document numbers within a day (with the same amount or not,
the memos telling the gifts apart), holds lines identical in every field (a repeated
page with its running balance, or two equal gifts without one), debits, and lines in
USD beside the đồng (a currency column and the đồng the bank converted to). It is cut
into random overlapping files, each imported after a dry run, and then imported whole,
with the identical lines confirmed or not. Whatever the cuts and their order:

- every line is accounted for: the outcomes add up to the file's lines;
- the dry run gives the same counts, totals and line-by-line report as the import;
- no gift is recorded twice and none is lost: the fund ends with one receipt per
  distinct line (per line, when the treasurer confirmed the identical ones), its balance
  the đồng of those lines (a USD line at the bank's đồng);
- importing again records nothing and writes nothing: the log grows by no position.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.application import Request
from service.application.bank_import import ImportReport
from service.bootstrap import Services
from tests.application.test_bank_imports import fund_of, import_file, log_head, receipts

HEADER = "TNXDate,DocNo,Debit,Credit,Balance,TransactionDetails,Currency,VND equivalent"
MEMOS = [
    "MBVCB.1234567890.NGUYEN VAN AN ung ho.CT tu 0123456789 NGUYEN VAN AN toi 0011001932418",
    "IBFT TRAN THI BINH ung ho ba con vung lu",
    "123456.100925.153012.LE MINH CUONG chuyen tien",
    "PARTNER.DIRECT_DEBITS_VCB.MSE.HOANG DUC LONG ung ho",
]


@dataclass(frozen=True)
class Line:
    day: int
    doc: int
    amount: int
    memo: int
    debit: bool
    usd: bool = False
    balance: int | None = None

    @property
    def identity(self) -> tuple[int, int, int, int, bool, int | None]:
        return (self.day, self.doc, self.amount, self.memo, self.usd, self.balance)

    @property
    def dong(self) -> int:
        """The đồng the line moves: a USD line's amount and a half, at 25.000 đ."""
        return (self.amount * 100 + 50) * 250 if self.usd else self.amount * 1000

    def csv(self) -> str:
        money = f"{self.amount},50" if self.usd else f"{self.dong:,}".replace(",", ".")
        balance = "" if self.balance is None else f"{self.balance:,}".replace(",", ".")
        debit, credit = (money, "") if self.debit else ("", money)
        currency, converted = ("USD", f"{self.dong:,}".replace(",", ".")) if self.usd else ("", "")
        return (
            f'0{self.day + 1}/09/2025,5219.{self.doc:04d},"{debit}","{credit}",'
            f'"{balance}",{MEMOS[self.memo]},{currency},"{converted}"'
        )


raw_lines = st.lists(
    st.tuples(
        st.integers(0, 1),
        st.integers(0, 2),
        st.sampled_from([10, 20]),
        st.integers(0, 3),
        st.integers(0, 9).map(lambda n: n == 0),
        st.integers(0, 3).map(lambda n: n == 0),
    ),
    min_size=1,
    max_size=24,
)


@st.composite
def bank_files(draw: st.DrawFn) -> list[Line]:
    """Lines in date order; with a running balance, some printed twice (a repeated page)."""
    lines = sorted((Line(*fields) for fields in draw(raw_lines)), key=lambda line: line.day)
    if not draw(st.booleans()):
        return lines
    balance, printed = 1_000_000, []
    for line in lines:
        balance += -line.dong if line.debit else line.dong
        printed.append(
            Line(line.day, line.doc, line.amount, line.memo, line.debit, line.usd, balance)
        )
    for index in sorted(draw(st.sets(st.integers(0, len(printed) - 1), max_size=3)), reverse=True):
        printed.insert(index + 1, printed[index])
    return printed


def text_of(lines: list[Line]) -> io.BytesIO:
    return io.BytesIO(("\n".join([HEADER, *(line.csv() for line in lines)]) + "\n").encode())


def outcomes(report: ImportReport) -> tuple[object, ...]:
    return (
        report.lines,
        report.recorded,
        report.amount,
        report.duplicates,
        report.duplicates_amount,
        report.repeats,
        report.repeats_amount,
        report.debits,
        report.debits_amount,
        report.bad,
        report.skipped,
        report.not_recorded,
        report.repeat_groups,
    )


def imported(
    services: Services,
    into: tuple[UUID, Request],
    lines: list[Line],
    *,
    confirmed: set[int],
    batch_size: int,
) -> ImportReport:
    """Imports the lines after a dry run, which must tell exactly what the import does."""
    fund, treasurer = into
    dry, done = (
        import_file(
            services,
            treasurer,
            fund,
            text_of(lines),
            dry_run=dry_run,
            confirmed=confirmed,
            batch_size=batch_size,
        )
        for dry_run in (True, False)
    )
    assert outcomes(dry) == outcomes(done)
    assert done.lines == len(lines) + 1
    assert (
        done.recorded + done.duplicates + done.repeats + done.debits + done.bad + done.skipped
        == done.lines
    )
    assert (done.debits, done.debits_amount) == (
        sum(line.debit for line in lines),
        sum(line.dong for line in lines if line.debit),
    )
    return done


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    lines=bank_files(),
    cuts=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=3),
    confirm=st.booleans(),
    batch_size=st.integers(1, 6),
)
def test_overlapping_and_repeated_imports_record_each_gift_exactly_once(
    services: Services,
    lines: list[Line],
    cuts: list[tuple[int, int]],
    confirm: bool,
    batch_size: int,
) -> None:
    into = fund_of(services.ledger)
    fund = into[0]
    for a, b in cuts:
        part = lines[min(a, b) : max(a, b) + 1]
        if part:
            imported(services, into, part, confirmed=set(), batch_size=batch_size)

    # Line n of the whole file is line n + 2 of the CSV (after the header).
    confirmed = {index + 2 for index in range(len(lines))} if confirm else set()
    whole = imported(services, into, lines, confirmed=confirmed, batch_size=batch_size)
    head = log_head(services)
    again = imported(services, into, lines, confirmed=confirmed, batch_size=batch_size)

    credits = [line for line in lines if not line.debit]
    gifts = credits if confirm else list({line.identity: line for line in credits}.values())
    kept = receipts(services, fund)
    assert len(kept) == len(gifts)
    assert services.ledger.fund(fund).balance == sum(line.dong for line in gifts)
    usd = [line for line in gifts if line.usd]
    held = services.ledger.fund(fund).holdings.get("bank:USD", {"amount": 0, "value": 0})
    assert (held["amount"], held["value"]) == (
        sum(line.amount * 100 + 50 for line in usd),
        sum(line.dong for line in usd),
    )
    assert whole.repeats == (0 if confirm else len(credits) - len(gifts))
    assert (again.recorded, again.duplicates, again.repeats) == (0, len(gifts), whole.repeats)
    assert log_head(services) == head, "an import that records nothing writes nothing"
    assert head[0] == head[1], "no gap in the log"
