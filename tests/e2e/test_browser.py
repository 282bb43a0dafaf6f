"""A citizen's phone: the public pages of the demo, served by the real `sovang serve`, read
in a real headless Chromium (Debian's, driven by Playwright) 360 px wide; figures and chart
checked, a gift found in the statement and its proof opened, and axe-core finding no
serious or critical accessibility violation. The screenshots are kept in tests/artifacts/."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from service.domain.money import vnd
from service.domain.text import fold
from tests.e2e.cli import SOVANG, sovang_env
from tests.e2e.test_serve import Server, server  # noqa: F401 - the fixture

pytestmark = pytest.mark.e2e

CHROMIUM = Path(os.environ.get("SOVANG_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PHONE = {"width": 360, "height": 780}

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (make test installs it)", allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, locale="vi-VN", java_script_enabled=True)
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    try:
        yield page
    finally:
        context.close()
    others = [url for url in fetched if not url.startswith(("http://127.0.0.1", "data:"))]
    assert others == [], "the pages fetch nothing from another host"


def _demo(served: Server, key: Path) -> str:
    result = subprocess.run(
        [SOVANG, "demo"],
        env=sovang_env(served.database_url, personal_data_key=key),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("demo province:"))
    return line.split(":", 1)[1].strip()


def _json(served: Server, path: str) -> Any:
    answer = served.call("GET", "/api/v1" + path)
    assert answer.status == 200, (path, answer.body)
    return answer.body


def _caught_up(served: Server) -> None:
    """Waits until every projection has read the whole log (the demo is a few thousand
    events), since the pages show what the read models hold."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        answer = served.call("GET", "/readyz")
        if answer.status == 200 and not any(answer.body["lag"].values()):
            return
        time.sleep(0.5)
    pytest.fail(f"the projections did not catch up with the demo: {answer.body}")


def _no_serious_violations(page: Page) -> None:
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious


def _fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a 360 px phone"


def test_a_citizen_reads_the_demo_disclosure_on_a_phone_and_finds_a_gift_with_its_proof(
    server: Server,  # noqa: F811 - the fixture imported above
    personal_data_key_path: Path,
    phone: Page,
    request: pytest.FixtureRequest,
) -> None:
    province = _demo(server, personal_data_key_path)
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    first, last = (today - timedelta(days=364)).isoformat(), today.isoformat()
    period = f"from={first}&to={last}"
    _caught_up(server)
    expected = _json(server, f"/public/units/{province}/disclosure?{period}")
    ARTIFACTS.mkdir(exist_ok=True)
    store = request.node.callspec.id

    phone.goto(f"{server.root}/cong-khai/don-vi/{province}?tu={first}&den={last}")

    assert phone.locator("h1").inner_text() == expected["unit"]["name"]
    figure = phone.locator('[data-figure="closing_balance"]')
    assert figure.inner_text() == vnd(expected["report"]["closing_balance"])
    receipts = phone.locator('[data-figure="receipts"]').inner_text()
    assert receipts == vnd(expected["report"]["receipts"]["total"])
    chart = phone.locator('svg[role="img"]').first
    assert chart.get_attribute("aria-label") == "Thu và chi theo tháng"
    assert chart.bounding_box()["width"] <= PHONE["width"]  # type: ignore[index]
    assert phone.locator("svg rect title").count() >= 24
    houses = phone.locator('svg[aria-label="Nhà Đại đoàn kết theo giai đoạn"]')
    assert houses.count() == (1 if any(expected["houses"]["by_stage"].values()) else 0)
    assert any(expected["houses"]["by_stage"].values()), "the demo has a house"
    _fits_the_phone(phone)
    _no_serious_violations(phone)
    phone.screenshot(path=str(ARTIFACTS / f"cong-khai-tinh-360-{store}.png"), full_page=True)

    # Down to a commune.
    phone.locator("a", has_text=expected["children"][0]["name"]).first.click()
    assert phone.locator("h1").inner_text() == expected["children"][0]["name"]
    _no_serious_violations(phone)
    phone.screenshot(path=str(ARTIFACTS / f"cong-khai-xa-360-{store}.png"), full_page=True)

    # A donor looks for their gift by part of their name, its amount and its date.
    fund = expected["funds"][0]["id"]
    gift = _json(server, f"/public/funds/{fund}/statement?limit=1")["items"][0]
    family = fold(gift["donor_name"]).split(" ")[0]
    phone.goto(f"{server.root}/cong-khai/quy/{fund}")
    phone.get_by_label("Tên, nội dung hoặc mã giao dịch").fill(family)
    phone.get_by_label("Số tiền (đồng)").fill(vnd(gift["amount"]).removesuffix(" đ"))
    phone.get_by_label("Từ ngày").fill(gift["occurred_on"])
    phone.get_by_label("Đến ngày").fill(gift["occurred_on"])
    phone.get_by_role("button", name="Tìm").click()
    phone.wait_for_url("**so_tien=**")
    query = urllib.parse.parse_qs(urllib.parse.urlparse(phone.url).query)
    assert query["q"] == [family]
    row = phone.locator("tbody tr", has_text=vnd(gift["amount"])).first
    assert row.is_visible()
    _fits_the_phone(phone)
    _no_serious_violations(phone)
    phone.screenshot(path=str(ARTIFACTS / f"sao-ke-360-{store}.png"), full_page=True)

    row.get_by_role("link").click()
    assert phone.locator("h1").inner_text() == "Bằng chứng khoản ủng hộ"
    assert phone.locator(f"text={vnd(gift['amount'])}").count() >= 1
    proof = phone.get_by_role("link", name="Tải bằng chứng (JSON)").get_attribute("href")
    assert proof == f"/api/v1/public/receipts/{gift['entry_id']}"
    _no_serious_violations(phone)
