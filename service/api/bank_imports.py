"""Imports of bank files (sao kê ngân hàng): a file sent to a fund becomes a job whose
progress and report any worker can tell."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, request, url_for
from werkzeug.datastructures import FileStorage

from service.api.operation import operation, write_request
from service.api.schemas.bank_imports import ImportJobOut, ImportStartQuery
from service.application import Request
from service.application import import_jobs as imports
from service.reads.imports import readable_job
from service.web.context import actor, services
from service.web.errors import BadRequest
from service.web.guards import refuse_nul

bp = Blueprint("imports", __name__)
#: The longest file name kept with an import job (most file systems allow 255 bytes).
MAX_FILENAME = 255
#: Suffixes kept on the spooled copy of a bank file; any other is dropped.
SPOOLED_SUFFIXES = {".csv", ".txt", ".xlsx", ".xlsm", ".xls"}


@bp.post("/funds/<uuid:fund_id>/imports")
@operation(
    "Import a bank file",
    tag="imports",
    query=ImportStartQuery,
    response=ImportJobOut,
    status=202,
    accepted=ImportJobOut,
    upload="file",
    errors=(400, 401, 403, 404, 413, 422),
    creates={202: "job_id"},
)
def start_import(fund_id: UUID, query: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Starts importing the CSV or XLSX bank file sent as the multipart field ``file``:
    every credit is recorded once as a bank receipt, identified by everything the line
    says; a line identical to an earlier one only when ``confirm_repeats`` names it.
    ``dry_run`` records nothing and reports exactly what the import would. Answers 202
    with the job; read it at ``/imports/{job_id}``."""
    svc = services()
    # Who may import is known from the token alone: a caller who may not is refused
    # before a byte of the file is read.
    fund = svc.ledger.importable_fund(Request(actor=actor()), fund_id)
    request.max_content_length = svc.config.max_import_bytes
    sent = _sent_file()
    layout = imports.layout_of(query["preset"], _columns(query["columns"]), query["currency"])
    who = write_request()
    job = imports.start_job(
        svc,
        who,
        fund,
        _spooled(sent),
        sent.filename or "",
        query["preset"],
        layout,
        dry_run=query["dry_run"],
        confirmed=query["confirm_repeats"],
    )
    return _shown(job), 202


@bp.get("/imports/<uuid:job_id>")
@operation(
    "Read an import",
    tag="imports",
    response=ImportJobOut,
    errors=(401, 403, 404, 503),
)
def get_import(job_id: UUID) -> dict[str, Any]:
    """The job's status (running, done, failed), its counts and totals by outcome (they
    add up to the file's lines), the groups of identical lines, and the first 1,000
    lines not recorded; ``report_csv`` lists every one."""
    return _shown(readable_job(job_id))


@bp.get("/imports/<uuid:job_id>/report.csv")
@operation(
    "Download an import's line-by-line report",
    tag="imports",
    errors=(401, 403, 404, 503),
)
def get_import_report(job_id: UUID) -> Response:
    """Every line of the file that the import did not record, as CSV: line number,
    outcome, reason, date, document number and amount in đồng."""
    readable_job(job_id)
    svc = services()
    lines = imports.report_csv_lines(imports.lines_not_recorded(svc, str(job_id)))
    response = Response(lines, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="bao-cao-nhap-{job_id}.csv"'
    return response


def _shown(job: dict[str, Any]) -> dict[str, Any]:
    listed = imports.lines_not_recorded(services(), str(job["id"]), LISTED_LINES)
    return {
        **job,
        "not_recorded": list(listed),
        "report_csv": url_for("imports.get_import_report", job_id=job["id"]),
    }


#: How many lines not recorded the job's JSON lists (the CSV has every one).
LISTED_LINES = 1000


def _sent_file() -> FileStorage:
    """The bank file sent as the multipart field ``file``, with a name a job may keep."""
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        raise BadRequest(
            "Hãy gửi tệp sao kê trong trường “file” của biểu mẫu multipart/form-data.",
            {"file": ["Cần một tệp CSV hoặc XLSX."]},
        )
    _check_filename(sent.filename)
    return sent


def _spooled(sent: FileStorage) -> Path:
    """A copy of the sent file on disk, for the job's thread to read."""
    suffix = Path(sent.filename or "").suffix.lower()
    suffix = suffix if suffix in SPOOLED_SUFFIXES else ""
    with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as spooled:
        shutil.copyfileobj(sent.stream, spooled)
    return Path(spooled.name)


def _check_filename(name: str) -> None:
    """A file's name is kept with its job: no NUL, no name longer than a file system's."""
    refuse_nul(name, "trong tên tệp")
    if len(name) > MAX_FILENAME:
        raise BadRequest(
            f"Tên tệp dài {len(name)} ký tự, quá {MAX_FILENAME} ký tự cho phép; "
            "hãy đổi tên tệp cho ngắn lại rồi gửi lại.",
            {"file": [f"Tên tệp tối đa {MAX_FILENAME} ký tự."]},
        )


def _columns(text: str | None) -> dict[str, str] | None:
    if not text:
        return None
    try:
        columns = json.loads(text)
    except ValueError:
        columns = None
    if not isinstance(columns, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
    ):
        raise BadRequest(
            "Phần cột (columns) phải là một đối tượng JSON gồm tên trường và tiêu đề cột.",
            {"columns": ['Ví dụ {"date": "Ngày GD", "amount": "Số tiền ghi có"}.']},
        )
    return columns
