"""What a fund records: receipts and disbursements, the donors and goods they name, and
the ids and slip numbers by which an entry is found again.

The id of an entry is derived from the fund and the event's version, so an entry can be
found again in the store without an index and without replaying the fund's history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from service.domain.currency import Foreign
from service.domain.errors import InvalidInput
from service.domain.money import Money
from service.domain.text import normalise, required_name
from service.domain.vocabulary import GOODS_CHANNELS_TEXT, Category, Channel, DonorKind

#: No voucher may be dated before this day.
EARLIEST_VOUCHER_DATE = date(1990, 1, 1)


def entry_id_for(fund_id: UUID, version: int) -> UUID:
    """The id of the entry recorded as version ``version`` of the fund."""
    return UUID(bytes=fund_id.bytes[:8] + version.to_bytes(8, "big"))


def slip_reference(fund_id: UUID, year: int, slip_no: int, prefix: str = "PT") -> str:
    """The text by which anyone finds a cash slip, a receipt slip (phiếu thu, PT) or a
    payment slip (phiếu chi, PC): the number alone repeats in every fund and year, so the
    year and 48 bits of the fund's id go with it."""
    return f"{prefix}-{year}-{slip_no:06d}-{fund_id.hex[:12].upper()}"


#: The channels by which money comes into the fund's cash box: their receipts take a
#: receipt slip (phiếu thu). A bank credit carries the bank's credit advice (giấy báo Có,
#: its ``bank_ref``) instead, and goods take no money slip.
CASH_CHANNELS = frozenset(c for c in Channel if c is not Channel.BANK and not c.is_goods)
#: How a disbursement is paid: from the cash box, with a payment slip (phiếu chi), or from
#: the bank account, with the bank's payment order (ủy nhiệm chi, its ``bank_ref``).
PAID_IN_CASH, PAID_BY_BANK = "cash", "bank"


def entry_version(fund_id: UUID, entry_id: UUID) -> int | None:
    """The fund version at which ``entry_id`` was recorded, or None if it is not the fund's."""
    if entry_id.bytes[:8] != fund_id.bytes[:8]:
        return None
    return int.from_bytes(entry_id.bytes[8:], "big")


@dataclass(frozen=True)
class Donor:
    name: str | None
    kind: DonorKind
    #: The account the gift came from, masked to its last three digits (a bank statement's).
    account: str | None = None

    def __post_init__(self) -> None:
        if self.kind is not DonorKind.ANONYMOUS and not normalise(self.name or ""):
            raise InvalidInput(
                "donor.name",
                "Cần có tên người ủng hộ, trừ khi ủng hộ ẩn danh. Hãy nhập tên hoặc chọn ẩn danh.",
            )

    @property
    def public_name(self) -> str | None:
        """The name kept in the ledger: none at all for a gift given anonymously."""
        if self.kind is DonorKind.ANONYMOUS:
            return None
        return normalise(self.name or "") or None


@dataclass(frozen=True)
class InKind:
    """Goods donated instead of money: counted by quantity and valued in đồng."""

    description: str
    quantity: int
    unit: str

    def __post_init__(self) -> None:
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int):
            raise InvalidInput(
                "in_kind.quantity", "Số lượng phải là số nguyên. Hãy nhập lại số lượng."
            )
        if self.quantity <= 0:
            raise InvalidInput(
                "in_kind.quantity", "Số lượng phải lớn hơn 0. Hãy nhập lại số lượng."
            )

    def facts(self) -> dict[str, Any]:
        """The goods as events record them, names normalised."""
        return {
            "description": required_name("in_kind.description", self.description),
            "quantity": self.quantity,
            "unit": required_name("in_kind.unit", self.unit, max_length=50),
        }


def stock_item(goods: Mapping[str, Any]) -> str:
    """The key under which a fund counts goods of one kind: the same description and
    unit of measure, whatever their case or spacing ("Gạo"/"bao" and "gạo "/"Bao")."""
    return f"{normalise(goods['description']).casefold()}|{normalise(goods['unit']).casefold()}"


def stock_after(
    stock: Mapping[str, int], goods: Mapping[str, Any], quantity: int
) -> dict[str, int]:
    """A fund's stock after ``quantity`` of ``goods`` came in (or, negative, went out):
    a kind of goods of which none is left is no longer listed."""
    item = stock_item(goods)
    held = stock.get(item, 0) + quantity
    return {
        **{key: count for key, count in stock.items() if key != item},
        **({item: held} if held else {}),
    }


@dataclass(frozen=True)
class Receipt:
    amount: Money
    occurred_on: date
    donor: Donor
    channel: Channel
    voucher_no: str | None = None
    bank_ref: str | None = None
    pledge_id: UUID | None = None
    in_kind: InKind | None = None
    note: str | None = None
    #: With ``pledge_id``: what exceeds the pledge's outstanding amount is a plain gift.
    surplus_as_gift: bool = False
    #: The campaign (cuộc vận động) the gift was given to.
    campaign_id: UUID | None = None
    #: A gift in a foreign currency: ``amount`` is then its đồng value on the day.
    foreign: Foreign | None = None

    def __post_init__(self) -> None:
        if self.foreign is not None and self.in_kind is not None:
            raise InvalidInput(
                "currency", "Hiện vật không ghi bằng ngoại tệ. Hãy ghi giá trị bằng đồng."
            )
        if self.channel.is_goods != (self.in_kind is not None):
            raise InvalidInput(
                "in_kind",
                f"Chỉ ghi hiện vật (in_kind) khi hình thức là hiện vật ({GOODS_CHANNELS_TEXT}), "
                "và khi đó phải ghi. "
                "Hãy sửa lại hình thức hoặc phần mô tả hiện vật.",
            )


@dataclass(frozen=True)
class Disbursement:
    amount: Money
    occurred_on: date
    category: Category
    household_id: UUID | None = None
    house_project_id: UUID | None = None
    grant_id: UUID | None = None
    voucher_no: str | None = None
    note: str | None = None
    #: Why the household is supported again this year in the same category.
    repeat_reason: str | None = None
    #: A scholarship's student, sealed by the application: the name as ciphertext under
    #: the household's key, a blind index of it, the school and the school year.
    student: dict[str, str] | None = None
    #: Goods from the fund's stock given out instead of money, valued at ``amount``.
    in_kind: InKind | None = None
    #: ``cash`` (a payment slip is numbered) or ``bank`` (the bank's payment order).
    channel: str = PAID_IN_CASH
    bank_ref: str | None = None
    #: The campaign (cuộc vận động) whose support it is.
    campaign_id: UUID | None = None

    def __post_init__(self) -> None:
        if self.channel not in (PAID_IN_CASH, PAID_BY_BANK):
            raise InvalidInput(
                "channel",
                "Khoản chi chỉ trả bằng tiền mặt (cash) hoặc qua ngân hàng (bank). "
                "Hãy chọn một trong hai.",
            )


def needs_approval(amount: int, approval_threshold: int | None) -> bool:
    """Whether a payment of ``amount`` waits for an approver under the unit's threshold."""
    return approval_threshold is not None and amount > approval_threshold


def optional_text(text: str | None) -> str | None:
    """Free text as a fund records it: normalised, and None when nothing is left."""
    return normalise(text) or None if text else None
