"""Marshmallow's validators with Vietnamese messages, for the API's schemas."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError
from marshmallow import validate as _validate


class Range(_validate.Range):
    message_min = "Phải {min_op} {{min}}."
    message_max = "Phải {max_op} {{max}}."
    message_all = "Phải {min_op} {{min}} và {max_op} {{max}}."
    message_gte = "lớn hơn hoặc bằng"
    message_gt = "lớn hơn"
    message_lte = "nhỏ hơn hoặc bằng"
    message_lt = "nhỏ hơn"


class Length(_validate.Length):
    """Counts characters of a text and items of a list, and says which it counted."""

    def __call__(self, value: Any) -> Any:
        if self.error is None:
            size = len(value)
            unit = "ký tự" if isinstance(value, str) else "mục"
            if self.equal is not None and size != self.equal:
                raise ValidationError(f"Phải có đúng {self.equal} {unit}.")
            if self.min is not None and size < self.min:
                raise ValidationError(
                    "Không được để trống. Hãy điền giá trị."
                    if size == 0
                    else f"Cần ít nhất {self.min} {unit}."
                )
            if self.max is not None and size > self.max:
                raise ValidationError(f"Tối đa {self.max} {unit}; hãy rút ngắn lại.")
        return super().__call__(value)


class OneOf(_validate.OneOf):
    default_message = "Hãy chọn một trong các giá trị: {choices}."
