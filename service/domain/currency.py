"""Money in other currencies than đồng (ngoại tệ): the ISO 4217 codes a fund may hold,
amounts in their minor units (USD cents) as integers, the bank's rate as an exact
decimal, and what a holding is carried at in the books (its đồng value, at average cost).

A gift in a foreign currency is valued in đồng on its day: at the đồng the bank credited
when it converted, or at the rate the treasurer enters with its source. The fund holds
the currency itself beside its đồng; selling it for đồng takes the holding out at its
average cost and books the difference as an exchange gain or loss (``chart.EXCHANGE``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from service.domain.errors import InsufficientFunds, InvalidInput
from service.domain.money import MAX_ENTRY_DONG, Money, vnd

#: Đồng: the books' own currency, and every amount that names no other.
DONG = "VND"
#: The currencies a fund may hold, by ISO 4217 code, with their minor unit's exponent.
CURRENCIES: Mapping[str, int] = {
    "AUD": 2,
    "CAD": 2,
    "CHF": 2,
    "CNY": 2,
    "DKK": 2,
    "EUR": 2,
    "GBP": 2,
    "HKD": 2,
    "JPY": 0,
    "KHR": 2,
    "KRW": 0,
    "LAK": 2,
    "NOK": 2,
    "NZD": 2,
    "SEK": 2,
    "SGD": 2,
    "THB": 2,
    "TWD": 2,
    "USD": 2,
}
#: The largest amount of a currency one entry may carry, in its minor units.
MAX_FOREIGN_MINOR = 10**15
#: The largest rate accepted (đồng for one unit of the currency).
MAX_RATE = Decimal(10_000_000)
_RATE = re.compile(r"^[0-9]{1,9}(\.[0-9]{1,12})?$")
#: Where a rate entered by hand comes from, e.g. "Vietcombank, tỷ giá mua chuyển khoản".
RATE_SOURCE_MAX = 200
#: The rate source of a value the bank credited in đồng.
CONVERTED_BY_BANK = "bank_converted"


def currency_code(value: str, field: str = "currency") -> str:
    """An ISO 4217 code of a foreign currency the fund may hold."""
    code = value.strip().upper()
    if code == DONG:
        return DONG
    if code not in CURRENCIES:
        known = ", ".join(sorted(CURRENCIES))
        raise InvalidInput(
            field,
            f"Không nhận loại tiền “{value}”. Hãy ghi mã ISO 4217 của một trong các loại: "
            f"VND, {known}.",
        )
    return code


def exponent(code: str) -> int:
    return 0 if code == DONG else CURRENCIES[code]


def minor_amount(value: int, field: str = "amount") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidInput(
            field,
            "Số ngoại tệ phải là số nguyên dương theo đơn vị nhỏ nhất (USD: xu, 100 USD là "
            "10000). Hãy nhập lại số tiền.",
        )
    if value > MAX_FOREIGN_MINOR:
        raise InvalidInput(field, "Số ngoại tệ quá lớn. Hãy kiểm tra lại số tiền.")
    return value


def rate_of(text: str, field: str = "rate") -> Decimal:
    """A rate as the treasurer writes it: đồng for one unit, an exact decimal string
    with a point ("24500", "24510.5"); never a float."""
    if not isinstance(text, str) or not _RATE.match(text.strip()):
        raise InvalidInput(
            field,
            "Tỷ giá phải là một số thập phân viết dạng chuỗi, dấu chấm ngăn phần lẻ "
            '(ví dụ "24500" hoặc "24510.5"). Hãy nhập lại tỷ giá.',
        )
    rate = Decimal(text.strip())
    if rate <= 0 or rate > MAX_RATE:
        raise InvalidInput(field, "Tỷ giá phải lớn hơn 0 và hợp lý. Hãy kiểm tra lại tỷ giá.")
    return rate


def dong_at(amount: int, code: str, rate: Decimal) -> int:
    """The đồng value of ``amount`` minor units at ``rate`` (đồng per unit), to the
    nearest đồng, halves up."""
    value = Decimal(amount) * rate / (Decimal(10) ** exponent(code))
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def shown(amount: int, code: str) -> str:
    """An amount of a currency as Vietnamese readers write it: 1.250,50 USD."""
    places = exponent(code)
    whole, part = divmod(abs(amount), 10**places) if places else (abs(amount), 0)
    sign = "-" if amount < 0 else ""
    text = f"{whole:,}".replace(",", ".")
    if places:
        text += "," + str(part).rjust(places, "0")
    return f"{sign}{text} {code}"


def with_original(dong: int, code: str | None, amount: int | None) -> str:
    """Đồng with the original currency beside it: 2.450.000 đ (100,00 USD)."""
    if not code or code == DONG or amount is None:
        return vnd(dong)
    return f"{vnd(dong)} ({shown(amount, code)})"


@dataclass(frozen=True)
class Foreign:
    """What a receipt in a foreign currency adds: the currency, its amount in minor units
    and its đồng value on the day, with the rate and where it came from."""

    currency: str
    amount: int
    dong: int
    #: The rate entered (đồng per unit), or None when the bank's credited đồng is given.
    rate: Decimal | None
    rate_source: str

    @classmethod
    def of(
        cls,
        currency: str,
        amount: int,
        vnd_amount: int | None,
        rate: str | None,
        rate_source: str | None,
    ) -> Foreign:
        code = currency_code(currency)
        if code == DONG:
            raise InvalidInput(
                "currency", "Khoản thu bằng đồng không cần ghi loại tiền. Hãy bỏ trường currency."
            )
        minor_amount(amount)
        if (vnd_amount is None) == (rate is None):
            raise InvalidInput(
                "vnd_amount",
                "Khoản thu ngoại tệ cần đúng một trong hai: số đồng ngân hàng đã ghi có "
                "(vnd_amount) khi ngân hàng quy đổi, hoặc tỷ giá (rate) kèm nguồn (rate_source). "
                "Hãy ghi một trong hai, không ghi cả hai.",
            )
        if vnd_amount is not None:
            dong = Money(vnd_amount).dong
            return cls(code, amount, dong, None, (rate_source or "").strip() or CONVERTED_BY_BANK)
        assert rate is not None
        exact = rate_of(rate)
        source = (rate_source or "").strip()
        if not source or len(source) > RATE_SOURCE_MAX:
            raise InvalidInput(
                "rate_source",
                "Tỷ giá nhập tay cần ghi nguồn, không quá "
                f"{RATE_SOURCE_MAX} ký tự. Hãy ghi ngân hàng và loại tỷ giá của ngày đó "
                "(ví dụ: Vietcombank, tỷ giá mua chuyển khoản).",
            )
        dong = dong_at(amount, code, exact)
        if dong <= 0 or dong > MAX_ENTRY_DONG:
            raise InvalidInput(
                "rate", "Giá trị quy đổi ra đồng không hợp lệ. Hãy kiểm tra lại số tiền và tỷ giá."
            )
        return cls(code, amount, dong, exact, source)

    def facts(self) -> dict[str, object]:
        """The facts an event keeps: the rate as its exact decimal string."""
        return {
            "currency": self.currency,
            "foreign_amount": self.amount,
            "rate": None if self.rate is None else str(self.rate),
            "rate_source": self.rate_source,
        }


@dataclass(frozen=True)
class CurrencySale:
    """Currency the fund sells to a bank for đồng (bán ngoại tệ)."""

    currency: str
    amount: int
    dong: Money
    occurred_on: date
    #: ``bank`` (the fund's foreign-currency account) or ``cash`` (the cash box).
    channel: str = "bank"
    bank_ref: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if currency_code(self.currency) in (DONG,):
            raise InvalidInput(
                "currency", "Chỉ bán ngoại tệ; đồng không cần bán. Hãy chọn loại ngoại tệ."
            )
        minor_amount(self.amount)
        if self.channel not in ("bank", "cash"):
            raise InvalidInput(
                "channel",
                "Ngoại tệ bán từ tài khoản ngân hàng (bank) hoặc quỹ tiền mặt (cash). "
                "Hãy chọn một trong hai.",
            )


#: A holding of one currency: its amount in minor units and the đồng it is carried at.
Holding = Mapping[str, int]


def where_held(channel: str | None) -> str:
    """Where foreign currency is kept: ``bank`` (the foreign-currency account, 1122) for a
    bank credit, ``cash`` (the cash box, 1112) for anything else."""
    return "bank" if channel == "bank" else "cash"


def holding_key(currency: str, held_in: str) -> str:
    """A holding's key: the currency and where it is kept, as ``bank:USD``."""
    return f"{held_in}:{currency}"


_PLACES = {"bank": "trên tài khoản ngoại tệ", "cash": "trong quỹ tiền mặt"}


def holdings_after(holdings: Mapping[str, Holding], moved: Mapping[str, Any]) -> dict[str, Holding]:
    """The holdings after ``moved`` (its ``currency``, ``held_in``, ``amount`` in minor
    units and ``value`` in đồng) comes in, or goes out when negative; a holding emptied
    of both is dropped."""
    key = holding_key(moved["currency"], moved["held_in"])
    held = holdings.get(key, {"amount": 0, "value": 0})
    after = {"amount": held["amount"] + moved["amount"], "value": held["value"] + moved["value"]}
    rest = {code: h for code, h in holdings.items() if code != key}
    return rest if after == {"amount": 0, "value": 0} else {**rest, key: after}


def carrying_out(holding: Holding, amount: int) -> int:
    """The đồng carrying value of ``amount`` minor units taken out of ``holding``, at
    its average cost; the last units take what is left, so nothing stays behind."""
    if amount >= holding["amount"]:
        return holding["value"]
    share = Decimal(holding["value"]) * amount / holding["amount"]
    return int(share.to_integral_value(rounding=ROUND_HALF_UP))


def check_held(holdings: Mapping[str, Holding], currency: str, held_in: str, amount: int) -> None:
    """Refuses to take out more of a currency than the fund holds where it is kept."""
    held = holdings.get(holding_key(currency, held_in), {"amount": 0, "value": 0})["amount"]
    if amount > held:
        raise InsufficientFunds(
            f"Quỹ chỉ còn {shown(held, currency)} ({_PLACES[held_in]}), ít hơn "
            f"{shown(amount, currency)}. "
            "Hãy kiểm tra lại số tiền hoặc nhận thêm ngoại tệ vào quỹ trước.",
            currency=currency,
            held=held,
        )
