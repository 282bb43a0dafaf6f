"""Closed periods for what a unit counts: its houses handed over, its grants delivered and
its targets.

A report counts a case by the unit of its household, and a unit's report with its
children counts the cases of every unit below it. So a case's date is closed when the
books of any fund of its unit, or of a unit above it, are closed through that date: every
report that shows the case (its unit's, and each unit's above it with the units below)
then reads the same after the close as before.
"""

from __future__ import annotations

from datetime import date

from service.domain.errors import PeriodClosed


def check_case_date(on: date, closed_through: date | None) -> None:
    """Refuses a house stage or a grant's delivery dated in a closed period."""
    if closed_through is not None and on <= closed_through:
        raise PeriodClosed(
            f"Sổ sách của đơn vị đã khóa đến ngày {closed_through:%d/%m/%Y}: ngày "
            f"{on:%d/%m/%Y} thuộc kỳ đã khóa. Hãy ghi với ngày trong kỳ đang mở "
            f"(sau ngày {closed_through:%d/%m/%Y}).",
            closed_through=closed_through.isoformat(),
        )


def check_target_year(year: int, closed_through: date | None) -> None:
    """Refuses to assign the target of a year the books are closed in, wholly or in part:
    the reports of that closed period show the target as it stood at the close."""
    if closed_through is not None and closed_through >= date(year, 1, 1):
        raise PeriodClosed(
            f"Sổ sách của đơn vị đã khóa đến ngày {closed_through:%d/%m/%Y}, nên chỉ tiêu "
            f"năm {year} giữ nguyên như lúc khóa sổ và không thể giao lại. Chỉ tiêu chỉ giao "
            "được cho những năm chưa khóa sổ.",
            closed_through=closed_through.isoformat(),
            year=year,
        )
