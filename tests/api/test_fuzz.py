"""Hostile input: every operation of the service's own OpenAPI document, fed generated
bodies, queries and paths by schemathesis, with and without a valid token. No answer
may be a 5xx, off its documented schema or status, or an error that is not
problem+json. Then the stateful phase: calls chained by the document's links (a unit
created, then its funds, a fund's receipts, their reversals...), each answer within its
contract. `make fuzz` runs the same with many more examples and longer chains."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import FlakyStrategyDefinition
from schemathesis import Case, Response
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("SOVANG_FUZZ_EXAMPLES", "8"))
#: Chains of calls in the stateful phase, and the most calls in one chain.
CHAINS = int(os.environ.get("SOVANG_FUZZ_CHAINS", "1"))
STEPS = int(os.environ.get("SOVANG_FUZZ_STEPS", "5"))


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
    _checked(case, case.call(headers=headers))


def _checked(case: Case, response: Response) -> None:
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


def test_with_an_admin_token_every_operation_answers_within_its_contract_alone_and_chained(
    app: Flask, make_token: Callable[..., str]
) -> None:
    headers = {"Authorization": f"Bearer {make_token('admin')}"}
    _fuzz_every_operation(app, headers)
    _chain_along_the_links(app, headers)


def _chain_along_the_links(app: Flask, headers: dict[str, str]) -> None:
    """Schemathesis's stateful phase: each chain calls an operation, then one its answer
    links to with the values it created (a unit, then a fund of it, a receipt into the
    fund, its reversal...), and so on."""
    api = schemathesis.openapi.from_wsgi("/openapi.json", app)
    links = [
        link
        for path in api.raw_schema["paths"].values()
        for operation in path.values()
        for answer in operation["responses"].values()
        for link in answer.get("links", {}).values()
    ]
    assert len(links) > 50, "the document links too few answers to the operations they feed"

    class Chains(api.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"headers": headers}

        def validate_response(
            self, response: Response, case: Case, *args: Any, **kwargs: Any
        ) -> None:
            _checked(case, response)

    chains = settings(FUZZ, max_examples=CHAINS, stateful_step_count=STEPS, phases=[Phase.generate])
    # The store keeps what the chains before created, so a chain drawn again can find other
    # links to follow: the phase ends there, as schemathesis's own runner ends it. A failed
    # check is an assertion or a FailureGroup, never this.
    with contextlib.suppress(FlakyStrategyDefinition):
        Chains.run(settings=chains)
