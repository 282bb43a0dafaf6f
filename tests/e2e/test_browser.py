"""A citizen's phone: the public pages of the demo, served by the real `sovang serve`, read
in a real headless Chromium (Debian's, driven by Playwright) 360 px wide; figures and chart
checked, a gift found in the statement and its proof opened, and axe-core finding no
serious or critical accessibility violation. The screenshots are kept in tests/artifacts/.

Each test serves a copy of a store that `sovang demo` loaded once a session with a
personal-data key (so with its households and houses), under that key."""

from __future__ import annotations

import os
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
from tests.e2e.cli import sovang_env
from tests.e2e.conftest import DemoStores
from tests.e2e.test_serve import Server, server, serving  # noqa: F401 - the fixture

pytestmark = pytest.mark.e2e

CHROMIUM = Path(os.environ.get("SOVANG_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PHONE = {"width": 360, "height": 780}

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (make test installs it)", allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, Page  # noqa: E402


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


@pytest.fixture
def database_url(database_url: str, demo_stores: DemoStores) -> Iterator[str]:
    """A store of each kind holding the demo with its households and cases."""
    yield from demo_stores.copied(database_url, cases=True)


@pytest.fixture
def personal_data_key_path(demo_stores: DemoStores) -> Path:
    """The personal-data key the demo was loaded with."""
    return demo_stores.personal_data_key


def _province(served: Server, demo_stores: DemoStores) -> str:
    """The demo's province, as `sovang demo` printed it."""
    printed = demo_stores.printed(served.database_url, cases=True)
    line = next(line for line in printed.splitlines() if line.startswith("tỉnh mẫu:"))
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
    demo_stores: DemoStores,
    phone: Page,
    request: pytest.FixtureRequest,
) -> None:
    province = _province(server, demo_stores)
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

    row.locator("td.proof").get_by_role("link").click()
    assert phone.locator("h1").inner_text() == "Bằng chứng khoản ủng hộ"
    assert phone.locator(f"text={vnd(gift['amount'])}").count() >= 1
    proof = phone.get_by_role("link", name="Tải bằng chứng (JSON)").get_attribute("href")
    assert proof == f"/api/v1/public/receipts/{gift['entry_id']}"
    _no_serious_violations(phone)


@pytest.fixture
def signing_server(
    database_url: str,
    tmp_path: Path,
    personal_data_key_path: Path,
    session_key_path: Path,
    signing_key_path: Path,
) -> Iterator[Server]:
    """`sovang serve` with the log's signing key, so that it signs checkpoints."""
    env = sovang_env(
        database_url,
        signing_key=signing_key_path,
        personal_data_key=personal_data_key_path,
        session_key=session_key_path,
    )
    with serving(database_url, tmp_path, env) as served:
        yield served


def test_an_inspector_logs_in_reads_the_audit_trail_and_a_ledger_and_verifies_the_log(
    signing_server: Server,
    demo_stores: DemoStores,
    phone: Page,
    request: pytest.FixtureRequest,
) -> None:
    served = signing_server
    province = _province(served, demo_stores)
    _caught_up(served)
    served.api("POST", "/audit/checkpoints", served.token("admin"), expect=201)
    _caught_up(served)
    inspector = served.token("inspector", province, "Ban Giám sát tỉnh")
    store = request.node.callspec.id

    # The login form, reached from any page.
    phone.goto(f"{served.root}/thanh-tra/nhat-ky")
    assert "/thanh-tra/dang-nhap" in phone.url
    phone.get_by_label("Mã truy cập").fill(inspector)
    phone.get_by_role("button", name="Đăng nhập bằng mã truy cập").click()
    assert phone.locator("h1").inner_text() == "Trang thanh tra, giám sát"
    _no_serious_violations(phone)

    # The audit trail, filtered to the gifts received.
    phone.get_by_role("link", name="Nhật ký kiểm toán").first.click()
    assert phone.locator("h1").inner_text() == "Nhật ký kiểm toán"
    assert phone.locator("#nhat-ky tbody tr").count() == 50
    phone.get_by_label("Loại sự kiện").select_option("ReceiptRecorded")
    phone.get_by_role("button", name="Lọc").click()
    phone.wait_for_url("**loai=ReceiptRecorded**")
    kinds = phone.locator("#nhat-ky tbody tr td:nth-child(3)").all_inner_texts()
    assert kinds
    assert set(kinds) == {"Ghi khoản thu"}
    hashes = phone.locator("#nhat-ky tbody tr td.hash").all_inner_texts()
    assert all(len(h) == 44 and h.endswith("=") for h in hashes), hashes[:3]
    _fits_the_phone(phone)
    _no_serious_violations(phone)
    phone.screenshot(path=str(ARTIFACTS / f"thanh-tra-nhat-ky-360-{store}.png"), full_page=True)

    # From an event to its fund's ledger.
    phone.locator("#nhat-ky tbody tr").first.get_by_role("link", name="Quỹ", exact=True).click()
    fund_id = phone.url.rsplit("/", 1)[-1]
    fund = served.api("GET", f"/funds/{fund_id}", inspector)
    assert phone.locator("h1").inner_text() == fund["name"]
    assert phone.locator('[data-figure="balance"]').inner_text() == vnd(fund["balance"])
    entries = served.api("GET", f"/funds/{fund_id}/entries?limit=50", inspector)["items"]
    shown = phone.locator("#so-quy tbody tr td:nth-child(7)").all_inner_texts()
    assert shown == [vnd(e["running_balance"]) for e in entries]
    _fits_the_phone(phone)
    _no_serious_violations(phone)
    phone.screenshot(path=str(ARTIFACTS / f"thanh-tra-so-quy-360-{store}.png"), full_page=True)

    # The log's checkpoint, and a verification run from the page.
    latest = served.api("GET", "/audit/checkpoints/latest", inspector)
    phone.get_by_role("link", name="Kiểm chứng sổ").first.click()
    assert phone.locator('[data-figure="root_hash"]').inner_text() == latest["root_hash"]
    phone.get_by_role("button", name="Kiểm chứng ngay").click()
    result = phone.locator("#ket-qua-kiem-chung")
    assert result.inner_text().startswith("Sổ nguyên vẹn"), result.inner_text()
    _fits_the_phone(phone)
    _no_serious_violations(phone)
    phone.screenshot(path=str(ARTIFACTS / f"thanh-tra-kiem-chung-360-{store}.png"), full_page=True)

    # Logging out ends the session.
    phone.get_by_role("button", name="Đăng xuất").click()
    assert "đã đăng xuất" in phone.locator(".note").inner_text()
    phone.goto(f"{served.root}/thanh-tra/nhat-ky")
    assert "/thanh-tra/dang-nhap" in phone.url
