"""Invisible characters, digits of other scripts and look-alike letters, as the domain
normalises them; Vietnamese letters keep their diacritics apart."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from service.api.schemas import Text
from service.domain.errors import InvalidInput
from service.domain.households import Blinded, PersonalData
from service.domain.lookalikes import latin_twins, skeleton
from service.domain.text import ascii_digits, normalise, visible

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")


def test_invisible_characters_are_dropped_and_visible_text_is_kept() -> None:
    invisible = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    invisible += "\u2066\u2067\u2068\u2069\u061c"
    assert visible(f"Ng{invisible}uyễn") == "Nguyễn"
    assert normalise(" Nguyễn\u200b  Văn\u202e An ") == "Nguyễn Văn An"
    assert visible("Nguyễn Văn An\n\tx") == "Nguyễn Văn An\n\tx"


def test_the_text_field_drops_invisible_characters() -> None:
    assert Text().deserialize("Bình\u200b Minh\u202e") == "Bình Minh"


def test_identity_numbers_in_any_script_become_ascii_digits() -> None:
    for typed in ("０４４０８５００１２３４", "٠٤٤٠٨٥٠٠١٢٣٤", "۰۴۴۰۸۵۰۰۱۲۳۴", "०४४०८५००१२३४"):
        assert ascii_digits(typed) == "044085001234"
        assert PersonalData.of("An", "Xóm 1", typed).cccd == "044085001234"
    assert PersonalData.of("An", "Xóm 1", phone="+８４ ９１２ ３４５ ６７８").phone == "0912345678"
    with pytest.raises(InvalidInput):
        PersonalData.of("An", "Xóm 1", "04408500123x")


def test_look_alike_names_share_a_skeleton() -> None:
    name = "Nguyễn Văn Bình"
    for look_alike in (
        "Nguyễn\u200b Văn Bình",
        "NGUYỄN VĂN BÌNH",
        "Nguyễn Văn Вình",
        "Nguyễn Vӑn Bình",
        "Ｎguyễn Văn Bình",
        "Νguyễn Văn Bình",
        unicodedata.normalize("NFD", "nguyễn  văn bình"),
    ):
        assert skeleton(look_alike) == skeleton(name), look_alike
    assert latin_twins("Nguyễn Văn Вình") == name


def test_vietnamese_letters_keep_distinct_skeletons() -> None:
    letters = {unicodedata.normalize("NFC", base + tone) for base in VIETNAMESE for tone in TONES}
    skeletons: dict[str, set[str]] = {}
    for letter in letters:
        for typed in (letter, letter.upper()):
            skeletons.setdefault(skeleton(typed), set()).add(letter)
    assert all(len(same) == 1 for same in skeletons.values())
    assert len(skeletons) == len(letters) == 174
    for first, second in (("Lê", "Le"), ("Bình", "Binh"), ("Đức", "Duc"), ("Thơ", "Tho")):
        assert skeleton(first) != skeleton(second)


class _Keyring:
    """Blind indexes in the clear, to compare them."""

    def blind(self, purpose: str, text: str) -> str:
        return f"{purpose}:{text}"


def test_blind_indexes_of_look_alike_data_are_the_same() -> None:
    keyring: Any = _Keyring()
    first = Blinded.of(PersonalData.of("Nguyễn Văn Bình", "Thôn Đông Hà", "044085001234"), keyring)
    again = Blinded.of(
        PersonalData.of("Nguyễn Văn Вình", "Тhôn Đông Hа̀", "０４４０８５００１２３４"), keyring
    )
    assert again == first
    assert Blinded.of(PersonalData.of("Lê Văn Tám", "Xóm 1"), keyring).name != (
        Blinded.of(PersonalData.of("Le Văn Tám", "Xóm 1"), keyring).name
    )
