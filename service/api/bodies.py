"""Parts that recur in request bodies (a donor, goods given in kind), read into the domain's
values."""

from __future__ import annotations

from typing import Any

from service.domain.funds import Donor, InKind
from service.domain.vocabulary import DonorKind


def donor(given: dict[str, Any]) -> Donor:
    return Donor(given["name"], DonorKind(given["kind"]))


def in_kind(goods: dict[str, Any] | None) -> InKind | None:
    return InKind(goods["description"], goods["quantity"], goods["unit"]) if goods else None
