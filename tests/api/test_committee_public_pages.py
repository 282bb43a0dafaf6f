"""The committees' own work on the public pages: the list of campaigns, a campaign's page
with the support it counted by beneficiary category, and on a unit's page the support
counted with the coverage of its registry, the house norms in force, the poverty figures
and the emulation targets against their achievement; on a house's page, what each source
planned against what it gave."""

from __future__ import annotations

import hashlib
from typing import Any

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    created,
    disburse,
    post,
    receive,
    register_household,
)
from tests.api.treasurer_pages import caught_up, selected_house, text_of

PERIOD = {"tu": "01/01/2025", "den": "31/12/2025"}
MINUTES = hashlib.sha256(b"Bien ban binh xet, 10/02/2025").hexdigest()


def _put(client: FlaskClient, path: str, token: str, body: dict[str, Any]) -> None:
    answer = client.put(f"/api/v1{path}", json=body, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.get_data(as_text=True)


def _public(client: FlaskClient, path: str, **query: str) -> str:
    answer = client.get(f"/cong-khai{path}", query_string=query)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return text_of(answer.get_data(as_text=True))


def test_a_campaign_and_the_unit_show_what_the_committee_did(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    campaign = created(
        post(
            client,
            "/campaigns",
            world.treasurer,
            {
                "unit_id": world.commune_id,
                "name": "Tết vì người nghèo 2025",
                "code": "TETVL2025",
                "starts_on": "2025-01-01",
                "ends_on": "2025-02-28",
                "target": 10_000_000,
            },
        )
    )["id"]
    receive(
        client,
        world.treasurer,
        world.fund_id,
        8_000_000,
        occurred_on="2025-01-10",
        campaign_id=campaign,
    )
    reached, missed = (
        register_household(client, world.treasurer, world.commune_id, name, "Thôn Tân Lập")
        for name in ("Lê Thị Hoa", "Phạm Văn Nam")
    )
    disburse(
        client,
        world.treasurer,
        world.fund_id,
        500_000,
        occurred_on="2025-01-20",
        category="tet_gift",
        household_id=reached,
        campaign_id=campaign,
    )
    lines = [
        {"beneficiary": "near_poor", "packages": 500, "household_times": 500},
        {
            "beneficiary": "agent_orange_victim",
            "packages": 102,
            "household_times": 102,
            "people": 110,
        },
    ]
    created(
        post(
            client,
            f"/units/{world.commune_id}/distributions",
            world.treasurer,
            {
                "on": "2025-01-25",
                "category": "tet_gift",
                "title": "Trao quà Tết Ất Tỵ",
                "lines": lines,
                "campaign_id": campaign,
            },
        )
    )
    _put(
        client,
        f"/units/{world.province_id}/house-norms",
        world.admin,
        {"year": 2025, "kind": "new_build", "least": 40_000_000, "most": 60_000_000},
    )
    _put(
        client,
        f"/units/{world.commune_id}/emulation-targets",
        world.admin,
        {"year": 2025, "kind": "cultural_families_pct", "amount": 97, "reported": 95},
    )
    _put(
        client,
        f"/units/{world.commune_id}/emulation-targets",
        world.admin,
        {"year": 2025, "kind": "supervisions", "amount": 3},
    )
    created(
        post(client, f"/households/{missed}/escaped-poverty", world.treasurer, {"on": "2025-06-01"})
    )
    caught_up(client)

    listed = _public(client, "/cuoc-van-dong")
    drive = _public(client, f"/cuoc-van-dong/{campaign}")
    unit = _public(client, f"/don-vi/{world.commune_id}", **PERIOD)

    assert "Tết vì người nghèo 2025 · Xã Vĩnh Linh · 01/01/2025 – 28/02/2025" in listed
    assert "chỉ tiêu 10.000.000 đ" in listed
    assert "Tiền vận động được 8.000.000 đ" in drive
    assert "Chỉ tiêu 10.000.000 đ , đạt 80,0%" in drive
    assert "Suất quà 602 Lượt hộ 602 Người được hỗ trợ 110" in drive
    assert "Hộ cận nghèo 500 500 0" in drive
    assert "Nạn nhân chất độc da cam 102 102 110" in drive
    assert "Xã Vĩnh Linh Xã, phường 8.000.000 đ" in drive
    assert "Suất quà 602 Lượt hộ 602" in unit
    assert "đã nhận Quà Tết trong kỳ" in unit
    assert "Hộ cận nghèo 2 1 50,0%" in unit
    assert "Xây mới 40.000.000 đ 60.000.000 đ Tỉnh Quảng Trị" in unit
    assert "Sửa chữa — 50.000.000 đ Chưa đơn vị nào quy định" in unit
    assert "Hộ thoát nghèo trong năm 1" in unit
    assert "Hộ cận nghèo cuối năm 1" in unit
    assert "Số cuộc giám sát 3 0 0,0%" in unit
    assert "Tỷ lệ gia đình văn hóa (%) 97 95 97,9%" in unit
    assert "Tết vì người nghèo 2025" in unit
    assert "Tất cả các cuộc vận động" in unit


def test_a_unit_without_committee_records_says_so(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    caught_up(client)

    unit = _public(client, f"/don-vi/{world.commune_id}", **PERIOD)
    listed = _public(client, "/cuoc-van-dong")
    start = client.get("/cong-khai/").get_data(as_text=True)

    assert 'href="/cong-khai/cuoc-van-dong"' in start
    assert "Chưa ghi đợt trao hỗ trợ nào." in unit
    assert "Chưa có hộ nào trong danh sách" in unit
    assert "Đơn vị chưa đặt chỉ tiêu thi đua nào cho năm 2025." in unit
    assert "Xây mới — 100.000.000 đ" in unit
    assert "Chưa có cuộc vận động nào." in listed


def test_a_house_page_shows_each_source_planned_against_given(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    house = selected_house(
        client,
        world.treasurer,
        world.commune_id,
        {"fund": 40_000_000, "relatives": 5_000_000, "labour": 3_000_000},
    )
    for given in (
        {
            "source": "relatives",
            "on": "2025-02-20",
            "materials": "Xi măng 50 bao",
            "materials_value": 4_000_000,
        },
        {"source": "labour", "on": "2025-02-21", "labour_days": 25},
    ):
        created(post(client, f"/houses/{house}/contributions", world.treasurer, given))
    caught_up(client)

    page = _public(client, f"/nha/{house}")

    assert "Kinh phí: kế hoạch và thực nhận" in page
    assert "Quỹ hỗ trợ 40.000.000 đ 0 đ 0" in page
    assert "Họ hàng 5.000.000 đ 4.000.000 đ 0" in page
    assert "Ngày công (quy ra tiền) 3.000.000 đ 0 đ 25" in page
