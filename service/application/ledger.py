"""The Sổ Vàng application: one method per use case, plain values in and out.

``Ledger`` is composed of the families of use cases, each in the module of its name
(units, funds, cases, pledges, supervision, reorganisation, log, campaigns,
distributions, selections), over a small core: the write engine (``engine``), the loader
(``loading``), the roles (``roles``) and the answers (``answers``).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from service.adapters.db import APPLICATION_NAME
from service.application import bank_import
from service.application.campaigns import CampaignUseCases
from service.application.cases import CaseUseCases
from service.application.distributions import DistributionUseCases
from service.application.engine import Request
from service.application.exchange import ExchangeUseCases
from service.application.follow_through import FollowThroughUseCases
from service.application.funds import FundUseCases
from service.application.giving import GivingUseCases
from service.application.log import LogUseCases
from service.application.pledges import PledgeUseCases
from service.application.questions import QuestionUseCases
from service.application.reorganisation import ReorganisationUseCases
from service.application.selections import SelectionUseCases
from service.application.supervision import SupervisionUseCases
from service.application.thanks import ThanksUseCases
from service.application.units import UnitUseCases
from service.domain.funds import Fund


class Ledger(
    UnitUseCases,
    FundUseCases,
    ExchangeUseCases,
    CaseUseCases,
    PledgeUseCases,
    FollowThroughUseCases,
    SupervisionUseCases,
    QuestionUseCases,
    ThanksUseCases,
    ReorganisationUseCases,
    LogUseCases,
    GivingUseCases,
    CampaignUseCases,
    DistributionUseCases,
    SelectionUseCases,
):
    """The units, funds and entries of Sổ Vàng, kept as events.

    The import of a bank file into a fund is its own module
    (``service.application.bank_import``); the check of who may import is here, with
    the snapshots each save takes."""

    #: The event store's name: the library names a subclass after itself unless told.
    name = APPLICATION_NAME

    def importable_fund(self, request: Request, fund_id: UUID) -> Fund:
        """The fund, loaded once, if the requester may import bank files into it."""
        return bank_import.importable_fund(self, request, fund_id)

    def _take_snapshots(self, processing_event: Any) -> None:
        """Snapshots each aggregate at most once per save, from the state in hand, when the
        save took it past a multiple of its interval: a batch of 500 receipts takes one
        snapshot of the fund, not five replays of it."""
        if not (self.snapshots and self.snapshotting_intervals):
            return
        crossed: dict[UUID, Aggregate] = {}
        for event in processing_event.events:
            aggregate = processing_event.aggregates.get(event.originator_id)
            interval = self.snapshotting_intervals.get(type(aggregate))
            if aggregate is not None and interval and event.originator_version % interval == 0:
                crossed[event.originator_id] = aggregate
        for aggregate in crossed.values():
            snapshot_class: Any = getattr(type(aggregate), "Snapshot", type(self).snapshot_class)
            self.snapshots.put([snapshot_class.take(aggregate)])
