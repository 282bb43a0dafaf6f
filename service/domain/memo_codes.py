"""Memo codes (mã nội dung chuyển khoản): the short code a VietQR code puts in a transfer's
memo, so that a bank notification or a statement line names the fund, the campaign or the
pledge it is for.

A code is ``SV``, a letter for what it names (``Q`` a fund, ``C`` a campaign, ``D`` a
pledge), eight characters derived from the id it names and a check character, e.g.
``SVQ7K3M9PX2QH``: twelve characters of Crockford's base 32 (no I, L, O or U), so it
survives what banks do to memos: diacritics, case, spaces and punctuation stripped or
added (``svq-7k3m 9px2 qh``), O read for 0 and I or L for 1. The check character (Luhn
mod 32) refuses every single wrong character, and most swapped neighbours, so a mistyped
code names nothing rather than another fund's pledge.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from service.domain.text import fold

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
PREFIX = "SV"
_BODY = 8
_PATTERN = re.compile(rf"{PREFIX}([QCD])([{ALPHABET}]{{{_BODY + 1}}})")


class Names(StrEnum):
    """What a memo code names, by its third letter."""

    FUND = "Q"
    CAMPAIGN = "C"
    PLEDGE = "D"


@dataclass(frozen=True)
class MemoCode:
    """A memo code: what it names and its text (``SVQ...``)."""

    names: Names
    text: str


def _luhn_sum(text: str, factor: int) -> int:
    """Luhn mod 32's sum of ``text``, the rightmost character weighted by ``factor``."""
    total = 0
    for char in reversed(text):
        addend = factor * _VALUE[char]
        total += addend // 32 + addend % 32
        factor = 3 - factor
    return total % 32


def _check_char(text: str) -> str:
    """The Luhn mod 32 check character of ``text`` (characters of ``ALPHABET``)."""
    return ALPHABET[(32 - _luhn_sum(text, 2)) % 32]


def _valid(text: str) -> bool:
    return _luhn_sum(text, 1) == 0


def code_for(names: Names, id_: UUID) -> MemoCode:
    """The memo code of a fund, campaign or pledge: derived from its id, never stored."""
    digest = int.from_bytes(hashlib.sha256(id_.bytes).digest()[:5], "big")
    body = "".join(ALPHABET[(digest >> shift) & 31] for shift in range(35, -1, -5))
    data = names.value + body
    return MemoCode(names, PREFIX + data + _check_char(data))


def readable(memo: str) -> str:
    """A memo as codes are looked for in it: without diacritics, upper case, letters and
    digits only, O read as 0 and I or L as 1 (codes hold none of these three)."""
    folded = fold(memo).upper().translate(_READ_AS)
    return "".join(char for char in folded if char.isascii() and char.isalnum())


def codes_in(memo: str) -> list[MemoCode]:
    """Every well-formed memo code a memo carries, in order, each once."""
    text = readable(memo)
    found: list[MemoCode] = []
    for start in range(len(text)):
        match = _PATTERN.match(text, start)
        if match is None:
            continue
        data = match.group(1) + match.group(2)
        code = MemoCode(Names(match.group(1)), PREFIX + data)
        if _valid(data) and code not in found:
            found.append(code)
    return found
