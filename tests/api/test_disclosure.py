"""The public disclosure (công khai): GET /public/units/{id}/disclosure and the pages under
/cong-khai/, read without a token, figures computed by hand, personal data masked."""

from __future__ import annotations

from dataclasses import dataclass

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    disburse,
    get,
    invalid,
    ok,
    problem,
    receive,
    register_household,
)


@dataclass(frozen=True)
class Quarter:
    province_id: str
    commune_id: str
    fund_id: str
    gift: dict[str, object]
    position: int


def _quarter(client: FlaskClient, make_token: MakeToken) -> Quarter:
    world = commune_with_fund(client, make_token)
    t, f = world.treasurer, world.fund_id
    household = register_household(client, t, world.commune_id, "Lê Văn Một", "Thôn 1")
    gift = receive(
        client,
        t,
        f,
        2_300_000,
        occurred_on="2025-01-10",
        donor={"name": "Trần Thị Bình", "kind": "individual"},
        note="Ủng hộ Quỹ Vì người nghèo",
    )
    receive(client, t, f, 700_000, occurred_on="2025-02-05", channel="bank")
    last = disburse(
        client,
        t,
        f,
        1_500_000,
        occurred_on="2025-02-20",
        category="house_repair",
        household_id=household,
    )
    return Quarter(world.province_id, world.commune_id, f, gift, last["position"])


def _caught_up(client: FlaskClient, q: Quarter) -> None:
    """Waits until the read models hold the quarter (the pages read what is there)."""
    ok(get(client, f"/public/funds/{q.fund_id}/statement", None, min_position=q.position))


def _page(client: FlaskClient, path: str, **query: str) -> str:
    response = client.get(path, query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_the_disclosure_rolls_the_communes_up_into_the_province_without_a_token(
    client: FlaskClient, make_token: MakeToken, fund_scope: str
) -> None:
    q = _quarter(client, make_token)

    body = ok(
        get(
            client,
            f"/public/units/{q.province_id}/disclosure",
            None,
            from_="2025-01-01",
            to="2025-03-31",
            min_position=q.position,
        )
    )

    r = body["report"]
    assert (r["opening_balance"], r["receipts"]["total"]) == (0, 3_000_000)
    assert (r["disbursements"]["total"], r["closing_balance"]) == (1_500_000, 1_500_000)
    assert r["receipts"]["by_channel"]["bank"] == 700_000
    assert r["disbursements"]["by_category"]["house_repair"] == 1_500_000
    assert body["monthly"] == [
        {"month": "2025-01", "receipts": 2_300_000, "disbursements": 0},
        {"month": "2025-02", "receipts": 700_000, "disbursements": 1_500_000},
        {"month": "2025-03", "receipts": 0, "disbursements": 0},
    ]
    assert body["households"] == [
        {"name": "Lê V. M.", "unit_name": "Xã Vĩnh Linh", "amount": 1_500_000, "entries": 1}
    ]
    assert body["unit"]["name"] == "Tỉnh Quảng Trị"
    assert [child["id"] for child in body["children"]] == [q.commune_id]
    assert body["parent"] is None
    assert "Lê Văn Một" not in str(body)


def test_the_disclosure_of_the_commune_alone_names_its_parent_and_its_funds(
    client: FlaskClient, make_token: MakeToken
) -> None:
    q = _quarter(client, make_token)

    body = ok(
        get(
            client,
            f"/public/units/{q.commune_id}/disclosure",
            None,
            from_="2025-02-01",
            to="2025-02-28",
            include_children="false",
            min_position=q.position,
        )
    )

    assert body["report"]["opening_balance"] == 2_300_000
    assert body["report"]["closing_balance"] == 1_500_000
    assert body["parent"]["id"] == q.province_id
    assert [(f["id"], f["balance"]) for f in body["funds"]] == [(q.fund_id, 1_500_000)]


def test_the_disclosure_refuses_a_bad_period_and_an_unknown_unit(
    client: FlaskClient, make_token: MakeToken
) -> None:
    q = _quarter(client, make_token)
    path = f"/public/units/{q.commune_id}/disclosure"

    invalid(get(client, path, None, from_="2025-03-01", to="2025-01-01"), "to")
    invalid(get(client, path, None, to="2025-01-01"), "from")
    problem(
        get(
            client,
            "/public/units/00000000-0000-4000-8000-000000000000/disclosure",
            None,
            from_="2025-01-01",
            to="2025-01-02",
        ),
        404,
    )


def test_the_public_page_shows_the_figures_the_charts_and_masked_names_in_vietnamese(
    client: FlaskClient, make_token: MakeToken
) -> None:
    q = _quarter(client, make_token)
    _caught_up(client, q)

    html = _page(client, f"/cong-khai/don-vi/{q.province_id}", tu="2025-01-01", den="2025-03-31")

    assert '<html lang="vi">' in html
    assert "từ <strong>01/01/2025</strong> đến <strong>31/03/2025</strong>" in html
    assert 'data-figure="receipts">3.000.000 đ<' in html
    assert 'data-figure="closing_balance">1.500.000 đ<' in html
    assert html.count("<svg") == 1, "money by month; no house, so no chart of houses"
    assert "<title>Thu và chi theo tháng</title>" in html
    assert "Lê V. M." in html
    assert "Lê Văn Một" not in html
    assert f"/cong-khai/don-vi/{q.commune_id}" in html
    assert "<script" not in html
    assert "http://" not in html.replace("http://www.w3.org", "")


def test_a_donor_finds_their_gift_in_the_statement_by_part_of_their_name_and_its_proof(
    client: FlaskClient, make_token: MakeToken
) -> None:
    q = _quarter(client, make_token)
    _caught_up(client, q)

    # the public search compares what the statement shows: the name as shortened
    found = _page(client, f"/cong-khai/quy/{q.fund_id}", q="tran t", so_tien="2.300.000")
    none = _page(client, f"/cong-khai/quy/{q.fund_id}", q="tran t", so_tien="700.000")
    full_name = _page(client, f"/cong-khai/quy/{q.fund_id}", q="tran thi binh")
    proof = _page(client, f"/cong-khai/bien-lai/{q.gift['entry_id']}")

    assert "1 khoản, tổng 2.300.000 đ" in found
    assert "Trần T. B." in found
    assert "Trần Thị Bình" not in found
    assert f"/cong-khai/bien-lai/{q.gift['entry_id']}" in found
    assert "0 khoản" in none
    assert "0 khoản" in full_name, "a full name does not confirm a donor shown shortened"
    assert "2.300.000 đ" in proof
    assert "Trần T. B." in proof
    assert f"/api/v1/public/receipts/{q.gift['entry_id']}" in proof
    assert "10/01/2025" in proof


def test_the_public_pages_answer_404_for_unknown_ids_and_start_from_the_top_units(
    client: FlaskClient, make_token: MakeToken
) -> None:
    q = _quarter(client, make_token)
    _caught_up(client, q)

    index = _page(client, "/cong-khai/")

    assert "Tỉnh Quảng Trị" in index
    assert client.get("/cong-khai/don-vi/00000000-0000-4000-8000-000000000000").status_code == 404
    assert client.get("/cong-khai/quy/00000000-0000-4000-8000-000000000000").status_code == 404
    assert client.get("/cong-khai/bien-lai/PT-1999-000001-XX").status_code == 404
