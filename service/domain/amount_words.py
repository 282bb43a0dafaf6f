"""An amount of đồng in Vietnamese words, as a slip writes it under "Viết bằng chữ":
1.200.000 → "Một triệu hai trăm nghìn đồng chẵn".

The reading follows common usage on accounting documents:

- every group of three digits but the first is read in full, so a group whose hundreds
  are zero says "không trăm" (1.050.000 → "một triệu không trăm năm mươi nghìn") and
  groups that are all zeros are left out (1.000.005 → "một triệu không trăm linh năm");
- a zero ten before a unit is "linh" (or "lẻ", as the South says): "một trăm linh năm";
- ten is "mười", twenty and above "hai mươi"…; after "mươi", one is "mốt", four is "tư"
  and five is "lăm" ("hai mươi mốt", "ba mươi tư", "bốn mươi lăm"); after "mười", five is
  "lăm" ("mười lăm") and one stays "một" ("mười một");
- the scales are nghìn, triệu, tỷ, and above a thousand billion they repeat
  ("một nghìn tỷ", "một triệu tỷ");
- a whole number of thousands ends in "đồng chẵn", any other amount in "đồng".
"""

from __future__ import annotations

from typing import Literal

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
#: The scales of the groups below a billion, lowest first.
SCALES = ("", "nghìn", "triệu")
BILLION = 1_000_000_000

ZeroTen = Literal["linh", "lẻ"]


def amount_in_words(dong: int, *, zero_ten: ZeroTen = "linh") -> str:
    """``dong`` (zero or more) in words, capitalised, ending in "đồng" or "đồng chẵn"."""
    if isinstance(dong, bool) or not isinstance(dong, int) or dong < 0:
        raise ValueError(f"an amount of đồng is a whole number of zero or more, not {dong!r}")
    words = number_in_words(dong, zero_ten=zero_ten)
    ending = "đồng chẵn" if dong and dong % 1000 == 0 else "đồng"
    text = f"{words} {ending}"
    return text[0].upper() + text[1:]


def number_in_words(number: int, *, zero_ten: ZeroTen = "linh") -> str:
    """``number`` (zero or more) in lower-case Vietnamese words, without a unit."""
    if number == 0:
        return DIGITS[0]
    return " ".join(_words(number, zero_ten, leading=True))


def _words(number: int, zero_ten: ZeroTen, *, leading: bool) -> list[str]:
    """The words of a positive ``number``; ``leading`` when nothing is read before it."""
    billions, rest = divmod(number, BILLION)
    words: list[str] = []
    if billions:
        words += [*_words(billions, zero_ten, leading=leading), "tỷ"]
        leading = False
    groups = [(rest // 1000**i) % 1000 for i in range(len(SCALES))]
    for scale in reversed(range(len(SCALES))):
        group = groups[scale]
        if not group:
            continue
        words += _group(group, zero_ten, full=not leading)
        if SCALES[scale]:
            words.append(SCALES[scale])
        leading = False
    return words


def _group(group: int, zero_ten: ZeroTen, *, full: bool) -> list[str]:
    """A group of three digits (1 to 999); ``full`` reads a zero hundreds as "không trăm"."""
    hundreds, tens, units = group // 100, group // 10 % 10, group % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            words += [zero_ten, DIGITS[units]] if words else [DIGITS[units]]
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else DIGITS[units])
    else:
        words += [DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, DIGITS[units]))
    return words
