"""Loading an aggregate of a known kind, with storage misses turned into domain errors.

``find`` answers None for an id the store does not hold (or holds as another kind of
aggregate); ``load`` refuses it with the kind's ``Missing`` error, or as an invalid
field of the request when the id came in the request's body.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from service.domain.errors import (
    CampaignNotFound,
    FundNotFound,
    GrantNotFound,
    HouseholdNotFound,
    HouseProjectNotFound,
    InvalidInput,
    NotFound,
    PledgeNotFound,
    QuestionNotFound,
    RecommendationNotFound,
    SelectionMeetingNotFound,
    SupervisionNotFound,
    UnitNotFound,
)

A = TypeVar("A")


class Repository(Protocol):
    def get(self, aggregate_id: UUID, *, deepcopy_from_cache: bool = True) -> Any: ...


@dataclass(frozen=True)
class Missing:
    """How the absence of one kind of aggregate is told: the error, its message, and the
    name under which the error carries the id."""

    error: type[NotFound]
    message: str
    key: str

    def refusal(self, aggregate_id: UUID, field: str | None = None) -> NotFound | InvalidInput:
        if field:
            return InvalidInput(field, self.message)
        return self.error(self.message, **{self.key: str(aggregate_id)})


UNIT = Missing(
    UnitNotFound, "Không có đơn vị nào với mã này. Hãy kiểm tra lại mã đơn vị.", "unit_id"
)
FUND = Missing(FundNotFound, "Không có quỹ nào với mã này. Hãy kiểm tra lại mã quỹ.", "fund_id")
HOUSEHOLD = Missing(
    HouseholdNotFound, "Không có hộ nào với mã này. Hãy kiểm tra lại mã hộ.", "household_id"
)
HOUSE = Missing(
    HouseProjectNotFound,
    "Không có công trình nhà nào với mã này. Hãy kiểm tra lại mã.",
    "project_id",
)
GRANT = Missing(
    GrantNotFound,
    "Không có khoản hỗ trợ sinh kế nào với mã này. Hãy kiểm tra lại mã.",
    "grant_id",
)
PLEDGE = Missing(
    PledgeNotFound, "Không có cam kết ủng hộ nào với mã này. Hãy kiểm tra lại mã.", "pledge_id"
)
QUESTION = Missing(
    QuestionNotFound,
    "Không có câu hỏi nào với mã này. Hãy kiểm tra lại mã theo dõi.",
    "question_id",
)
RECOMMENDATION = Missing(
    RecommendationNotFound,
    "Không có kiến nghị nào với mã này. Hãy kiểm tra lại mã.",
    "recommendation_id",
)
CAMPAIGN = Missing(
    CampaignNotFound,
    "Không có cuộc vận động nào với mã này. Hãy kiểm tra lại mã.",
    "campaign_id",
)
MEETING = Missing(
    SelectionMeetingNotFound,
    "Không có cuộc họp bình xét nào với mã này. Hãy kiểm tra lại mã.",
    "meeting_id",
)
SUPERVISION = Missing(
    SupervisionNotFound,
    "Không có cuộc giám sát nào với mã này. Hãy kiểm tra lại mã.",
    "supervision_id",
)


def find(
    repository: Repository, aggregate_id: UUID, kind: type[A], *, shared: bool = False
) -> A | None:
    """The aggregate of ``kind`` with this id, or None. ``shared``: the repository's
    cached aggregate itself, not a copy, for a caller that only reads it."""
    try:
        aggregate = repository.get(aggregate_id, deepcopy_from_cache=not shared)
    except AggregateNotFoundError:
        return None
    return aggregate if isinstance(aggregate, kind) else None


def load(
    repository: Repository,
    aggregate_id: UUID,
    kind: type[A],
    missing: Missing,
    *,
    field: str | None = None,
    shared: bool = False,
) -> A:
    """The aggregate of ``kind`` with this id; refused with ``missing`` when there is none
    (as an invalid ``field`` of the request when one is named). ``shared`` as ``find``."""
    aggregate = find(repository, aggregate_id, kind, shared=shared)
    if aggregate is None:
        raise missing.refusal(aggregate_id, field)
    return aggregate
