"""The committee's work on a phone 360 px wide, in a real headless Chromium against the
real `sovang serve`: a treasurer records a bình xét meeting with its minutes uploaded
from the phone, then a citizen reads the campaigns, a campaign's support counted by
beneficiary category and the unit's committee figures. Each page fits the phone and
axe-core finds no serious or critical violation; screenshots go to tests/artifacts/."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e.test_browser import (  # noqa: F401 - the fixtures
    ARTIFACTS,
    _caught_up,
    _fits_the_phone,
    _no_serious_violations,
    phone,
)
from tests.e2e.test_serve import Server, province_and_commune, server  # noqa: F401
from tests.e2e.test_treasurer_browser import _log_in

pytestmark = pytest.mark.e2e

MINUTES = b"Bien ban hop binh xet thon Tan Lap"


def test_a_meeting_is_recorded_and_the_committees_figures_read_on_a_phone(
    server: Server,  # noqa: F811 - the fixture imported above
    phone: Page,  # noqa: F811
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    admin = server.token("admin")
    _, commune = province_and_commune(server, admin)
    treasurer = server.token("treasurer", commune["id"], "Thủ quỹ xã")
    household = server.api(
        "POST",
        "/households",
        treasurer,
        {
            "unit_id": commune["id"],
            "head_name": "Lê Thị Hoa",
            "address": "Thôn Tân Lập",
            "members_count": 3,
            "categories": [{"category": "near_poor", "since": "2024-01-01"}],
        },
        expect=201,
    )["id"]
    campaign = server.api(
        "POST",
        "/campaigns",
        treasurer,
        {
            "unit_id": commune["id"],
            "name": "Tết vì người nghèo 2025",
            "code": "TETCB2025",
            "starts_on": "2025-01-01",
            "ends_on": "2025-02-28",
            "target": 10_000_000,
        },
        expect=201,
    )["id"]
    server.api(
        "POST",
        f"/units/{commune['id']}/distributions",
        treasurer,
        {
            "on": "2025-01-25",
            "category": "tet_gift",
            "title": "Trao quà Tết Ất Tỵ",
            "campaign_id": campaign,
            "lines": [{"beneficiary": "near_poor", "packages": 120, "household_times": 120}],
        },
        expect=201,
    )
    minutes = tmp_path / "bien-ban-binh-xet.pdf"
    minutes.write_bytes(MINUTES)
    ARTIFACTS.mkdir(exist_ok=True)
    store = request.node.callspec.id

    _log_in(phone, server.root, treasurer)
    phone.goto(f"{server.root}/thu-quy/cong-tac")
    phone.get_by_role("link", name="Ghi cuộc họp bình xét").first.click()
    phone.get_by_label("Ngày họp").fill("2025-02-10")
    phone.get_by_label("Số người dự họp").fill("30")
    phone.get_by_label("Người chủ trì").fill("Trưởng ban công tác Mặt trận thôn")
    phone.get_by_label("Hộ đưa ra bình xét (1)").select_option(household)
    phone.get_by_label("Số phiếu tán thành (1)").fill("28")
    phone.get_by_label("Biên bản họp (tệp)").set_input_files(str(minutes))
    _fits_the_phone(phone)
    _no_serious_violations(phone)
    phone.screenshot(path=str(ARTIFACTS / f"binh-xet-360-{store}.png"), full_page=True)
    phone.get_by_role("button", name="Ghi cuộc họp bình xét").click()
    listed = phone.locator("#cac-cuoc-hop").inner_text()
    assert "1 hộ được chọn" in listed
    assert hashlib.sha256(MINUTES).hexdigest() in listed

    _caught_up(server)
    phone.goto(f"{server.root}/cong-khai/cuoc-van-dong")
    phone.get_by_role("link", name="Tết vì người nghèo 2025").click()
    assert phone.locator('[data-figure="packages"]').inner_text() == "120"
    _fits_the_phone(phone)
    _no_serious_violations(phone)
    phone.screenshot(path=str(ARTIFACTS / f"cuoc-van-dong-360-{store}.png"), full_page=True)
    phone.goto(f"{server.root}/cong-khai/don-vi/{commune['id']}?tu=01/01/2025&den=31/12/2025")
    assert phone.locator("#dem-ho-tro").inner_text().count("120") >= 2
    assert "Hộ cận nghèo" in phone.locator("#do-phu").inner_text()
    _fits_the_phone(phone)
    _no_serious_violations(phone)
    phone.screenshot(path=str(ARTIFACTS / f"cong-tac-don-vi-360-{store}.png"), full_page=True)
