"""The approver's queue (/thu-quy/duyet) and the bank statement's pages (/thu-quy/.../sao-ke,
/thu-quy/nhap/...): a payment above the threshold waits with its context, its recorder
cannot approve it, a rejection needs its reason, an approval records it; a bank file is
previewed line by line, confirmed once however often the confirmation is sent, and its
report of lines not recorded is served as CSV."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

from flask.testing import FlaskClient

from tests.api.helpers import API, MakeToken, auth, login
from tests.api.treasurer_pages import (
    PAGES,
    caught_up,
    desk,
    fill,
    hidden,
    refused_beside,
    shown,
    text_of,
)

BANK_FILES = Path(__file__).resolve().parents[1] / "fixtures" / "bank_files"
DAY = "2025-03-01"


def test_an_approver_reads_held_payments_in_context_approves_one_and_rejects_one_with_a_reason(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token, money=5_000_000)
    threshold = client.put(
        f"{API}/units/{world.commune_id}/approval-threshold",
        json={"amount": 1_000_000},
        headers=auth(world.admin),
    )
    assert threshold.status_code == 200, threshold.get_data(as_text=True)
    caught_up(client)
    held, _ = fill(
        client,
        f"/quy/{world.fund_id}/chi",
        {
            "amount": "2.000.000",
            "occurred_on": DAY,
            "category": "tet_gift",
            "channel": "cash",
            "note": "Quà Tết cho hộ khó khăn",
        },
    )
    fill(
        client,
        f"/quy/{world.fund_id}/chi",
        {"amount": "1.500.000", "occurred_on": DAY, "category": "medical", "channel": "cash"},
    )
    caught_up(client)
    queue = shown(client, "/duyet")
    by_recorder, _ = fill(client, "/duyet", {"note": ""}, action=_action(queue, "dong-y"))
    approver = make_token("approver", world.commune_id, name="Chủ tịch xã")
    assert login(client, approver).status_code == 303

    today = text_of(shown(client, "/"))
    page = shown(client, "/duyet")
    no_reason, _ = fill(client, "/duyet", {"reason": ""}, form=1, action=_action(page, "tu-choi"))
    approved, _ = fill(client, "/duyet", {"note": "Đúng danh sách"}, action=_action(page, "dong-y"))
    left = client.get(approved.headers["Location"]).get_data(as_text=True)
    rejected, _ = fill(
        client, "/duyet", {"reason": "Thiếu giấy ra viện"}, form=1, action=_action(left, "tu-choi")
    )
    caught_up(client)

    assert "đang chờ người duyệt chi" in text_of(held.get_data(as_text=True))
    assert "Quà Tết" in text_of(queue)
    assert "Quà Tết cho hộ khó khăn" in text_of(queue)
    assert "Vì sao phải duyệt: Vượt mức phải duyệt của đơn vị" in text_of(queue)
    assert by_recorder.status_code == 403
    assert 'id="loi-chung"' in by_recorder.get_data(as_text=True)
    assert "Khoản chờ bạn duyệt (2)" in today
    assert refused_beside(no_reason, "reason")
    assert approved.status_code == 303
    assert 'id="da-ghi"' in left
    assert "Khám chữa bệnh" in text_of(left)
    assert "Quà Tết" not in text_of(left)
    assert rejected.status_code == 303
    after = client.get(rejected.headers["Location"]).get_data(as_text=True)
    assert "Không có khoản nào chờ duyệt" in text_of(after)
    entries = client.get(f"{API}/funds/{world.fund_id}/entries", headers=auth(approver)).get_json()
    assert [e["amount"] for e in entries["items"] if e["kind"] == "disbursement"] == [2_000_000]


def _action(page: str, decision: str) -> str:
    found = re.search(rf'action="{PAGES}(/duyet/[^"]+/{decision})"', page)
    assert found, page
    return found.group(1)


def _job_page(client: FlaskClient, location: str) -> str:
    """The job's page once the job has finished; while it runs, the page refreshes itself."""
    for _ in range(400):
        markup = client.get(location).get_data(as_text=True)
        if 'id="dang-chay"' not in markup:
            return markup
        assert '<meta http-equiv="refresh" content="2">' in markup
        time.sleep(0.05)
    raise AssertionError("the import did not finish")


def test_a_bank_file_is_previewed_line_by_line_then_confirmed_once_with_its_report(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token, money=1_000)
    data = (BANK_FILES / "vcb-c-balance-repeated-line.csv").read_bytes()

    no_file, _ = fill(client, f"/quy/{world.fund_id}/sao-ke", {"preset": "vietcombank"})
    uploaded, _ = fill(
        client,
        f"/quy/{world.fund_id}/sao-ke",
        {"preset": "vietcombank", "file": (io.BytesIO(data), "sao-ke-5-9.csv")},
    )
    assert uploaded.status_code == 303, uploaded.get_data(as_text=True)
    preview = _job_page(client, uploaded.headers["Location"])
    confirm = {
        "csrf_token": hidden(preview, "csrf_token"),
        "idempotency_key": hidden(preview, "idempotency_key"),
    }
    action = re.search(r'action="(/thu-quy/nhap/[^"]+/xac-nhan)"', preview)
    assert action, preview
    elsewhere = client.application.test_client()
    assert login(elsewhere, world.treasurer).status_code == 303
    csrf = hidden(elsewhere.get(f"{PAGES}/").get_data(as_text=True), "csrf_token")
    not_here = elsewhere.post(action.group(1), data={**confirm, "csrf_token": csrf})
    confirmed = client.post(action.group(1), data=confirm)
    again = client.post(action.group(1), data=confirm)
    report = _job_page(client, confirmed.headers["Location"])
    csv_link = re.search(r'id="bao-cao-csv" href="([^"]+)"', report)
    assert csv_link, report
    csv = client.get(csv_link.group(1))
    caught_up(client)

    assert "Hãy chọn tệp sao kê" in refused_beside(no_file, "file")
    assert preview.count('data-outcome="recorded"') == 60
    assert preview.count('data-outcome="repeated"') == 1
    assert 'name="lap"' in preview
    assert "Xác nhận và ghi 60 khoản" in text_of(preview)
    assert not_here.status_code == 409
    assert "Hãy tải tệp sao kê lên lại" in text_of(not_here.get_data(as_text=True))
    assert confirmed.status_code == again.status_code == 303
    assert again.headers["Location"] == confirmed.headers["Location"]
    assert "ghi 60 khoản thu, tổng 57.594.000 đ" in text_of(report)
    assert csv.status_code == 200
    assert csv.mimetype == "text/csv"
    assert csv.get_data(as_text=True).startswith('"Dòng","Kết quả","Lý do"')
    fund = client.get(f"{API}/funds/{world.fund_id}", headers=auth(world.treasurer)).get_json()
    assert fund["balance"] == 1_000 + 57_594_000
