"""Marshmallow's fields and base schema with Vietnamese messages, in this one place.

The API's schemas build on these instead of marshmallow's own, so every refusal of a
body or query reads in Vietnamese and says what to send instead.
"""

from __future__ import annotations

import marshmallow
from marshmallow import fields as _fields
from marshmallow.types import ErrorMessages

#: The messages every field shares: a value missing, null, or refused by a validator.
COMMON: ErrorMessages = {
    "required": "Thiếu trường bắt buộc này. Hãy gửi kèm giá trị của nó.",
    "null": "Trường này không được để trống (null). Hãy gửi một giá trị.",
    "validator_failed": "Giá trị không hợp lệ. Hãy kiểm tra lại.",
}


class Schema(marshmallow.Schema):
    """A schema whose own refusals (an unknown field, a body that is no object) are Vietnamese."""

    error_messages = {  # noqa: RUF012
        "type": 'Dữ liệu phải là một đối tượng JSON, ví dụ {"amount": 100000}.',
        "unknown": "API không có trường này. Hãy bỏ trường này hoặc kiểm tra lại tên trường.",
    }


class Field(_fields.Field):  # type: ignore[type-arg]
    default_error_messages: ErrorMessages = COMMON


class String(_fields.String):
    default_error_messages: ErrorMessages = {  # noqa: RUF012
        **COMMON,
        "invalid": "Phải là một chuỗi văn bản, đặt trong dấu ngoặc kép.",
        "invalid_utf8": "Không phải văn bản UTF-8 hợp lệ.",
    }


class UUID(_fields.UUID):
    default_error_messages: ErrorMessages = {  # noqa: RUF012
        **String.default_error_messages,
        "invalid_uuid": "Mã không hợp lệ: phải là một UUID, "
        "ví dụ 3fa85f64-5717-4562-b3fc-2c963f66afa6. Hãy kiểm tra lại mã.",
    }


class Integer(_fields.Integer):
    default_error_messages: ErrorMessages = {  # noqa: RUF012
        **COMMON,
        "invalid": "Phải là một số nguyên, không đặt trong dấu ngoặc kép, ví dụ 100000.",
        "too_large": "Số quá lớn. Hãy kiểm tra lại.",
    }


class Float(_fields.Float):
    default_error_messages: ErrorMessages = {  # noqa: RUF012
        **COMMON,
        "invalid": "Phải là một số, ví dụ 12.5.",
        "too_large": "Số quá lớn. Hãy kiểm tra lại.",
        "special": "Không nhận giá trị đặc biệt (nan, vô cực). Hãy gửi một số bình thường.",
    }


class Boolean(_fields.Boolean):
    default_error_messages: ErrorMessages = {  # noqa: RUF012
        **COMMON,
        "invalid": "Phải là true hoặc false.",
    }


class Date(_fields.Date):
    default_error_messages: ErrorMessages = {  # noqa: RUF012
        **COMMON,
        "invalid": "Ngày không hợp lệ. Hãy ghi theo dạng năm-tháng-ngày, ví dụ 2026-03-15.",
        "format": "Không ghi được “{input}” thành ngày.",
        "invalid_awareness": "Ngày không hợp lệ. Hãy ghi theo dạng năm-tháng-ngày.",
    }


class AwareDateTime(_fields.AwareDateTime):
    default_error_messages: ErrorMessages = {  # noqa: RUF012
        **COMMON,
        "invalid": "Thời điểm không hợp lệ. Hãy ghi theo ISO 8601, "
        "ví dụ 2026-03-15T08:00:00+07:00.",
        "invalid_awareness": "Thời điểm phải kèm múi giờ, ví dụ +07:00.",
        "format": "Không ghi được “{input}” thành thời điểm.",
    }


class List(_fields.List):  # type: ignore[type-arg]
    default_error_messages: ErrorMessages = {  # noqa: RUF012
        **COMMON,
        "invalid": "Phải là một danh sách (mảng JSON), ví dụ [...].",
    }


class Nested(_fields.Nested):
    default_error_messages: ErrorMessages = {  # noqa: RUF012
        **COMMON,
        "type": "Phải là một đối tượng JSON, ví dụ {...}.",
    }


class Dict(_fields.Dict):
    default_error_messages: ErrorMessages = {  # noqa: RUF012
        **COMMON,
        "invalid": "Phải là một đối tượng JSON, ví dụ {...}.",
    }
