"""A campaign as its API route and its public page show it: what it is, and its figures
over every unit that took part."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from service.adapters.db import Row, Transaction
from service.domain.errors import CampaignNotFound
from service.projections import campaigns as campaign_view
from service.projections import units as unit_view


def campaign_shown(tx: Transaction, campaign_id: UUID) -> dict[str, Any]:
    """The campaign with its launching unit's name and its figures; refused with 404 when
    there is none."""
    campaign = campaign_view.get(tx, str(campaign_id))
    if campaign is None:
        raise CampaignNotFound(
            "Không có cuộc vận động nào với mã này. Hãy kiểm tra lại mã.",
            campaign_id=str(campaign_id),
        )
    unit = unit_view.get(tx, str(campaign["unit_id"])) or {}
    return {
        **campaign,
        "unit_name": unit.get("name", ""),
        "figures": campaign_view.figures(tx, campaign),
    }


def campaigns_listed(tx: Transaction, limit: int) -> list[Row]:
    """Every campaign, the latest to start first, with its launching unit's name."""
    return tx.all(
        "SELECT c.id, c.code, c.name, c.unit_id, u.name AS unit_name, c.starts_on, "
        "c.ends_on, c.target FROM campaigns c JOIN units u ON u.id = c.unit_id "
        "ORDER BY c.starts_on DESC, c.code LIMIT :limit",
        {"limit": limit},
    )
