"""A new value of a closed vocabulary is added in the domain's vocabulary and named in
Vietnamese beside the others; every rule about it derives from the vocabulary
(docs/ARCHITECTURE.md, "How to add a new kind of gift in kind" and "... of support")."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

import pytest

from service.domain import vocabulary
from service.domain.vocabulary import (
    GOODS_CHANNELS,
    Category,
    Channel,
    CostSource,
    DonorKind,
    EmulationTarget,
    EntryKind,
    FundKind,
    HouseholdCategory,
    Level,
    QuestionKind,
    RecommendationStatus,
    Role,
    Stage,
    ThanksKind,
)
from service.web import labels

SERVICE = Path(__file__).resolve().parents[2] / "service"

NAMED = [
    (Channel, labels.CHANNELS),
    (Category, labels.CATEGORIES),
    (FundKind, labels.FUND_KINDS),
    (Level, labels.LEVELS),
    (Stage, labels.STAGES),
    (Role, labels.ROLES),
    (EntryKind, labels.ENTRY_KINDS),
    (CostSource, labels.COST_SOURCES),
    (DonorKind, labels.DONOR_KINDS),
    (QuestionKind, labels.QUESTION_KINDS),
    (RecommendationStatus, labels.RECOMMENDATION_STATUSES),
    (ThanksKind, labels.THANKS_KINDS),
    (HouseholdCategory, labels.HOUSEHOLD_CATEGORIES),
    (EmulationTarget, labels.EMULATION_TARGETS),
]


@pytest.mark.parametrize(
    ("vocabulary_class", "names"), NAMED, ids=lambda v: getattr(v, "__name__", "")
)
def test_every_value_that_pages_and_exports_show_has_its_vietnamese_name(
    vocabulary_class: type[StrEnum], names: dict[str, str]
) -> None:
    assert {v.value for v in vocabulary_class} == set(names)
    assert all(name.strip() for name in names.values())


def test_goods_are_named_by_their_channel_in_the_vocabulary_and_its_names_only() -> None:
    """No module spells a goods channel's value: adding one is a value in
    ``GOODS_CHANNELS`` and its name, and every rule follows from the set."""
    allowed = {SERVICE / "domain" / "vocabulary.py", SERVICE / "web" / "labels.py"}
    demo = SERVICE / "entrypoints" / "cli" / "demo.py"
    for channel in GOODS_CHANNELS:
        spelled = re.compile(
            rf"Channel\.{channel.name}\b|(==|!=|\s=|IN \(|in \()\s*[\"']{channel.value}[\"']"
        )
        found = {
            path
            for path in SERVICE.rglob("*.py")
            if path not in allowed and path != demo and spelled.search(path.read_text())
        }
        assert not found, f"{channel.value} spelled outside the vocabulary: {sorted(found)}"


def test_the_goods_channels_are_channels_and_are_not_cash() -> None:
    from service.domain.entries import CASH_CHANNELS

    assert set(Channel) >= GOODS_CHANNELS
    assert not GOODS_CHANNELS & CASH_CHANNELS
    assert all(c.is_goods for c in GOODS_CHANNELS)
    assert vocabulary.Channel.BANK not in GOODS_CHANNELS
