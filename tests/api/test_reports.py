"""GET /units/{id}/report: the figures of DESIGN.md for a unit and a period."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient

from tests.api.helpers import (
    Commune,
    MakeToken,
    commune_with_fund,
    created,
    disburse,
    fund,
    get,
    grant,
    house_under_way,
    invalid,
    open_fund,
    post,
    problem,
    receive,
    register_household,
    register_unit,
    report,
    reverse,
    send,
)

CHANNELS = {"cash", "bank", "payroll", "other"}
CATEGORIES = {
    "house_new_build",
    "house_repair",
    "livelihood",
    "scholarship",
    "tet_gift",
    "medical",
    "emergency",
    "other",
}
COUNTS = {
    "houses_new_build",
    "houses_repair",
    "livelihood_grants",
    "households_supported",
    "students",
}


def today() -> str:
    """Today in Vietnam, the day a reversal made now is dated."""
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()


@dataclass(frozen=True)
class Scenario:
    world: Commune
    province_fund: str
    relief_fund: str
    position: int


def _scenario(client: FlaskClient, make_token: MakeToken) -> Scenario:
    """A commune's year: money before the second quarter, a quarter of receipts, goods,
    a mistake reversed, help given, transfers up and inside, and a receipt after it."""
    world = commune_with_fund(client, make_token)
    t, f = world.treasurer, world.fund_id
    relief = open_fund(client, t, world.commune_id, "Quỹ cứu trợ", "relief")["id"]
    above = open_fund(client, world.admin, world.province_id)["id"]
    hh1 = register_household(client, t, world.commune_id, "Lê Văn Một", "Thôn 1")
    hh2 = register_household(client, t, world.commune_id, "Lê Văn Hai", "Thôn 2")
    # before the period: opening balance 4.000.000
    receive(client, t, f, 5_000_000, occurred_on="2025-02-10")
    disburse(client, t, f, 1_000_000, occurred_on="2025-03-05", category="tet_gift")
    # in the period (2025-04-01 .. 2025-06-30)
    receive(client, t, f, 2_000_000, occurred_on="2025-04-10", channel="bank")
    receive(client, t, f, 3_000_000, occurred_on="2025-04-12", channel="in_kind")
    mistake = receive(client, t, f, 700_000, occurred_on="2025-05-01")
    disburse(
        client,
        t,
        f,
        1_500_000,
        occurred_on="2025-05-10",
        category="house_new_build",
        household_id=hh1,
    )
    disburse(
        client, t, f, 500_000, occurred_on="2025-05-11", category="house_repair", household_id=hh2
    )
    disburse(
        client,
        t,
        f,
        300_000,
        occurred_on="2025-05-12",
        category="livelihood",
        household_id=hh1,
        grant_id=grant(client, t, hh1, 300_000),
    )
    disburse(client, t, f, 200_000, occurred_on="2025-05-20", category="scholarship")
    disburse(client, t, f, 200_000, occurred_on="2025-05-21", category="scholarship")
    send(client, t, f, above, 400_000, occurred_on="2025-06-01")
    send(client, t, f, relief, 250_000, occurred_on="2025-06-02")
    reverse(client, t, f, mistake["entry_id"])
    # after the period
    receive(client, t, f, 10_000_000, occurred_on="2025-07-15", channel="payroll")
    province_treasurer = make_token("treasurer", world.province_id)
    last = receive(client, province_treasurer, above, 1_000_000, occurred_on="2025-08-01")
    return Scenario(world, above, relief, last["position"])


def test_the_report_has_exactly_the_shape_of_the_design(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)

    body = report(
        client, world.treasurer, world.commune_id, world.position, "2025-01-01", "2025-12-31"
    )

    assert set(body) == {
        "unit_id",
        "from",
        "to",
        "include_children",
        "opening_balance",
        "receipts",
        "disbursements",
        "transfers",
        # Foreign currency sold: the đồng received beyond its carrying value (docs/BOOKS.md).
        "exchange_difference",
        "foreign_currency",
        "closing_balance",
        "counts",
        "target",
        "position",
    }
    assert (body["unit_id"], body["from"], body["to"], body["include_children"]) == (
        world.commune_id,
        "2025-01-01",
        "2025-12-31",
        False,
    )
    assert set(body["receipts"]) == {"total", "by_channel", "in_kind_value"}
    assert CHANNELS <= set(body["receipts"]["by_channel"]) <= CHANNELS | {"in_kind"}
    assert set(body["disbursements"]) == {"total", "by_category", "in_kind_value"}
    assert set(body["disbursements"]["by_category"]) == CATEGORIES
    assert set(body["transfers"]) == {"in", "out"}
    assert set(body["counts"]) == COUNTS
    assert set(body["target"]) == {"amount", "achievement_pct", "raised", "by_fund_kind"}
    assert isinstance(body["target"]["achievement_pct"], float)
    money = [
        body["opening_balance"],
        body["closing_balance"],
        body["receipts"]["total"],
        body["receipts"]["in_kind_value"],
        body["disbursements"]["total"],
        *body["receipts"]["by_channel"].values(),
        *body["disbursements"]["by_category"].values(),
        *body["transfers"].values(),
        *body["counts"].values(),
        body["target"]["amount"],
    ]
    assert all(type(v) is int and v == 0 for v in money)
    assert body["position"] >= world.position


def test_the_report_of_a_period_counts_money_in_and_out_from_the_opening_balance(
    client: FlaskClient, make_token: MakeToken
) -> None:
    s = _scenario(client, make_token)

    body = report(
        client, s.world.treasurer, s.world.commune_id, s.position, "2025-04-01", "2025-06-30"
    )

    assert body["opening_balance"] == 4_000_000
    # the receipt reversed today still counts in its own period: the reversal counts today
    assert body["receipts"]["total"] == 2_700_000
    assert body["receipts"]["by_channel"]["bank"] == 2_000_000
    assert body["receipts"]["by_channel"]["cash"] == 700_000
    assert body["receipts"]["by_channel"].get("in_kind", 0) == 0
    assert body["receipts"]["in_kind_value"] == 3_000_000
    assert body["disbursements"]["by_category"] == {
        "house_new_build": 1_500_000,
        "house_repair": 500_000,
        "livelihood": 300_000,
        "scholarship": 400_000,
        "tet_gift": 0,
        "medical": 0,
        "emergency": 0,
        "other": 0,
    }
    assert body["disbursements"]["total"] == 2_700_000
    # within the unit, the transfer to the relief fund cancels out; the one up does not
    assert body["transfers"] == {"in": 0, "out": 400_000}
    assert body["closing_balance"] == 4_000_000 + 2_700_000 - 2_700_000 - 400_000
    # house disbursements naming no house project count as no house; the grant delivered
    # in the period counts; the two scholarships name no student, so count one each
    assert body["counts"] == {
        "houses_new_build": 0,
        "houses_repair": 0,
        "livelihood_grants": 1,
        "households_supported": 2,
        "students": 2,
    }


def test_the_next_period_opens_with_the_balance_the_previous_one_closed_with(
    client: FlaskClient, make_token: MakeToken
) -> None:
    s = _scenario(client, make_token)
    t, unit = s.world.treasurer, s.world.commune_id

    second = report(client, t, unit, s.position, "2025-04-01", "2025-06-30")
    third = report(client, t, unit, s.position, "2025-07-01", "2025-09-30")

    assert third["opening_balance"] == second["closing_balance"]
    assert third["receipts"]["by_channel"]["payroll"] == 10_000_000
    assert third["closing_balance"] == second["closing_balance"] + 10_000_000


def test_the_closing_balance_equals_the_sum_of_the_units_fund_balances(
    client: FlaskClient, make_token: MakeToken
) -> None:
    s = _scenario(client, make_token)
    t = s.world.treasurer

    body = report(client, t, s.world.commune_id, s.position, "2025-01-01", today())

    balances = [fund(client, t, f, s.position)["balance"] for f in (s.world.fund_id, s.relief_fund)]
    assert body["closing_balance"] == sum(balances) == 12_900_000
    assert body["opening_balance"] == 0
    assert body["closing_balance"] == (
        body["opening_balance"]
        + body["receipts"]["total"]
        + body["transfers"]["in"]
        - body["disbursements"]["total"]
        - body["transfers"]["out"]
    )


def test_with_children_the_province_rolls_up_its_communes_and_inner_transfers_cancel_out(
    client: FlaskClient, make_token: MakeToken, fund_scope: str
) -> None:
    s = _scenario(client, make_token)
    viewer = make_token("viewer", s.world.province_id)

    alone = report(client, viewer, s.world.province_id, s.position, "2025-01-01", today())
    rolled = report(
        client,
        viewer,
        s.world.province_id,
        s.position,
        "2025-01-01",
        today(),
        include_children="true",
    )
    commune = report(client, viewer, s.world.commune_id, s.position, "2025-01-01", today())

    assert alone["include_children"] is False
    assert rolled["include_children"] is True
    assert alone["transfers"] == {"in": 400_000, "out": 0}
    assert alone["receipts"]["total"] == 1_000_000
    assert alone["closing_balance"] == fund(client, viewer, s.province_fund, s.position)["balance"]
    assert rolled["transfers"] == {"in": 0, "out": 0}
    assert rolled["receipts"]["total"] == commune["receipts"]["total"] + 1_000_000
    assert rolled["receipts"]["in_kind_value"] == 3_000_000
    assert rolled["disbursements"] == commune["disbursements"]
    assert rolled["counts"] == commune["counts"]
    every_fund = (s.world.fund_id, s.relief_fund, s.province_fund)
    assert rolled["closing_balance"] == sum(
        fund(client, viewer, f, s.position)["balance"] for f in every_fund
    )
    assert rolled["closing_balance"] == alone["closing_balance"] + commune["closing_balance"]


def test_the_report_is_given_as_csv_when_asked_by_accept_header_or_format(
    client: FlaskClient, make_token: MakeToken
) -> None:
    s = _scenario(client, make_token)
    path = f"/api/v1/units/{s.world.commune_id}/report"
    query = {"from": "2025-04-01", "to": "2025-06-30", "min_position": s.position}
    headers = {"Authorization": f"Bearer {s.world.treasurer}"}
    as_json = report(
        client, s.world.treasurer, s.world.commune_id, s.position, "2025-04-01", "2025-06-30"
    )

    by_header = client.get(path, query_string=query, headers={**headers, "Accept": "text/csv"})
    by_format = client.get(path, query_string={**query, "format": "csv"}, headers=headers)

    for response in (by_header, by_format):
        assert response.status_code == 200
        assert response.mimetype == "text/csv"
        assert "attachment" in response.headers["Content-Disposition"]
        assert response.headers["Content-Disposition"].endswith('.csv"')
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert rows[0] == ["figure", "value"]
        figures = dict(rows[1:])
        assert figures["opening_balance"] == "4000000"
        assert figures["closing_balance"] == str(as_json["closing_balance"])
        assert figures["receipts.by_channel.bank"] == "2000000"
        assert figures["receipts.in_kind_value"] == "3000000"
        assert figures["disbursements.by_category.scholarship"] == "400000"
        assert figures["transfers.out"] == "400000"
        assert figures["counts.students"] == "2"
        assert figures["unit_id"] == s.world.commune_id


def test_a_report_asked_for_as_json_is_json_even_from_a_browser(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    response = client.get(
        f"/api/v1/units/{world.commune_id}/report",
        query_string={"from": "2025-01-01", "to": "2025-12-31", "min_position": world.position},
        headers={
            "Authorization": f"Bearer {world.treasurer}",
            "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
        },
    )

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json()["unit_id"] == world.commune_id


def test_a_report_needs_a_period_in_order_and_a_known_format(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    path = f"/units/{world.commune_id}/report"
    t = world.treasurer

    body = invalid(get(client, path, t), "from")
    assert "to" in body["errors"]
    invalid(get(client, path, t, from_="2025-12-31", to="2025-01-01"), "to")
    invalid(get(client, path, t, from_="2025-01-01", to="31/12/2025"), "to")
    invalid(get(client, path, t, from_="2025-01-01", to="2025-12-31", format="pdf"), "format")
    invalid(
        get(client, path, t, from_="2025-01-01", to="2025-12-31", include_children="maybe"),
        "include_children",
    )


def test_a_report_on_an_unknown_unit_answers_404_and_on_a_unit_out_of_reach_403(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    neighbour = register_unit(client, world.admin, "Xã Gio Linh", "commune", world.province_id)
    period = {"from_": "2025-01-01", "to": "2025-12-31", "min_position": neighbour["position"]}

    problem(
        get(client, f"/units/{uuid4()}/report", world.treasurer, **period), 404, "unit-not-found"
    )
    problem(
        get(client, f"/units/{neighbour['id']}/report", world.treasurer, **period), 403, "forbidden"
    )
    problem(
        get(client, f"/units/{world.province_id}/report", world.treasurer, **period),
        403,
        "forbidden",
    )
    assert (
        report(
            client,
            make_token("inspector", world.province_id),
            neighbour["id"],
            neighbour["position"],
            "2025-01-01",
            "2025-12-31",
        )["unit_id"]
        == neighbour["id"]
    )


def test_the_counts_are_the_cases_recorded_in_the_period_and_roll_up_with_the_children(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    t, f = world.treasurer, world.fund_id
    receive(client, t, f, 200_000_000, occurred_on="2025-01-02")
    families = [
        register_household(client, t, world.commune_id, f"Hồ Văn {name}", f"Thôn {name}")
        for name in ("Một", "Hai", "Ba", "Bốn")
    ]
    built = house_under_way(client, t, families[0], 40_000_000)
    repaired = house_under_way(client, t, families[1], 10_000_000, kind="repair")
    house_under_way(client, t, families[2], 10_000_000, kind="repair")  # not handed over
    for house, category, amount, on in (
        (built, "house_new_build", 40_000_000, "2025-03-01"),
        (repaired, "house_repair", 10_000_000, "2025-03-01"),
    ):
        disburse(
            client,
            t,
            f,
            amount,
            occurred_on="2025-02-01",
            category=category,
            house_project_id=house,
        )
        created(post(client, f"/houses/{house}/stages", t, {"stage": "handed_over", "on": on}))
    cow = grant(client, t, families[3], 12_000_000)
    disburse(
        client, t, f, 12_000_000, occurred_on="2025-02-10", category="livelihood", grant_id=cow
    )
    boat = grant(client, t, families[2], 30_000_000, item="Thuyền")
    created(post(client, f"/grants/{boat}/delivery", t, {"on": "2025-02-11"}))
    grant(client, t, families[1], 5_000_000)  # approved, never delivered
    student = {"name": "Hồ Thị Na", "school": "THCS Vĩnh Linh", "school_year": "2024-2025"}
    disburse(
        client,
        t,
        f,
        1_000_000,
        occurred_on="2025-02-12",
        category="scholarship",
        household_id=families[3],
        student=student,
    )
    disburse(
        client,
        t,
        f,
        1_000_000,
        occurred_on="2025-09-12",
        category="scholarship",
        household_id=families[3],
        student={**student, "school_year": "2025-2026"},
        repeat_reason="Học kỳ 2",
    )
    last = disburse(
        client,
        t,
        f,
        1_000_000,
        occurred_on="2025-09-13",
        category="scholarship",
        household_id=families[2],
        student={**student, "name": "Hồ Văn Tí"},
    )
    viewer = make_token("viewer", world.province_id)

    year = report(client, viewer, world.commune_id, last["position"], "2025-01-01", "2025-12-31")
    first_half = report(
        client, viewer, world.commune_id, last["position"], "2025-01-01", "2025-02-28"
    )
    alone = report(client, viewer, world.province_id, last["position"], "2025-01-01", "2025-12-31")
    rolled = report(
        client,
        viewer,
        world.province_id,
        last["position"],
        "2025-01-01",
        "2025-12-31",
        include_children="true",
    )

    assert year["counts"] == {
        "houses_new_build": 1,
        "houses_repair": 1,
        "livelihood_grants": 2,
        "households_supported": 4,
        "students": 2,
    }
    # the houses were handed over in March: they count in no report of January-February
    assert first_half["counts"] == {
        "houses_new_build": 0,
        "houses_repair": 0,
        "livelihood_grants": 2,
        "households_supported": 3,  # the boat was given in kind: no disbursement
        "students": 1,
    }
    assert set(alone["counts"].values()) == {0}
    assert rolled["counts"] == year["counts"]
