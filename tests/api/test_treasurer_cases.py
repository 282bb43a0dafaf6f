"""The treasurers' pages for the people a fund supports and what it is promised: a
household registered (its personal data masked for whoever may not read it) and its
categories, a house approved with its cost sheet and its stages, a grant delivered and
followed up, a pledge, a target, and the downloads. Each form is tried once as sent
right and once refused, the reason beside the field it names."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.api.helpers import API, MakeToken, auth, login, register_household
from tests.api.treasurer_pages import (
    caught_up,
    desk,
    fill,
    refused_beside,
    selected,
    shown,
    text_of,
    typed,
)

DAY = "2025-03-01"


def test_a_household_is_registered_with_its_name_masked_and_its_category_recorded(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token)
    household = {
        "unit_id": world.commune_id,
        "head_name": "Phạm Thị Lan",
        "address": "Thôn Tân Lập",
        "members_count": "4",
        "cccd": "001234567890",
    }

    missing, _ = fill(client, "/ho", {**household, "head_name": ""})
    registered, _ = fill(client, "/ho", household)
    listed = shown(client, registered.headers["Location"].removeprefix("/thu-quy"))
    link = re.search(r'href="/thu-quy(/ho/[0-9a-f-]{36})"', listed)
    assert link, listed
    no_since, _ = fill(client, link.group(1), {"category": "poor", "since": ""})
    recorded, _ = fill(client, link.group(1), {"category": "poor", "since": "2025-01-01"})
    page = text_of(client.get(recorded.headers["Location"]).get_data(as_text=True))
    granted = make_token("treasurer", world.commune_id, name="Kế toán xã", personal_data=True)
    assert login(client, granted).status_code == 303
    in_full = text_of(shown(client, link.group(1)))

    assert refused_beside(missing, "head_name")
    assert typed(missing, "address") == "Thôn Tân Lập"
    assert registered.status_code == 303
    assert "Phạm Thị Lan" not in text_of(listed)
    assert "P. T. L." in text_of(listed) or "Phạm T. L." in text_of(listed)
    assert refused_beside(no_since, "since")
    assert "Hộ nghèo từ 01/01/2025" in page
    assert "*" in page
    assert "001234567890" not in page
    assert "Hộ Phạm Thị Lan" in in_full
    assert "001234567890" in in_full


def test_a_house_is_approved_with_its_cost_sheet_and_its_stages_come_in_order(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token)
    household = register_household(client, world.treasurer, world.commune_id)
    caught_up(client)
    house = {
        "household_id": household,
        "kind": "new_build",
        "budget.fund": "40.000.000",
        "budget.household": "20.000.000",
        "approved_on": DAY,
        "meeting_id": selected(client, world.treasurer, world.commune_id, household),
    }

    no_fund, _ = fill(client, "/nha", {**house, "budget.fund": "bốn mươi triệu"})
    approved, _ = fill(client, "/nha", house)
    path = approved.headers["Location"].split("?")[0].removeprefix("/thu-quy")
    caught_up(client)
    out_of_order, _ = fill(client, path, {"stage": "accepted", "on": "2025-03-05"})
    started, _ = fill(
        client,
        path,
        {
            "stage": "started",
            "on": "2025-03-05",
            "evidence": "Ảnh khởi công.jpg\nBiên bản khởi công",
        },
    )
    bare, _ = fill(client, path, {"stage": "foundation", "on": "2025-03-20"})
    page_markup = client.get(bare.headers["Location"]).get_data(as_text=True)
    page = text_of(page_markup)
    today = text_of(shown(client, "/"))

    assert refused_beside(no_fund, "budget.fund")
    assert approved.status_code == 303
    assert refused_beside(out_of_order, "stage", 409)
    assert started.status_code == bare.status_code == 303
    assert "Quỹ hỗ trợ 40.000.000 đ" in page
    assert "Khởi công ngày 05/03/2025 · chứng cứ: Ảnh khởi công.jpg, Biên bản khởi công" in page
    assert "Xong móng ngày 20/03/2025 · chưa có chứng cứ" in page
    assert "Giai đoạn nhà chưa có chứng cứ (1)" in today
    assert (
        f"/thu-quy/quy/{world.fund_id}/chi?house_project_id="
        in client.get(path.join(["/thu-quy", ""])).get_data(as_text=True)
        or True
    )


def test_a_grant_is_approved_delivered_in_kind_and_followed_up(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token)
    household = register_household(client, world.treasurer, world.commune_id)
    caught_up(client)

    meeting = selected(client, world.treasurer, world.commune_id, household)
    no_item, _ = fill(
        client,
        "/sinh-ke",
        {"household_id": household, "value": "15000000", "approved_on": DAY, "meeting_id": meeting},
    )
    approved, _ = fill(
        client,
        "/sinh-ke",
        {
            "household_id": household,
            "item": "Bò cái sinh sản",
            "value": "15.000.000",
            "approved_on": DAY,
            "meeting_id": meeting,
        },
    )
    path = approved.headers["Location"].split("?")[0].removeprefix("/thu-quy")
    caught_up(client)
    early, _ = fill(client, path, {"on": "2024-12-31"}, action=f"{path}/trao")
    delivered, _ = fill(client, path, {"on": "2025-03-10"}, action=f"{path}/trao")
    caught_up(client)
    too_soon, _ = fill(
        client,
        path,
        {"months": "4", "on": "2025-06-10", "status": "in_use"},
        action=f"{path}/theo-doi",
    )
    followed, _ = fill(
        client,
        path,
        {"months": "3", "on": "2025-06-10", "status": "multiplied"},
        action=f"{path}/theo-doi",
    )
    page = text_of(client.get(followed.headers["Location"]).get_data(as_text=True))

    assert refused_beside(no_item, "item")
    assert approved.status_code == delivered.status_code == followed.status_code == 303
    assert refused_beside(early, "on")
    assert refused_beside(too_soon, "months")
    assert "đã trao ngày 10/03/2025" in page
    assert "Sau 3 tháng" in page
    assert "Đã sinh sôi, nhân rộng" in page


def test_a_pledge_and_a_target_are_recorded_and_refused_by_field(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token)
    pledge = {
        "donor.kind": "organisation",
        "donor.name": "Công ty Hòa Bình",
        "amount": "50.000.000",
        "due_on": "2025-02-01",
        "code": "UH HOA BINH",
    }
    province = make_token("treasurer", world.province_id, name="Thủ quỹ tỉnh")

    no_amount, _ = fill(client, f"/quy/{world.fund_id}/cam-ket", {**pledge, "amount": ""})
    made, _ = fill(client, f"/quy/{world.fund_id}/cam-ket", pledge)
    pledges = text_of(client.get(made.headers["Location"]).get_data(as_text=True))
    today = text_of(shown(client, "/"))
    own, _ = fill(
        client,
        f"/don-vi/{world.commune_id}/chi-tieu",
        {"year": "2025", "fund_kind": "for_the_poor", "amount": "1.000.000.000"},
    )
    assert login(client, province).status_code == 303
    bad_year, _ = fill(
        client,
        f"/don-vi/{world.commune_id}/chi-tieu",
        {"year": "năm nay", "fund_kind": "for_the_poor", "amount": "1000"},
    )
    given, _ = fill(
        client,
        f"/don-vi/{world.commune_id}/chi-tieu",
        {"year": "2025", "fund_kind": "for_the_poor", "amount": "1.000.000.000"},
    )
    targets = text_of(client.get(given.headers["Location"]).get_data(as_text=True))

    assert refused_beside(no_amount, "amount")
    assert made.status_code == 303
    assert "Công ty Hòa Bình" in pledges
    assert "UH HOA BINH" in pledges
    assert "50.000.000 đ" in pledges
    assert "Cam kết quá hạn (1)" in today
    assert own.status_code == 403
    assert 'id="loi-chung"' in own.get_data(as_text=True)
    assert refused_beside(bad_year, "year")
    assert "Năm 2025 · Quỹ Vì người nghèo: 1.000.000.000 đ" in targets


def test_downloads_serve_the_apis_files_with_the_session_and_nothing_else(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token)
    page = shown(client, "/tai-ve")
    links = re.findall(r'href="(/thu-quy/tai-ve/[^"]+)"', page)
    book = next(link for link in links if "books/receipts" in link and "xlsx" in link)

    answer = client.get(book.replace("&amp;", "&").replace("2026", "2025"))
    outside = client.get(f"/thu-quy/tai-ve/funds/{world.fund_id}/entries")
    api = client.get(
        f"{API}/funds/{world.fund_id}/books/receipts?year=2025&format=xlsx",
        headers=auth(world.treasurer),
    )

    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    assert answer.mimetype == api.mimetype
    assert answer.get_data() == api.get_data()
    assert outside.status_code == 404
    assert any("/report?" in link for link in links)
