"""The committee's report of a year as DOCX and PDF: the figures of the news reports
entered as events come out as the same figures in the generated documents and in the
reads they are built from. The district's ("vận động ủng hộ đạt trên 2,3 tỷ đồng (đạt 157%
chỉ tiêu Thành phố giao)", "hỗ trợ 902 lượt hộ", "Sóng và máy tính cho em ... hơn 228 triệu
đồng"), and the ward's mid-term review (Thanh Khê Tây: the fund raised, 5 houses built and
23 repaired, 14 means of livelihood, 73 scholarships, 2540 gift packages)."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from flask.testing import FlaskClient
from pypdf import PdfReader
from werkzeug.test import TestResponse

from tests.api.helpers import (
    API,
    MakeToken,
    auth,
    created,
    disburse,
    get,
    ok,
    open_fund,
    post,
    problem,
    receive,
    register_household,
    register_unit,
)

TET_2021 = {
    "on": "2021-02-05",
    "category": "tet_gift",
    "title": "Trao quà Tết Nguyên đán Tân Sửu 2021",
    "lines": [
        {"beneficiary": "near_poor", "packages": 500, "household_times": 500},
        {"beneficiary": "hardship", "packages": 300, "household_times": 300},
        {"beneficiary": "agent_orange_victim", "packages": 102, "household_times": 102},
    ],
}


def test_the_districts_report_reproduces_the_news_reports_figures(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin = make_token("admin", name="Quản trị viên")
    city = register_unit(client, admin, "Thành phố Hà Nội", "province")["id"]
    district = register_unit(client, admin, "Quận Bắc Từ Liêm", "district", city)["id"]
    other = register_unit(client, admin, "Quận Cầu Giấy", "district", city)["id"]
    target = {"year": 2021, "fund_kind": "for_the_poor", "amount": 1_500_000_000}
    created(post(client, f"/units/{district}/targets", admin, target))
    treasurer = make_token("treasurer", district, name="Thủ quỹ quận")
    fund = open_fund(client, treasurer, district)["id"]
    drive = {
        "unit_id": district,
        "name": "Sóng và máy tính cho em",
        "code": "SONGMAYTINH",
        "starts_on": "2021-09-01",
        "ends_on": "2021-12-31",
    }
    campaign = created(post(client, "/campaigns", treasurer, drive))["id"]
    receive(client, treasurer, fund, 127_000_000, occurred_on="2021-03-10")
    receive(client, treasurer, fund, 228_000_000, occurred_on="2021-09-20", campaign_id=campaign)
    for name, raised in (("Phường Cổ Nhuế 1", 1_200_000_000), ("Phường Đông Ngạc", 800_000_000)):
        ward = register_unit(client, admin, name, "commune", district)["id"]
        ward_fund = open_fund(client, treasurer, ward)["id"]
        receive(client, treasurer, ward_fund, raised, occurred_on="2021-06-01", channel="bank")
    last = created(post(client, f"/units/{ward}/distributions", treasurer, TET_2021))

    path = f"{API}/units/{district}/committee-report"
    query = {"year": 2021, "min_position": last["position"]}
    answer = client.get(path, query_string=query, headers=auth(treasurer))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.mimetype.endswith("wordprocessingml.document")
    text = "\n".join(p.text for p in Document(io.BytesIO(answer.data)).paragraphs)
    assert "Quận Bắc Từ Liêm" in text
    assert "Vận động được 2.355.000.000 đ" in text
    assert "Chỉ tiêu được giao 1.500.000.000 đ" in text
    assert "đạt 157,0% chỉ tiêu" in text
    assert "902 lượt hộ" in text
    assert "Sóng và máy tính cho em: vận động được 228.000.000 đ" in text
    assert "tồn quỹ cuối năm 2.355.000.000 đ" in text

    printed = client.get(path, query_string={**query, "format": "pdf"}, headers=auth(treasurer))
    assert printed.mimetype == "application/pdf"
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(printed.data)).pages)
    assert "157,0%" in pdf_text
    assert "2.355.000.000" in pdf_text
    # The same figures give the same file.
    again = client.get(path, query_string={**query, "format": "pdf"}, headers=auth(treasurer))
    assert again.data == printed.data

    beside = make_token("treasurer", other, name="Thủ quỹ Cầu Giấy")
    problem(client.get(path, query_string=query, headers=auth(beside)), 403)
    wrong = client.get(path, query_string={"year": 2021, "format": "odt"}, headers=auth(admin))
    assert "format" in problem(wrong, 422)["errors"]


#: The ward's houses by kind, with the fund's share of each: 5 built, 23 repaired,
#: 660.000.000 đ in all ("Hỗ trợ xây mới 5 nhà đại đoàn kết, sửa chữa 23 nhà với số tiền
#: 660.000đ": the news report prints the sum without its last thousands, as it does the
#: fund raised, "1.024.230đ", which the houses alone would overdraw).
HOUSES = (
    [("new_build", 48_000_000)] * 5 + [("repair", 18_000_000)] * 20 + [("repair", 20_000_000)] * 3
)
#: 14 means of livelihood, 75.000.000 đ; 73 scholarships, 98.100.000 đ.
GRANTS = [5_000_000] * 13 + [10_000_000]
SCHOLARSHIPS = [1_350_000] * 72 + [900_000]


def _docx_text(answer: TestResponse) -> str:
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return "\n".join(p.text for p in Document(io.BytesIO(answer.data)).paragraphs)


def test_the_wards_report_reproduces_its_mid_term_reviews_figures(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin = make_token("admin", name="Quản trị viên")
    city = register_unit(client, admin, "Thành phố Đà Nẵng", "province")["id"]
    district = register_unit(client, admin, "Quận Thanh Khê", "district", city)["id"]
    ward = register_unit(client, admin, "Phường Thanh Khê Tây", "commune", district)["id"]
    t = make_token("treasurer", ward, name="Thủ quỹ phường")
    fund = open_fund(client, t, ward)["id"]
    # "đóng góp ủng hộ Quỹ “Vì người nghèo” đạt 1.024.230[.000]đ"
    receive(client, t, fund, 524_230_000, occurred_on="2021-01-15", channel="bank")
    receive(client, t, fund, 500_000_000, occurred_on="2021-03-01", channel="bank")

    def post_ok(path: str, body: dict[str, Any]) -> dict[str, Any]:
        return created(post(client, path, t, body))

    families = [
        register_household(client, t, ward, f"Hộ {n}", f"Tổ {n}, phường Thanh Khê Tây")
        for n in range(len(HOUSES) + len(GRANTS))
    ]
    meeting = {
        "held_on": "2021-03-10",
        "purpose": "support",
        "attendees": 100,
        "chaired_by": "Chủ tịch Ủy ban MTTQ phường",
        "nominees": [{"household_id": f, "votes_for": 80} for f in families],
        "minutes_name": "bien-ban-binh-xet-2021.pdf",
        "minutes_sha256": "a" * 64,
    }
    held = post_ok(f"/units/{ward}/selection-meetings", meeting)["id"]
    for family, (kind, share) in zip(families, HOUSES, strict=False):
        approval = {
            "household_id": family,
            "kind": kind,
            "budget": {"fund": share},
            "approved_on": "2021-03-15",
            "meeting_id": held,
        }
        house = post_ok("/houses", approval)["id"]
        post_ok(f"/houses/{house}/stages", {"stage": "started", "on": "2021-04-01"})
        post_ok(f"/houses/{house}/stages", {"stage": "completed", "on": "2021-06-01"})
        accepted = {"stage": "accepted", "on": "2021-06-05", "board_members": ["Ban phường"]}
        post_ok(f"/houses/{house}/stages", accepted)
        category = f"house_{kind}"
        disburse(
            client,
            t,
            fund,
            share,
            occurred_on="2021-06-06",
            category=category,
            house_project_id=house,
        )
        handed = {"stage": "handed_over", "on": "2021-06-10", "evidence": ["BB-BAN-GIAO"]}
        post_ok(f"/houses/{house}/stages", handed)
    for family, value in zip(families[len(HOUSES) :], GRANTS, strict=True):
        grant = {
            "household_id": family,
            "item": "Xe máy bán hàng rong",
            "value": value,
            "approved_on": "2021-04-01",
            "meeting_id": held,
        }
        granted = post_ok("/grants", grant)["id"]
        disburse(
            client,
            t,
            fund,
            value,
            occurred_on="2021-04-20",
            category="livelihood",
            grant_id=granted,
        )
    for amount in SCHOLARSHIPS:
        disburse(client, t, fund, amount, occurred_on="2021-09-05", category="scholarship")
    # "hưởng ứng thư kêu gọi ... “San sẻ yêu thương, vượt qua đại dịch” đã vận động được
    # 2540 xuất quà trị giá 580.450.000"; "phiên chợ “0 đồng” với 170 xuất quà được trao".
    appeal = {
        "unit_id": ward,
        "name": "San sẻ yêu thương, vượt qua đại dịch",
        "code": "SANSE2021",
        "starts_on": "2021-07-15",
        "ends_on": "2021-10-31",
    }
    campaign = post_ok("/campaigns", appeal)["id"]
    goods = {"description": "Suất quà nhu yếu phẩm", "quantity": 2540, "unit": "suất"}
    receive(
        client,
        t,
        fund,
        580_450_000,
        occurred_on="2021-08-01",
        channel="in_kind",
        in_kind=goods,
        campaign_id=campaign,
    )
    given = {
        "on": "2021-08-10",
        "category": "emergency",
        "title": "Trao quà San sẻ yêu thương, vượt qua đại dịch",
        "lines": [{"beneficiary": "hardship", "packages": 2540, "household_times": 2540}],
        "value": 580_450_000,
        "campaign_id": campaign,
    }
    post_ok(f"/units/{ward}/distributions", given)
    market = {
        "on": "2021-09-12",
        "category": "other",
        "title": "Phiên chợ “0 đồng”",
        "lines": [{"beneficiary": "hardship", "packages": 170, "household_times": 170}],
    }
    last = post_ok(f"/units/{ward}/distributions", market)["position"]

    # The reads the report is built from give the figures...
    year = {"from_": "2021-01-01", "to": "2021-12-31", "min_position": last}
    shown = ok(get(client, f"/units/{ward}/report", t, include_children="true", **year))
    assert shown["receipts"]["total"] == 1_024_230_000
    assert shown["receipts"]["in_kind_value"] == 580_450_000
    spent = shown["disbursements"]["by_category"]
    assert spent["house_new_build"] + spent["house_repair"] == 660_000_000
    assert (spent["livelihood"], spent["scholarship"]) == (75_000_000, 98_100_000)
    counts = shown["counts"]
    assert (counts["houses_new_build"], counts["houses_repair"]) == (5, 23)
    assert (counts["livelihood_grants"], counts["students"]) == (14, 73)
    support = ok(get(client, f"/units/{ward}/support-counts", t, include_children="true", **year))
    assert support["by_category"]["emergency"]["packages"] == 2540
    assert support["by_category"]["other"]["packages"] == 170
    drive = ok(get(client, f"/campaigns/{campaign}", t, min_position=last))["figures"]
    assert drive["in_kind_value"] == 580_450_000

    # ... and the committee's report of the year, and its district's, the same.
    for unit in (ward, district):
        text = _docx_text(
            client.get(
                f"{API}/units/{unit}/committee-report",
                query_string={"year": 2021, "min_position": last},
                headers=auth(t if unit == ward else admin),
            )
        )
        assert "Vận động được 1.024.230.000 đ tiền mặt và chuyển khoản." in text
        assert "Xây mới 5 nhà, sửa chữa 23 nhà bàn giao trong năm." in text
        assert "tổng cộng 660.000.000 đ" in text
        assert "Trao 14 phương tiện sinh kế; chi 75.000.000 đ." in text
        assert "73 suất học bổng, 98.100.000 đ." in text
        assert "Hỗ trợ đột xuất: trao 2.540 suất quà, 2.540 lượt hộ" in text
        assert "Khác: trao 170 suất quà, 170 lượt hộ" in text
        assert (
            "San sẻ yêu thương, vượt qua đại dịch: vận động được 0 đ, "
            "hiện vật trị giá 580.450.000 đ"
        ) in text
