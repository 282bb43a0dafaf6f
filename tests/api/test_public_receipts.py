"""GET /public/receipts/{reference}: a donor checks their own gift, with no token, down
to the proof that it is in the log the service signed."""

from __future__ import annotations

import base64
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from service.domain import merkle
from service.domain.checkpoints import open_checkpoint
from service.domain.notes import Verifier
from service.projections.log import Tree, leaf_of
from tests.api.helpers import (
    API,
    MakeToken,
    commune_with_fund,
    created,
    disburse,
    get,
    ok,
    post,
    problem,
    receipt,
)


def give(client: FlaskClient, token: str, fund_id: str, **body: Any) -> dict[str, Any]:
    return created(post(client, f"/funds/{fund_id}/receipts", token, receipt(**body)))


def look_up(client: FlaskClient, reference: str, position: int) -> dict[str, Any]:
    response = client.get(
        f"{API}/public/receipts/{reference}", query_string={"min_position": position}
    )
    return ok(response)


def stored_leaf(app: Flask, position: int) -> bytes:
    services = app.extensions["sovang"]
    with services.db.transaction() as tx:
        leaf = Tree(tx).leaf(position - 1)
    [notification] = services.ledger.recorder.select_notifications(start=position, limit=1)
    assert notification.id == position
    assert leaf == leaf_of(notification)
    return leaf


def checks_out(app: Flask, client: FlaskClient, found: dict[str, Any]) -> None:
    """The receipt's leaf is the stored one, and its proof leads to a checkpoint's root
    signed with the log's published key."""
    key = Verifier.parse(ok(get(client, "/audit/key", None))["verifier_key"])
    checkpoint = found["checkpoint"]
    head, _ = open_checkpoint(checkpoint["checkpoint"], key)
    assert head.size == checkpoint["tree_size"]
    assert base64.b64encode(head.root).decode() == checkpoint["root_hash"]
    leaf = found["leaf"]
    assert leaf["leaf_index"] == leaf["position"] - 1
    leaf_hash = base64.b64decode(leaf["leaf_hash"])
    assert leaf_hash == stored_leaf(app, leaf["position"])
    proof = [base64.b64decode(p) for p in found["inclusion_proof"]]
    assert merkle.verify_inclusion(leaf["leaf_index"], head.size, leaf_hash, proof, head.root)
    assert not merkle.verify_inclusion(
        leaf["leaf_index"], head.size, merkle.leaf_hash(b"forged"), proof, head.root
    )


def test_a_donor_finds_a_gift_by_its_entry_id_or_bank_reference_with_its_proof(
    app: Flask, client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    person = give(client, world.treasurer, world.fund_id, amount=1_500_000)
    company = give(
        client,
        world.treasurer,
        world.fund_id,
        amount=20_000_000,
        channel="bank",
        bank_ref="FT25060188",
        donor={"name": "Công ty TNHH Minh Phát", "kind": "organisation"},
    )
    anonymous = give(client, world.treasurer, world.fund_id, donor={"kind": "anonymous"})
    signed = client.post(
        API + "/audit/checkpoints", headers={"Authorization": f"Bearer {world.admin}"}
    )
    assert signed.status_code == 201, signed.get_data(as_text=True)
    size = signed.get_json()["tree_size"]
    assert size == anonymous["position"]
    head = size + 1

    by_id = look_up(client, person["entry_id"], head)
    assert by_id["reference"] == person["entry_id"]
    [found] = by_id["receipts"]
    assert (found["entry_id"], found["fund_id"], found["unit_id"]) == (
        person["entry_id"],
        world.fund_id,
        world.commune_id,
    )
    assert (found["amount"], found["donor_name"], found["donor_kind"]) == (
        1_500_000,
        "Nguyễn V. A.",
        "individual",
    )
    assert "Văn" not in str(by_id)
    assert found["leaf"]["position"] == person["position"]
    assert found["reversed"] is False
    assert found["checkpoint"]["tree_size"] == size
    checks_out(app, client, found)

    by_bank = look_up(client, "FT25060188", head)
    assert by_bank["reference"] == "FT25060188"
    [theirs] = by_bank["receipts"]
    assert theirs["entry_id"] == company["entry_id"]
    assert (theirs["donor_name"], theirs["donor_kind"], theirs["bank_ref"]) == (
        "Công ty TNHH Minh Phát",
        "organisation",
        "FT25060188",
    )
    checks_out(app, client, theirs)

    [nobody] = look_up(client, anonymous["entry_id"], head)["receipts"]
    assert (nobody["donor_name"], nobody["donor_kind"]) == (None, "anonymous")
    assert nobody["leaf"]["position"] == size  # the last leaf of the checkpoint's tree
    checks_out(app, client, nobody)


def test_gifts_under_one_bank_reference_are_all_listed_in_order(
    app: Flask, client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    first = give(client, world.treasurer, world.fund_id, channel="bank", bank_ref="FT-1")
    give(client, world.treasurer, world.fund_id, channel="bank", bank_ref="FT-2")
    second = give(client, world.treasurer, world.fund_id, channel="bank", bank_ref="FT-1")
    client.post(API + "/audit/checkpoints", headers={"Authorization": f"Bearer {world.admin}"})
    found = look_up(client, "FT-1", second["position"] + 1)["receipts"]
    assert [r["entry_id"] for r in found] == [first["entry_id"], second["entry_id"]]
    for gift in found:
        checks_out(app, client, gift)


def test_a_gift_newer_than_the_latest_checkpoint_has_no_proof_yet(
    app: Flask, client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    before = give(client, world.treasurer, world.fund_id)
    [unproved] = look_up(client, before["entry_id"], before["position"])["receipts"]
    assert (unproved["checkpoint"], unproved["inclusion_proof"]) == (None, None)
    assert base64.b64decode(unproved["leaf"]["leaf_hash"]) == stored_leaf(app, before["position"])

    client.post(API + "/audit/checkpoints", headers={"Authorization": f"Bearer {world.admin}"})
    after = give(client, world.treasurer, world.fund_id, amount=2_000)
    [late] = look_up(client, after["entry_id"], after["position"])["receipts"]
    assert (late["checkpoint"], late["inclusion_proof"]) == (None, None)
    assert late["leaf"]["position"] == after["position"]
    assert base64.b64decode(late["leaf"]["leaf_hash"]) == stored_leaf(app, after["position"])
    [earlier] = look_up(client, before["entry_id"], after["position"])["receipts"]
    assert earlier["checkpoint"]["tree_size"] == before["position"]
    checks_out(app, client, earlier)


def test_an_unknown_reference_or_a_disbursement_is_not_a_receipt(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    give(client, world.treasurer, world.fund_id, amount=5_000_000)
    paid = disburse(client, world.treasurer, world.fund_id, 100_000)
    client.post(API + "/audit/checkpoints", headers={"Authorization": f"Bearer {world.admin}"})
    position = paid["position"] + 1
    for reference in (
        paid["entry_id"],
        world.fund_id,
        "00000000-0000-0000-0000-000000000000",
        "FT-NOT-RECORDED",
        "%20",
    ):
        response = client.get(
            f"{API}/public/receipts/{reference}", query_string={"min_position": position}
        )
        problem(response, 404)


def test_a_receipt_is_public_but_a_token_changes_nothing(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    gift = give(client, world.treasurer, world.fund_id)
    anonymous = client.get(
        f"{API}/public/receipts/{gift['entry_id']}", query_string={"min_position": gift["position"]}
    )
    assert anonymous.status_code == 200, anonymous.get_data(as_text=True)
    with_token = ok(
        get(
            client,
            f"/public/receipts/{gift['entry_id']}",
            world.admin,
            min_position=gift["position"],
        )
    )
    assert with_token == anonymous.get_json()
    assert with_token["receipts"][0]["donor_name"] == "Nguyễn V. A."
