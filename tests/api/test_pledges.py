"""Pledges: made to a fund, fulfilled by the receipts that name them, closed with a reason."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.api.helpers import (
    Commune,
    MakeToken,
    commune_with_fund,
    created,
    every_item,
    get,
    invalid,
    ok,
    open_fund,
    post,
    problem,
    receipt,
    register_unit,
    reverse,
)

DONOR = {"name": "Công ty TNHH Hồng Phát", "kind": "organisation"}


def pledge(
    client: FlaskClient, world: Commune, amount: int = 30_000_000, **extra: Any
) -> dict[str, Any]:
    body = {"donor": DONOR, "amount": amount, **extra}
    return created(post(client, f"/funds/{world.fund_id}/pledges", world.treasurer, body))


def pay(client: FlaskClient, world: Commune, pledge_id: str, amount: int, **extra: Any) -> Any:
    return post(
        client,
        f"/funds/{world.fund_id}/receipts",
        world.treasurer,
        receipt(amount, channel="bank", pledge_id=pledge_id, **extra),
    )


def read(client: FlaskClient, world: Commune, pledge_id: str, position: int, **q: Any) -> Any:
    return ok(get(client, f"/pledges/{pledge_id}", world.treasurer, min_position=position, **q))


def test_receipts_that_name_a_pledge_fulfil_it_in_instalments(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    made = pledge(
        client,
        world,
        instalments=[
            {"due_on": "2025-03-31", "amount": 10_000_000},
            {"due_on": "2025-06-30", "amount": 20_000_000},
        ],
        code="uh bão lũ",
    )
    assert (made["code"], made["status"], made["outstanding"]) == ("UH BAO LU", "open", 30_000_000)

    first = created(pay(client, world, made["pledge_id"], 10_000_000))
    second = created(pay(client, world, made["pledge_id"], 20_000_000))

    assert first["pledge"]["outstanding"] == 20_000_000
    assert (second["pledge"]["status"], second["pledge"]["fulfilled"]) == ("fulfilled", 30_000_000)
    shown = read(client, world, made["pledge_id"], second["position"])
    assert (shown["status"], shown["fulfilled"], shown["outstanding"], shown["due_on"]) == (
        "fulfilled",
        30_000_000,
        0,
        "2025-06-30",
    )
    assert [i["cumulative"] for i in shown["instalments"]] == [10_000_000, 30_000_000]
    assert [(f["amount"], f["slip_no"]) for f in shown["fulfilments"]] == [
        (10_000_000, first["slip_no"]),
        (20_000_000, second["slip_no"]),
    ]
    assert shown["donor"] == DONOR


def test_a_receipt_beyond_what_is_outstanding_is_refused_unless_the_surplus_is_a_gift(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    made = pledge(client, world, 5_000_000)

    refused = problem(pay(client, world, made["pledge_id"], 8_000_000), 409, "pledge-exceeded")
    answer = created(pay(client, world, made["pledge_id"], 8_000_000, surplus_as_gift=True))

    assert refused["outstanding"] == 5_000_000
    assert answer["balance"] == 8_000_000
    assert answer["pledge"] == {**answer["pledge"], "fulfilled": 5_000_000, "status": "fulfilled"}
    shown = read(client, world, made["pledge_id"], answer["position"])
    [fulfilment] = shown["fulfilments"]
    assert (fulfilment["amount"], fulfilment["receipt_amount"]) == (5_000_000, 8_000_000)
    problem(pay(client, world, made["pledge_id"], 1_000), 409, "pledge-closed")


def test_a_pledge_is_cancelled_or_written_off_with_a_reason_and_then_takes_no_receipt(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    withdrawn, given_up = pledge(client, world), pledge(client, world)
    created(pay(client, world, given_up["pledge_id"], 1_000_000))

    cancelled = created(
        post(
            client,
            f"/pledges/{withdrawn['pledge_id']}/cancellation",
            world.treasurer,
            {"reason": "Nhà hảo tâm rút lại"},
        )
    )
    written_off = created(
        post(
            client,
            f"/pledges/{given_up['pledge_id']}/write-off",
            world.treasurer,
            {"reason": "Doanh nghiệp giải thể"},
        )
    )

    assert (cancelled["status"], cancelled["outstanding"]) == ("cancelled", 0)
    assert (written_off["status"], written_off["fulfilled"]) == ("written_off", 1_000_000)
    problem(pay(client, world, withdrawn["pledge_id"], 1_000), 409, "pledge-closed")
    problem(
        post(
            client,
            f"/pledges/{withdrawn['pledge_id']}/write-off",
            world.treasurer,
            {"reason": "x"},
        ),
        409,
        "pledge-closed",
    )
    invalid(
        post(client, f"/pledges/{given_up['pledge_id']}/cancellation", world.treasurer, {}),
        "reason",
    )
    shown = read(client, world, given_up["pledge_id"], written_off["position"])
    assert (shown["closed_reason"], shown["closed_by"]) == ("Doanh nghiệp giải thể", "Thủ quỹ xã")


def test_a_unit_lists_its_pledges_with_what_is_outstanding_and_overdue(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    late = pledge(client, world, 10_000_000, due_on="2025-02-01")
    part = pledge(
        client,
        world,
        9_000_000,
        instalments=[
            {"due_on": "2025-01-31", "amount": 3_000_000},
            {"due_on": "2025-12-31", "amount": 6_000_000},
        ],
    )
    pledge(client, world, 4_000_000, due_on="2025-12-31")
    pledge(client, world, 2_000_000)
    last = created(pay(client, world, part["pledge_id"], 3_000_000))
    path = f"/units/{world.commune_id}/pledges"

    overdue = ok(
        get(
            client,
            path,
            world.treasurer,
            min_position=last["position"],
            overdue="true",
            as_of="2025-03-01",
        )
    )
    everything = every_item(client, path, world.treasurer, last["position"], limit=2)
    later = ok(get(client, path, world.treasurer, overdue="true", as_of="2026-01-01"))

    assert [(p["pledge_id"], p["overdue"]) for p in overdue["items"]] == [
        (late["pledge_id"], 10_000_000)
    ]
    assert overdue["totals"] == {
        "count": 4,
        "amount": 25_000_000,
        "fulfilled": 3_000_000,
        "outstanding": 22_000_000,
        "overdue": 10_000_000,
        "overdue_count": 1,
    }
    assert len(everything) == 4
    assert [p["overdue"] for p in later["items"]] == [10_000_000, 6_000_000, 4_000_000]
    province = ok(
        get(client, f"/units/{world.province_id}/pledges", world.admin, include_children="true")
    )
    assert province["totals"]["count"] == 4
    assert ok(get(client, f"/units/{world.province_id}/pledges", world.admin))["items"] == []


def test_reversing_a_receipt_puts_back_what_it_fulfilled(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    made = pledge(client, world, 5_000_000)
    paid = created(pay(client, world, made["pledge_id"], 5_000_000))

    undone = reverse(client, world.treasurer, world.fund_id, paid["entry_id"])

    shown = read(client, world, made["pledge_id"], undone["position"])
    assert (shown["status"], shown["fulfilled"], shown["outstanding"]) == ("open", 0, 5_000_000)
    assert [f["reversed"] for f in shown["fulfilments"]] == [True]


def test_a_pledge_code_is_unique_in_its_fund_and_a_receipt_names_a_pledge_of_its_own_fund(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    other = open_fund(client, world.treasurer, world.commune_id, "Quỹ Cứu trợ", "relief")
    made = pledge(client, world, code="UH-2025")

    problem(
        post(
            client,
            f"/funds/{world.fund_id}/pledges",
            world.treasurer,
            {"donor": DONOR, "amount": 1, "code": "uh-2025"},
        ),
        409,
        "already-registered",
    )
    created(
        post(
            client,
            f"/funds/{other['id']}/pledges",
            world.treasurer,
            {"donor": DONOR, "amount": 1, "code": "UH-2025"},
        )
    )
    invalid(
        post(
            client,
            f"/funds/{other['id']}/receipts",
            world.treasurer,
            receipt(1_000, pledge_id=made["pledge_id"]),
        ),
        "pledge_id",
    )
    invalid(pay(client, world, "00000000-0000-0000-0000-000000000001", 1_000), "pledge_id")
    invalid(
        post(
            client,
            f"/funds/{world.fund_id}/receipts",
            world.treasurer,
            receipt(1_000, channel="in_kind", pledge_id=made["pledge_id"]),
        ),
        "pledge_id",
    )
    assert pledge(client, world)["code"].startswith("UH")


def test_pledges_are_checked_for_sense_and_kept_within_the_unit(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    path = f"/funds/{world.fund_id}/pledges"
    outsider = register_unit(client, world.admin, "Xã Khác", "commune", world.province_id)
    stranger = make_token("treasurer", outsider["id"])
    made = pledge(client, world, 1_000_000)

    invalid(
        post(
            client,
            path,
            world.treasurer,
            {
                "donor": DONOR,
                "amount": 10,
                "instalments": [
                    {"due_on": "2025-01-01", "amount": 3},
                    {"due_on": "2025-02-01", "amount": 3},
                ],
            },
        ),
        "instalments",
    )
    invalid(post(client, path, world.treasurer, {"donor": DONOR, "amount": "1000"}), "amount")
    invalid(
        post(client, path, world.treasurer, {"donor": {"kind": "individual"}, "amount": 1}),
        "donor.name",
    )
    created(post(client, path, world.treasurer, {"donor": {"kind": "anonymous"}, "amount": 1}))
    problem(post(client, path, stranger, {"donor": DONOR, "amount": 1}), 403)
    problem(
        post(client, path, make_token("viewer", world.commune_id), {"donor": DONOR, "amount": 1}),
        403,
    )
    problem(
        get(client, f"/pledges/{made['pledge_id']}", stranger, min_position=made["position"]), 403
    )
    problem(get(client, "/pledges/00000000-0000-0000-0000-000000000001", world.treasurer), 404)
    problem(
        post(client, f"/pledges/{made['pledge_id']}/cancellation", stranger, {"reason": "x"}), 403
    )
