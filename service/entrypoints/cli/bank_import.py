"""``sovang import receipts``: a bank file's credits recorded as a fund's receipts."""

from __future__ import annotations

import os
from pathlib import Path
from uuid import UUID

import click

from service.adapters.bank_files import PRESETS
from service.application.bank_import import ImportReport
from service.domain.vocabulary import Role
from service.entrypoints.cli.context import operator, progress_bar, refusals, services


@click.group("import")
def import_() -> None:
    """Đưa dữ liệu từ ngoài vào: sao kê ngân hàng."""


@import_.command("receipts")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--fund", "fund_id", type=click.UUID, required=True, help="Quỹ nhận các khoản thu.")
@click.option(
    "--preset",
    type=click.Choice(sorted(PRESETS)),
    default="sovang",
    show_default=True,
    help="Mẫu sao kê của ngân hàng.",
)
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="FIELD=LABEL",
    help="Chỉ cột theo tên tiêu đề, ví dụ --column 'amount=Số tiền ghi có'.",
)
@click.option(
    "--currency",
    default=None,
    metavar="CODE",
    help="Loại tiền của tài khoản (mã ISO 4217, ví dụ USD) khi sao kê là của tài khoản "
    "ngoại tệ và không có cột loại tiền; số đồng quy đổi đọc ở cột “Số tiền quy đổi”.",
)
@click.option("--dry-run", is_flag=True, help="Không ghi gì; chỉ báo những gì sẽ được ghi.")
@click.option(
    "--confirm-repeats",
    "confirm",
    multiple=True,
    metavar="LINES",
    help="Số dòng (ví dụ 32,45) của các dòng trùng hệt một dòng trước nhưng là khoản ủng hộ "
    "riêng; báo cáo chạy thử nêu các dòng này.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Nơi ghi mọi dòng không được ghi sổ, dạng CSV (mặc định: tên tệp sao kê thêm "
    ".bao-cao.csv, trong thư mục hiện tại).",
)
@click.option(
    "--by",
    default=lambda: os.environ.get("USER") or "operator",
    help="Người nhập sao kê, như tên sẽ ghi trên các khoản thu.",
)
def import_receipts(
    file: Path,
    fund_id: UUID,
    preset: str,
    columns: tuple[str, ...],
    currency: str | None,
    dry_run: bool,
    confirm: tuple[str, ...],
    report_path: Path | None,
    by: str,
) -> None:
    """Ghi mỗi khoản ghi có của một sao kê ngân hàng (CSV hoặc XLSX) thành một khoản thu qua
    ngân hàng, đúng một lần; báo mọi dòng khác (đã ghi, trùng hệt một dòng trước, ghi nợ,
    dòng lỗi, dòng không phải giao dịch) theo số dòng, trong một tệp CSV."""
    from service.application import import_jobs as imports

    svc = services()
    try:
        named = dict(column.split("=", 1) for column in columns)
    except ValueError:
        raise click.UsageError(
            "Hãy ghi mỗi --column theo dạng TRƯỜNG=TIÊU_ĐỀ_CỘT, ví dụ date='Ngày GD'."
        ) from None
    try:
        confirmed = {int(n) for part in confirm for n in part.replace(" ", "").split(",") if n}
    except ValueError:
        raise click.UsageError(
            "Hãy ghi --confirm-repeats bằng số dòng, cách nhau bởi dấu phẩy, ví dụ 32,45."
        ) from None
    with refusals():
        fund = svc.ledger.fund(fund_id)
        by_treasurer = operator(by, Role.TREASURER, fund.unit_id, request_id=f"import:{file.name}")
        prepared = imports.prepare(file, file.name, imports.layout_of(preset, named, currency))
        with progress_bar("chạy thử" if dry_run else "đang nhập", "dòng") as reach:

            def progress(report: ImportReport) -> None:
                reach(report.lines)

            report = imports.run(
                svc,
                by_treasurer,
                fund_id,
                prepared,
                dry_run=dry_run,
                confirmed=confirmed,
                progress=progress,
            )
    svc.runner.catch_up()
    path = report_path or Path(f"{file.stem}.bao-cao.csv")
    path.write_text(imports.report_csv(report.not_recorded), encoding="utf-8")
    for line in imports.summary(report):
        click.echo(line)
    for line in imports.repeat_notes(report):
        click.echo(line)
    listed = [row for row in report.not_recorded if row["outcome"] != "not_a_transaction"]
    for row in listed[:20]:
        click.echo(f"  dòng {row['row']}: {row['reason']}")
    if len(listed) > 20:
        click.echo(f"  … và {len(listed) - 20} dòng nữa")
    click.echo(f"báo cáo từng dòng không ghi: {path}")
