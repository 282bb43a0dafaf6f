"""Memo codes survive what banks do to memos, and a wrong character names nothing."""

from __future__ import annotations

from uuid import UUID, uuid4

from hypothesis import given
from hypothesis import strategies as st

from service.domain.memo_codes import ALPHABET, Names, code_for, codes_in

FUND = UUID("0b7e2f4c-3f1e-4c55-9d7e-1a2b3c4d5e6f")


def test_a_code_is_twelve_characters_naming_its_kind() -> None:
    code = code_for(Names.FUND, FUND)
    assert len(code.text) == 12
    assert code.text.startswith("SVQ")
    assert code == code_for(Names.FUND, FUND)
    assert code_for(Names.PLEDGE, FUND).text.startswith("SVD")


def test_a_code_is_found_in_a_bank_memo_however_the_bank_wraps_it() -> None:
    code = code_for(Names.FUND, FUND).text
    spaced = f"{code[:3]}-{code[3:7]} {code[7:]}".lower()
    memos = [
        f"MBVCB.1234567890.{code} UNG HO.CT tu 0123456789 NGUYEN VAN A",
        f"123456.100924.153012.{spaced} chuyen tien",
        f"Ủng hộ {code.replace('0', 'O').replace('1', 'I')}",
        f"{code}UNGHO",
    ]
    for memo in memos:
        assert codes_in(memo) == [code_for(Names.FUND, FUND)], memo


@given(st.uuids(), st.integers(min_value=3, max_value=11), st.sampled_from(ALPHABET))
def test_any_single_wrong_character_names_nothing(id_: UUID, at: int, char: str) -> None:
    code = code_for(Names.PLEDGE, id_).text
    wrong = code[:at] + char + code[at + 1 :]
    if wrong != code:
        assert codes_in(f"UNG HO {wrong}") == []


def test_codes_of_different_ids_differ() -> None:
    texts = {code_for(Names.PLEDGE, uuid4()).text for _ in range(2000)}
    assert len(texts) == 2000
