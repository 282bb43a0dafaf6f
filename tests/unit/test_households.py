"""Households in the domain: personal data normalised, matching keys that ignore
diacritics and spacing, categories over time, escaping poverty, erasure."""

from __future__ import annotations

import unicodedata
from datetime import date
from uuid import uuid4

import pytest

from service.domain.actors import Meta
from service.domain.errors import HouseholdErased, InvalidInput, PossibleDuplicate, RepeatedSupport
from service.domain.households import (
    Blinded,
    Household,
    Match,
    PersonalData,
    address_words,
    addresses_match,
    check_not_duplicate,
    check_not_repeated,
    fold,
)
from service.domain.text import mask_digits
from service.domain.vocabulary import HouseholdCategory

META = Meta(actor_id="t", actor="Thủ quỹ", role="treasurer", unit_id=None)
TODAY = date(2025, 3, 1)


class PlainKeyring:
    """Seals nothing, blinds by prefixing: enough to test the domain's use of a keyring."""

    def create_key(self, household_id: object) -> None: ...

    def seal(self, household_id: object, fields: dict[str, str]) -> dict[str, str]:
        return {name: f"sealed:{len(text)}" for name, text in fields.items()}

    def blind(self, purpose: str, text: str) -> str:
        return f"{purpose}:{text}"

    def destroy_key(self, household_id: object) -> bool:
        return True


def household() -> Household:
    data = PersonalData.of("Nguyễn Văn Bình", "Thôn Đông Hà")
    keyring = PlainKeyring()
    registered = Household.register(
        uuid4(),
        uuid4(),
        [],
        keyring.seal(uuid4(), data.fields()),
        Blinded.of(data, keyring),
        4,
        [],
        None,
        META,
    )
    registered.apply_category(HouseholdCategory.POOR, date(2024, 1, 1), TODAY, META)
    return registered


def test_personal_data_is_normalised_and_numbers_are_digits_only() -> None:
    data = PersonalData.of(
        unicodedata.normalize("NFD", "  Nguyễn   Văn Bình "),
        "Thôn Đông Hà",
        "044 085 001 234",
        "+84 912.345.678",
    )
    assert data.head_name == "Nguyễn Văn Bình"
    assert data.cccd == "044085001234"
    assert data.phone == "0912345678"
    assert PersonalData.of("A B", "C", " ", None).fields() == {"head_name": "A B", "address": "C"}
    with pytest.raises(InvalidInput) as error:
        PersonalData.of("A", "B", "0440850012")
    assert error.value.field == "cccd"


def test_folding_ignores_diacritics_case_spacing_and_punctuation() -> None:
    assert fold(unicodedata.normalize("NFD", "Đặng  Thị Ánh")) == "dang thi anh"
    assert address_words("Thôn Đông Hà, xã Vĩnh Linh") == [
        "thon",
        "dong",
        "ha",
        "xa",
        "vinh",
        "linh",
    ]
    assert addresses_match(address_words("thon dong ha, vinh linh"), address_words("Thôn Đông Hà"))
    assert not addresses_match(address_words("Xóm 3"), address_words("Thôn Đông Hà"))
    assert mask_digits("044085001234") == "*********234"


def test_a_match_is_refused_without_a_reason_and_recorded_with_one() -> None:
    match = Match(uuid4(), ("cccd",))
    with pytest.raises(PossibleDuplicate) as error:
        check_not_duplicate([match], "  ")
    assert error.value.extra["candidates"][0]["matched_on"] == ["cccd"]
    assert check_not_duplicate([match], " Tách  hộ ") == "Tách hộ"
    assert check_not_duplicate([], "ignored") is None
    with pytest.raises(RepeatedSupport):
        check_not_repeated([uuid4()], None)
    assert check_not_repeated([], "ignored") is None


def test_categories_have_periods_and_escaping_poverty_closes_the_poor_one() -> None:
    h = household()
    with pytest.raises(InvalidInput):
        h.apply_category(HouseholdCategory.POOR, date(2024, 6, 1), TODAY, META)
    h.escape_poverty(date(2025, 1, 15), "  Nuôi  bò ", TODAY, META)
    assert h.categories["poor"] == [[date(2024, 1, 1), date(2025, 1, 15)]]
    assert h.in_category("poor", date(2024, 12, 31))
    assert not h.in_category("poor", date(2025, 2, 1))
    with pytest.raises(InvalidInput):
        h.apply_category(HouseholdCategory.POOR, date(2025, 1, 15), TODAY, META)
    h.apply_category(HouseholdCategory.POOR, date(2025, 2, 1), TODAY, META)
    assert h.open_category("poor")


def test_an_erased_household_takes_nothing_more() -> None:
    h = household()
    h.erase("Đơn yêu cầu", META)
    assert h.erased
    with pytest.raises(HouseholdErased):
        h.erase("again", META)
    with pytest.raises(HouseholdErased):
        h.apply_category(HouseholdCategory.HARDSHIP, TODAY, TODAY, META)


def test_members_count_is_bounded() -> None:
    data = PersonalData.of("A B", "C")
    for count in (0, 51, True):
        with pytest.raises(InvalidInput):
            Household.register(
                uuid4(), uuid4(), [], {}, Blinded.of(data, PlainKeyring()), count, [], None, META
            )
