"""Foreign currency a fund holds: selling it for đồng."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.api.operation import WRITE_ERRORS, operation, write_request, written
from service.api.schemas.exchange import CurrencySaleIn, CurrencySaleWritten
from service.web import bodies
from service.web.context import services

bp = Blueprint("exchange", __name__)


@bp.post("/funds/<uuid:fund_id>/currency-sales")
@operation(
    "Sell foreign currency",
    tag="entries",
    body=CurrencySaleIn,
    response=CurrencySaleWritten,
    status=201,
    creates={201: "entry_id"},
    errors=WRITE_ERRORS,
)
def sell_currency(fund_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Sells foreign currency the fund holds for đồng (bán ngoại tệ): the holding goes out
    at its average cost, and the difference from the đồng received is posted as an
    exchange gain or loss (413). Refused for more than the fund holds."""
    sale = bodies.currency_sale(body)
    return written(services().ledger.sell_currency(write_request(), fund_id, sale))
