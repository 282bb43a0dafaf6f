"""Campaigns: launched by a unit for a period, with a target; the receipts and payments of
its funds and of the funds below it name the campaign they count in."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from service.application.answers import campaign_body
from service.application.core import LedgerCore
from service.application.engine import Changes, Request, Written
from service.application.loading import find
from service.application.roles import CAMPAIGN_LAUNCHERS
from service.domain.actors import Meta
from service.domain.campaigns import Campaign, campaign_code, campaign_id_for
from service.domain.errors import AlreadyRegistered
from service.domain.money import Money


class CampaignUseCases(LedgerCore):
    """The use cases of campaigns (cuộc vận động)."""

    def launch_campaign(
        self,
        request: Request,
        unit_id: UUID,
        name: str,
        code: str,
        period: tuple[date, date],
        target: Money | None,
        note: str | None,
    ) -> Written:
        def launch(meta: Meta, today: date) -> Changes:
            unit = self._unit(unit_id, field="unit_id")
            request.actor.require(CAMPAIGN_LAUNCHERS, unit.path, "phát động cuộc vận động")
            unit.check_open()
            kept = campaign_code(code)
            taken = find(self.repository, campaign_id_for(kept), Campaign)
            if taken is not None:
                raise AlreadyRegistered(
                    f"Mã {kept} đã là mã của cuộc vận động “{taken.name}” ({taken.unit_name}). "
                    "Hãy chọn mã khác.",
                    campaign_id=str(taken.id),
                )
            campaign = Campaign.launch(
                unit.id, unit.name, unit.path, name, kept, period, target, note, meta
            )
            return Changes([campaign], campaign_body(campaign))

        return self._write(request, launch)
