"""The bank statement (sao kê ngân hàng) from a phone: upload the file, read the dry run's
preview line by line (what each line would become), confirm, follow the import as it
runs (the page refreshes itself while the job runs) and read the report of the lines not
recorded, with its CSV.

The file is kept between the preview and the confirmation, named in the session only:
the confirmation imports exactly the file that was previewed."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from flask import redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from service.adapters.bank_files import PRESETS
from service.application import Request
from service.application import import_jobs as imports
from service.domain.bank_lines import BankLine, CreditLine, DebitLine
from service.domain.errors import Conflict, UnreadableBankFile
from service.pages.treasurer.forms import Field, Filled, page_request
from service.pages.treasurer.money import fund_summary
from service.pages.treasurer.shared import bp
from service.reads.imports import readable_job
from service.web.context import actor, services
from service.web.errors import BadRequest
from service.web.guards import refuse_nul

#: Where uploaded bank files wait for their confirmation; a file older than a day that
#: was never confirmed is removed at the next upload.
KEPT = Path(tempfile.gettempdir()) / "sovang-sao-ke"
KEPT_SECONDS = 24 * 3600
#: The session's record of the files kept, by the dry run's job.
SESSION_KEY = "sao_ke"
#: Lines of the preview shown on the page (the report's CSV has every line not recorded).
PREVIEW_LINES = 500
#: Seconds between two refreshes of a running job's page.
REFRESH_SECONDS = 2
UPLOAD = (
    Field("file", "Tệp sao kê (CSV hoặc XLSX)", "file", required=True),
    Field(
        "preset",
        "Mẫu của ngân hàng",
        "choice",
        required=True,
        choices=tuple((name, name) for name in sorted(PRESETS)),
    ),
)


@bp.route("/quy/<uuid:fund_id>/sao-ke", methods=["GET", "POST"])
def statement(fund_id: UUID) -> Response | str | tuple[str, int]:
    """Uploads a bank file: it is read at once, as a dry run that records nothing."""
    shown = fund_summary(fund_id)
    if request.method == "GET":
        form = Filled(UPLOAD, {"preset": "vietcombank"})
        return render_template("treasurer/statement.html", form=form, fund=shown)
    preset = request.form.get("preset", "")
    filled = Filled(UPLOAD, {"preset": preset})
    svc = services()
    try:
        fund = svc.ledger.importable_fund(Request(actor=actor()), fund_id)
        request.max_content_length = svc.config.max_import_bytes
        sent = request.files.get("file")
        if sent is None or not sent.filename:
            raise UnreadableBankFile("Hãy chọn tệp sao kê (CSV hoặc XLSX) rồi gửi lại.")
        refuse_nul(sent.filename, "trong tên tệp")
        layout = imports.layout_of(preset)
        kept = _keep(sent.stream)
        job = imports.start_job(
            svc,
            page_request({"preset": preset, "file": sent.filename}),
            fund,
            _copy(kept),
            sent.filename,
            preset,
            layout,
            dry_run=True,
        )
    except (UnreadableBankFile, BadRequest) as error:
        filled.errors["file"] = [str(getattr(error, "detail", error))]
        return render_template("treasurer/statement.html", form=filled, fund=shown), 422
    files = dict(session.get(SESSION_KEY, {}))
    files[job["id"]] = {"kept": kept.name, "filename": sent.filename, "preset": preset}
    session[SESSION_KEY] = files
    return redirect(url_for("treasurer.statement_job", job_id=job["id"]), 303)


@bp.get("/nhap/<uuid:job_id>")
def statement_job(job_id: UUID) -> str:
    """An import: its progress while it runs (the page refreshes itself), then the dry
    run's preview line by line with the confirmation, or the report of what was not
    recorded."""
    job = readable_job(job_id)
    not_recorded = list(imports.lines_not_recorded(services(), str(job_id), PREVIEW_LINES))
    kept = session.get(SESSION_KEY, {}).get(str(job_id))
    preview: list[dict[str, Any]] = []
    if job["dry_run"] and job["status"] == "done" and kept and not kept.get("confirmed"):
        preview = _preview(kept, {int(line["row"]): line for line in not_recorded})
    return render_template(
        "treasurer/import.html",
        job=job,
        fund=fund_summary(UUID(job["fund_id"])),
        not_recorded=not_recorded,
        preview=preview,
        kept=kept,
        refresh=REFRESH_SECONDS if job["status"] == "running" else None,
        words=imports.OUTCOME_WORDS,
        key=str(uuid4()),
    )


@bp.post("/nhap/<uuid:job_id>/xac-nhan")
def confirm(job_id: UUID) -> Response:
    """Imports the previewed file for real, with the repeated lines the treasurer ticked
    as different gifts; sent twice, it goes to the import it started the first time."""
    job = readable_job(job_id)
    files = dict(session.get(SESSION_KEY, {}))
    kept = files.get(str(job_id))
    if kept and kept.get("confirmed"):
        return redirect(url_for("treasurer.statement_job", job_id=kept["confirmed"]), 303)
    if not kept or not (KEPT / kept["kept"]).exists():
        raise Conflict(
            "Tệp của lần xem trước này không còn trên máy chủ (đã quá một ngày hoặc đã "
            "nhập). Hãy tải tệp sao kê lên lại."
        )
    svc = services()
    fund = svc.ledger.importable_fund(Request(actor=actor()), UUID(job["fund_id"]))
    repeats = sorted({int(row) for row in request.form.getlist("lap") if row.isdigit()})
    started = imports.start_job(
        svc,
        page_request({"confirm": str(job_id), "repeats": repeats}),
        fund,
        KEPT / kept["kept"],
        kept["filename"],
        kept["preset"],
        imports.layout_of(kept["preset"]),
        dry_run=False,
        confirmed=repeats,
    )
    files[str(job_id)] = {**kept, "confirmed": started["id"]}
    session[SESSION_KEY] = files
    return redirect(url_for("treasurer.statement_job", job_id=started["id"]), 303)


@bp.get("/nhap/<uuid:job_id>/bao-cao.csv")
def statement_report(job_id: UUID) -> Response:
    """Every line of the file that the import did not record, as CSV."""
    readable_job(job_id)
    lines = imports.report_csv_lines(imports.lines_not_recorded(services(), str(job_id)))
    response = Response(lines, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="bao-cao-nhap-{job_id}.csv"'
    return response


def _keep(stream: Any) -> Path:
    """The uploaded file, kept under a name nobody can guess until it is confirmed."""
    KEPT.mkdir(mode=0o700, parents=True, exist_ok=True)
    cutoff = time.time() - KEPT_SECONDS
    for old in KEPT.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    kept = KEPT / uuid4().hex
    with kept.open("wb") as out:
        shutil.copyfileobj(stream, out)
    return kept


def _copy(kept: Path) -> Path:
    """A copy of the kept file for a job, which removes the file it is given once done."""
    copy = KEPT / (uuid4().hex + ".job")
    shutil.copyfile(kept, copy)
    return copy


def _preview(kept: dict[str, Any], fates: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """The file's lines as the dry run found them: each credit it would record, and every
    other line with its outcome and reason."""
    prepared = imports.prepare(
        KEPT / kept["kept"], kept["filename"], imports.layout_of(kept["preset"])
    )
    try:
        return [_previewed(line, fates) for line in _first(prepared.lines)]
    finally:
        prepared.close()


def _first(lines: Iterator[BankLine]) -> Iterator[BankLine]:
    for number, line in enumerate(lines):
        if number >= PREVIEW_LINES:
            return
        yield line


def _previewed(line: BankLine, fates: dict[int, dict[str, Any]]) -> dict[str, Any]:
    fate = fates.get(line.row_no)
    shown: dict[str, Any] = {
        "row": line.row_no,
        "outcome": fate["outcome"] if fate else "recorded",
        "reason": fate["reason"] if fate else "",
        "occurred_on": None,
        "amount": None,
        "memo": "",
    }
    if isinstance(line, CreditLine | DebitLine):
        shown.update(occurred_on=line.occurred_on, amount=line.amount, memo=line.memo)
    return shown
