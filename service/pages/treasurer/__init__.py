"""/thu-quy/: the treasurers' and approvers' pages, behind the same login as the
inspectors' (``access.protect``): today's work, money in and out, the bank statement,
households, houses, grants, the committee's own work (support counted, bình xét),
pledges and targets, approvals and downloads. One module per
area; each form is read by the API route that records the same thing."""

from __future__ import annotations

from service.pages.treasurer import (
    approvals,
    cases,
    committee,
    downloads,
    grants,
    houses,
    money,
    pledges,
    statements,
    today,
)
from service.pages.treasurer.shared import bp

__all__ = [
    "approvals",
    "bp",
    "cases",
    "committee",
    "downloads",
    "grants",
    "houses",
    "money",
    "pledges",
    "statements",
    "today",
]
