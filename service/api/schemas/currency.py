"""What a receipt in a foreign currency adds to a receipt's fields."""

from __future__ import annotations

from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import Dong, Text, optional_text

CURRENCY = "ISO 4217 code (USD, EUR, …); VND, the default, for đồng."
RATE = (
    'Đồng for one unit of the currency, as an exact decimal string ("25000", '
    '"24510.5"), with rate_source; or give vnd_amount instead.'
)


def currency_field() -> Text:
    return Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=3, max=3),
        metadata={"description": CURRENCY},
    )


class ForeignIn(Schema):
    """The fields a receipt takes for a gift in a foreign currency."""

    currency = currency_field()
    vnd_amount = Dong(
        load_default=None,
        allow_none=True,
        metadata={"description": "The đồng the bank credited when it converted the gift."},
    )
    rate = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=30),
        metadata={"description": RATE},
    )
    rate_source = optional_text(200, "Where the rate comes from: the bank and its rate that day.")
