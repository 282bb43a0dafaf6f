"""Hostile input: every operation of the service's own OpenAPI document, fed generated
bodies, queries and paths by schemathesis, with and without a valid token. No answer
may be a 5xx, off its documented schema or status, or an error that is not
problem+json. `make fuzz` runs the same with many more examples."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis import Case
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("SOVANG_FUZZ_EXAMPLES", "8"))


CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def _call_within_contract(case: Case, headers: dict[str, str]) -> None:
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS)
    if response.status_code >= 400:
        content_type = {k.lower(): v for k, v in response.headers.items()}["content-type"][0]
        assert content_type.startswith("application/problem+json"), response.text


def _fuzz(strategy: Any, label: str, headers: dict[str, str], tried: dict[str, int]) -> None:
    """Calls one operation with the cases ``strategy`` generates, counting them."""

    @FUZZ
    @given(case=strategy)
    def within_contract(case: Case) -> None:
        tried[label] = tried.get(label, 0) + 1
        _call_within_contract(case, headers)

    within_contract()


def _fuzz_every_operation(app: Flask, headers: dict[str, str]) -> None:
    api = schemathesis.openapi.from_wsgi("/openapi.json", app)
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) > 20
    tried: dict[str, int] = {}
    for operation in operations:
        _fuzz(operation.as_strategy(), operation.label, headers, tried)
    assert tried.keys() == {operation.label for operation in operations}, "an operation untried"
    print(f"fuzz: {sum(tried.values())} cases over {len(tried)} operations")


def test_without_a_token_every_operation_answers_within_its_contract(app: Flask) -> None:
    _fuzz_every_operation(app, {})


def test_with_an_admin_token_every_operation_answers_within_its_contract(
    app: Flask, make_token: Callable[..., str]
) -> None:
    _fuzz_every_operation(app, {"Authorization": f"Bearer {make_token('admin')}"})
