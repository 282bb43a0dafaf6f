"""The people check on a phone, 360 px wide, against the real `sovang serve` in Debian's
Chromium: a fund's statement read as cards (nothing wider than the screen, each gift's
amount and proof link in view, dates typed day/month/year), a citizen flagging a gift
without an account, the commune's board answering it from its queue, and the answer shown
beside the gift on the public statement. axe-core finds no serious or critical violation;
the screenshots are kept in tests/artifacts/."""

from __future__ import annotations

from typing import Any

import pytest

from service.domain.money import vnd
from tests.e2e.test_browser import (
    ARTIFACTS,
    PHONE,
    _caught_up,
    _fits_the_phone,
    _no_serious_violations,
)
from tests.e2e.test_serve import Server, server  # noqa: F401 - the fixture

pytestmark = pytest.mark.e2e

from playwright.sync_api import Browser, Page  # noqa: E402

#: Gifts as a commune's bank file brings them: long names, long memos, large amounts.
GIFTS: list[dict[str, Any]] = [
    {
        "amount": 100_000_000,
        "occurred_on": "2025-09-10",
        "channel": "bank",
        "bank_ref": "FT25253912345678",
        "donor": {"name": "CÔNG TY TNHH XÂY DỰNG VÀ THƯƠNG MẠI HOÀNG GIA", "kind": "organisation"},
        "note": "CT TU 0071000123456 CONG TY TNHH XAY DUNG VA THUONG MAI HOANG GIA UNG HO QUY",
    },
    {
        "amount": 500_000,
        "occurred_on": "2025-09-11",
        "channel": "cash",
        "donor": {"name": "Nguyễn Thị Hồng Nhung", "kind": "individual"},
        "note": "Ủng hộ đồng bào vùng lũ",
    },
    {
        "amount": 2_000_000,
        "occurred_on": "2025-09-12",
        "channel": "bank",
        "bank_ref": "FT25255000000001",
        "donor": {"name": "Trần Văn Bình", "kind": "individual"},
        "note": "TRAN VAN BINH chuyen tien ung ho 19036677889900 ngay 12/09/2025 luc 10:15:22",
    },
]


def _commune(served: Server) -> tuple[str, str, str]:
    """A province, a commune and the commune's fund with the gifts; the commune's id, its
    fund's id and the entry id of the first gift."""
    admin = served.token("admin")
    province = served.api("POST", "/units", admin, {"name": "Tỉnh Mẫu", "level": "province"}, 201)
    commune = served.api(
        "POST",
        "/units",
        admin,
        {"name": "Xã Vĩnh Linh", "level": "commune", "parent_id": province["id"]},
        201,
    )
    treasurer = served.token("treasurer", commune["id"], "Thủ quỹ xã")
    fund = served.api(
        "POST",
        "/funds",
        treasurer,
        {"unit_id": commune["id"], "name": "Quỹ Vì người nghèo xã", "kind": "for_the_poor"},
        201,
    )
    entries = [
        served.api("POST", f"/funds/{fund['id']}/receipts", treasurer, gift, 201)["entry_id"]
        for gift in GIFTS
    ]
    return commune["id"], fund["id"], entries[0]


def _phone(browser: Browser) -> Page:
    """A fresh phone: its own cache, so a page read again is read from the server."""
    return browser.new_context(viewport=PHONE, locale="vi-VN").new_page()


def test_a_citizen_flags_a_gift_on_a_phone_and_reads_the_boards_answer_beside_it(
    server: Server,  # noqa: F811 - the fixture imported above
    browser: Browser,
    request: pytest.FixtureRequest,
) -> None:
    commune, fund, first_gift = _commune(server)
    _caught_up(server)
    ARTIFACTS.mkdir(exist_ok=True)
    store = request.node.callspec.id

    # The statement as cards: each gift's amount and proof in view, nothing wider.
    citizen = _phone(browser)
    citizen.goto(f"{server.root}/cong-khai/quy/{fund}")
    _fits_the_phone(citizen)
    cards = citizen.locator("tr.gift")
    assert cards.count() == len(GIFTS)
    for n in range(cards.count()):
        card = cards.nth(n)
        amount = card.locator("td.amount")
        proof = card.locator("td.proof a")
        for element in (amount, proof):
            assert element.is_visible()
            box = element.bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= PHONE["width"], (n, box)
    shown = sorted(cards.locator("td.amount").all_inner_texts())
    assert shown == sorted(vnd(gift["amount"]) for gift in GIFTS)
    for field in ("Từ ngày", "Đến ngày"):
        typed = citizen.get_by_label(field)
        assert typed.get_attribute("type") == "text"
        assert "/" in (typed.get_attribute("placeholder") or "")
    citizen.get_by_label("Từ ngày").fill("10/09/2025")
    citizen.get_by_label("Đến ngày").fill("11/09/2025")
    citizen.get_by_role("button", name="Tìm").click()
    citizen.wait_for_url("**den=**")
    assert citizen.locator("tr.gift").count() == 2
    assert citizen.get_by_label("Từ ngày").input_value() == "10/09/2025"
    _fits_the_phone(citizen)
    _no_serious_violations(citizen)
    citizen.screenshot(path=str(ARTIFACTS / f"nguoi-dan-sao-ke-360-{store}.png"), full_page=True)

    # The citizen flags the first gift, without an account.
    card = citizen.locator("tr.gift", has_text=vnd(GIFTS[0]["amount"]))
    card.get_by_role("link", name="Hỏi hoặc báo sai sót").click()
    assert citizen.locator("h1").inner_text() == "Hỏi hoặc báo sai sót"
    citizen.get_by_label("Báo khoản này có sai sót").check()
    citizen.get_by_label("Nội dung").fill(
        "Công ty chúng tôi chuyển 100 triệu nhưng nội dung ghi nhầm tên quỹ, nhờ kiểm tra."
    )
    citizen.get_by_label("Cách liên lạc với bạn").fill("0912 345 678")
    _fits_the_phone(citizen)
    _no_serious_violations(citizen)
    citizen.get_by_role("button", name="Gửi").click()
    code = citizen.locator("h1").inner_text().removeprefix("Câu hỏi ")
    assert code.startswith("CH-")
    assert "Đang chờ trả lời" in citizen.locator("#tinh-trang").inner_text()
    _fits_the_phone(citizen)
    _no_serious_violations(citizen)
    citizen.screenshot(path=str(ARTIFACTS / f"nguoi-dan-hoi-360-{store}.png"), full_page=True)
    citizen.context.close()

    # The commune's board answers from its queue.
    board = _phone(browser)
    inspector = server.token("inspector", commune, "Ban Thanh tra nhân dân xã")
    board.goto(f"{server.root}/thanh-tra/cau-hoi")
    board.get_by_label("Mã truy cập").fill(inspector)
    board.get_by_role("button", name="Đăng nhập bằng mã truy cập").click()
    board.get_by_role("link", name="Câu hỏi của người dân").first.click()
    question = board.locator("section.question", has_text=code)
    assert question.count() == 1
    assert "đã niêm phong" in question.inner_text()
    answer = "Đã đối chiếu giấy báo Có của ngân hàng: khoản 100.000.000 đ vào đúng quỹ này."
    question.get_by_label("Câu trả lời").fill(answer)
    _fits_the_phone(board)
    _no_serious_violations(board)
    question.get_by_role("button", name="Công khai câu trả lời").click()
    assert "Đã công khai câu trả lời" in board.locator(".ok").inner_text()
    board.get_by_role("link", name="Đã trả lời").click()
    assert answer in board.locator("section.question", has_text=code).inner_text()
    _fits_the_phone(board)
    _no_serious_violations(board)
    board.screenshot(path=str(ARTIFACTS / f"ban-thanh-tra-tra-loi-360-{store}.png"), full_page=True)
    board.context.close()

    # The citizen comes back: the answer is beside the gift, and on the tracking page.
    _caught_up(server)
    back = _phone(browser)
    back.goto(f"{server.root}/cong-khai/quy/{fund}")
    card = back.locator("tr.gift", has_text=vnd(GIFTS[0]["amount"]))
    assert answer in card.inner_text()
    _fits_the_phone(back)
    _no_serious_violations(back)
    back.screenshot(path=str(ARTIFACTS / f"nguoi-dan-tra-loi-360-{store}.png"), full_page=True)
    back.goto(f"{server.root}/cong-khai/hoi/{code}")
    assert back.locator("#tra-loi").inner_text() == answer
    back.goto(f"{server.root}/cong-khai/bien-lai/{first_gift}")
    assert answer in back.locator("main").inner_text()
    back.context.close()
