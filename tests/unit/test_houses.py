"""A house project's status, said once by the domain for every answer that shows it."""

from __future__ import annotations

from datetime import date

from service.domain.houses import HouseProject, house_status
from service.domain.vocabulary import CostSource, HouseKind, Stage
from tests.unit.test_households import META, TODAY, household


def _house() -> HouseProject:
    return HouseProject.approve(
        household(),
        HouseKind.REPAIR,
        {CostSource.FUND: 20_000_000},
        date(2025, 1, 2),
        None,
        TODAY,
        META,
    )


def test_a_house_is_open_until_handed_over_or_cancelled() -> None:
    assert house_status(Stage.APPROVED.value) == "open"
    assert house_status(Stage.ACCEPTED.value) == "open"
    assert house_status(Stage.HANDED_OVER.value) == "handed_over"
    assert house_status(Stage.STARTED.value, cancelled=True) == "cancelled"
    assert house_status(None, cancelled=True) == "cancelled"


def test_a_house_handed_over_says_so() -> None:
    house = _house()
    assert house.status == "open"
    for stage, on in [
        (Stage.STARTED, date(2025, 1, 10)),
        (Stage.COMPLETED, date(2025, 2, 1)),
        (Stage.ACCEPTED, date(2025, 2, 5)),
    ]:
        house.reach_stage(stage, on, [], ["Trưởng thôn"], TODAY, META)
        assert house.status == "open"
    house.reach_stage(Stage.HANDED_OVER, date(2025, 2, 10), ["BB-01"], [], TODAY, META)
    assert house.status == "handed_over"


def test_a_cancelled_house_says_so() -> None:
    house = _house()
    house.cancel("Hộ chuyển đi nơi khác", META)
    assert house.status == "cancelled"
