"""Read models derived from the event log, and the runner that keeps them up to date."""

from __future__ import annotations

from service.projections.approvals import PendingPaymentsProjection
from service.projections.audit import AuditProjection
from service.projections.base import Projection
from service.projections.campaigns import CampaignsProjection
from service.projections.caretakers import CaretakersProjection
from service.projections.checkpoints import CheckpointsProjection
from service.projections.distributions import DistributionsProjection
from service.projections.emulation import EmulationTargetsProjection
from service.projections.follow_through import FollowThroughProjection
from service.projections.funds import FundsProjection
from service.projections.giving import GivingProjection
from service.projections.grants import GrantsProjection
from service.projections.households import HouseholdsProjection
from service.projections.houses import HousesProjection
from service.projections.ledger import LedgerProjection
from service.projections.log import LogTreeProjection
from service.projections.norms import HouseNormsProjection
from service.projections.pledges import PledgesProjection
from service.projections.postings import PostingsProjection
from service.projections.poverty import HouseholdCountsProjection
from service.projections.questions import QuestionsProjection
from service.projections.selections import SelectionMeetingsProjection
from service.projections.supervision import SupervisionProjection
from service.projections.thanks import ThanksProjection
from service.projections.units import UnitsProjection


def all_projections() -> list[Projection]:
    """Every projection of the service, in the order the runner applies them."""
    return [
        UnitsProjection(),
        FundsProjection(),
        LedgerProjection(),
        PostingsProjection(),
        SupervisionProjection(),
        QuestionsProjection(),
        FollowThroughProjection(),
        ThanksProjection(),
        PendingPaymentsProjection(),
        HouseholdsProjection(),
        HousesProjection(),
        GrantsProjection(),
        PledgesProjection(),
        GivingProjection(),
        CampaignsProjection(),
        DistributionsProjection(),
        HouseNormsProjection(),
        SelectionMeetingsProjection(),
        EmulationTargetsProjection(),
        HouseholdCountsProjection(),
        CaretakersProjection(),
        AuditProjection(),
        LogTreeProjection(),
        CheckpointsProjection(),
    ]
