"""A donor's phone: a fund's public page, served by the real `sovang serve`, read in a real
headless Chromium 360 px wide; its VietQR code, as the screen shows it, decodes back to
the fund's account and memo code, as a banking app would read it. The screenshot is kept
in tests/artifacts/."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from service.domain import vietqr
from tests.e2e.test_browser import (  # noqa: F401 - the fixtures
    ARTIFACTS,
    _fits_the_phone,
    _no_serious_violations,
    phone,
)
from tests.e2e.test_serve import Server, server  # noqa: F401 - the fixture

pytestmark = pytest.mark.e2e

from playwright.sync_api import Page  # noqa: E402


def _fund_with_account(served: Server) -> tuple[str, dict[str, str]]:
    admin = served.token("admin")
    province = served.api(
        "POST", "/units", admin, {"name": "Tỉnh Quảng Trị", "level": "province"}, expect=201
    )
    commune = served.api(
        "POST",
        "/units",
        admin,
        {"name": "Xã Cam Lộ", "level": "commune", "parent_id": province["id"]},
        expect=201,
    )
    treasurer = served.token("treasurer", commune["id"], "Thủ quỹ xã Cam Lộ")
    fund = served.api(
        "POST",
        "/funds",
        treasurer,
        {"unit_id": commune["id"], "name": "Quỹ cứu trợ bão lũ", "kind": "relief"},
        expect=201,
    )
    account = {"bank_bin": "970436", "account_number": "0011001932418", "account_name": "UB MTTQ"}
    connected = served.api("PUT", f"/funds/{fund['id']}/giving-account", treasurer, account)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        code = served.call("GET", f"/api/v1/public/funds/{fund['id']}/vietqr")
        if code.status == 200:
            break
        time.sleep(0.2)
    return fund["id"], {**account, "memo_code": connected["memo_code"]}


def test_a_donor_scans_the_funds_vietqr_on_a_phone_and_reads_its_account_and_memo_code(
    server: Server,  # noqa: F811 - the fixture imported above
    phone: Page,  # noqa: F811
    request: pytest.FixtureRequest,
) -> None:
    fund_id, account = _fund_with_account(server)
    store = request.node.callspec.id
    ARTIFACTS.mkdir(exist_ok=True)

    phone.goto(f"{server.root}/cong-khai/quy/{fund_id}")

    code = phone.locator("#vietqr svg")
    assert code.is_visible()
    box = code.bounding_box()
    assert box is not None
    assert box["width"] <= 360
    shot = ARTIFACTS / f"vietqr-quy-360-{store}.png"
    code.screenshot(path=str(shot))
    phone.screenshot(path=str(ARTIFACTS / f"cong-khai-quy-vietqr-360-{store}.png"), full_page=True)
    read = zxingcpp.read_barcodes(Image.open(io.BytesIO(Path(shot).read_bytes())))
    assert len(read) == 1
    transfer = vietqr.decode(read[0].text)
    assert (transfer.bin, transfer.account) == (account["bank_bin"], account["account_number"])
    assert transfer.memo == f"{account['memo_code']} UNG HO"
    caption = phone.locator("#vietqr figcaption").inner_text()
    assert account["account_number"] in caption
    assert account["memo_code"] in caption
    _fits_the_phone(phone)
    _no_serious_violations(phone)
