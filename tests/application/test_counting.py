"""What an entry counts as, written once by the ledger from its event: whether it stands
(``counted``) and whether it moves money (``is_money``); and the channels of goods, from
which the cash channels and the receipt's rules derive."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from service.application import Ledger
from service.bootstrap import Services
from service.domain.entries import CASH_CHANNELS, Disbursement, Donor, InKind, Receipt
from service.domain.money import Money
from service.domain.vocabulary import GOODS_CHANNELS, Category, Channel, DonorKind
from tests.application.test_ledger import open_fund

DAY = date(2025, 3, 1)
RICE = InKind("Gạo", 50, "bao")


def gift(amount: int, channel: Channel = Channel.CASH, goods: InKind | None = None) -> Receipt:
    donor = Donor("Nguyễn Văn An", DonorKind.INDIVIDUAL)
    return Receipt(Money(amount), DAY, donor, channel, in_kind=goods)


def test_every_channel_is_the_bank_the_cash_box_or_goods() -> None:
    assert {Channel.CASH, Channel.PAYROLL, Channel.OTHER} == CASH_CHANNELS
    assert Channel.IN_KIND.is_goods
    assert not CASH_CHANNELS & GOODS_CHANNELS
    assert CASH_CHANNELS | GOODS_CHANNELS | {Channel.BANK} == set(Channel)


def test_an_entry_stands_until_reversed_and_goods_count_as_no_money(
    services: Services, ledger: Ledger
) -> None:
    fund, treasurer = open_fund(ledger)
    cash = ledger.record_receipt(treasurer, fund, gift(5_000_000))
    ledger.record_receipt(treasurer, fund, gift(2_000_000, Channel.BANK))
    ledger.record_receipt(treasurer, fund, gift(10_000_000, Channel.IN_KIND, RICE))
    ledger.record_disbursement(
        treasurer,
        fund,
        Disbursement(Money(4_000_000), DAY, Category.TET_GIFT, in_kind=InKind("Gạo", 20, "bao")),
    )
    last = ledger.reverse_entry(treasurer, fund, UUID(cash.body["entry_id"]), "Ghi nhầm")
    services.runner.wait_for(last.position, timeout=5)

    with services.db.transaction() as tx:
        rows = tx.all(
            "SELECT kind, counts_as, counted, is_money FROM ledger_entries "
            "WHERE fund_id = :fund ORDER BY seq",
            {"fund": str(fund)},
        )
    assert [
        (row["kind"], row["counts_as"], bool(row["counted"]), bool(row["is_money"])) for row in rows
    ] == [
        ("receipt", "receipt", False, True),  # reversed: it stands no more
        ("receipt", "receipt", True, True),
        ("receipt", "receipt", True, False),  # goods
        ("disbursement", "disbursement", True, False),  # goods given out
        ("reversal", "receipt", False, True),  # a reversal never stands
    ]
