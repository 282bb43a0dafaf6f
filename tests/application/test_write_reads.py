"""What a write reads before it decides (``WriteEngine._prefetch``): its Idempotency-Key's
record, its fund and the fund's unit, read in one statement over the aggregate cache.
Two services on one store stand for two workers: each write must see what the other
worker wrote since its own cache last saw the fund."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest

from service.application import Ledger, Request
from service.bootstrap import Services
from service.config import Config
from service.domain.errors import UnitMerged
from service.domain.funds import Donor, Receipt
from service.domain.money import Money
from service.domain.vocabulary import Channel, DonorKind, FundKind, Level
from tests.conftest import ADMIN, treasurer_of

DAY = date(2025, 3, 1)


@pytest.fixture
def two_workers(database_url: str, personal_data_key_path: Path) -> Iterator[tuple[Ledger, Ledger]]:
    config = Config(database_url=database_url, personal_data_key_path=personal_data_key_path)
    first, second = Services(config), Services(config)
    yield first.ledger, second.ledger
    first.close()
    second.close()


def gift(amount: int) -> Receipt:
    return Receipt(Money(amount), DAY, Donor("Phạm Thị Hoa", DonorKind.INDIVIDUAL), Channel.CASH)


def keyed(request: Request, key: str) -> Request:
    return replace(request, idempotency_key=key, fingerprint=f"receipt {key}")


def commune_with_fund(ledger: Ledger) -> tuple[UUID, UUID, UUID, Request]:
    province = UUID(
        ledger.register_unit(ADMIN, "Tỉnh Hà Tĩnh", Level.PROVINCE, None, None).body["id"]
    )
    commune = UUID(
        ledger.register_unit(ADMIN, "Xã Kỳ Anh", Level.COMMUNE, province, None).body["id"]
    )
    treasurer = treasurer_of(commune)
    fund = UUID(ledger.open_fund(treasurer, commune, "Quỹ", FundKind.FOR_THE_POOR).body["id"])
    return province, commune, fund, treasurer


def test_a_write_sees_the_other_workers_receipts_and_records(
    two_workers: tuple[Ledger, Ledger],
) -> None:
    first, second = two_workers
    _, _, fund, treasurer = commune_with_fund(first)
    first.record_receipt(keyed(treasurer, "a"), fund, gift(100_000))
    second.record_receipt(keyed(treasurer, "b"), fund, gift(20_000))
    second.record_receipt(keyed(treasurer, "c"), fund, gift(3_000))

    answer = first.record_receipt(keyed(treasurer, "d"), fund, gift(400))
    again = first.record_receipt(keyed(treasurer, "b"), fund, gift(20_000))
    after = second.record_receipt(keyed(treasurer, "e"), fund, gift(5))

    assert answer.body["balance"] == 123_400
    assert again.replayed
    assert again.body["balance"] == 120_000
    assert after.body["balance"] == 123_405
    assert first.fund(fund).balance == second.fund(fund).balance == 123_405


def test_a_write_to_a_fund_of_a_unit_the_other_worker_merged_is_refused(
    two_workers: tuple[Ledger, Ledger],
) -> None:
    first, second = two_workers
    province, commune, fund, treasurer = commune_with_fund(first)
    successor = UUID(
        first.register_unit(ADMIN, "Xã Kỳ Hoa", Level.COMMUNE, province, None).body["id"]
    )
    first.record_receipt(keyed(treasurer, "a"), fund, gift(100_000))

    second.merge_unit(ADMIN, commune, successor, date(2025, 7, 1))

    with pytest.raises(UnitMerged):
        first.record_receipt(keyed(treasurer, "b"), fund, gift(1_000))
