"""A treasurer at a commune without network, on a 360 px phone in a real headless Chromium
(Debian's, driven by Playwright) against a real `sovang serve`: receipts and a house stage
recorded offline stay on the phone through a reload, are sent once when the network
returns even when an answer is lost on the way, and a receipt the service refuses (a
closed period) is shown for correction. Screenshots are kept in tests/artifacts/."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, Page, Route

from tests.e2e.test_browser import (
    ARTIFACTS,
    PHONE,
    _fits_the_phone,
    _no_serious_violations,
)
from tests.e2e.test_serve import (  # noqa: F401 - the fixture
    Server,
    province_and_commune,
    server,
)

pytestmark = pytest.mark.e2e
CAPTURE = "/thu-quy/ngoai-tuyen/"
CACHE = "sovang-ngoai-tuyen-1"


@pytest.fixture
def phone_context(browser: Any) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    try:
        yield context
    finally:
        context.close()


def _caught_up(served: Server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        answer = served.call("GET", "/readyz")
        if answer.status == 200 and not any(answer.body["lag"].values()):
            return
        time.sleep(0.2)
    pytest.fail("the projections did not catch up")


def _commune(served: Server, today: str) -> dict[str, str]:
    """A commune's fund, with a house approved today, and its treasurer's token."""
    admin = served.token("admin")
    _, commune = province_and_commune(served, admin)
    treasurer = served.token("treasurer", commune["id"], "Thủ quỹ xã Cẩm Bình")
    fund = served.api(
        "POST",
        "/funds",
        treasurer,
        {"unit_id": commune["id"], "name": "Quỹ Vì người nghèo xã", "kind": "for_the_poor"},
        expect=201,
    )
    household = served.api(
        "POST",
        "/households",
        treasurer,
        {
            "unit_id": commune["id"],
            "head_name": "Phạm Thị Lan",
            "address": "Thôn Tân Lập",
            "members_count": 3,
            "categories": [{"category": "poor", "since": "2024-01-01"}],
        },
        expect=201,
    )
    house = served.api(
        "POST",
        "/houses",
        treasurer,
        served.with_meeting(
            treasurer,
            commune["id"],
            {
                "household_id": household["id"],
                "kind": "new_build",
                "budget": {"fund": 40_000_000},
                "approved_on": today,
            },
        ),
        expect=201,
    )
    return {"fund": fund["id"], "house": house["id"], "treasurer": treasurer}


def _until(page: Page, expression: str, seconds: float = 30) -> None:
    """Waits until ``expression`` (evaluated in the page, awaited) is true; polled from
    here, since the page's policy rightly forbids the evaluation Playwright's own wait
    would use."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(f"async () => Boolean(await ({expression}))"):
        if time.monotonic() > deadline:
            pytest.fail(f"never true on the page: {expression}\n{_states(page)}")
        time.sleep(0.1)


def _queued(page: Page, state: str) -> int:
    return page.locator(f'#hang-doi li[data-state="{state}"]').count()


def _states(page: Page) -> str:
    """Each record of the list as the page shows it, with its state and, for a refused
    one, the service's reason: what a failed assertion prints."""
    return "\n".join(page.locator("#hang-doi li").all_inner_texts())


def test_a_treasurer_records_offline_and_every_record_is_sent_once(
    server: Server,  # noqa: F811
    phone_context: BrowserContext,
    request: pytest.FixtureRequest,
) -> None:
    now = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    _today, yesterday = now.isoformat(), (now - timedelta(days=1)).isoformat()
    world = _commune(server, yesterday)
    server.api(
        "POST",
        f"/funds/{world['fund']}/period-closes",
        world["treasurer"],
        {"through": yesterday},
        expect=201,
    )
    _caught_up(server)
    ARTIFACTS.mkdir(exist_ok=True)
    store = request.node.callspec.id
    phone = phone_context.new_page()

    # Online once: log in and open the capture page, which the phone then keeps.
    phone.goto(f"{server.root}/thanh-tra/dang-nhap")
    phone.get_by_label("Mã truy cập").fill(world["treasurer"])
    phone.get_by_role("button", name="Đăng nhập bằng mã truy cập").click()
    phone.goto(f"{server.root}{CAPTURE}")
    _until(
        phone,
        f"navigator.serviceWorker.controller !== null && "
        f"caches.open('{CACHE}').then(c => c.match('{CAPTURE}'))",
    )

    # Offline: five receipts and a house stage, and one receipt dated in the closed period.
    phone_context.set_offline(True)
    for n in range(5):
        phone.get_by_label("Số tiền (đồng)").first.fill(f"{100 + n}.000")
        phone.get_by_label("Người nộp").fill(f"Người ủng hộ {n + 1}")
        phone.get_by_role("button", name="Ghi phiếu thu").click()
    phone.get_by_label("Số tiền (đồng)").first.fill("250.000")
    phone.locator("#thu-ngay").fill((now - timedelta(days=1)).strftime("%d/%m/%Y"))
    phone.get_by_label("Người nộp").fill("Ghi nhầm ngày")
    phone.get_by_role("button", name="Ghi phiếu thu").click()
    phone.get_by_label("Giai đoạn đã đạt").select_option("started")
    phone.get_by_role("button", name="Ghi giai đoạn").click()
    _until(phone, "document.querySelectorAll('#hang-doi li').length === 7")
    assert _queued(phone, "queued") == 7

    phone.reload()
    _until(phone, "document.querySelectorAll('#hang-doi li').length === 7")
    assert _queued(phone, "queued") == 7
    assert "mất mạng" in phone.locator("#mang").inner_text()
    phone.get_by_role("button", name="In phiếu tạm").first.click()
    assert phone.locator("#phieu-so").inner_text() == "chờ đồng bộ"
    _fits_the_phone(phone)
    _no_serious_violations(phone)
    phone.screenshot(
        path=str(ARTIFACTS / f"ngoai-tuyen-cho-dong-bo-360-{store}.png"), full_page=True
    )

    # The network returns, and the answer to the first record sent is lost on the way.
    lost: list[str] = []

    def lose_the_first_answer(route: Route) -> None:
        if not lost:
            lost.append(route.request.headers.get("idempotency-key", ""))
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    phone_context.route("**/thu-quy/ngoai-tuyen/gui", lose_the_first_answer)
    phone_context.set_offline(False)
    _until(phone, "navigator.onLine")
    phone.wait_for_timeout(500)
    phone.get_by_role("button", name="Gửi ngay").click()
    _until(phone, "document.querySelectorAll('#hang-doi li[data-state=\"queued\"]').length === 0")

    assert lost, "the first answer was lost on the way"
    states = _states(phone)
    assert _queued(phone, "recorded") == 6, states
    assert _queued(phone, "refused") == 1, states
    refused = phone.locator('#hang-doi li[data-state="refused"]')
    assert "đã khóa" in refused.inner_text()
    _caught_up(server)
    entries = server.api("GET", f"/funds/{world['fund']}/entries?limit=50", world["treasurer"])[
        "items"
    ]
    house = server.api("GET", f"/houses/{world['house']}", world["treasurer"])
    assert len(entries) == 5
    assert sorted(e["amount"] for e in entries) == [100_000, 101_000, 102_000, 103_000, 104_000]
    assert [s["stage"] for s in house["stages"]] == ["approved", "started"]
    phone.screenshot(path=str(ARTIFACTS / f"ngoai-tuyen-da-gui-360-{store}.png"), full_page=True)

    # The refused receipt, corrected to today, is sent as a new record.
    refused.get_by_role("button", name="Sửa").click()
    assert phone.locator("#thu-tien").input_value() == "250.000"
    phone.locator("#thu-ngay").fill(now.strftime("%d/%m/%Y"))
    phone.get_by_role("button", name="Ghi phiếu thu").click()
    _until(phone, "document.querySelectorAll('#hang-doi li[data-state=\"recorded\"]').length === 7")
    _caught_up(server)
    entries = server.api("GET", f"/funds/{world['fund']}/entries?limit=50", world["treasurer"])[
        "items"
    ]
    assert len(entries) == 6
    assert phone.get_by_role("link", name="In phiếu thu").count() == 6


def test_what_is_typed_for_the_next_receipt_stays_while_the_phone_keeps_the_last(
    server: Server,  # noqa: F811
    phone_context: BrowserContext,
) -> None:
    """A treasurer types the next receipt while the phone is still keeping the last one
    (a slow phone takes a moment): what was typed is neither wiped nor lost."""
    world = _commune(server, datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat())
    phone = phone_context.new_page()
    phone.goto(f"{server.root}/thanh-tra/dang-nhap")
    phone.get_by_label("Mã truy cập").fill(world["treasurer"])
    phone.get_by_role("button", name="Đăng nhập bằng mã truy cập").click()
    phone.goto(f"{server.root}{CAPTURE}")
    phone_context.set_offline(True)
    today = phone.locator("#thu-ngay").input_value()

    # The first receipt is written down, and the next typed before the phone has kept it.
    phone.evaluate(
        """() => {
        const form = document.getElementById("form-receipt");
        form.elements.amount.value = "100.000";
        form.elements.donor_name.value = "Người ủng hộ 1";
        form.requestSubmit();
        form.elements.amount.value = "101.000";
        form.elements.donor_name.value = "Người ủng hộ 2";
    }"""
    )
    _until(phone, "document.querySelectorAll('#hang-doi li').length === 1")
    assert phone.locator("#thu-tien").input_value() == "101.000"
    phone.get_by_role("button", name="Ghi phiếu thu").click()
    _until(phone, "document.querySelectorAll('#hang-doi li').length === 2")
    kept = phone.locator("#hang-doi li").all_inner_texts()
    assert [k.split(" — ")[0] for k in kept] == [
        f"Phiếu thu: {amount} đồng, ngày {today} · Quỹ Vì người nghèo xã · Người ủng hộ {n}"
        for n, amount in ((1, "100.000"), (2, "101.000"))
    ]
    assert phone.locator("#thu-tien").input_value() == ""
