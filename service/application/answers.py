"""The answers to writes: each aggregate's answer shaped once, from the aggregate as the
write left it. An answer is kept in the log for retries, so it holds no personal data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from service.domain.campaigns import Campaign
from service.domain.checkpoints import Witness
from service.domain.funds import Fund
from service.domain.grants import LivelihoodGrant
from service.domain.households import Household
from service.domain.houses import HouseProject
from service.domain.pledges import Pledge
from service.domain.supervision import Supervision, subject_view
from service.domain.units import Unit


def unit_body(unit: Unit) -> dict[str, Any]:
    return {
        "id": str(unit.id),
        "name": unit.name,
        "level": unit.level,
        "parent_id": str(unit.parent_id) if unit.parent_id else None,
        "code": unit.code,
        "merged_into_id": str(unit.merged_into) if unit.merged_into else None,
        "merged_on": unit.merged_on.isoformat() if unit.merged_on else None,
        "approval_threshold": unit.approval_threshold,
    }


def campaign_body(campaign: Campaign) -> dict[str, Any]:
    return {
        "id": str(campaign.id),
        "code": campaign.code,
        "name": campaign.name,
        "unit_id": str(campaign.unit_id),
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat(),
        "target": campaign.target,
    }


def fund_body(fund: Fund) -> dict[str, Any]:
    return {
        "id": str(fund.id),
        "unit_id": str(fund.unit_id),
        "name": fund.name,
        "kind": fund.kind,
        "balance": fund.balance,
    }


def witness_body(witness: Witness) -> dict[str, Any]:
    return {
        "name": witness.name,
        "verifier_key": witness.verifier_key,
        "unit_id": str(witness.unit_id) if witness.unit_id else None,
    }


def supervision_body(review: Supervision) -> dict[str, Any]:
    return {
        "id": str(review.id),
        "unit_id": str(review.unit_id),
        "board_unit_id": str(review.board_unit_id),
        "subject": subject_view(
            review.subject_kind,
            str(review.subject_id) if review.subject_id else None,
            review.period_from.isoformat() if review.period_from else None,
            review.period_to.isoformat() if review.period_to else None,
        ),
        "title": review.title,
        "status": review.status.value,
    }


def finding_body(review: Supervision, finding_id: UUID) -> dict[str, Any]:
    """The answer to a finding recorded or answered."""
    return {"supervision_id": str(review.id), "finding_id": str(finding_id)}


def merger_body(
    unit: Unit, funds: Mapping[UUID, UUID], moved: Sequence[object], pledges: Sequence[Pledge]
) -> dict[str, Any]:
    """The answer to a merger: each closed fund with the successor's fund that took its
    balance, and how many cases and pledges moved."""
    return {
        "unit_id": str(unit.id),
        "successor_id": str(unit.merged_into),
        "merged_on": unit.merged_on.isoformat() if unit.merged_on else None,
        "funds": {str(closed): str(taken) for closed, taken in funds.items()},
        "moved": {
            "households": sum(isinstance(case, Household) for case in moved),
            "house_projects": sum(isinstance(case, HouseProject) for case in moved),
            "grants": sum(isinstance(case, LivelihoodGrant) for case in moved),
            "pledges": len(pledges),
        },
    }


def household_body(household: Household) -> dict[str, Any]:
    """The answer to a household's write: no personal data, since the answer is kept in
    the log for retries."""
    return {
        "id": str(household.id),
        "unit_id": str(household.unit_id),
        "members_count": household.members_count,
        "categories": [
            {
                "category": category,
                "since": since.isoformat() if since else None,
                "until": until.isoformat() if until else None,
            }
            for category, periods in household.categories.items()
            for since, until in periods
        ],
        "escaped_poverty_on": household.escaped_on.isoformat() if household.escaped_on else None,
    }


def house_body(project: HouseProject) -> dict[str, Any]:
    return {
        "id": str(project.id),
        "unit_id": str(project.unit_id),
        "household_id": str(project.household_id),
        "kind": project.kind,
        "stage": project.stage,
        "status": project.status,
        "budget": dict(project.budget),
        "paid": sum(project.paid.values()),
        "reserved": sum(project.reserved.values()),
        "above_norm": project.above_norm,
        "meeting_id": str(project.meeting_id) if project.meeting_id else None,
        "no_meeting_reason": project.no_meeting_reason,
    }


def grant_body(grant: LivelihoodGrant) -> dict[str, Any]:
    return {
        "id": str(grant.id),
        "unit_id": str(grant.unit_id),
        "household_id": str(grant.household_id),
        "item": grant.item,
        "value": grant.value,
        "status": grant.status,
        "delivered_on": grant.delivered_on.isoformat() if grant.delivered_on else None,
        "followed_up_months": list(grant.follow_ups),
        "outcome": grant.outcome,
        "meeting_id": str(grant.meeting_id) if grant.meeting_id else None,
        "no_meeting_reason": grant.no_meeting_reason,
    }


def balance_body(fund: Fund) -> dict[str, Any]:
    return {"fund_id": str(fund.id), "balance": fund.balance, "available": fund.available}


def entry_body(fund: Fund) -> dict[str, Any]:
    """The answer to an entry: its id and the fund's balance after it."""
    body = {"entry_id": str(entry_id_of(fund)), **balance_body(fund)}
    if isinstance(sent := fund.pending_events[-1], Fund.TransferSent):
        body.update(
            to_fund_id=str(sent.to_fund_id), counterpart_entry_id=str(sent.counterpart_entry_id)
        )
    return body


def receipt_body(fund: Fund) -> dict[str, Any]:
    """The answer to a receipt: the entry and the number of its receipt slip, or the
    receipt awaiting approval."""
    recorded = fund.pending_events[-1]
    if isinstance(recorded, Fund.ReceiptRequested):
        return payment_body(fund)
    assert isinstance(recorded, Fund.ReceiptRecorded)
    return {**entry_body(fund), "slip_no": recorded.slip_no or None, "slip_ref": recorded.slip_ref}


def pledge_state(pledge: Pledge) -> dict[str, Any]:
    """A pledge as writes answer it: its code, how much is fulfilled and outstanding."""
    return {
        "pledge_id": str(pledge.id),
        "fund_id": str(pledge.fund_id),
        "code": pledge.code,
        "amount": pledge.amount,
        "fulfilled": pledge.fulfilled,
        "outstanding": pledge.outstanding,
        "status": pledge.status.value,
    }


def payment_body(fund: Fund) -> dict[str, Any]:
    """The answer to a disbursement or transfer: the entry, or the payment awaiting approval."""
    requested = fund.pending_events[-1]
    if isinstance(requested, Fund.DisbursementRecorded) and requested.slip_no:
        return {**entry_body(fund), "slip_no": requested.slip_no, "slip_ref": requested.slip_ref}
    if not isinstance(requested, Fund.PaymentRequested):
        return entry_body(fund)
    body = {
        "pending_id": str(requested.pending_id),
        "status": "pending",
        "kind": requested.kind.value,
        "held_because": requested.held_because,
        "amount": requested.amount,
        **balance_body(fund),
    }
    if isinstance(requested, Fund.TransferRequested):
        body["to_fund_id"] = str(requested.to_fund_id)
    return body


def entry_id_of(fund: Fund) -> UUID:
    event = fund.pending_events[-1]
    assert isinstance(event, Fund.EntryRecorded)
    return event.entry_id
