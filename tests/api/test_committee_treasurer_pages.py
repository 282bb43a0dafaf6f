"""The treasurers' pages for the committee's own work: a distribution counted by
beneficiary category in a campaign, a bình xét meeting with its minutes' SHA-256 that a
house or grant approval then names, a receipt and a payment naming a campaign, and a
counterpart's contribution received on a house. Each form is tried once as sent right
and once refused, the Vietnamese reason beside the field it names and the input kept."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date, timedelta
from typing import Any

from flask.testing import FlaskClient

from tests.api.helpers import MakeToken, created, post, register_household
from tests.api.treasurer_pages import (
    Desk,
    caught_up,
    desk,
    fill,
    refused_beside,
    selected_house,
    shown,
    text_of,
    typed,
)

MINUTES = b"Bien ban hop binh xet thon Tan Lap, 10/02/2025"


def _campaign(client: FlaskClient, world: Desk, **changed: Any) -> str:
    body = {
        "unit_id": world.commune_id,
        "name": "Tết vì người nghèo 2025",
        "code": "TETVL2025",
        "starts_on": "2025-01-01",
        "ends_on": "2025-12-31",
        "target": 10_000_000,
        **changed,
    }
    campaign: str = created(post(client, "/campaigns", world.treasurer, body))["id"]
    caught_up(client)
    return campaign


def _public(client: FlaskClient, path: str) -> str:
    answer = client.get(f"/cong-khai{path}")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return text_of(answer.get_data(as_text=True))


def test_a_distribution_is_recorded_by_beneficiary_category_in_a_campaign(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token)
    campaign = _campaign(client, world)
    path = f"/don-vi/{world.commune_id}/trao-ho-tro"
    given = {
        "on": "2025-01-25",
        "category": "tet_gift",
        "title": "Trao quà Tết Ất Tỵ",
        "campaign_id": campaign,
        "lines.1.beneficiary": "near_poor",
        "lines.1.packages": "500",
        "lines.1.household_times": "500",
        "lines.3.beneficiary": "hardship",
        "lines.3.packages": "300",
        "lines.3.household_times": "300",
    }

    form = text_of(shown(client, path))
    no_beneficiary, _ = fill(
        client, path, {**given, "lines.3.beneficiary": "", "lines.1.beneficiary": "near_poor"}
    )
    recorded, _ = fill(client, path, given)
    listed = text_of(client.get(recorded.headers["Location"]).get_data(as_text=True))
    caught_up(client)
    drive = _public(client, f"/cuoc-van-dong/{campaign}")

    assert "Ghi đợt trao hỗ trợ Xã Vĩnh Linh" in form
    assert "Số suất quà (dòng 1)" in form
    assert "Tết vì người nghèo 2025 (01/01/2025 – 31/12/2025)" in form
    assert refused_beside(no_beneficiary, "lines.3.beneficiary")
    assert typed(no_beneficiary, "lines.3.packages") == "300"
    assert typed(no_beneficiary, "title") == "Trao quà Tết Ất Tỵ"
    assert recorded.status_code == 303
    assert "Đã ghi vào sổ." in listed
    assert "Suất quà 800 Lượt hộ 800" in drive
    assert "Hoàn cảnh khó khăn 300 300 0" in drive


def test_a_meeting_is_recorded_with_its_minutes_hash_and_approvals_name_it(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token)
    chosen, passed_over = (
        register_household(client, world.treasurer, world.commune_id, name, "Thôn Tân Lập")
        for name in ("Lê Thị Hoa", "Phạm Văn Nam")
    )
    caught_up(client)
    path = f"/don-vi/{world.commune_id}/binh-xet"
    meeting = {
        "held_on": "2025-02-10",
        "purpose": "house",
        "attendees": "30",
        "chaired_by": "Trưởng ban công tác Mặt trận thôn Tân Lập",
        "nominees.1.household_id": chosen,
        "nominees.1.votes_for": "28",
        "nominees.2.household_id": passed_over,
        "nominees.2.votes_for": "10",
        "nominees.2.votes_against": "15",
    }
    digest = hashlib.sha256(MINUTES).hexdigest()

    too_many, _ = fill(
        client,
        path,
        {
            **meeting,
            "nominees.1.votes_for": "40",
            "minutes": (io.BytesIO(MINUTES), "bien-ban-binh-xet.pdf"),
        },
    )
    held, _ = fill(
        client, path, {**meeting, "minutes": (io.BytesIO(MINUTES), "bien-ban-binh-xet.pdf")}
    )
    listed = text_of(client.get(held.headers["Location"]).get_data(as_text=True))
    house = {
        "household_id": chosen,
        "kind": "new_build",
        "budget.fund": "40.000.000",
        "approved_on": "2025-02-15",
    }
    houses_page = shown(client, "/nha")
    meeting_id = re.search(r'<option value="([0-9a-f-]{36})"[^>]*>10/02/2025', houses_page)
    assert meeting_id, houses_page
    no_meeting, _ = fill(client, "/nha", house)
    not_selected, _ = fill(
        client, "/nha", {**house, "household_id": passed_over, "meeting_id": meeting_id.group(1)}
    )
    approved, _ = fill(client, "/nha", {**house, "meeting_id": meeting_id.group(1)})
    grant = {
        "household_id": chosen,
        "item": "Bò cái sinh sản",
        "value": "15.000.000",
        "approved_on": "2025-02-12",
    }
    grant_without, _ = fill(client, "/sinh-ke", grant)
    granted, _ = fill(client, "/sinh-ke", {**grant, "meeting_id": meeting_id.group(1)})

    assert "phải từ 0 và cộng lại không quá số người dự họp" in refused_beside(
        too_many, "nominees.1.household_id"
    )
    assert typed(too_many, "minutes_sha256") == digest
    assert typed(too_many, "chaired_by") == meeting["chaired_by"]
    assert held.status_code == 303
    assert "10/02/2025 · Xã Vĩnh Linh · Nhà Đại đoàn kết · 30 người dự" in listed
    assert "2 hộ được đưa ra, 1 hộ được chọn" in listed
    assert f"Biên bản bien-ban-binh-xet.pdf · sha256:{digest}" in listed
    assert "10/02/2025 · Xã Vĩnh Linh · Nhà Đại đoàn kết · chọn 1 hộ" in text_of(houses_page)
    assert "Hãy chọn cuộc họp bình xét" in refused_beside(no_meeting, "meeting_id")
    assert typed(no_meeting, "budget.fund") == "40.000.000"
    assert "quá nửa" in refused_beside(not_selected, "meeting_id")
    assert approved.status_code == 303
    assert "Hãy chọn cuộc họp bình xét" in refused_beside(grant_without, "meeting_id")
    assert typed(grant_without, "item") == "Bò cái sinh sản"
    assert granted.status_code == 303


def test_a_receipt_and_a_payment_name_a_campaign(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token)
    starts = date.today() - timedelta(days=30)
    ends = starts + timedelta(days=60)
    campaign = _campaign(client, world, starts_on=starts.isoformat(), ends_on=ends.isoformat())
    receipt = {
        "amount": "2.000.000",
        "occurred_on": starts.isoformat(),
        "channel": "cash",
        "donor.kind": "individual",
        "donor.name": "Nguyễn Văn An",
        "campaign_id": campaign,
    }
    path = f"/quy/{world.fund_id}"

    form = text_of(shown(client, f"{path}/thu"))
    before, _ = fill(
        client,
        f"{path}/thu",
        {**receipt, "occurred_on": (starts - timedelta(days=1)).isoformat()},
    )
    taken, _ = fill(client, f"{path}/thu", receipt)
    paid, _ = fill(
        client,
        f"{path}/chi",
        {
            "amount": "500.000",
            "occurred_on": starts.isoformat(),
            "category": "tet_gift",
            "channel": "cash",
            "campaign_id": campaign,
        },
    )
    caught_up(client)
    drive = _public(client, f"/cuoc-van-dong/{campaign}")

    assert "Thuộc cuộc vận động" in form
    assert f"Tết vì người nghèo 2025 ({starts:%d/%m/%Y} – {ends:%d/%m/%Y})" in form
    assert refused_beside(before, "campaign_id")
    assert typed(before, "amount") == "2.000.000"
    assert taken.status_code == paid.status_code == 200
    assert "Tiền vận động được 2.000.000 đ" in drive
    assert "Đã chi hỗ trợ 500.000 đ" in drive


def test_a_contribution_received_is_recorded_on_a_house(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token)
    house = selected_house(
        client, world.treasurer, world.commune_id, {"fund": 40_000_000, "relatives": 5_000_000}
    )
    caught_up(client)
    path = f"/nha/{house}"
    given = {
        "source": "relatives",
        "on": "2025-02-20",
        "materials": "Xi măng 50 bao",
        "materials_value": "4.000.000",
    }

    page = text_of(shown(client, path))
    no_number, _ = fill(client, path, {**given, "money": "nhiều"}, form=1, action=f"{path}/doi-ung")
    received, _ = fill(client, path, given, form=1, action=f"{path}/doi-ung")
    after = text_of(client.get(received.headers["Location"]).get_data(as_text=True))

    assert "Ghi phần đối ứng đã nhận" in page
    assert "Họ hàng 5.000.000 đ 0 đ 0" in page
    assert "Hãy nhập số đồng" in refused_beside(no_number, "money")
    assert typed(no_number, "materials") == "Xi măng 50 bao"
    assert received.status_code == 303
    assert "Họ hàng 5.000.000 đ 4.000.000 đ 0" in after


def test_the_treasurers_home_leads_to_the_committees_work(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token)

    home = shown(client, "/")
    work = text_of(shown(client, "/cong-tac"))

    assert 'href="/thu-quy/cong-tac"' in home
    assert "Ghi đợt trao hỗ trợ" in text_of(home)
    assert f"/thu-quy/don-vi/{world.commune_id}/binh-xet" in shown(client, "/cong-tac")
    assert "Xã Vĩnh Linh · Ghi đợt trao hỗ trợ · Ghi cuộc họp bình xét" in work
    assert "Chưa ghi cuộc họp bình xét nào." in work
