"""The currency of a bank file's line: a foreign-currency account's statement (sao kê
tài khoản ngoại tệ) prints its amounts in the currency (``200,00`` USD), in a currency
column or in the currency of the account given on import, and, when the bank converted
a credit to đồng, the đồng it credited."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from service.domain.currency import DONG, currency_code, exponent
from service.domain.errors import InvalidInput


def line_currency(cell: Any, account_currency: str | None) -> str | None:
    """The line's currency: its currency column, else the account's given on import;
    None for đồng. Raises ValueError for a code the service does not hold."""
    text = str(cell or "").strip()
    if not text:
        return None if account_currency in (None, DONG) else account_currency
    try:
        code = currency_code(text)
    except InvalidInput as error:
        raise ValueError(error.detail) from None
    return None if code == DONG else code


def parse_minor(cell: Any, code: str) -> int | None:
    """An amount of ``code`` in its minor units: ``200,00``, ``1.250,50``, ``1,250.50``,
    ``200`` or a number; None when empty. More decimals than the currency has are
    refused."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    places = exponent(code)
    if isinstance(cell, bool):
        raise ValueError(f"Số tiền “{cell}” không phải là một số.")
    if isinstance(cell, int | float):
        number = Decimal(str(cell))
    else:
        text = str(cell).replace("\xa0", "").replace(" ", "").upper().removesuffix(code).strip()
        negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
        digits = text.strip("-()+")
        if not digits or digits == "-":
            return None
        whole, fraction = split_decimal(digits)
        try:
            number = Decimal(f"{whole.replace('.', '').replace(',', '')}.{fraction or '0'}")
        except InvalidOperation:
            raise ValueError(f"Số tiền “{cell}” không phải là một số.") from None
        number = -number if negative else number
    minor = number * (Decimal(10) ** places)
    if minor != minor.to_integral_value():
        raise ValueError(f"Số tiền “{cell}” có nhiều chữ số lẻ hơn {code} có ({places}).")
    return int(minor)


def split_decimal(digits: str) -> tuple[str, str]:
    """The whole and decimal parts: the last separator is the decimal one when the other
    appears before it, or when it is the only one and not followed by three digits."""
    last = max(digits.rfind("."), digits.rfind(","))
    if last < 0:
        return digits, ""
    separator, after = digits[last], digits[last + 1 :]
    other = "," if separator == "." else "."
    if other in digits[:last] or (digits.count(separator) == 1 and len(after) != 3):
        return digits[:last], after
    return digits, ""
