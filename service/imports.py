"""Bank-statement imports as operators run them: from the command line with a progress
bar, or over the API as a job whose progress any worker can report."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from uuid import UUID, uuid4

from service import Services
from service.application import ImportReport, Request
from service.db import Row
from service.domain.errors import UnreadableStatement
from service.domain.imports import BadRow, StatementRow
from service.projections import pledges as pledge_view
from service.statements import PRESETS, Layout, open_statement

log = logging.getLogger(__name__)


def layout_of(preset: str, columns: Mapping[str, str] | None = None) -> Layout:
    """The named preset, with some columns named by their header labels."""
    if preset not in PRESETS:
        raise UnreadableStatement(
            f"Không có mẫu ngân hàng nào tên {preset!r}; "
            f"hãy chọn một trong: {', '.join(sorted(PRESETS))}."
        )
    layout = PRESETS[preset]
    return layout.with_columns(columns) if columns else layout


@dataclass
class Prepared:
    """A statement whose header was found, ready to import."""

    rows: Iterator[StatementRow | BadRow]
    handle: Any

    def close(self) -> None:
        self.handle.close()


def prepare(source: IO[bytes] | Path, filename: str, layout: Layout) -> Prepared:
    """Opens the statement and finds its header, refusing an unreadable file at once."""
    reader, handle = open_statement(source, filename, layout)
    try:
        return Prepared(reader.start(), handle)
    except Exception:
        handle.close()
        raise


def run(
    svc: Services,
    request: Request,
    fund_id: UUID,
    prepared: Prepared,
    *,
    dry_run: bool,
    progress: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Imports the prepared statement, once the read models hold every pledge made so far
    (their codes link transfers to pledges)."""
    try:
        svc.runner.catch_up()
        with svc.db.transaction() as tx:
            codes = pledge_view.of_fund_by_code(tx, str(fund_id))
        return svc.ledger.import_statement(
            request,
            fund_id,
            prepared.rows,
            {code: UUID(pledge) for code, pledge in codes.items()},
            dry_run=dry_run,
            progress=progress,
        )
    finally:
        prepared.close()


# Jobs started over the API ---------------------------------------------------------


def start_job(
    svc: Services,
    request: Request,
    fund_id: UUID,
    unit_path: list[UUID],
    path: Path,
    filename: str,
    preset: str,
    layout: Layout,
    *,
    dry_run: bool,
) -> Row:
    """Checks the file's header, records the job and imports in a thread of this process;
    returns the job as ``job`` reads it."""
    prepared = prepare(path, filename, layout)
    job_id = str(uuid4())
    with svc.db.transaction(write=True) as tx:
        tx.execute(
            "INSERT INTO import_jobs (id, fund_id, unit_path, actor, filename, preset, dry_run, "
            "status, started_at) VALUES (:id, :fund, :unit, :actor, :filename, :preset, "
            ":dry_run, 'running', :at)",
            {
                "id": job_id,
                "fund": str(fund_id),
                "unit": ",".join(str(unit) for unit in unit_path),
                "actor": request.actor.name,
                "filename": filename,
                "preset": preset,
                "dry_run": int(dry_run),
                "at": datetime.now(UTC).isoformat(),
            },
        )

    def work() -> None:
        try:
            report = run(
                svc,
                request,
                fund_id,
                prepared,
                dry_run=dry_run,
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


def job(svc: Services, job_id: str) -> Row | None:
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
    row["amount"] = report.get("amount", 0)
    row["linked_to_pledges"] = report.get("linked_to_pledges", 0)
    row["position"] = report.get("position")
    row["duplicate_rows"] = report.get("duplicate_rows", [])
    row["bad_rows"] = report.get("bad_rows", [])
    return row


def _progress(svc: Services, job_id: str, report: ImportReport) -> None:
    with svc.db.transaction(write=True) as tx:
        tx.execute(
            "UPDATE import_jobs SET rows_read = :rows, recorded = :recorded, "
            "duplicates = :duplicates, bad = :bad WHERE id = :id",
            {
                "rows": report.recorded + report.duplicates + report.bad,
                "recorded": report.recorded,
                "duplicates": report.duplicates,
                "bad": report.bad,
                "id": job_id,
            },
        )


def _finish(
    svc: Services, job_id: str, status: str, report: ImportReport | None, error: str | None
) -> None:
    if report is not None:
        _progress(svc, job_id, report)
    with svc.db.transaction(write=True) as tx:
        tx.execute(
            "UPDATE import_jobs SET status = :status, report = :report, error = :error, "
            "finished_at = :at WHERE id = :id",
            {
                "status": status,
                "report": json.dumps(report.body(), ensure_ascii=False) if report else None,
                "error": error,
                "at": datetime.now(UTC).isoformat(),
                "id": job_id,
            },
        )
