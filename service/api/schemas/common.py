"""What the schemas of every resource share: texts without control characters, đồng,
counts and voucher dates; the read and page queries with their cursors; and the page of
any answer.

Bodies are strict: an unknown field, a number sent as a string ("100.000" means
one hundred thousand to a Vietnamese reader), a boolean or a fraction where đồng
are expected is refused, so a typo never silently changes money.
"""

from __future__ import annotations

import binascii
import functools
from datetime import date
from typing import Any, cast
from uuid import UUID

from marshmallow import ValidationError, validates_schema

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.domain.funds import EARLIEST_VOUCHER_DATE
from service.domain.money import MAX_ENTRY_DONG
from service.domain.text import visible
from service.web.cursors import decode_cursor

_CONTROL = {chr(c) for c in range(32) if chr(c) not in "\n\t"} | {"\x7f"}
#: What Text accepts, for the OpenAPI document: no control character but tab and newline.
TEXT_PATTERN = "^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f]*$"
#: What VoucherDate accepts, for the OpenAPI document: a day from 1990 to 2100.
DATE_PATTERN = "^(199[0-9]|20[0-9][0-9]|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


def documented(kwargs: dict[str, Any], **properties: Any) -> dict[str, Any]:
    """The field's keyword arguments with ``properties`` added to what the OpenAPI document
    says of it (its metadata), unless the field says otherwise."""
    return {**kwargs, "metadata": {**properties, **kwargs.get("metadata", {})}}


class Text(fields.String):
    """A string without NUL or other control characters, and without the invisible ones
    (zero-width, bidirectional controls), which are dropped."""

    def __init__(self, **kwargs: Any) -> None:
        chosen = isinstance(kwargs.get("validate"), validate.OneOf)
        super().__init__(**(kwargs if chosen else documented(kwargs, pattern=TEXT_PATTERN)))

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if any(ch in _CONTROL for ch in text):
            raise ValidationError("Văn bản có ký tự điều khiển; hãy xóa chúng rồi gửi lại.")
        return visible(text)


class Dong(fields.Integer):
    """An amount of đồng: a whole JSON number, never a string, boolean or fraction."""

    default_error_messages = {  # noqa: RUF012
        "invalid": "Hãy gửi số đồng nguyên, không đặt trong dấu ngoặc kép, không có dấu chấm hay "
        "dấu phẩy, ví dụ 100000.",
    }

    def __init__(self, *, minimum: int = 1, **kwargs: Any) -> None:
        super().__init__(
            strict=True,
            validate=validate.Range(
                min=minimum,
                max=MAX_ENTRY_DONG,
                error=f"Số tiền phải từ {minimum} đến 10.000.000.000.000 đ. Hãy nhập lại số tiền.",
            ),
            **kwargs,
        )

    def _validated(self, value: Any) -> int:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._validated(value)


class Count(fields.Integer):
    """A whole number from 1: never a string, boolean or fraction."""

    def __init__(self, *, most: int = 10**9, **kwargs: Any) -> None:
        super().__init__(strict=True, validate=validate.Range(min=1, max=most), **kwargs)

    def _validated(self, value: Any) -> int:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._validated(value)


class VoucherDate(fields.Date):
    """A calendar date (YYYY-MM-DD) in a sensible range."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**documented(kwargs, pattern=DATE_PATTERN))

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        day: date = super()._deserialize(value, attr, data, **kwargs)
        if day < EARLIEST_VOUCHER_DATE or day.year > 2100:
            raise ValidationError("Ngày nằm ngoài khoảng cho phép. Hãy kiểm tra lại năm.")
        return day


def one_of(values: Any) -> validate.OneOf:
    choices = [v.value for v in values]
    return validate.OneOf(choices, error=f"Hãy chọn một trong các giá trị: {', '.join(choices)}.")


def name(max_length: int = 200, **kwargs: Any) -> Text:
    return Text(validate=validate.Length(min=1, max=max_length), **kwargs)


def optional_text(max_length: int, description: str | None = None) -> Text:
    return Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=max_length),
        metadata={"description": description} if description else {},
    )


def optional_id(description: str | None = None) -> fields.UUID:
    return fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": description} if description else {},
    )


def year(**kwargs: Any) -> fields.Integer:
    """A calendar year the service keeps figures for."""
    return fields.Integer(
        validate=validate.Range(min=1990, max=2100, error="Năm phải từ 1990 đến 2100."), **kwargs
    )


def prose(max_length: int, **kwargs: Any) -> Text:
    return Text(validate=validate.Length(min=1, max=max_length), **kwargs)


class Cursor(fields.String):
    """An opaque page cursor: the key after which the next page starts."""

    def __init__(self, *, numeric: bool, **kwargs: Any) -> None:
        super().__init__(
            **documented(
                kwargs,
                pattern="^[A-Za-z0-9_-]+$",
                description="The previous page's next_cursor, as it was given.",
            )
        )
        self.numeric = numeric

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            after = decode_cursor(text)
            return int(after) if self.numeric else str(UUID(after))
        except (binascii.Error, ValueError, UnicodeDecodeError):
            raise ValidationError(
                "Con trỏ (cursor) này không phải do hệ thống cấp. Hãy dùng con trỏ từ trang trước."
            ) from None


class ReadQuery(Schema):
    min_position = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=2**62),
        metadata={
            "description": "Wait until the read models have passed this log position: the "
            "position a write answered. A position no write has reached yet (beyond the "
            "log's head) is refused with 422."
        },
    )


#: What naming a bình xét meeting asks of an approval (the application refuses any other).
MEETING = (
    "Required unless no_meeting_reason is given: the bình xét meeting (POST "
    "/units/{unit_id}/selection-meetings) of the household's unit or a unit above it that "
    "selected the household, held on or before approved_on."
)
#: The exception to naming a meeting.
NO_MEETING = (
    "Only without meeting_id, where no bình xét meeting could be held (a disaster's "
    "emergency): why; recorded in the approval's event. Only an approver or an admin."
)


class PeriodQuery(ReadQuery):
    """A period of days, ``from`` to ``to`` (both required, in order)."""

    date_from = VoucherDate(data_key="from", required=True)
    date_to = VoucherDate(
        data_key="to", required=True, metadata={"description": "On or after from."}
    )

    @validates_schema
    def period_is_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["date_from"] > data["date_to"]:
            raise ValidationError("Ngày kết thúc của kỳ phải bằng hoặc sau ngày bắt đầu.", "to")


class PageQuery(ReadQuery):
    cursor = Cursor(numeric=True, load_default=None)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


@functools.cache
def page_of(item: type[Schema]) -> type[Schema]:
    """The schema of one page of a list: its ``item`` answers, and the cursor of the next
    page (null on the last). ``page_of(UnitOut)`` is named UnitPage in the OpenAPI document."""
    page = type(
        item.__name__.removesuffix("Out") + "Page",
        (Schema,),
        {
            "__module__": item.__module__,
            "items": fields.List(fields.Nested(item)),
            "next_cursor": fields.String(allow_none=True),
        },
    )
    return cast(type[Schema], page)
