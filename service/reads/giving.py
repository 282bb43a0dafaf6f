"""A fund's (or a pledge's) VietQR code, as the API and the pages show it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from service.adapters.db import Row, Transaction
from service.domain import vietqr
from service.domain.memo_codes import Names, code_for
from service.projections import giving as giving_view

#: What a memo says after the code: "ủng hộ" without diacritics, as banks carry it.
MEMO_WORDS = "UNG HO"


def vietqr_of(account: Row, names: Names, id_: UUID, amount: int | None = None) -> dict[str, Any]:
    """The VietQR code that pays into ``account`` with the memo code of ``id_``."""
    code = code_for(names, id_).text
    memo = f"{code} {MEMO_WORDS}"
    payload = vietqr.encode(
        vietqr.TransferCode(account["bank_bin"], account["account_number"], amount, memo)
    )
    return {
        "payload": payload,
        "bank_bin": account["bank_bin"],
        "account_number": account["account_number"],
        "account_name": account["account_name"],
        "memo_code": code,
        "memo": memo,
        "amount": amount,
    }


def fund_vietqr(tx: Transaction, fund_id: UUID) -> dict[str, Any] | None:
    """The fund's VietQR code, or None while the fund has no giving account."""
    account = giving_view.account(tx, str(fund_id))
    return None if account is None else vietqr_of(account, Names.FUND, fund_id)
