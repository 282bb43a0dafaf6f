"""People's accounts on a phone, in a real headless Chromium 360 px wide against the real
`sovang serve`: a treasurer's activation link made at the command line, opened, a
password set, the login and the logout; an approver's link made through the API, opened,
a password set and the second factor enrolled from the secret shown beside its QR code,
then the login with a code (computed with pyotp, as the phone's app would). axe-core
finds no serious or critical violation on any of these pages; screenshots are kept in
tests/artifacts/."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import Page

from tests.e2e.cli import sovang
from tests.e2e.test_browser import (  # noqa: F401 - the fixtures
    ARTIFACTS,
    _fits_the_phone,
    _no_serious_violations,
    phone,
)
from tests.e2e.test_serve import (  # noqa: F401 - the fixture
    Server,
    province_and_commune,
    server,
)

pytestmark = pytest.mark.e2e

PASSWORD = "mua thu la vang 2025"


def _activate(tab: Page, link: str, code_of: pyotp.TOTP | None = None) -> None:
    tab.get_by_label("Mật khẩu mới").fill(PASSWORD)
    tab.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    if code_of is not None:
        tab.get_by_label("Mã xác thực").fill(code_of.now())
    tab.get_by_role("button", name="Kích hoạt").click()
    assert "/thanh-tra/dang-nhap" in tab.url
    assert "Tài khoản đã được kích hoạt" in tab.locator("main").inner_text()


def _sign_in(tab: Page, contact: str) -> None:
    tab.get_by_label("Số điện thoại hoặc e-mail").fill(contact)
    tab.get_by_label("Mật khẩu").fill(PASSWORD)
    tab.get_by_role("button", name="Đăng nhập", exact=True).click()


def _signed_in_as(tab: Page, name: str) -> None:
    assert re.search(r"/(thu-quy|thanh-tra)/$", tab.url), tab.url
    assert name in tab.locator("header").inner_text()


def test_a_treasurer_and_an_approver_activate_their_accounts_and_sign_in_on_a_phone(
    server: Server,  # noqa: F811 - the fixture imported above
    phone: Page,  # noqa: F811
    request: pytest.FixtureRequest,
) -> None:
    admin = server.token("admin")
    _, commune = province_and_commune(server, admin)
    made = sovang(
        server.database_url,
        "person",
        "create",
        "--name",
        "Trần Thị Thu",
        "--role",
        "treasurer",
        "--unit",
        commune["id"],
        "--phone",
        "0912 345 678",
        "--base-url",
        server.root,
    )
    treasurer_link = made.stdout.strip().splitlines()[-1]
    approver = server.api(
        "POST",
        "/people",
        admin,
        {
            "name": "Lê Văn Chính",
            "email": "chinh@cambinh.vn",
            "role": "approver",
            "unit_id": commune["id"],
        },
        expect=201,
    )
    ARTIFACTS.mkdir(exist_ok=True)
    store = request.node.callspec.id

    # The treasurer: the link, a password, the login, the logout.
    assert "chờ kích hoạt" in made.stdout
    assert treasurer_link.startswith(server.root + "/tai-khoan/kich-hoat/")
    phone.goto(treasurer_link)
    assert phone.locator("h1").inner_text() == "Kích hoạt tài khoản"
    assert "0912345678" in phone.locator("main").inner_text()
    _fits_the_phone(phone)
    _no_serious_violations(phone)
    phone.screenshot(path=str(ARTIFACTS / f"tai-khoan-kich-hoat-360-{store}.png"), full_page=True)
    _activate(phone, treasurer_link)
    _no_serious_violations(phone)
    phone.screenshot(path=str(ARTIFACTS / f"tai-khoan-dang-nhap-360-{store}.png"), full_page=True)
    _sign_in(phone, "0912345678")
    _signed_in_as(phone, "Trần Thị Thu")
    phone.get_by_role("button", name="Đăng xuất").click()
    assert "Bạn đã đăng xuất" in phone.locator("main").inner_text()
    phone.goto(treasurer_link)
    assert "không còn dùng được" in phone.locator("main").inner_text()

    # The approver: the link, a password and the second factor, the login with a code.
    phone.goto(approver["activation"]["url"])
    assert phone.locator(".qr svg").count() == 1
    secret = phone.locator("#khoa-bi-mat").inner_text().replace(" ", "")
    app = pyotp.TOTP(secret)
    _fits_the_phone(phone)
    _no_serious_violations(phone)
    phone.screenshot(
        path=str(ARTIFACTS / f"tai-khoan-xac-thuc-hai-lop-360-{store}.png"), full_page=True
    )
    _activate(phone, approver["activation"]["url"], app)
    _sign_in(phone, "chinh@cambinh.vn")
    assert "/tai-khoan/ma-xac-thuc" in phone.url
    _no_serious_violations(phone)
    # The code of enrolment is spent: the app's next code is the one taken.
    phone.get_by_label("Mã xác thực").fill(app.at(time.time() + 30))
    phone.get_by_role("button", name="Xác nhận").click()
    _signed_in_as(phone, "Lê Văn Chính")
    phone.screenshot(
        path=str(ARTIFACTS / f"tai-khoan-da-dang-nhap-360-{store}.png"), full_page=True
    )
    phone.get_by_role("button", name="Đăng xuất").click()
    assert "Bạn đã đăng xuất" in phone.locator("main").inner_text()
