"""Read-your-writes (min_position), authentication, and errors as problem+json."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.adapters import tokens
from service.config import Config
from service.domain.vocabulary import Level, Role
from service.entrypoints.wsgi import create_app
from tests.api.helpers import (
    API,
    MakeToken,
    auth,
    commune_with_fund,
    created,
    get,
    invalid,
    ok,
    post,
    problem,
    receipt,
    receive,
)
from tests.conftest import ADMIN


def test_every_read_with_min_position_sees_the_write_at_that_position(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    t = world.treasurer
    gift = receive(client, t, world.fund_id, 1_234_000, occurred_on="2025-02-02")
    keyed = created(
        post(client, f"/funds/{world.fund_id}/receipts", t, receipt(66_000), key="thu-ryw")
    )
    replayed = created(
        post(client, f"/funds/{world.fund_id}/receipts", t, receipt(66_000), key="thu-ryw")
    )
    period = {"from_": "2025-01-01", "to": "2025-12-31"}

    for write in (gift, keyed, replayed):
        at = write["position"]
        assert ok(get(client, f"/funds/{world.fund_id}", t, min_position=at))["balance"] >= (
            1_234_000
        )
        entries = ok(get(client, f"/funds/{world.fund_id}/entries", t, min_position=at))["items"]
        assert gift["entry_id"] in {e["entry_id"] for e in entries}
        assert (
            ok(get(client, f"/units/{world.commune_id}/report", t, min_position=at, **period))[
                "receipts"
            ]["total"]
            >= 1_234_000
        )
        trail = ok(get(client, "/audit/events", world.admin, min_position=at, limit=1000))
        assert at in {e["position"] for e in trail["items"]}
    assert (
        ok(get(client, f"/funds/{world.fund_id}", t, min_position=keyed["position"]))["balance"]
        == 1_300_000
    )
    assert (
        ok(get(client, f"/units/{world.commune_id}", t, min_position=world.position))["id"]
        == world.commune_id
    )
    children = ok(
        get(client, "/units", t, parent_id=world.province_id, min_position=world.position)
    )
    assert [u["id"] for u in children["items"]] == [world.commune_id]


@pytest.fixture
def impatient_client(database_url: str) -> Iterator[FlaskClient]:
    """A client of an app whose reads wait for the projections a tenth of a second only."""
    app: Flask = create_app(Config(database_url=database_url, read_wait_seconds=0.1))
    app.config["TESTING"] = True
    yield app.test_client()
    app.extensions["sovang"].close()


def test_a_read_the_projections_have_not_reached_in_time_answers_503_with_retry_after(
    database_url: str,
) -> None:
    app: Flask = create_app(Config(database_url=database_url, read_wait_seconds=0))
    services = app.extensions["sovang"]
    admin = tokens.create(services.db, name="admin", role=Role.ADMIN, unit_id=None)[1]
    written = services.ledger.register_unit(ADMIN, "Xã Mẫu", Level.COMMUNE, None, None)

    response = get(app.test_client(), "/units", admin, min_position=written.position)

    problem(response, 503, "projections-behind")
    assert response.headers["Retry-After"] == "1"
    services.close()


def test_a_read_asking_for_a_position_beyond_the_log_is_refused_at_once(
    impatient_client: FlaskClient,
) -> None:
    db = impatient_client.application.extensions["sovang"].db
    admin = tokens.create(db, name="admin", role=Role.ADMIN, unit_id=None)[1]

    response = get(impatient_client, f"/units/{uuid4()}", admin, min_position=10**9)

    body = invalid(response, "min_position")
    assert "không có lần ghi nào ở vị trí này" in body["errors"]["min_position"][0]


# Authentication ---------------------------------------------------------------

PROTECTED = [
    ("POST", "/units"),
    ("GET", "/units/{id}"),
    ("GET", "/units"),
    ("GET", "/units/{id}/report?from=2025-01-01&to=2025-12-31"),
    ("POST", "/funds"),
    ("GET", "/funds/{id}"),
    ("POST", "/funds/{id}/receipts"),
    ("POST", "/funds/{id}/disbursements"),
    ("POST", "/funds/{id}/transfers"),
    ("POST", "/funds/{id}/entries/{id}/reversal"),
    ("POST", "/funds/{id}/period-closes"),
    ("GET", "/funds/{id}/entries"),
    ("GET", "/audit/events"),
]


def test_every_api_route_answers_401_without_a_valid_bearer_token(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    ids = {"units": world.commune_id, "funds": world.fund_id}
    bad = [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer sv_this-token-was-never-issued"},
        {"Authorization": "Bearer not-even-our-prefix"},
        {"Authorization": f"Basic {world.treasurer}"},
        {"Authorization": world.treasurer},
    ]

    for method, template in PROTECTED:
        root = template.split("/")[1]
        path = API + template.replace("{id}", ids.get(root, world.fund_id), 1).replace(
            "{id}", str(uuid4())
        )
        for headers in bad:
            response = client.open(
                path, method=method, headers=headers, json=receipt() if method == "POST" else None
            )
            assert response.status_code == 401, (method, path, headers, response.get_json())
            problem(response, 401, "unauthorized")
            assert response.headers["WWW-Authenticate"].startswith("Bearer")

    entries = ok(
        get(client, f"/funds/{world.fund_id}/entries", world.treasurer, min_position=world.position)
    )
    assert entries["items"] == []


def test_a_valid_token_is_accepted_with_any_case_of_bearer_and_stray_spaces(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)

    response = client.get(
        f"{API}/funds/{world.fund_id}",
        query_string={"min_position": world.position},
        headers={"Authorization": f"bearer   {world.treasurer} "},
    )

    assert ok(response)["id"] == world.fund_id


def test_a_revoked_token_answers_401(client: FlaskClient, make_token: MakeToken) -> None:
    world = commune_with_fund(client, make_token)
    db = client.application.extensions["sovang"].db
    token_id, token = tokens.create(db, name="cũ", role=Role.VIEWER, unit_id=None)
    assert (
        get(client, f"/units/{world.commune_id}", token, min_position=world.position).status_code
        == 200
    )

    assert tokens.revoke(db, token_id)

    problem(get(client, f"/units/{world.commune_id}", token), 401, "unauthorized")


# Errors ---------------------------------------------------------------------------


def test_routing_errors_are_problems_too(client: FlaskClient, make_token: MakeToken) -> None:
    admin = make_token("admin")

    problem(client.get(f"{API}/no-such-thing", headers=auth(admin)), 404, "not-found")
    problem(client.get(f"{API}/funds/not-a-uuid", headers=auth(admin)), 404, "not-found")
    removed = client.delete(f"{API}/funds/{uuid4()}", headers=auth(admin))
    problem(removed, 405, "method-not-allowed")
    assert "GET" in removed.headers["Allow"]
    assert "DELETE" not in removed.headers["Allow"]
    problem(client.put(f"{API}/units", headers=auth(admin), json={}), 405)


def test_no_error_answer_leaks_a_stack_trace(client: FlaskClient, make_token: MakeToken) -> None:
    world = commune_with_fund(client, make_token)
    answers = [
        post(
            client,
            f"/funds/{world.fund_id}/disbursements",
            world.treasurer,
            {"amount": 10**30, "occurred_on": "2025-03-01", "category": "other"},
        ),
        client.post(
            f"{API}/funds/{world.fund_id}/receipts",
            data=b"[" * 50_000,
            content_type="application/json",
            headers=auth(world.treasurer),
        ),
        get(client, f"/funds/{world.fund_id}/entries", world.treasurer, min_position=2**63),
        get(client, f"/funds/{world.fund_id}/entries", world.treasurer, limit=2**70),
    ]

    for response in answers:
        body = problem(response, response.status_code)
        assert 400 <= response.status_code < 500, body
        assert "Traceback" not in response.get_data(as_text=True)
