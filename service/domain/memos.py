"""The sender a bank-transfer memo names, in the shapes Vietnamese banks print.

The donor writes the memo and the bank wraps it in its own tokens (see the shapes
below); names come upper-case without diacritics. What can be read is the sender's
account (after ``CT tu``) and name: the one the bank prints beside the account
(Vietcombank's app: ``CT tu 0123456789 NGUYEN VAN A toi ...``), else the upper-case
words with which the donor's own text begins, once the bank's tokens are taken off:

- NAPAS: ``123456.100924.153012.NGUYEN VAN A chuyen tien``
- another bank: ``0200970415...``, then ``.trace.hhmmss.memo``
- Vietcombank app: ``MBVCB.1234567890.NGUYEN VAN A ung ho.CT tu 0123456789 NGUYEN VAN A
  toi 0011001932418 ...``; standing orders ``VCB.CTDK.21/08/2026.NGUYEN VAN A ung ho. CT
  tu 0123456789 toi ...``
- interbank: ``IBFT NGUYEN VAN A ung ho``; wallets ``PARTNER.DIRECT_DEBITS_VCB.MSE.NGUYEN
  VAN A ung ho`` (MoMo), ``...ZLP...`` (ZaloPay)
- MB appends ``- Ma GD ACSP/ ab123456``; VietinBank its alias ``(CT1111)``; BIDV ``;
  thoi gian GD:18/09/2024 00:50:31``; Techcombank references ``FT24262000000001``

A bank account number is personal data (a credit institution's customer information,
Decree 13/2023): only its last three digits are kept, in the donor and in the memo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.domain.text import fold, mask_digits, normalise

#: The sender's account, after the bank's "CT tu" (chuyển tiền từ).
_ACCOUNT = re.compile(r"\bCT\s+tu\s+(\d{6,19})\b", re.IGNORECASE)
#: The name Vietcombank prints between the sender's account and "toi" (tới).
_NAME_BESIDE_ACCOUNT = re.compile(r"\bCT\s+tu\s+\d{6,19}\s+(.+?)\s+toi\s+\d", re.IGNORECASE)
#: The bank's dot-ended tokens before the donor's text: ``MBVCB.123.``, ``VCB.CTDK.dd/mm/yyyy.``,
#: ``123456.100924.153012.``, ``PARTNER.DIRECT_DEBITS_VCB.MSE.``.
_LEADING_TOKENS = re.compile(r"^(?:[^\s.]+\.)+")
#: A Techcombank reference before the donor's text.
_LEADING_REFERENCE = re.compile(r"^FT\d{6,}\s+")
_LEADING_WORDS = ("IBFT ", "MBBANK IBFT ", "CKSOTAIKHOAN ", "CK ", "TRANSFER ")
#: Where the donor's own text ends and the bank's trailer begins.
_TRAILER = re.compile(r"[.;]?\s*\bCT\s+tu\b|\s-\s*Ma GD|;\s*thoi gian GD|\(CT\d+\)", re.I)
#: Words that begin the donor's message, never a name: "UNG HO", "CHUYEN TIEN", "CK"...
_NOT_NAMES = frozenset(
    {"UNG", "CHUYEN", "CK", "CT", "CTDK", "GD", "TOI", "GUI", "IBFT", "MTTQ", "QR", "FT"}
)
_MAX_NAME_WORDS = 8


@dataclass(frozen=True)
class Sender:
    """Who a transfer came from, as far as its memo says: the account masked."""

    name: str | None
    account: str | None


def sender_of(memo: str) -> Sender:
    """The sender's name and (masked) account that ``memo`` carries, where it does."""
    text = normalise(memo)
    found = _ACCOUNT.search(text)
    account = mask_digits(found.group(1)) if found else None
    beside = _NAME_BESIDE_ACCOUNT.search(text)
    name = _name_in(beside.group(1)) if beside else None
    return Sender(name or _name_in(_donor_text(text)), account)


def masked_memo(memo: str) -> str:
    """The memo with the sender's account number shown by its last three digits only."""
    text = normalise(memo)
    for found in list(_ACCOUNT.finditer(text)):
        number = found.group(1)
        text = text.replace(number, mask_digits(number))
    return text


def _donor_text(memo: str) -> str:
    """The donor's own words: the bank's leading tokens and trailer taken off."""
    text = _LEADING_REFERENCE.sub("", _LEADING_TOKENS.sub("", memo))
    upper = text.upper()
    for word in _LEADING_WORDS:
        if upper.startswith(word):
            text = text[len(word) :]
            break
    trailer = _TRAILER.search(text)
    return text[: trailer.start()] if trailer else text


def _name_in(text: str) -> str | None:
    """The upper-case words ``text`` begins with, when they look like a name (two or
    more words, no digits, not the start of "UNG HO" and the like)."""
    words: list[str] = []
    for word in normalise(text).replace(".", " ").replace(",", " ").split(" "):
        if not (word.isalpha() and word.isupper()) or fold(word).upper() in _NOT_NAMES:
            break
        words.append(word)
    if not 2 <= len(words) <= _MAX_NAME_WORDS:
        return None
    return " ".join(words)
