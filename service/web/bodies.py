"""Parts that recur in what a request sends (a donor, goods given in kind, a receipt, a
disbursement, a distribution's lines, a bình xét's nominees), read into the domain's
values: the API's JSON bodies and the treasurers' forms are read by the same schemas and
become the same values here."""

from __future__ import annotations

from typing import Any

from service.domain.currency import DONG, CurrencySale, Foreign, currency_code
from service.domain.distributions import Reach
from service.domain.funds import Disbursement, Donor, InKind, Receipt
from service.domain.money import Money
from service.domain.selections import Nominee
from service.domain.vocabulary import Category, Channel, DonorKind, HouseholdCategory


def donor(given: dict[str, Any]) -> Donor:
    return Donor(given["name"], DonorKind(given["kind"]))


def in_kind(goods: dict[str, Any] | None) -> InKind | None:
    return InKind(goods["description"], goods["quantity"], goods["unit"]) if goods else None


def receipt(body: dict[str, Any]) -> Receipt:
    """A receipt as ``ReceiptIn`` loaded it; with a foreign ``currency``, ``amount`` is
    in its minor units and the receipt's đồng is its value on the day."""
    gift = foreign(body)
    return Receipt(
        amount=Money(gift.dong if gift else body["amount"]),
        foreign=gift,
        occurred_on=body["occurred_on"],
        donor=donor(body["donor"]),
        channel=Channel(body["channel"]),
        voucher_no=body["voucher_no"],
        bank_ref=body["bank_ref"],
        pledge_id=body["pledge_id"],
        in_kind=in_kind(body["in_kind"]),
        note=body["note"],
        surplus_as_gift=body["surplus_as_gift"],
        campaign_id=body.get("campaign_id"),
    )


def currency_sale(body: dict[str, Any]) -> CurrencySale:
    """A sale of foreign currency as ``CurrencySaleIn`` loaded it: ``amount`` in the
    currency's minor units, ``vnd_amount`` the đồng received."""
    return CurrencySale(
        currency=currency_code(body["currency"]),
        amount=body["amount"],
        dong=Money(body["vnd_amount"]),
        occurred_on=body["occurred_on"],
        channel=body["channel"],
        bank_ref=body["bank_ref"],
        note=body["note"],
    )


def foreign(body: dict[str, Any]) -> Foreign | None:
    """The foreign currency of a receipt, if it names one other than đồng."""
    code = body.get("currency")
    if not code or currency_code(code) == DONG:
        return None
    return Foreign.of(
        code, body["amount"], body.get("vnd_amount"), body.get("rate"), body.get("rate_source")
    )


def disbursement(body: dict[str, Any]) -> Disbursement:
    """A disbursement as ``DisbursementIn`` loaded it."""
    return Disbursement(
        amount=Money(body["amount"]),
        occurred_on=body["occurred_on"],
        category=Category(body["category"]),
        household_id=body["household_id"],
        house_project_id=body["house_project_id"],
        grant_id=body["grant_id"],
        voucher_no=body["voucher_no"],
        note=body["note"],
        repeat_reason=body["repeat_reason"],
        in_kind=in_kind(body["in_kind"]),
        channel=body["channel"],
        bank_ref=body["bank_ref"],
        campaign_id=body.get("campaign_id"),
    )


def reach_lines(body: dict[str, Any]) -> list[Reach]:
    """A distribution's lines as ``DistributionIn`` loaded them."""
    return [
        Reach(
            HouseholdCategory(line["beneficiary"]),
            line["packages"],
            line["household_times"],
            line["people"],
        )
        for line in body["lines"]
    ]


def nominees(body: dict[str, Any]) -> list[Nominee]:
    """A bình xét's households put forward as ``SelectionMeetingIn`` loaded them."""
    return [
        Nominee(n["household_id"], n["votes_for"], n["votes_against"]) for n in body["nominees"]
    ]
