"""An amount in Vietnamese words, as a slip prints it: the readings of linh/lẻ, mốt, tư,
lăm, mười/mươi, the scales and the groups of zeros; and, over random amounts, a reading
that never fails and that reads back to the one amount it was made from."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.domain.amount_words import amount_in_words, number_in_words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (1, "một"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (31, "ba mươi mốt"),
        (55, "năm mươi lăm"),
        (99, "chín mươi chín"),
        (100, "một trăm"),
        (101, "một trăm linh một"),
        (104, "một trăm linh bốn"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (121, "một trăm hai mươi mốt"),
        (1_000, "một nghìn"),
        (1_005, "một nghìn không trăm linh năm"),
        (1_010, "một nghìn không trăm mười"),
        (1_021, "một nghìn không trăm hai mươi mốt"),
        (10_000, "mười nghìn"),
        (15_000, "mười lăm nghìn"),
        (21_500, "hai mươi mốt nghìn năm trăm"),
        (105_000, "một trăm linh năm nghìn"),
        (1_000_000, "một triệu"),
        (1_050_000, "một triệu không trăm năm mươi nghìn"),
        (1_000_005, "một triệu không trăm linh năm"),
        (1_200_000, "một triệu hai trăm nghìn"),
        (2_000_001, "hai triệu không trăm linh một"),
        (1_000_000_000, "một tỷ"),
        (1_000_000_005, "một tỷ không trăm linh năm"),
        (2_005_000_000, "hai tỷ không trăm linh năm triệu"),
        (2_355_000_000, "hai tỷ ba trăm năm mươi lăm triệu"),
        (1_000_000_000_000, "một nghìn tỷ"),
        (10_000_000_000_000, "mười nghìn tỷ"),
        (1_000_000_000_000_000, "một triệu tỷ"),
        (1_000_000_000_000_000_000, "một tỷ tỷ"),
        (1_001_000_000_000, "một nghìn không trăm linh một tỷ"),
        (
            1_234_567_891_234,
            "một nghìn hai trăm ba mươi tư tỷ năm trăm sáu mươi bảy triệu "
            "tám trăm chín mươi mốt nghìn hai trăm ba mươi tư",
        ),
    ],
)
def test_reads_a_number_as_a_slip_writes_it(number: int, words: str) -> None:
    assert number_in_words(number) == words


def test_a_zero_ten_may_be_read_le_as_the_south_says() -> None:
    assert number_in_words(105, zero_ten="lẻ") == "một trăm lẻ năm"
    assert number_in_words(1_000_004, zero_ten="lẻ") == "một triệu không trăm lẻ bốn"


@pytest.mark.parametrize(
    ("dong", "words"),
    [
        (1_200_000, "Một triệu hai trăm nghìn đồng chẵn"),
        (500_000, "Năm trăm nghìn đồng chẵn"),
        (1_500, "Một nghìn năm trăm đồng"),
        (105, "Một trăm linh năm đồng"),
        (0, "Không đồng"),
    ],
)
def test_an_amount_is_capitalised_and_a_whole_number_of_thousands_is_chan(
    dong: int, words: str
) -> None:
    assert amount_in_words(dong) == words


@pytest.mark.parametrize("wrong", [-1, 1.5, True, "100"])
def test_refuses_what_is_no_amount_of_dong(wrong: object) -> None:
    with pytest.raises(ValueError, match="whole number of zero or more"):
        amount_in_words(wrong)  # type: ignore[arg-type]


_DIGIT = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}
_SCALES = {"tỷ": 1_000_000_000, "triệu": 1_000_000, "nghìn": 1_000}


def _read(words: list[str]) -> int:
    """Reads words back into a number: a reader's parse, independent of the writer."""
    for scale, size in _SCALES.items():
        if scale in words:
            last = len(words) - 1 - words[::-1].index(scale)
            below = words[last + 1 :]
            return _read(words[:last]) * size + (_read(below) if below else 0)
    value, position = 0, 0
    while position < len(words):
        word = words[position]
        following = words[position + 1] if position + 1 < len(words) else None
        if word == "mười":
            value += 10
        elif word in ("linh", "lẻ"):
            assert following in _DIGIT
        elif following == "trăm":
            value, position = value + 100 * _DIGIT[word], position + 1
        elif following == "mươi":
            value, position = value + 10 * _DIGIT[word], position + 1
        else:
            value += _DIGIT[word]
        position += 1
    assert value < 1000, words
    return value


@given(st.integers(min_value=0, max_value=10**15))
def test_every_amount_reads_back_to_itself_so_no_two_amounts_share_their_words(
    dong: int,
) -> None:
    text = amount_in_words(dong)
    assert text[0].isupper()
    assert text.endswith("đồng chẵn" if dong and dong % 1000 == 0 else "đồng")
    words = text.lower().removesuffix(" chẵn").removesuffix(" đồng").split(" ")
    assert _read(words) == dong
    assert "  " not in text
    assert "linh không" not in text
    assert not any(f"mươi {bad}" in text for bad in ("một", "bốn", "năm"))
    assert "mười năm" not in text
    assert "mười mốt" not in text
