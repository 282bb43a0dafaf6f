"""Money in and out: receipts, disbursements, transfers, reversals and period closes."""

from __future__ import annotations

from uuid import uuid4

from flask.testing import FlaskClient

from tests.api.helpers import (
    DAY,
    MakeToken,
    commune_with_fund,
    created,
    disburse,
    disbursement,
    fund,
    house_under_way,
    invalid,
    ledger,
    ok,
    open_fund,
    post,
    problem,
    receipt,
    receive,
    register_household,
    register_unit,
    reverse,
    send,
    transfer,
)

# Happy paths ----------------------------------------------------------------


def test_a_receipt_is_recorded_with_its_entry_id_position_and_new_balance(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)

    answer = created(
        post(
            client,
            f"/funds/{world.fund_id}/receipts",
            world.treasurer,
            receipt(
                2_300_000,
                "2025-02-14",
                "bank",
                voucher_no="PT-001",
                bank_ref="FT25045123",
                pledge_id=None,
                note="Ủng hộ Tết",
            ),
        )
    )

    assert answer["balance"] == 2_300_000
    assert answer["fund_id"] == world.fund_id
    assert answer["position"] > world.position
    [entry] = ledger(client, world.treasurer, world.fund_id, answer["position"])
    assert entry["entry_id"] == answer["entry_id"]
    assert (entry["kind"], entry["amount"], entry["channel"], entry["occurred_on"]) == (
        "receipt",
        2_300_000,
        "bank",
        "2025-02-14",
    )
    assert entry["donor"] == {"name": "Nguyễn Văn An", "kind": "individual"}
    assert (entry["voucher_no"], entry["bank_ref"], entry["note"]) == (
        "PT-001",
        "FT25045123",
        "Ủng hộ Tết",
    )


def test_goods_received_are_recorded_by_value_without_changing_the_balance(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)

    answer = created(
        post(
            client,
            f"/funds/{world.fund_id}/receipts",
            world.treasurer,
            receipt(
                15_000_000,
                channel="in_kind",
                in_kind={"description": "Máy tính", "quantity": 3, "unit": "bộ"},
            ),
        )
    )

    assert answer["balance"] == 0
    [entry] = ledger(client, world.treasurer, world.fund_id, answer["position"])
    assert entry["in_kind"] == {"description": "Máy tính", "quantity": 3, "unit": "bộ"}
    assert (entry["effect"], entry["running_balance"]) == (0, 0)


def test_goods_must_be_described_exactly_when_the_channel_is_in_kind(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    path = f"/funds/{world.fund_id}/receipts"

    invalid(
        post(client, path, world.treasurer, receipt(channel="in_kind", in_kind=None)), "in_kind"
    )
    invalid(
        post(
            client,
            path,
            world.treasurer,
            receipt(channel="cash", in_kind={"description": "Gạo", "quantity": 1, "unit": "bao"}),
        ),
        "in_kind",
    )


def test_a_named_donor_needs_a_name_and_an_anonymous_one_does_not(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    path = f"/funds/{world.fund_id}/receipts"

    invalid(
        post(client, path, world.treasurer, receipt(donor={"name": "  ", "kind": "organisation"})),
        "donor.name",
    )
    answer = created(
        post(client, path, world.treasurer, receipt(500_000, donor={"kind": "anonymous"}))
    )
    assert answer["balance"] == 500_000


def test_a_disbursement_is_recorded_and_lowers_the_balance(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    receive(client, world.treasurer, world.fund_id, 10_000_000)
    household = register_household(client, world.treasurer, world.commune_id)
    project = house_under_way(client, world.treasurer, household, 6_000_000)

    answer = created(
        post(
            client,
            f"/funds/{world.fund_id}/disbursements",
            world.treasurer,
            disbursement(
                6_000_000,
                "2025-04-02",
                "house_new_build",
                household_id=household,
                house_project_id=project,
                voucher_no="PC-007",
            ),
        )
    )

    assert answer["balance"] == 4_000_000
    entry = ledger(client, world.treasurer, world.fund_id, answer["position"])[-1]
    assert entry["entry_id"] == answer["entry_id"]
    assert (entry["kind"], entry["category"], entry["effect"], entry["running_balance"]) == (
        "disbursement",
        "house_new_build",
        -6_000_000,
        4_000_000,
    )
    assert (entry["household_id"], entry["house_project_id"], entry["voucher_no"]) == (
        household,
        project,
        "PC-007",
    )


def test_a_disbursement_that_would_overdraw_the_fund_is_refused_and_not_recorded(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    paid = receive(client, world.treasurer, world.fund_id, 1_000_000)

    problem(
        post(
            client,
            f"/funds/{world.fund_id}/disbursements",
            world.treasurer,
            disbursement(1_000_001),
        ),
        409,
        "insufficient-funds",
    )

    assert disburse(client, world.treasurer, world.fund_id, 1_000_000)["balance"] == 0
    read = fund(client, world.treasurer, world.fund_id, paid["position"])
    assert read["total_disbursed"] == 1_000_000


def test_a_transfer_moves_money_between_funds_recording_both_sides(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    relief = open_fund(client, world.treasurer, world.commune_id, "Quỹ cứu trợ", "relief")
    receive(client, world.treasurer, world.fund_id, 3_000_000)

    answer = created(
        post(
            client,
            f"/funds/{world.fund_id}/transfers",
            world.treasurer,
            transfer(relief["id"], 1_000_000, note="Điều tiết quỹ"),
        )
    )

    assert answer["balance"] == 2_000_000
    assert answer["to_fund_id"] == relief["id"]
    [received] = ledger(client, world.treasurer, relief["id"], answer["position"])
    sent = ledger(client, world.treasurer, world.fund_id, answer["position"])[-1]
    assert (sent["entry_id"], sent["kind"], sent["counterparty_fund_id"]) == (
        answer["entry_id"],
        "transfer_out",
        relief["id"],
    )
    assert (received["kind"], received["amount"], received["counterparty_fund_id"]) == (
        "transfer_in",
        1_000_000,
        world.fund_id,
    )
    assert answer["counterpart_entry_id"] == received["entry_id"]
    assert received["counterpart_entry_id"] == sent["entry_id"]
    assert fund(client, world.treasurer, relief["id"], answer["position"])["balance"] == 1_000_000


def test_a_treasurer_may_transfer_up_to_the_fund_of_the_unit_above(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    above = open_fund(client, world.admin, world.province_id)
    receive(client, world.treasurer, world.fund_id, 3_000_000)

    answer = send(client, world.treasurer, world.fund_id, above["id"], 2_500_000)

    assert fund(client, world.admin, above["id"], answer["position"])["balance"] == 2_500_000


def test_a_transfer_that_would_overdraw_the_source_is_refused_on_both_sides(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    relief = open_fund(client, world.treasurer, world.commune_id, "Quỹ cứu trợ", "relief")
    paid = receive(client, world.treasurer, world.fund_id, 100_000)

    problem(
        post(
            client,
            f"/funds/{world.fund_id}/transfers",
            world.treasurer,
            transfer(relief["id"], 100_001),
        ),
        409,
        "insufficient-funds",
    )

    assert ledger(client, world.treasurer, relief["id"], paid["position"]) == []
    assert fund(client, world.treasurer, world.fund_id, paid["position"])["balance"] == 100_000


def test_a_transfer_to_an_unknown_fund_or_to_itself_is_refused_naming_to_fund_id(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    receive(client, world.treasurer, world.fund_id, 100_000)
    path = f"/funds/{world.fund_id}/transfers"

    invalid(post(client, path, world.treasurer, transfer(str(uuid4()))), "to_fund_id")
    invalid(post(client, path, world.treasurer, transfer(world.fund_id)), "to_fund_id")


def test_a_voucher_dated_in_the_future_is_refused_naming_occurred_on(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)

    invalid(
        post(
            client,
            f"/funds/{world.fund_id}/receipts",
            world.treasurer,
            receipt(occurred_on="2099-01-01"),
        ),
        "occurred_on",
    )


# Reversals --------------------------------------------------------------------


def test_a_reversal_cancels_an_entry_which_stays_in_the_ledger_marked_reversed(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    receive(client, world.treasurer, world.fund_id, 1_000_000)
    mistake = disburse(client, world.treasurer, world.fund_id, 400_000)

    answer = created(
        post(
            client,
            f"/funds/{world.fund_id}/entries/{mistake['entry_id']}/reversal",
            world.treasurer,
            {"reason": "Chi trùng phiếu PC-003"},
        )
    )

    assert answer["balance"] == 1_000_000
    assert answer["reversed_entry_id"] == mistake["entry_id"]
    entries = ledger(client, world.treasurer, world.fund_id, answer["position"])
    assert [e["kind"] for e in entries] == ["receipt", "disbursement", "reversal"]
    original, correction = entries[1], entries[2]
    assert original["reversed"] is True
    assert original["reversed_by_entry_id"] == correction["entry_id"] == answer["entry_id"]
    assert correction["reverses_entry_id"] == mistake["entry_id"]
    assert correction["reason"] == "Chi trùng phiếu PC-003"
    assert (correction["effect"], correction["running_balance"]) == (400_000, 1_000_000)


def test_reversing_a_transfer_restores_both_funds(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    relief = open_fund(client, world.treasurer, world.commune_id, "Quỹ cứu trợ", "relief")
    receive(client, world.treasurer, world.fund_id, 1_000_000)
    sent = send(client, world.treasurer, world.fund_id, relief["id"], 600_000)

    answer = reverse(client, world.treasurer, world.fund_id, sent["entry_id"])

    assert answer["balance"] == 1_000_000
    assert fund(client, world.treasurer, relief["id"], answer["position"])["balance"] == 0
    received = ledger(client, world.treasurer, relief["id"], answer["position"])
    assert [(e["kind"], e["reversed"]) for e in received] == [
        ("transfer_in", True),
        ("reversal", False),
    ]


def test_an_entry_can_be_reversed_only_once(client: FlaskClient, make_token: MakeToken) -> None:
    world = commune_with_fund(client, make_token)
    mistake = receive(client, world.treasurer, world.fund_id, 1_000_000)
    first = reverse(client, world.treasurer, world.fund_id, mistake["entry_id"])

    problem(
        post(
            client,
            f"/funds/{world.fund_id}/entries/{mistake['entry_id']}/reversal",
            world.treasurer,
            {"reason": "Lần nữa"},
        ),
        409,
        "already-reversed",
    )

    assert len(ledger(client, world.treasurer, world.fund_id, first["position"])) == 2


def test_a_reversal_cannot_itself_be_reversed(client: FlaskClient, make_token: MakeToken) -> None:
    world = commune_with_fund(client, make_token)
    mistake = receive(client, world.treasurer, world.fund_id, 1_000_000)
    correction = reverse(client, world.treasurer, world.fund_id, mistake["entry_id"])

    problem(
        post(
            client,
            f"/funds/{world.fund_id}/entries/{correction['entry_id']}/reversal",
            world.treasurer,
            {"reason": "Hủy bút toán hủy"},
        ),
        409,
        "not-reversible",
    )

    assert fund(client, world.treasurer, world.fund_id, correction["position"])["balance"] == 0


def test_reversing_a_receipt_whose_money_was_spent_is_refused_as_insufficient_funds(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    gift = receive(client, world.treasurer, world.fund_id, 1_000_000)
    spent = disburse(client, world.treasurer, world.fund_id, 700_000)

    problem(
        post(
            client,
            f"/funds/{world.fund_id}/entries/{gift['entry_id']}/reversal",
            world.treasurer,
            {"reason": "Nhầm"},
        ),
        409,
        "insufficient-funds",
    )

    assert fund(client, world.treasurer, world.fund_id, spent["position"])["balance"] == 300_000


def test_reversing_an_unknown_entry_or_another_funds_entry_answers_404(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    relief = open_fund(client, world.treasurer, world.commune_id, "Quỹ cứu trợ", "relief")
    elsewhere = receive(client, world.treasurer, relief["id"], 1_000_000)
    receive(client, world.treasurer, world.fund_id, 1_000_000)

    for entry_id in (str(uuid4()), elsewhere["entry_id"]):
        problem(
            post(
                client,
                f"/funds/{world.fund_id}/entries/{entry_id}/reversal",
                world.treasurer,
                {"reason": "Nhầm"},
            ),
            404,
            "entry-not-found",
        )


def test_a_reversal_needs_a_reason(client: FlaskClient, make_token: MakeToken) -> None:
    world = commune_with_fund(client, make_token)
    gift = receive(client, world.treasurer, world.fund_id)
    path = f"/funds/{world.fund_id}/entries/{gift['entry_id']}/reversal"

    invalid(post(client, path, world.treasurer, {}), "reason")
    invalid(post(client, path, world.treasurer, {"reason": ""}), "reason")
    invalid(post(client, path, world.treasurer, {"reason": "   "}), "reason")


# Period closes ----------------------------------------------------------------


def test_after_a_period_close_entries_dated_on_or_before_it_are_refused(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    relief = open_fund(client, world.treasurer, world.commune_id, "Quỹ cứu trợ", "relief")
    receive(client, world.treasurer, world.fund_id, 5_000_000, occurred_on="2025-06-30")
    receive(client, world.treasurer, relief["id"], 5_000_000, occurred_on="2025-06-30")

    closed = created(
        post(
            client,
            f"/funds/{world.fund_id}/period-closes",
            world.treasurer,
            {"through": "2025-06-30"},
        )
    )

    assert (closed["fund_id"], closed["closed_through"]) == (world.fund_id, "2025-06-30")
    path = f"/funds/{world.fund_id}"
    t = world.treasurer
    problem(
        post(client, f"{path}/receipts", t, receipt(occurred_on="2025-06-30")), 409, "period-closed"
    )
    problem(
        post(client, f"{path}/disbursements", t, disbursement(occurred_on="2025-01-02")),
        409,
        "period-closed",
    )
    problem(
        post(client, f"{path}/transfers", t, transfer(relief["id"], occurred_on="2025-06-01")),
        409,
        "period-closed",
    )
    problem(
        post(
            client,
            f"/funds/{relief['id']}/transfers",
            t,
            transfer(world.fund_id, occurred_on="2025-06-01"),
        ),
        409,
        "period-closed",
    )
    later = receive(client, t, world.fund_id, 1_000, occurred_on="2025-07-01")
    read = fund(client, t, world.fund_id, later["position"])
    assert (read["closed_through"], read["balance"]) == ("2025-06-30", 5_001_000)


def test_books_cannot_be_closed_again_through_an_earlier_date_or_through_the_future(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    path = f"/funds/{world.fund_id}/period-closes"
    created(post(client, path, world.treasurer, {"through": "2025-06-30"}))

    problem(post(client, path, world.treasurer, {"through": "2025-03-31"}), 409, "period-closed")
    problem(post(client, path, world.treasurer, {"through": "2025-06-30"}), 409, "period-closed")
    invalid(post(client, path, world.treasurer, {"through": "2099-12-31"}), "through")
    later = created(post(client, path, world.treasurer, {"through": "2025-12-31"}))
    assert later["closed_through"] == "2025-12-31"


def test_a_reversal_is_dated_in_the_open_period_so_a_closed_period_does_not_block_it(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    gift = receive(client, world.treasurer, world.fund_id, 1_000_000, occurred_on="2025-05-05")
    created(
        post(
            client,
            f"/funds/{world.fund_id}/period-closes",
            world.treasurer,
            {"through": "2025-06-30"},
        )
    )

    answer = reverse(client, world.treasurer, world.fund_id, gift["entry_id"])

    correction = ledger(client, world.treasurer, world.fund_id, answer["position"])[-1]
    assert correction["kind"] == "reversal"
    assert correction["occurred_on"] > "2025-06-30"
    assert answer["balance"] == 0


# Who may write --------------------------------------------------------------------


def _writes(fund_id: str, entry_id: str, to_fund_id: str) -> list[tuple[str, dict[str, object]]]:
    """A valid body for every money write route of a fund."""
    return [
        (f"/funds/{fund_id}/receipts", receipt()),
        (f"/funds/{fund_id}/disbursements", disbursement(1)),
        (f"/funds/{fund_id}/transfers", transfer(to_fund_id, 1)),
        (f"/funds/{fund_id}/entries/{entry_id}/reversal", {"reason": "Nhầm"}),
        (f"/funds/{fund_id}/period-closes", {"through": DAY}),
    ]


def test_readers_may_not_write_money_entries(client: FlaskClient, make_token: MakeToken) -> None:
    world = commune_with_fund(client, make_token)
    gift = receive(client, world.treasurer, world.fund_id, 1_000_000)
    relief = open_fund(client, world.treasurer, world.commune_id, "Quỹ cứu trợ", "relief")
    tokens = {role: make_token(role, world.commune_id) for role in ("viewer", "inspector")}

    for role, token in tokens.items():
        for path, body in _writes(world.fund_id, gift["entry_id"], relief["id"]):
            response = post(client, path, token, body)
            assert response.status_code == 403, (role, path, response.get_json())
            problem(response, 403, "forbidden")

    entries = ledger(client, world.treasurer, world.fund_id, relief["position"])
    assert [e["entry_id"] for e in entries] == [gift["entry_id"]]


def test_a_treasurer_may_not_write_into_another_communes_or_the_provinces_funds(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    neighbour = register_unit(client, world.admin, "Xã Gio Linh", "commune", world.province_id)
    theirs = open_fund(client, world.admin, neighbour["id"])
    above = open_fund(client, world.admin, world.province_id)
    province_treasurer = make_token("treasurer", world.province_id)
    seeds = {
        f["id"]: receive(client, province_treasurer, f["id"], 1_000_000) for f in (theirs, above)
    }

    for target in (theirs, above):
        gift = seeds[target["id"]]
        for path, body in _writes(target["id"], gift["entry_id"], world.fund_id):
            response = post(client, path, world.treasurer, body)
            assert response.status_code == 403, (path, response.get_json())
            problem(response, 403, "forbidden")

    last = max(s["position"] for s in seeds.values())
    assert fund(client, world.admin, theirs["id"], last)["balance"] == 1_000_000
    assert fund(client, world.admin, above["id"], last)["balance"] == 1_000_000


def test_the_treasurer_of_the_province_reaches_the_funds_of_its_communes(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    province_treasurer = make_token("treasurer", world.province_id)

    answer = receive(client, province_treasurer, world.fund_id, 750_000)

    assert fund(client, world.treasurer, world.fund_id, answer["position"])["balance"] == 750_000


def test_writing_to_an_unknown_fund_answers_404(client: FlaskClient, make_token: MakeToken) -> None:
    world = commune_with_fund(client, make_token)
    gift = receive(client, world.treasurer, world.fund_id)

    for path, body in _writes(str(uuid4()), gift["entry_id"], world.fund_id):
        response = post(client, path, world.treasurer, body)
        assert response.status_code == 404, (path, response.get_json())
        problem(response, 404, "fund-not-found")


def test_a_receipts_answer_names_where_the_donor_checks_it_without_a_token(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    gift = created(
        post(client, f"/funds/{world.fund_id}/receipts", world.treasurer, receipt(250_000))
    )

    assert gift["receipt_url"] == f"/api/v1/public/receipts/{gift['entry_id']}"
    found = ok(client.get(gift["receipt_url"], query_string={"min_position": gift["position"]}))
    assert [r["entry_id"] for r in found["receipts"]] == [gift["entry_id"]]
    assert found["receipts"][0]["amount"] == 250_000
