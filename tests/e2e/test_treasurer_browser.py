"""A treasurer's phone, then an approver's: the treasurers' pages served by the real
`sovang serve`, used in a real headless Chromium (Debian's, driven by Playwright) 360 px
wide with no help from script. The treasurer activates the account an administrator
registered, logs in with phone and password, records a cash receipt and prints its slip,
uploads a bank statement, previews it line by line and confirms it, records a house's
stage and pays its tranche; the tranche, above the commune's approval threshold, waits
for the approver, who approves it (tests/e2e/test_slips_browser.py follows the slip's QR
code to the proof, checked in the page).
On the receipt's result, the statement's preview, the house and the approver's queue,
axe-core finds no serious or critical accessibility violation and the page fits the
phone; their screenshots are kept in tests/artifacts/."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.cli import sovang
from tests.e2e.test_accounts_browser import _activate, _sign_in
from tests.e2e.test_browser import (  # noqa: F401 - the fixtures
    ARTIFACTS,
    _fits_the_phone,
    _no_serious_violations,
    phone,
)
from tests.e2e.test_serve import Server, server  # noqa: F401 - the fixture

pytestmark = pytest.mark.e2e

BANK_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "bank_files"
STATEMENT = BANK_FILE / "vcb-c-balance-repeated-line.csv"


def _log_in(page: Page, root: str, token: str) -> None:
    page.goto(f"{root}/thu-quy/")
    assert "/thanh-tra/dang-nhap" in page.url
    page.get_by_label("Mã truy cập").fill(token)
    page.get_by_role("button", name="Đăng nhập bằng mã truy cập").click()
    page.goto(f"{root}/thu-quy/")
    assert page.locator("h1").inner_text().startswith("Hôm nay")


def _activated(page: Page, server: Server, commune: str) -> None:  # noqa: F811
    """The treasurer's account, registered by an administrator at the command line,
    activated from its link with a password, then signed in by phone and password."""
    made = sovang(
        server.database_url,
        "person",
        "create",
        "--name",
        "Hoàng Thị Mai",
        "--role",
        "treasurer",
        "--unit",
        commune,
        "--phone",
        "0987 654 321",
        "--base-url",
        server.root,
    )
    link = made.stdout.strip().splitlines()[-1]
    page.goto(link)
    assert page.locator("h1").inner_text() == "Kích hoạt tài khoản", (link, page.url)
    _activate(page, link)
    _sign_in(page, "0987654321")
    page.goto(f"{server.root}/thu-quy/")
    assert page.locator("h1").inner_text().startswith("Hôm nay")
    assert "Hoàng Thị Mai" in page.locator("header").inner_text()


def _checked(page: Page, name: str) -> None:
    """The page fits the phone, has no serious accessibility violation, and is kept."""
    _fits_the_phone(page)
    _no_serious_violations(page)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_treasurer_records_imports_and_pays_a_house_and_an_approver_approves(
    server: Server,  # noqa: F811 - the fixture imported above
    phone: Page,  # noqa: F811
    request: pytest.FixtureRequest,
) -> None:
    store = request.node.callspec.id
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()
    admin = server.token("admin")
    province = server.api(
        "POST", "/units", admin, {"name": "Tỉnh Quảng Trị", "level": "province"}, 201
    )
    commune = server.api(
        "POST",
        "/units",
        admin,
        {"name": "Xã Cẩm Bình", "level": "commune", "parent_id": province["id"]},
        201,
    )["id"]
    treasurer = server.token("treasurer", commune, "Thủ quỹ xã Cẩm Bình")
    approver = server.token("approver", commune, "Chủ tịch xã Cẩm Bình")
    fund = server.api(
        "POST",
        "/funds",
        treasurer,
        {"unit_id": commune, "name": "Quỹ Vì người nghèo xã", "kind": "for_the_poor"},
        201,
    )["id"]
    server.api("PUT", f"/units/{commune}/approval-threshold", admin, {"amount": 2_000_000})
    household = server.api(
        "POST",
        "/households",
        treasurer,
        {
            "unit_id": commune,
            "head_name": "Trần Văn Bảy",
            "address": "Thôn Đông",
            "members_count": 4,
        },
        201,
    )["id"]
    house = server.api(
        "POST",
        "/houses",
        treasurer,
        server.with_meeting(
            treasurer,
            commune,
            {
                "household_id": household,
                "kind": "new_build",
                "budget": {"fund": 10_000_000},
                "approved_on": today,
            },
        ),
        201,
    )["id"]
    ARTIFACTS.mkdir(exist_ok=True)

    # The treasurer activates the account, logs in and records a cash gift.
    _activated(phone, server, commune)
    phone.get_by_role("link", name="Quỹ Vì người nghèo xã").click()
    phone.get_by_role("link", name="Ghi khoản thu").click()
    phone.get_by_label("Số tiền (đồng; ngoại tệ: theo loại tiền; hiện vật: giá trị)").fill(
        "2.000.000"
    )
    phone.get_by_label("Tên người ủng hộ").fill("Nguyễn Văn An")
    phone.get_by_role("button", name="Ghi khoản thu").click()
    slip = phone.get_by_role("link", name="In phiếu thu")
    assert re.fullmatch(r"/thu-quy/phieu/[0-9a-f-]{36}", slip.get_attribute("href") or "")
    assert "Số dư quỹ: 2.000.000 đ" in phone.locator("#ket-qua").inner_text()
    _checked(phone, f"thu-quy-phieu-thu-360-{store}")
    printed = phone.context.new_page()
    printed.goto(server.root + (slip.get_attribute("href") or ""))
    assert printed.locator('[data-figure="amount_in_words"]').inner_text() == (
        "Hai triệu đồng chẵn"
    )
    assert "Nguyễn Văn An" in printed.locator("main").inner_text()
    printed.close()

    # The bank statement: upload, preview line by line, confirm.
    phone.get_by_role("link", name="Về quỹ Quỹ Vì người nghèo xã").click()
    phone.get_by_role("link", name="Nhập sao kê ngân hàng").click()
    phone.get_by_label("Tệp sao kê (CSV hoặc XLSX)").set_input_files(str(STATEMENT))
    phone.get_by_label("Mẫu của ngân hàng").select_option("vietcombank")
    phone.get_by_role("button", name="Tải lên và xem trước").click()
    phone.wait_for_selector("#xem-truoc", timeout=60_000)
    assert phone.locator('#xem-truoc tr[data-outcome="recorded"]').count() == 60
    assert phone.locator('#xem-truoc tr[data-outcome="repeated"]').count() == 1
    _checked(phone, f"thu-quy-sao-ke-xem-truoc-360-{store}")
    phone.get_by_role("button", name="Xác nhận và ghi 60 khoản").click()
    phone.wait_for_selector("#da-nhap", timeout=60_000)
    assert "tổng 57.594.000 đ" in phone.locator("#da-nhap").inner_text()

    # A house's stage, then its tranche, which waits for an approver.
    phone.get_by_role("link", name="Nhà", exact=True).click()
    phone.get_by_role("link", name=re.compile("Nhà xây mới")).click()
    phone.get_by_label("Giai đoạn").select_option("started")
    phone.get_by_label("Ngày đạt").fill(today)
    phone.get_by_label("Chứng cứ (mỗi dòng một ảnh hoặc biên bản)").fill("Ảnh khởi công.jpg")
    phone.get_by_role("button", name="Ghi giai đoạn").click()
    assert phone.locator("#giai-doan").inner_text() == "Khởi công"
    _checked(phone, f"thu-quy-nha-360-{store}")
    phone.get_by_role("link", name="Chi từ Quỹ Vì người nghèo xã").click()
    phone.get_by_label("Khoản chi cho (bắt buộc)").select_option("house_new_build")
    assert phone.get_by_label("Nhà Đại đoàn kết").input_value() == house
    phone.get_by_label("Số tiền (đồng)").fill("3.000.000")
    phone.get_by_role("button", name="Ghi khoản chi").click()
    assert "đang chờ người duyệt chi" in phone.locator("#ket-qua").inner_text()
    phone.get_by_role("button", name="Đăng xuất").click()

    # The approver approves it, with its house named.
    _log_in(phone, server.root, approver)
    assert "Khoản chờ bạn duyệt (1)" in phone.locator("main").inner_text()
    phone.get_by_role("link", name="Duyệt chi").first.click()
    held = phone.locator("section", has_text="3.000.000 đ")
    assert "Xây mới nhà Đại đoàn kết" in held.inner_text()
    assert "Trần" in held.inner_text()
    _checked(phone, f"thu-quy-duyet-chi-360-{store}")
    held.get_by_role("button", name="Duyệt chi").click()
    expect(phone.locator("#khong-cho")).to_be_visible()
    paid = server.api("GET", f"/houses/{house}", approver)
    assert paid["paid"] == 3_000_000
    balance = server.api("GET", f"/funds/{fund}", approver)["balance"]
    assert balance == 2_000_000 + 57_594_000 - 3_000_000
