"""The `ledger` projection: one row per entry with its running balance; a reversal marks
the entry it reverses and counts, negative, as that entry did; transfers name both sides."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from service.bootstrap import Services
from service.domain.funds import Donor, InKind
from service.domain.money import Money
from service.domain.vocabulary import Category, Channel, DonorKind, FundKind
from service.projections.ledger import LedgerProjection
from tests.projections.conftest import DAY, Commune, one, replay, rows


def entries(services: Services, fund: UUID) -> list[dict[str, Any]]:
    return rows(
        services, "SELECT * FROM ledger_entries WHERE fund_id = :f ORDER BY seq", f=str(fund)
    )


def test_each_entry_is_a_row_with_the_running_balance_of_its_fund(
    services: Services, commune: Commune
) -> None:
    commune.receive(5_000_000, donor=Donor("NGUYỄN Văn  An", DonorKind.INDIVIDUAL), note="Ủng hộ")
    commune.receive(2_000_000, channel=Channel.BANK, bank_ref="FT25060123")
    commune.pay(1_500_000, category=Category.MEDICAL, voucher_no="PC-01")

    replay(services, LedgerProjection())

    found = entries(services, commune.fund)
    assert [(e["kind"], e["amount"], e["effect"], e["running_balance"]) for e in found] == [
        ("receipt", 5_000_000, 5_000_000, 5_000_000),
        ("receipt", 2_000_000, 2_000_000, 7_000_000),
        ("disbursement", 1_500_000, -1_500_000, 5_500_000),
    ]
    gift, banked, paid = found
    assert gift["occurred_on"] == DAY.isoformat()
    assert (gift["channel"], gift["donor_name"], gift["donor_kind"]) == (
        "cash",
        "NGUYỄN Văn An",  # as the domain keeps it, spaces tidied
        "individual",
    )
    assert gift["donor_key"] == "nguyen van an"
    assert "ung ho" in gift["search_text"]
    assert gift["slip_no"] == 1
    assert gift["slip_ref"].startswith("PT-")
    assert (banked["channel"], banked["bank_ref"]) == ("bank", "FT25060123")
    assert banked["slip_no"] is None  # a bank credit advice stands for the slip
    assert (paid["category"], paid["voucher_no"], paid["donor_key"]) == ("medical", "PC-01", None)
    assert [(e["counts_as"], e["signed_amount"], e["account"]) for e in found] == [
        ("receipt", 5_000_000, "cash"),
        ("receipt", 2_000_000, "bank"),
        ("disbursement", 1_500_000, "cash"),
    ]
    assert [e["reversed_by_entry_id"] for e in found] == [None, None, None]
    assert {e["actor"] for e in found} == {"Thủ quỹ"}


def test_a_reversal_marks_the_entry_and_counts_negative_under_its_kind_and_account(
    services: Services, commune: Commune
) -> None:
    commune.receive(4_000_000)
    wrong = commune.receive(900_000, channel=Channel.BANK, bank_ref="FT1")
    reversal = UUID(commune.reverse(wrong, "Ngân hàng chuyển nhầm")["entry_id"])

    replay(services, LedgerProjection())

    reversed_, undone = entries(services, commune.fund)[1:]
    assert reversed_["entry_id"] == str(wrong)
    assert reversed_["reversed_by_entry_id"] == str(reversal)
    assert (undone["entry_id"], undone["kind"], undone["reverses_entry_id"]) == (
        str(reversal),
        "reversal",
        str(wrong),
    )
    assert (undone["amount"], undone["effect"], undone["running_balance"]) == (
        900_000,
        -900_000,
        4_000_000,
    )
    assert undone["reason"] == "Ngân hàng chuyển nhầm"
    assert (undone["counts_as"], undone["signed_amount"]) == ("receipt", -900_000)
    assert (undone["account"], undone["channel"]) == ("bank", "bank")
    assert undone["reversed_by_entry_id"] is None


def test_goods_are_entries_with_no_account_and_keep_their_quantity(
    services: Services, commune: Commune
) -> None:
    rice = commune.receive(2_000_000, channel=Channel.IN_KIND, in_kind=InKind("Gạo", 100, "kg"))
    commune.reverse(rice)

    replay(services, LedgerProjection())

    received, reversal = entries(services, commune.fund)
    assert (received["effect"], received["running_balance"], received["account"]) == (0, 0, None)
    assert (received["in_kind_description"], received["in_kind_quantity"]) == ("Gạo", 100)
    assert received["in_kind_unit"] == "kg"
    assert (reversal["effect"], reversal["account"], reversal["signed_amount"]) == (
        0,
        None,
        -2_000_000,
    )
    assert reversal["in_kind_description"] == "Gạo"


def test_a_transfer_is_a_row_in_each_fund_naming_the_other_side(
    services: Services, commune: Commune
) -> None:
    other = UUID(
        commune.ledger.open_fund(
            commune.treasurer, commune.unit, "Quỹ Cứu trợ", FundKind.RELIEF
        ).body["id"]
    )
    commune.receive(5_000_000)
    sent = commune.ledger.record_transfer(
        commune.treasurer, commune.fund, other, Money(3_000_000), DAY, "Điều tiết"
    ).body

    replay(services, LedgerProjection())

    out = one(services, "SELECT * FROM ledger_entries WHERE entry_id = :e", e=sent["entry_id"])
    into = one(
        services, "SELECT * FROM ledger_entries WHERE entry_id = :e", e=sent["counterpart_entry_id"]
    )
    assert (out["kind"], out["effect"], out["running_balance"]) == (
        "transfer_out",
        -3_000_000,
        2_000_000,
    )
    assert (into["kind"], into["fund_id"], into["running_balance"]) == (
        "transfer_in",
        str(other),
        3_000_000,
    )
    assert (out["counterparty_fund_id"], into["counterparty_fund_id"]) == (
        str(other),
        str(commune.fund),
    )
    assert into["counterpart_entry_id"] == str(out["entry_id"])
    assert (out["account"], into["account"], into["note"]) == ("bank", "bank", "Điều tiết")


def test_running_balances_are_the_same_fed_one_event_a_page(
    services: Services, commune: Commune
) -> None:
    for amount in (1_000_000, 2_000_000, 3_000_000):
        commune.receive(amount)
    commune.pay(500_000)
    replay(services, LedgerProjection())
    whole = entries(services, commune.fund)

    replay(services, LedgerProjection(), page_size=1)

    assert entries(services, commune.fund) == whole
    assert [e["running_balance"] for e in whole] == [1_000_000, 3_000_000, 6_000_000, 5_500_000]
