"""Imports of bank files as operators run them: from the command line with a progress
bar, or over the API as a job whose progress any worker can report.

The path is one way down: the file is opened here (``service.adapters.bank_files``), the
fund is loaded once (``importable_fund``) and handed, with the file's lines, to the use
case (``service.application.bank_import``), which records them."""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from uuid import UUID, uuid4

from service.adapters.bank_files import PRESETS, Layout, open_bank_file
from service.adapters.csvfile import csv_writer
from service.adapters.db import Row
from service.application import Request, reconciliation
from service.application.bank_import import ImportReport, import_bank_file, importable_fund
from service.application.process import Process
from service.domain.bank_lines import BankLine
from service.domain.errors import UnreadableBankFile
from service.domain.funds import Fund
from service.domain.money import vnd
from service.projections import giving as giving_view
from service.projections import pledges as pledge_view

log = logging.getLogger(__name__)


def layout_of(
    preset: str, columns: Mapping[str, str] | None = None, currency: str | None = None
) -> Layout:
    """The named preset, with some columns named by their header labels, for an account
    held in ``currency`` (None: đồng, or as the statement's currency column says)."""
    if preset not in PRESETS:
        raise UnreadableBankFile(
            f"Không có mẫu ngân hàng nào tên {preset!r}; "
            f"hãy chọn một trong: {', '.join(sorted(PRESETS))}."
        )
    layout = PRESETS[preset]
    return (layout.with_columns(columns) if columns else layout).in_currency(currency)


@dataclass
class Prepared:
    """A bank file whose header was found, ready to import."""

    lines: Iterator[BankLine]
    handle: Any

    def close(self) -> None:
        self.handle.close()


def prepare(source: IO[bytes] | Path, filename: str, layout: Layout) -> Prepared:
    """Opens the bank file and finds its header, refusing an unreadable file at once."""
    reader, handle = open_bank_file(source, filename, layout)
    try:
        return Prepared(reader.start(), handle)
    except Exception:
        handle.close()
        raise


def run(
    svc: Process,
    request: Request,
    fund_id: UUID,
    prepared: Prepared,
    *,
    dry_run: bool,
    confirmed: Collection[int] = (),
    progress: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Imports the prepared bank file into the fund, if the requester may."""
    try:
        fund = importable_fund(svc.ledger, request, fund_id)
    except Exception:
        prepared.close()
        raise
    return _run(
        svc, request, fund, prepared, dry_run=dry_run, confirmed=confirmed, progress=progress
    )


def _run(
    svc: Process,
    request: Request,
    fund: Fund,
    prepared: Prepared,
    *,
    dry_run: bool,
    confirmed: Collection[int] = (),
    progress: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Imports the prepared bank file into the fund ``importable_fund`` gave, once the read
    models hold every pledge made so far (their codes link transfers to pledges)."""
    try:
        svc.runner.catch_up()
        with svc.db.transaction() as tx:
            codes = pledge_view.of_fund_by_code(tx, str(fund.id))
            notified = giving_view.unreconciled(tx, str(fund.id))
        matching = reconciliation.start(svc.ledger, request, fund.id, notified, dry_run)
        report = import_bank_file(
            svc.ledger,
            request,
            fund,
            matching.lines(prepared.lines),
            {code: UUID(pledge) for code, pledge in codes.items()},
            dry_run=dry_run,
            confirmed=confirmed,
            progress=progress,
            notified=matching.keys,
        )
        matching.finish(report)
        return report
    finally:
        prepared.close()


# Jobs started over the API ---------------------------------------------------------


def start_job(
    svc: Process,
    request: Request,
    fund: Fund,
    path: Path,
    filename: str,
    preset: str,
    layout: Layout,
    *,
    dry_run: bool,
    confirmed: Collection[int] = (),
) -> Row:
    """Checks the file's header, records the job and imports in a thread of this process
    into the fund ``importable_fund`` gave; returns the job as ``job`` reads it."""
    prepared = prepare(path, filename, layout)
    job_id = str(uuid4())
    with svc.db.transaction(write=True) as tx:
        tx.execute(
            "INSERT INTO import_jobs (id, fund_id, unit_path, actor, filename, preset, dry_run, "
            "status, started_at) VALUES (:id, :fund, :unit, :actor, :filename, :preset, "
            ":dry_run, 'running', :at)",
            {
                "id": job_id,
                "fund": str(fund.id),
                "unit": ",".join(str(unit) for unit in fund.unit_path),
                "actor": request.actor.name,
                "filename": filename,
                "preset": preset,
                "dry_run": int(dry_run),
                "at": datetime.now(UTC).isoformat(),
            },
        )

    def work() -> None:
        try:
            report = _run(
                svc,
                request,
                fund,
                prepared,
                dry_run=dry_run,
                confirmed=confirmed,
                progress=lambda report: _progress(svc, job_id, report),
            )
            _finish(svc, job_id, "done", report, None)
        except Exception as error:
            log.exception("import %s failed", job_id)
            try:
                _finish(svc, job_id, "failed", None, str(error))
            except Exception:
                log.exception("import %s: its failure could not be recorded", job_id)
        finally:
            path.unlink(missing_ok=True)

    threading.Thread(target=work, name=f"import-{job_id}", daemon=True).start()
    found = job(svc, job_id)
    assert found is not None
    return found


def job(svc: Process, job_id: str) -> Row | None:
    with svc.db.transaction() as tx:
        row = tx.one(
            "SELECT id, fund_id, unit_path, actor, filename, preset, dry_run, status, rows_read, "
            "recorded, duplicates, bad, report, error, started_at, finished_at "
            "FROM import_jobs WHERE id = :id",
            {"id": job_id},
        )
    if row is None:
        return None
    report = json.loads(row.pop("report")) if row["report"] else {}
    row["unit_path"] = [UUID(unit) for unit in row["unit_path"].split(",")]
    row["dry_run"] = bool(row["dry_run"])
    for name in REPORT_FIELDS:
        row[name] = report.get(name, 0)
    row["position"] = report.get("position")
    row["repeat_groups"] = report.get("repeat_groups", [])
    row["debits_foreign"] = report.get("debits_foreign", [])
    row["reconciliation"] = report.get("reconciliation")
    return row


#: The report's counts and totals that a job answers with besides its own columns.
REPORT_FIELDS = (
    "lines",
    "amount",
    "linked_to_pledges",
    "duplicates_amount",
    "repeats",
    "repeats_amount",
    "debits",
    "debits_amount",
    "skipped",
)

#: The columns of the line-by-line report (CSV), in Vietnamese, and the fields they show.
REPORT_COLUMNS = (
    ("Dòng", "row"),
    ("Kết quả", "outcome"),
    ("Lý do", "reason"),
    ("Ngày", "occurred_on"),
    ("Số chứng từ", "reference"),
    ("Số tiền", "amount"),
)


def report_csv(not_recorded: Iterable[Mapping[str, Any]]) -> str:
    """Every line an import did not record, as CSV: line number, outcome, reason, date,
    document number and amount (đồng)."""
    return "".join(report_csv_lines(not_recorded))


def report_csv_lines(not_recorded: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """``report_csv`` a line at a time, to stream."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow([label for label, _ in REPORT_COLUMNS])
    for line in not_recorded:
        writer.writerow(
            ["" if line.get(name) is None else line[name] for _, name in REPORT_COLUMNS]
        )
        if out.tell() > 1 << 16:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _progress(svc: Process, job_id: str, report: ImportReport) -> None:
    with svc.db.transaction(write=True) as tx:
        tx.execute(
            "UPDATE import_jobs SET rows_read = :rows, recorded = :recorded, "
            "duplicates = :duplicates, bad = :bad WHERE id = :id",
            {
                "rows": report.lines,
                "recorded": report.recorded,
                "duplicates": report.duplicates,
                "bad": report.bad,
                "id": job_id,
            },
        )


def _finish(
    svc: Process, job_id: str, status: str, report: ImportReport | None, error: str | None
) -> None:
    if report is not None:
        _progress(svc, job_id, report)
    body = {**report.body(), "not_recorded": []} if report else None
    with svc.db.transaction(write=True) as tx:
        lines = report.not_recorded if report else []
        for start in range(0, len(lines), LINES_PAGE):
            tx.executemany(
                "INSERT INTO import_lines (job_id, row_no, outcome, reason, occurred_on, "
                "reference, amount) VALUES (:job, :row, :outcome, :reason, :occurred_on, "
                ":reference, :amount)",
                [
                    {
                        "job": job_id,
                        "occurred_on": None,
                        "reference": None,
                        "amount": None,
                        **line,
                    }
                    for line in lines[start : start + LINES_PAGE]
                ],
            )
        tx.execute(
            "UPDATE import_jobs SET status = :status, report = :report, error = :error, "
            "finished_at = :at WHERE id = :id",
            {
                "status": status,
                "report": json.dumps(body, ensure_ascii=False) if body else None,
                "error": error,
                "at": datetime.now(UTC).isoformat(),
                "id": job_id,
            },
        )


#: How many lines of a job's report are written or read at a time.
LINES_PAGE = 5000


def lines_not_recorded(svc: Process, job_id: str, limit: int | None = None) -> Iterator[Row]:
    """The lines of the job's file that it did not record, in file order, read a page at a
    time (the first ``limit`` of them, when given)."""
    after, left = 0, limit
    while left is None or left > 0:
        page = LINES_PAGE if left is None else min(left, LINES_PAGE)
        with svc.db.transaction() as tx:
            rows = tx.all(
                "SELECT row_no AS row, outcome, reason, occurred_on, reference, amount "
                "FROM import_lines WHERE job_id = :job AND row_no > :after "
                "ORDER BY row_no LIMIT :limit",
                {"job": job_id, "after": after, "limit": page},
            )
        yield from rows
        if len(rows) < page:
            return
        after = int(rows[-1]["row"])
        left = None if left is None else left - len(rows)


def _count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def summary(report: ImportReport) -> list[str]:
    """The report's counts and totals as the command line prints them, one group a line;
    the groups add up to the file's line count."""
    verb = "chạy thử, sẽ ghi" if report.dry_run else "đã ghi"
    return [
        f"{verb} {_count(report.recorded)} khoản thu, {vnd(report.amount)}; "
        f"{_count(report.linked_to_pledges)} gắn với cam kết",
        f"đã ghi từ trước, không ghi lại: {_count(report.duplicates)} dòng, "
        f"{vnd(report.duplicates_amount)}",
        f"giống hệt một dòng trước, chưa ghi: {_count(report.repeats)} dòng, "
        f"{vnd(report.repeats_amount)}",
        f"ghi nợ (tiền ra, phí ngân hàng): {_count(report.debits)} dòng, "
        f"{vnd(report.debits_amount)}{_in_currencies(report)}",
        f"lỗi, không ghi: {_count(report.bad)} dòng",
        f"không phải giao dịch (tiêu đề, tên cột, dòng tổng, dòng trống): "
        f"{_count(report.skipped)} dòng",
        f"cộng: {_count(report.lines)} dòng của tệp",
        *reconciliation_lines(report),
    ]


def _in_currencies(report: ImportReport) -> str:
    """The debits in a currency, beside the đồng: "; bằng ngoại tệ: 20,00 USD"."""
    held = report.body()["debits_foreign"]
    return "; bằng ngoại tệ: " + ", ".join(h["shown"] for h in held) if held else ""


def reconciliation_lines(report: ImportReport) -> list[str]:
    """The file's credits against the notified credits, one group a line; the first four
    groups add up to the file's credits."""
    found = report.reconciliation
    if not found or not (
        found["matched_notifications"]["count"] or found["missing_from_statement"]["count"]
    ):
        return []

    def group(name: str) -> str:
        return f"{_count(found[name]['count'])} dòng, {vnd(found[name]['amount'])}"

    return [
        f"đối chiếu với thông báo ngân hàng ({found['statement_from']} đến "
        f"{found['statement_to']}):",
        f"  khớp với khoản đã ghi khi ngân hàng báo về: {group('matched_notifications')}",
        f"  ghi từ sao kê (không có thông báo): {group('recorded_from_statement')}",
        f"  đã ghi từ lần nhập trước: {group('recorded_before')}",
        f"  chưa ghi (trùng chưa xác nhận, lỗi): {group('not_recorded')}",
        f"  cộng: {group('statement_credits')} ghi có của sao kê",
        f"  ngân hàng đã báo mà sao kê không có: {group('missing_from_statement')}; "
        "thủ quỹ và ban thường trực hãy hỏi ngân hàng (xem notified-credits?state=missing)",
    ]


def repeat_notes(report: ImportReport) -> list[str]:
    """Each group of identical lines, and how the treasurer confirms its later lines."""
    notes: list[str] = []
    for group in report.repeat_groups:
        rows = [int(row) for row in group["rows"]]
        words = {**OUTCOME_WORDS, **({"recorded": "sẽ ghi"} if report.dry_run else {})}
        fates = ", ".join(f"dòng {row}: {words[group['outcomes'][str(row)]]}" for row in rows)
        notes.append(f"  các dòng {', '.join(map(str, rows))} giống hệt nhau ở mọi cột ({fates})")
        waiting = [row for row in rows if group["outcomes"][str(row)] == "repeated"]
        if waiting:
            notes.append(
                "    nếu là các món khác nhau, nhập lại với --confirm-repeats "
                + ",".join(map(str, waiting))
            )
    return notes


#: Each outcome of a line as a treasurer reads it.
OUTCOME_WORDS = {
    "recorded": "đã ghi",
    "already_recorded": "đã ghi từ trước",
    "repeated": "chưa ghi, chờ xác nhận",
    "debit": "ghi nợ",
    "bad": "lỗi",
    "not_a_transaction": "không phải giao dịch",
}
