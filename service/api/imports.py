"""Bank-statement imports: a file sent to a fund becomes a job whose progress and report
any worker can tell."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any
from uuid import UUID

from flask import Blueprint, request

from service import imports
from service.api.errors import BadRequest
from service.api.operation import actor, operation, services, write_request
from service.api.schemas import ImportJobOut, ImportQuery
from service.domain.errors import Forbidden, ImportNotFound

bp = Blueprint("imports", __name__)


@bp.post("/funds/<uuid:fund_id>/imports")
@operation(
    "Import a bank statement",
    tag="imports",
    query=ImportQuery,
    response=ImportJobOut,
    status=202,
    accepted=ImportJobOut,
    upload="file",
    errors=(400, 401, 403, 404, 413, 422),
)
def start_import(fund_id: UUID, query: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Starts importing the CSV or XLSX statement sent as the multipart field ``file``:
    every credit is recorded once as a bank receipt, keyed by the bank's reference.
    ``dry_run`` records nothing and reports what would be recorded, the duplicates and
    the bad rows. Answers 202 with the job; read it at ``/imports/{job_id}``."""
    svc = services()
    request.max_content_length = svc.config.max_import_bytes
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        raise BadRequest(
            "Hãy gửi tệp sao kê trong trường “file” của biểu mẫu multipart/form-data.",
            {"file": ["Cần một tệp CSV hoặc XLSX."]},
        )
    layout = imports.layout_of(query["preset"], _columns(query["columns"]))
    who = write_request()
    fund = svc.ledger.importable_fund(who, fund_id)
    suffix = Path(sent.filename).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as spooled:
        shutil.copyfileobj(sent.stream, spooled)
    job = imports.start_job(
        svc,
        who,
        fund_id,
        fund.unit_path,
        Path(spooled.name),
        sent.filename,
        query["preset"],
        layout,
        dry_run=query["dry_run"],
    )
    return job, 202


@bp.get("/imports/<uuid:job_id>")
@operation(
    "Read an import",
    tag="imports",
    response=ImportJobOut,
    errors=(401, 403, 404, 503),
)
def get_import(job_id: UUID) -> dict[str, Any]:
    """The job's status (running, done, failed), its counts, and the duplicate and bad
    rows with their line numbers in the file (the first 1,000 of each)."""
    job = imports.job(services(), str(job_id))
    if job is None:
        raise ImportNotFound(
            "Không có lần nhập sao kê nào với mã này. Hãy kiểm tra lại mã.", job_id=str(job_id)
        )
    if not actor().reaches(job["unit_path"]):
        raise Forbidden(
            "Mã truy cập này không được xem các lần nhập sao kê của đơn vị ngoài đơn vị của mình."
        )
    return job


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
