"""Every message a person reads is Vietnamese: the titles of refusals, the answers to
HTTP errors the web framework raises itself, and marshmallow's messages on the API's
fields and schemas."""

from __future__ import annotations

import re

import pytest
from marshmallow import ValidationError

from service.api import fields, validators
from service.domain.errors import DomainError
from service.web.errors import HTTP_MESSAGES

#: Letters only Vietnamese writes among the languages this service meets.
VIETNAMESE = re.compile(
    "[ăâđêôơưàáạảãằắặẳẵầấậẩẫèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ]", re.IGNORECASE
)


def is_vietnamese(text: str) -> bool:
    return bool(VIETNAMESE.search(text))


@pytest.mark.parametrize("code", sorted(DomainError.registry))
def test_every_refusal_has_a_vietnamese_title(code: str) -> None:
    title = DomainError.registry[code].title
    assert is_vietnamese(title), (code, title)


def test_the_root_refusal_has_a_vietnamese_title() -> None:
    assert is_vietnamese(DomainError.title)


@pytest.mark.parametrize("status", sorted(HTTP_MESSAGES))
def test_every_http_error_of_the_framework_reads_in_vietnamese(status: int) -> None:
    title, detail = HTTP_MESSAGES[status]
    assert is_vietnamese(title), status
    assert is_vietnamese(detail), status


FIELDS = [
    fields.String(),
    fields.UUID(),
    fields.Integer(),
    fields.Float(),
    fields.Boolean(),
    fields.Date(),
    fields.AwareDateTime(),
    fields.List(fields.String()),
    fields.Nested(fields.Schema),
    fields.Dict(),
    fields.Field(),
]


@pytest.mark.parametrize("field", FIELDS, ids=lambda field: type(field).__name__)
def test_every_message_of_the_api_fields_is_vietnamese(field: fields.Field) -> None:
    for key, message in field.error_messages.items():
        assert isinstance(message, str), key
        assert is_vietnamese(message), (key, message)


def test_the_schema_refuses_unknown_fields_and_non_objects_in_vietnamese() -> None:
    messages = fields.Schema().error_messages
    assert is_vietnamese(messages["unknown"]), messages
    assert is_vietnamese(messages["type"]), messages


@pytest.mark.parametrize(
    ("validator", "value"),
    [
        (validators.Range(min=1, max=10), 11),
        (validators.Range(min=1), 0),
        (validators.Range(max=10), 11),
        (validators.Length(min=1, max=3), ""),
        (validators.Length(min=2, max=3), "a"),
        (validators.Length(max=3), "abcd"),
        (validators.Length(max=1), ["a", "b"]),
        (validators.Length(equal=2), "a"),
        (validators.OneOf(["cash", "bank"]), "gold"),
    ],
)
def test_validators_refuse_in_vietnamese(validator: object, value: object) -> None:
    with pytest.raises(ValidationError) as refused:
        validator(value)  # type: ignore[operator]
    message = " ".join(map(str, refused.value.messages))
    assert is_vietnamese(message), message


def test_a_list_too_long_is_counted_in_items_and_a_text_in_characters() -> None:
    with pytest.raises(ValidationError) as items:
        validators.Length(max=1)(["a", "b"])
    with pytest.raises(ValidationError) as letters:
        validators.Length(max=1)("ab")
    assert "mục" in str(items.value)
    assert "ký tự" in str(letters.value)
