"""Every message a person reads is Vietnamese: the titles of refusals, the answers to
HTTP errors the web framework raises itself, and marshmallow's messages on the API's
fields and schemas."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import click
import pytest
from eventsourcing.domain import Aggregate, CanMutateAggregate
from marshmallow import ValidationError

from service import domain
from service.api import fields, validators
from service.domain.errors import DomainError
from service.entrypoints.cli.main import main
from service.web import labels
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


def _events_of_the_domain() -> list[tuple[str, str]]:
    """Every (record, event) pair the log can hold: each aggregate's event classes, less
    the library's bases."""
    found = []
    for module in pkgutil.iter_modules(domain.__path__):
        loaded = importlib.import_module(f"{domain.__name__}.{module.name}")
        for record in vars(loaded).values():
            if not (inspect.isclass(record) and issubclass(record, Aggregate)):
                continue
            if record.__module__ != loaded.__name__:
                continue
            for name, event in vars(record).items():
                is_event = inspect.isclass(event) and issubclass(event, CanMutateAggregate)
                if is_event and name not in ("Created", "Event"):
                    found.append((record.__name__, name))
    return sorted(found)


@pytest.mark.parametrize(("record", "event"), _events_of_the_domain())
def test_every_event_of_the_log_has_a_vietnamese_name_for_the_audit_trail(
    record: str, event: str
) -> None:
    assert is_vietnamese(labels.AGGREGATES[record]), record
    assert is_vietnamese(labels.event_name(event, record)), (record, event)
    assert is_vietnamese(labels.event_name(event)), event


def test_an_event_name_shared_by_several_records_names_each_of_them() -> None:
    assert labels.event_name("Approved") == "Phê duyệt nhà / Phê duyệt phương tiện sinh kế"
    assert labels.event_name("Answered") == "Yêu cầu đã thực hiện / Trả lời người dân"


#: Words of an English sentence (werkzeug's "The requested URL was not found on the
#: server...", a library's "Not a valid ..."), which no Vietnamese message holds.
ENGLISH = re.compile(
    r"\b(the|was|not|found|please|requested|server|invalid|must|error)\b", re.IGNORECASE
)


def english_in(text: str) -> list[str]:
    """The English words of ``text``, once its markup, style and scripts are set aside."""
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return ENGLISH.findall(text)


def test_the_english_finder_finds_the_web_frameworks_own_sentence() -> None:
    sentence = "<p>The requested URL was not found on the server.</p>"
    assert english_in(sentence) == ["The", "requested", "was", "not", "found", "the", "server"]
    assert english_in("<p>Không có trang nào ở địa chỉ này.</p>") == []


def _commands(group: click.Group, prefix: str = "sovang") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix} {name}", command))
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix} {name}")
    return found


@pytest.mark.parametrize(("name", "command"), _commands(main), ids=lambda v: str(v))
def test_every_command_line_help_reads_in_vietnamese(name: str, command: click.Command) -> None:
    assert is_vietnamese(command.help or ""), name
    for option in command.params:
        if isinstance(option, click.Option) and option.help:
            assert is_vietnamese(option.help), (name, option.name, option.help)
    assert is_vietnamese(main.help or "")
