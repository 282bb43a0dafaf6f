"""The log's checkpoints, witnesses and proofs over HTTP: what a board or a donor checks
with nothing but the log's public key."""

from __future__ import annotations

import base64
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from service.config import Config
from service.domain import merkle
from service.domain.checkpoints import TreeHead, open_checkpoint
from service.domain.notes import COSIGNATURE, EM_DASH, Note, Signer, Verifier
from service.entrypoints.wsgi import create_app
from service.projections.log import leaf_of
from tests.api.helpers import (
    API,
    Commune,
    MakeToken,
    commune_with_fund,
    created,
    every_item,
    get,
    invalid,
    ok,
    post,
    problem,
    receive,
)


def sign(client: FlaskClient, token: str | None) -> TestResponse:
    return client.post(
        API + "/audit/checkpoints", headers={"Authorization": f"Bearer {token}"} if token else {}
    )


def signed(client: FlaskClient, token: str) -> dict[str, Any]:
    response = sign(client, token)
    assert response.status_code == 201, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def log_key(client: FlaskClient) -> Verifier:
    body = ok(get(client, "/audit/key", None))
    verifier = Verifier.parse(body["verifier_key"])
    assert verifier.name == body["origin"]
    return verifier


def stored_leaves(app: Flask) -> list[bytes]:
    recorder = app.extensions["sovang"].ledger.recorder
    return [leaf_of(n) for n in recorder.select_notifications(start=1, limit=10_000)]


def world_with_gifts(client: FlaskClient, make_token: MakeToken, count: int = 4) -> Commune:
    world = commune_with_fund(client, make_token)
    for i in range(count):
        receive(client, world.treasurer, world.fund_id, 100_000 + i)
    return world


# Signing and reading checkpoints -----------------------------------------------------


def test_there_is_no_latest_checkpoint_before_one_is_signed(
    client: FlaskClient, make_token: MakeToken
) -> None:
    problem(get(client, "/audit/checkpoints/latest", None), 404)
    world_with_gifts(client, make_token, 1)
    problem(get(client, "/audit/checkpoints/latest", None), 404)
    assert ok(get(client, "/audit/checkpoints", None)) == {"items": [], "next_cursor": None}
    problem(get(client, "/audit/checkpoints/3", None), 404)


def test_the_log_key_is_the_service_signing_key(client: FlaskClient, log_signer: Signer) -> None:
    body = ok(get(client, "/audit/key", None))
    assert body == {"origin": log_signer.name, "verifier_key": str(log_signer.verifier)}


def test_admins_and_inspectors_sign_checkpoints_that_verify_with_the_published_key(
    client: FlaskClient, make_token: MakeToken, app: Flask
) -> None:
    world = world_with_gifts(client, make_token, 3)
    first = signed(client, world.admin)
    leaves = stored_leaves(app)
    assert first["tree_size"] == 6  # 2 units, a fund, 3 receipts
    assert len(leaves) == 7  # and the checkpoint itself
    assert base64.b64decode(first["root_hash"]) == merkle.root(leaves[:6])
    head, note = open_checkpoint(first["checkpoint"], log_key(client))
    assert head == TreeHead(log_key(client).name, 6, merkle.root(leaves[:6]))
    assert len(note.signatures) == 1

    receive(client, world.treasurer, world.fund_id, 500_000)
    inspector = make_token("inspector", world.commune_id)
    second = signed(client, inspector)
    assert second["tree_size"] == 8  # the first checkpoint is itself an event of the log
    assert base64.b64decode(second["root_hash"]) == merkle.root(stored_leaves(app)[:8])
    assert open_checkpoint(second["checkpoint"], log_key(client))[0].size == 8


def test_signing_the_same_size_twice_gives_the_checkpoint_already_signed(
    client: FlaskClient, make_token: MakeToken, app: Flask
) -> None:
    world = world_with_gifts(client, make_token, 1)
    first = signed(client, world.admin)
    latest = ok(get(client, "/audit/checkpoints/latest", None, min_position=5))
    assert latest["tree_size"] == first["tree_size"] == 4
    # The log now holds the checkpoint too, but nothing else: signing again answers the
    # checkpoint already signed and adds no event.
    head = app.extensions["sovang"].runner.head()
    again = [sign(client, world.admin) for _ in range(3)]
    assert [r.status_code for r in again] == [200, 200, 200]
    assert {r.get_json()["tree_size"] for r in again} == {4}
    assert {r.get_json()["checkpoint"] for r in again} == {first["checkpoint"]}
    assert app.extensions["sovang"].runner.head() == head == 5
    receive(client, world.treasurer, world.fund_id)
    assert signed(client, world.admin)["tree_size"] == 6


def test_checkpoints_on_demand_are_limited_per_token_across_workers(
    config: Config, make_token: MakeToken, client: FlaskClient
) -> None:
    world = world_with_gifts(client, make_token, 1)
    limited = replace(config, checkpoints_per_minute=3)
    workers = [create_app(limited).test_client() for _ in range(2)]
    answers = [sign(workers[n % 2], world.admin) for n in range(4)]
    other = sign(workers[0], make_token("inspector", world.commune_id))

    assert [r.status_code for r in answers[:3]] == [201, 200, 200]
    refused = problem(answers[3], 429, "too-many-requests")
    assert int(answers[3].headers["Retry-After"]) >= 1
    assert "thử lại" in refused["detail"]
    assert other.status_code == 200
    for worker in workers:
        worker.application.extensions["sovang"].close()


@pytest.mark.parametrize("role", ["treasurer", "viewer", "approver"])
def test_other_roles_may_not_sign_checkpoints(
    client: FlaskClient, make_token: MakeToken, role: str
) -> None:
    world = world_with_gifts(client, make_token, 1)
    problem(sign(client, make_token(role, world.commune_id)), 403)
    problem(get(client, "/audit/checkpoints/latest", None), 404)


def test_signing_a_checkpoint_needs_a_token(client: FlaskClient, make_token: MakeToken) -> None:
    world_with_gifts(client, make_token, 1)
    problem(sign(client, None), 401)
    problem(sign(client, "not-a-token"), 401)


def test_an_empty_log_has_nothing_to_sign(client: FlaskClient, make_token: MakeToken) -> None:
    problem(sign(client, make_token("admin")), 409)


def test_checkpoints_are_read_latest_by_size_and_page_by_page(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = world_with_gifts(client, make_token, 1)
    sizes = []
    for _ in range(5):
        sizes.append(signed(client, world.admin)["tree_size"])
        receive(client, world.treasurer, world.fund_id)
    assert sizes == [4, 6, 8, 10, 12]
    head = 14  # the last checkpoint at 13, then a receipt
    latest = ok(get(client, "/audit/checkpoints/latest", None, min_position=head))
    assert latest["tree_size"] == 12
    by_size = ok(get(client, "/audit/checkpoints/8", None, min_position=head))
    assert by_size["tree_size"] == 8
    assert open_checkpoint(by_size["checkpoint"], log_key(client))[0].size == 8
    assert set(by_size) == {"tree_size", "root_hash", "timestamp", "checkpoint"}
    problem(get(client, "/audit/checkpoints/9", None, min_position=head), 404)

    first_page = ok(get(client, "/audit/checkpoints", None, min_position=head, limit=2))
    assert [c["tree_size"] for c in first_page["items"]] == [4, 6]
    assert first_page["next_cursor"] is not None
    every = every_item(client, "/audit/checkpoints", "", head, limit=2)
    assert [c["tree_size"] for c in every] == sizes
    key = log_key(client)
    for checkpoint in every:
        found, _ = open_checkpoint(checkpoint["checkpoint"], key)
        assert base64.b64encode(found.root).decode() == checkpoint["root_hash"]


# Proofs -------------------------------------------------------------------------------


def test_an_inclusion_proof_for_every_position_verifies_against_the_signed_root(
    client: FlaskClient, make_token: MakeToken, app: Flask
) -> None:
    world = world_with_gifts(client, make_token, 6)
    checkpoint = signed(client, world.admin)
    size = checkpoint["tree_size"]
    root = open_checkpoint(checkpoint["checkpoint"], log_key(client))[0].root
    leaves = stored_leaves(app)
    for position in range(1, size + 1):
        proof = ok(get(client, "/audit/proofs/inclusion", None, position=position, tree_size=size))
        assert (proof["leaf_index"], proof["tree_size"]) == (position - 1, size)
        leaf = base64.b64decode(proof["leaf_hash"])
        assert leaf == leaves[position - 1]
        assert base64.b64decode(proof["root_hash"]) == root
        path = [base64.b64decode(p) for p in proof["proof"]]
        assert merkle.verify_inclusion(position - 1, size, leaf, path, root)
        assert not merkle.verify_inclusion(position - 1, size, leaves[position % size], path, root)


def test_a_consistency_proof_joins_two_signed_checkpoints(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = world_with_gifts(client, make_token, 2)
    old = signed(client, world.admin)
    for i in range(5):
        receive(client, world.treasurer, world.fund_id, 7_000 + i)
    new = signed(client, world.admin)
    key = log_key(client)
    old_head, new_head = (open_checkpoint(c["checkpoint"], key)[0] for c in (old, new))
    body = ok(
        get(client, "/audit/proofs/consistency", None, first=old_head.size, second=new_head.size)
    )
    assert (body["first"], body["second"]) == (old_head.size, new_head.size) == (5, 11)
    assert base64.b64decode(body["first_root"]) == old_head.root
    assert base64.b64decode(body["second_root"]) == new_head.root
    proof = [base64.b64decode(p) for p in body["proof"]]
    assert merkle.verify_consistency(5, 11, old_head.root, new_head.root, proof)
    assert not merkle.verify_consistency(5, 11, new_head.root, new_head.root, proof)


@pytest.mark.parametrize(
    ("path", "params", "field", "message"),
    [
        ("/audit/proofs/inclusion", {"position": 4, "tree_size": 3}, "position", "nằm trong"),
        ("/audit/proofs/inclusion", {"position": 1, "tree_size": 99}, "tree_size", "mới có"),
        ("/audit/proofs/consistency", {"first": 3, "second": 2}, "first", "không được lớn hơn"),
        ("/audit/proofs/consistency", {"first": 1, "second": 99}, "second", "mới có"),
    ],
)
def test_proofs_outside_the_tree_are_refused_naming_the_field(
    client: FlaskClient,
    make_token: MakeToken,
    path: str,
    params: dict[str, Any],
    field: str,
    message: str,
) -> None:
    world_with_gifts(client, make_token, 1)
    body = invalid(get(client, path, None, **params), field)
    assert any(message in m for m in body["errors"][field]), body
    assert len(body["errors"]) == 1, body


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/audit/proofs/inclusion", {"position": "abc", "tree_size": 3}, "position"),
        ("/audit/proofs/inclusion", {"position": "1.5", "tree_size": 3}, "position"),
        ("/audit/proofs/inclusion", {"position": 1, "tree_size": "3.0"}, "tree_size"),
        ("/audit/proofs/inclusion", {"position": 0, "tree_size": 3}, "position"),
        ("/audit/proofs/inclusion", {"tree_size": 3}, "position"),
        ("/audit/proofs/consistency", {"first": "x", "second": 3}, "first"),
        ("/audit/proofs/consistency", {"first": 1, "second": "2.5"}, "second"),
        ("/audit/proofs/consistency", {"first": 1}, "second"),
    ],
)
def test_proof_queries_that_are_not_whole_numbers_are_refused_naming_the_field(
    client: FlaskClient, path: str, params: dict[str, Any], field: str
) -> None:
    invalid(get(client, path, None, **params), field)


# Witnesses ----------------------------------------------------------------------------


def register(
    client: FlaskClient, token: str | None, key: Signer, unit_id: str | None = None
) -> TestResponse:
    body: dict[str, Any] = {"verifier_key": str(key.verifier)}
    if unit_id is not None:
        body["unit_id"] = unit_id
    return post(client, "/audit/witnesses", token, body)


def test_a_unit_inspector_and_an_admin_register_witnesses_once(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = world_with_gifts(client, make_token, 0)
    inspector = make_token("inspector", world.commune_id)
    board = Signer.generate("thanhtra.vinhlinh.example/w", COSIGNATURE)
    outside = Signer.generate("witness.example.org/w", COSIGNATURE)

    theirs = created(register(client, inspector, board, world.commune_id))
    assert theirs["name"] == board.name
    assert theirs["verifier_key"] == str(board.verifier)
    assert theirs["unit_id"] == world.commune_id
    ours = created(register(client, world.admin, outside))
    assert ours["unit_id"] is None

    listed = ok(get(client, "/audit/witnesses", None, min_position=ours["position"]))["items"]
    assert [(w["name"], w["verifier_key"], w["unit_id"]) for w in listed] == [
        (board.name, str(board.verifier), world.commune_id),
        (outside.name, str(outside.verifier), None),
    ]
    problem(register(client, inspector, board, world.commune_id), 409)
    again = Signer.generate(board.name, COSIGNATURE)  # another key under the same name
    problem(register(client, world.admin, again), 409)


def test_an_inspector_names_the_unit_of_the_board_and_other_roles_may_not_register(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = world_with_gifts(client, make_token, 0)
    board = Signer.generate("board.example/w", COSIGNATURE)
    invalid(register(client, make_token("inspector", world.commune_id), board), "unit_id")
    problem(register(client, world.treasurer, board, world.commune_id), 403)
    problem(register(client, make_token("viewer", world.commune_id), board, world.commune_id), 403)
    problem(register(client, None, board), 401)
    assert ok(get(client, "/audit/witnesses", None))["items"] == []


def test_a_witness_key_must_be_a_cosignature_key(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = world_with_gifts(client, make_token, 0)
    plain = Signer.generate("board.example/w")
    body = invalid(register(client, world.admin, plain), "verifier_key")
    assert any("0x04" in m for m in body["errors"]["verifier_key"])
    invalid(
        post(client, "/audit/witnesses", world.admin, {"verifier_key": "x+y+z"}), "verifier_key"
    )


def test_a_witness_cosigns_through_the_api_and_the_checkpoint_carries_both_lines_in_order(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = world_with_gifts(client, make_token, 2)
    inspector = make_token("inspector", world.commune_id)
    board = Signer.generate("thanhtra.vinhlinh.example/w", COSIGNATURE)
    created(register(client, inspector, board, world.commune_id))
    checkpoint = signed(client, world.admin)
    size = checkpoint["tree_size"]
    text = Note.parse(checkpoint["checkpoint"]).text
    line = board.sign(text, 1_760_000_000)

    answer = created(
        post(client, f"/audit/checkpoints/{size}/cosignatures", inspector, {"signature": line})
    )
    assert (answer["tree_size"], answer["witness"]) == (size, board.name)
    assert answer["checkpoint"] == checkpoint["checkpoint"] + line

    served = ok(get(client, f"/audit/checkpoints/{size}", None, min_position=answer["position"]))
    assert served["checkpoint"] == checkpoint["checkpoint"] + line
    note = Note.parse(served["checkpoint"])
    assert [s.name for s in note.signatures] == [log_key(client).name, board.name]
    assert open_checkpoint(served["checkpoint"], log_key(client))[0].size == size
    assert note.signed_by(board.verifier) is not None
    assert board.verifier.verify(note.text, note.signatures[1].signature) == 1_760_000_000
    latest = ok(get(client, "/audit/checkpoints/latest", None, min_position=answer["position"]))
    assert latest["checkpoint"] == served["checkpoint"]
    problem(
        post(client, f"/audit/checkpoints/{size}/cosignatures", inspector, {"signature": line}),
        409,
    )


def test_a_forged_or_unknown_cosignature_is_refused(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = world_with_gifts(client, make_token, 1)
    board = Signer.generate("board.example/w", COSIGNATURE)
    created(register(client, world.admin, board))
    checkpoint = signed(client, world.admin)
    size = checkpoint["tree_size"]
    text = Note.parse(checkpoint["checkpoint"]).text
    path = f"/audit/checkpoints/{size}/cosignatures"

    raw = base64.b64decode(board.sign(text, 5).split(" ")[2])
    forged = f"{EM_DASH} {board.name} {base64.b64encode(raw[:-1] + bytes([raw[-1] ^ 1])).decode()}"
    invalid(post(client, path, world.admin, {"signature": forged}), "signature")
    impostor = Signer.generate(board.name, COSIGNATURE)
    invalid(post(client, path, world.admin, {"signature": impostor.sign(text, 5)}), "signature")
    stranger = Signer.generate("stranger.example/w", COSIGNATURE)
    invalid(post(client, path, world.admin, {"signature": stranger.sign(text, 5)}), "signature")
    invalid(post(client, path, world.admin, {"signature": "nonsense"}), "signature")
    other_text = text.replace(f"\n{size}\n", f"\n{size + 1}\n")
    invalid(post(client, path, world.admin, {"signature": board.sign(other_text, 5)}), "signature")
    problem(
        post(
            client,
            f"/audit/checkpoints/{size + 50}/cosignatures",
            world.admin,
            {"signature": board.sign(text, 5)},
        ),
        404,
    )
    problem(post(client, path, world.treasurer, {"signature": board.sign(text, 5)}), 403)
    served = ok(get(client, f"/audit/checkpoints/{size}", None, min_position=size + 1))
    assert served["checkpoint"] == checkpoint["checkpoint"]


def test_the_public_routes_need_no_token(client: FlaskClient, make_token: MakeToken) -> None:
    world = world_with_gifts(client, make_token, 1)
    size = signed(client, world.admin)["tree_size"]
    for path in (
        "/audit/key",
        "/audit/checkpoints/latest",
        f"/audit/checkpoints/{size}",
        "/audit/checkpoints",
        "/audit/witnesses",
    ):
        response = client.get(API + path, query_string={"min_position": size + 1})
        assert response.status_code == 200, (path, response.get_data(as_text=True))


def test_the_proofs_need_no_token(client: FlaskClient, make_token: MakeToken) -> None:
    world = world_with_gifts(client, make_token, 1)
    size = signed(client, world.admin)["tree_size"]
    for path, query in (
        ("/audit/proofs/inclusion", {"position": 1, "tree_size": size}),
        ("/audit/proofs/consistency", {"first": 1, "second": size}),
    ):
        response = client.get(API + path, query_string=query)
        assert response.status_code == 200, (path, response.get_data(as_text=True))
