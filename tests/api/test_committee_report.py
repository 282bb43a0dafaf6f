"""The committee's report of a year as DOCX and PDF: the district's figures of the news
report ("vận động ủng hộ đạt trên 2,3 tỷ đồng (đạt 157% chỉ tiêu Thành phố giao)", "hỗ trợ
902 lượt hộ", "Sóng và máy tính cho em ... hơn 228 triệu đồng") entered as events come out
as the same figures in the generated documents."""

from __future__ import annotations

import io

from docx import Document
from flask.testing import FlaskClient
from pypdf import PdfReader

from tests.api.helpers import (
    API,
    MakeToken,
    auth,
    created,
    open_fund,
    post,
    problem,
    receive,
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
