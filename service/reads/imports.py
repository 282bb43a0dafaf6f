"""An import of a bank file as a token may read it, for the API's routes and the
treasurers' pages."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from service.application import import_jobs as imports
from service.domain.errors import Forbidden, ImportNotFound
from service.web.context import actor, services


def readable_job(job_id: UUID) -> dict[str, Any]:
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
