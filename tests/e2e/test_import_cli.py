"""`sovang import receipts`, run as an operator would, on both stores."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from service import Services
from service.config import Config
from service.domain.vocabulary import FundKind, Level
from tests.conftest import ADMIN, treasurer_of
from tests.e2e.cli import sovang

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "sao-ke-vietcombank.csv"


def test_sovang_import_receipts_records_the_sample_once_and_names_its_bad_row(
    database_url: str,
) -> None:
    services = Services(Config(database_url=database_url))
    try:
        ledger = services.ledger
        unit = UUID(
            ledger.register_unit(ADMIN, "Xã Cẩm Bình", Level.COMMUNE, None, None).body["id"]
        )
        fund = ledger.open_fund(treasurer_of(unit), unit, "Quỹ Cứu trợ", FundKind.RELIEF).body["id"]
    finally:
        services.close()
    args = ("import", "receipts", str(SAMPLE), "--fund", fund, "--preset", "vietcombank")

    dry = sovang(database_url, *args, "--dry-run", "--by", "Thủ quỹ xã").stdout
    done = sovang(database_url, *args, "--by", "Thủ quỹ xã").stdout
    again = sovang(database_url, *args).stdout

    assert "sẽ ghi 5 khoản thu, 13.650.000 đ" in dry
    assert "đã ghi 5 khoản thu, 13.650.000 đ" in done
    assert "lỗi: dòng 12: Số tiền (amount) “abc” không phải là số." in done
    assert "đã ghi 0 khoản thu, 0 đ; 0 khoản gắn với cam kết ủng hộ; 5 dòng trùng" in again
    services = Services(Config(database_url=database_url))
    try:
        assert services.ledger.fund(UUID(fund)).balance == 13_650_000
        with services.db.transaction() as tx:
            actors = tx.all(
                "SELECT DISTINCT actor FROM ledger_entries WHERE fund_id = :fund", {"fund": fund}
            )
        assert actors == [{"actor": "Thủ quỹ xã"}]
    finally:
        services.close()
