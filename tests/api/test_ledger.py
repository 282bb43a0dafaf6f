"""GET /funds/{id}/entries: the ledger, oldest first, with running balances."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.api.helpers import (
    Commune,
    MakeToken,
    commune_with_fund,
    disburse,
    get,
    invalid,
    ledger,
    ok,
    problem,
    receive,
    register_unit,
    reverse,
)


def _history(client: FlaskClient, world: Commune) -> tuple[list[dict[str, Any]], int]:
    """Five entries recorded out of date order, one of them reversed."""
    t, f = world.treasurer, world.fund_id
    written = [
        receive(client, t, f, 5_000_000, occurred_on="2025-03-10"),
        disburse(client, t, f, 1_000_000, occurred_on="2025-03-12", category="medical"),
        receive(client, t, f, 2_000_000, occurred_on="2025-01-20", channel="bank"),
        disburse(client, t, f, 500_000, occurred_on="2025-05-01", category="scholarship"),
    ]
    written.append(reverse(client, t, f, written[1]["entry_id"]))
    return written, written[-1]["position"]


def test_the_ledger_lists_entries_oldest_first_with_the_running_balance_after_each(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    written, position = _history(client, world)

    entries = ledger(client, world.treasurer, world.fund_id, position)

    assert [e["entry_id"] for e in entries] == [w["entry_id"] for w in written]
    assert [e["running_balance"] for e in entries] == [
        5_000_000,
        4_000_000,
        6_000_000,
        5_500_000,
        6_500_000,
    ]
    assert [e["running_balance"] for e in entries] == [w["balance"] for w in written]
    assert [e["effect"] for e in entries] == [5_000_000, -1_000_000, 2_000_000, -500_000, 1_000_000]
    assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries)
    assert [e["position"] for e in entries] == sorted(e["position"] for e in entries)
    assert all(e["fund_id"] == world.fund_id and e["actor"] == "Thủ quỹ xã" for e in entries)


def test_only_the_reversed_entry_is_flagged_reversed_and_the_reversal_names_it(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    written, position = _history(client, world)

    entries = ledger(client, world.treasurer, world.fund_id, position)

    assert [e["reversed"] for e in entries] == [False, True, False, False, False]
    assert entries[1]["reversed_by_entry_id"] == written[4]["entry_id"]
    assert entries[4]["reverses_entry_id"] == written[1]["entry_id"]
    assert [e["reversed_by_entry_id"] for e in (entries[0], entries[2], entries[3])] == [None] * 3


def test_the_ledger_is_filtered_by_voucher_date_keeping_true_running_balances(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    written, position = _history(client, world)
    everything = {
        e["entry_id"]: e for e in ledger(client, world.treasurer, world.fund_id, position)
    }

    march = ledger(
        client, world.treasurer, world.fund_id, position, from_="2025-03-01", to="2025-03-31"
    )
    since_march_11 = ledger(client, world.treasurer, world.fund_id, position, from_="2025-03-11")
    until_march = ledger(client, world.treasurer, world.fund_id, position, to="2025-03-10")

    assert [e["entry_id"] for e in march] == [written[0]["entry_id"], written[1]["entry_id"]]
    assert {e["occurred_on"] for e in since_march_11} >= {"2025-03-12", "2025-05-01"}
    assert all(e["occurred_on"] >= "2025-03-11" for e in since_march_11)
    assert [e["entry_id"] for e in until_march] == [written[0]["entry_id"], written[2]["entry_id"]]
    for entry in (*march, *since_march_11, *until_march):
        assert entry["running_balance"] == everything[entry["entry_id"]]["running_balance"]


def test_the_ledger_is_read_page_by_page_until_next_cursor_is_null(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    written, position = _history(client, world)

    pages, cursor = [], None
    while True:
        page = ok(
            get(
                client,
                f"/funds/{world.fund_id}/entries",
                world.treasurer,
                min_position=position,
                limit=2,
                cursor=cursor,
            )
        )
        pages.append([e["entry_id"] for e in page["items"]])
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert [len(p) for p in pages] == [2, 2, 1]
    assert [entry for p in pages for entry in p] == [w["entry_id"] for w in written]


def test_a_filtered_ledger_is_paged_too(client: FlaskClient, make_token: MakeToken) -> None:
    world = commune_with_fund(client, make_token)
    written, position = _history(client, world)
    path = f"/funds/{world.fund_id}/entries"

    first = ok(
        get(
            client,
            path,
            world.treasurer,
            min_position=position,
            limit=1,
            from_="2025-03-01",
            to="2025-03-31",
        )
    )
    second = ok(
        get(
            client,
            path,
            world.treasurer,
            min_position=position,
            limit=1,
            from_="2025-03-01",
            to="2025-03-31",
            cursor=first["next_cursor"],
        )
    )

    assert [e["entry_id"] for e in first["items"] + second["items"]] == [
        written[0]["entry_id"],
        written[1]["entry_id"],
    ]
    assert second["next_cursor"] is None


def test_an_empty_ledger_is_one_empty_page(client: FlaskClient, make_token: MakeToken) -> None:
    world = commune_with_fund(client, make_token)

    page = ok(
        get(client, f"/funds/{world.fund_id}/entries", world.treasurer, min_position=world.position)
    )

    assert page == {"items": [], "next_cursor": None}


def test_bad_ledger_queries_are_refused_naming_the_parameter(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    path = f"/funds/{world.fund_id}/entries"

    invalid(get(client, path, world.treasurer, from_="2025-13-01"), "from")
    invalid(get(client, path, world.treasurer, to="yesterday"), "to")
    invalid(get(client, path, world.treasurer, cursor="%%%"), "cursor")
    invalid(get(client, path, world.treasurer, limit="ten"), "limit")
    invalid(get(client, path, world.treasurer, limit=0), "limit")
    invalid(get(client, path, world.treasurer, colour="red"), "colour")


def test_the_ledger_is_not_readable_from_outside_the_funds_unit(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    neighbour = register_unit(client, world.admin, "Xã Gio Linh", "commune", world.province_id)

    response = get(
        client,
        f"/funds/{world.fund_id}/entries",
        make_token("treasurer", neighbour["id"]),
        min_position=neighbour["position"],
    )

    problem(response, 403, "forbidden")
