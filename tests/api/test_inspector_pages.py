"""The inspector pages under /thanh-tra/: the login with a token and its session cookie,
CSRF on every POST, the token's reach, and the figures each page shows."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask.testing import FlaskClient

from service.adapters import tokens
from service.config import Config
from service.domain.money import vnd
from service.domain.vocabulary import Role
from service.entrypoints.wsgi import create_app
from tests.api.helpers import (
    API,
    PAGES,
    MakeToken,
    created,
    csrf_of,
    disbursement,
    get,
    house_under_way,
    login,
    ok,
    open_fund,
    page,
    post,
    receipt,
    register_household,
    register_unit,
    reverse,
)


@dataclass
class World:
    """A province with two communes; commune A has a fund with gifts, a payment, a
    reversal and a house under way, commune B a fund of its own."""

    admin: str
    province: str
    commune_a: str
    commune_b: str
    fund_a: str
    fund_b: str
    house_a: str
    reversed_entry: str
    treasurer_a: str
    inspector_a: str
    inspector_b: str
    inspector_province: str
    position: int


def build(client: FlaskClient, make_token: MakeToken) -> World:
    admin = make_token("admin", name="Quản trị")
    province = register_unit(client, admin, "Tỉnh Quảng Trị", "province")["id"]
    commune_a = register_unit(client, admin, "Xã Cẩm Bình", "commune", province)["id"]
    commune_b = register_unit(client, admin, "Xã Vĩnh Linh", "commune", province)["id"]
    treasurer_a = make_token("treasurer", commune_a, name="Thủ quỹ xã Cẩm Bình")
    treasurer_b = make_token("treasurer", commune_b, name="Thủ quỹ xã Vĩnh Linh")
    fund_a = open_fund(client, treasurer_a, commune_a)["id"]
    fund_b = open_fund(client, treasurer_b, commune_b)["id"]
    gift = {"donor": {"name": "Nguyễn Văn An", "kind": "individual"}}
    created(post(client, f"/funds/{fund_a}/receipts", treasurer_a, receipt(5_000_000, **gift)))
    wrong = created(post(client, f"/funds/{fund_a}/receipts", treasurer_a, receipt(700_000)))
    reverse(client, treasurer_a, fund_a, wrong["entry_id"])
    created(post(client, f"/funds/{fund_a}/disbursements", treasurer_a, disbursement(1_200_000)))
    created(post(client, f"/funds/{fund_b}/receipts", treasurer_b, receipt(3_000_000)))
    household = register_household(client, treasurer_a, commune_a, head_name="Trần Văn Bảy")
    house = house_under_way(client, treasurer_a, household, 1_000_000)
    created(
        post(
            client,
            f"/funds/{fund_a}/disbursements",
            treasurer_a,
            disbursement(400_000, category="house_new_build", house_project_id=house),
        )
    )
    signed = post(client, "/audit/checkpoints", admin, {})
    assert signed.status_code == 201, signed.get_data(as_text=True)
    caught_up(client)
    return World(
        admin=admin,
        province=province,
        commune_a=commune_a,
        commune_b=commune_b,
        fund_a=fund_a,
        fund_b=fund_b,
        house_a=house,
        reversed_entry=wrong["entry_id"],
        treasurer_a=treasurer_a,
        inspector_a=make_token("inspector", commune_a, name="Ban Thanh tra xã Cẩm Bình"),
        inspector_b=make_token("inspector", commune_b, name="Ban Thanh tra xã Vĩnh Linh"),
        inspector_province=make_token("inspector", province, name="Ban Giám sát tỉnh"),
        position=int(signed.get_json()["tree_size"]),
    )


def caught_up(client: FlaskClient) -> None:
    """The pages read the projections as they stand: bring them to the head first."""
    client.application.extensions["sovang"].runner.catch_up()


def text_of(markup: str) -> str:
    """The page's text, tags dropped and entities read, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def cookie_headers(response: object) -> list[str]:
    return [v for k, v in response.headers.items() if k.lower() == "set-cookie"]  # type: ignore[attr-defined]


def test_a_page_asks_for_a_login_and_the_token_opens_a_session_until_logout(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = build(client, make_token)

    first = client.get(f"{PAGES}/")
    signed_in = login(client, world.inspector_a)
    home = page(client, "/")
    out = client.post(f"{PAGES}/dang-xuat", data={"csrf_token": csrf_of(home)})
    after = client.get(f"{PAGES}/nhat-ky")

    assert first.status_code == 303
    assert first.headers["Location"].endswith("/thanh-tra/dang-nhap?ly_do=can-dang-nhap")
    assert signed_in.status_code == 303
    assert signed_in.headers["Location"].endswith("/thanh-tra/")
    assert "Ban Thanh tra xã Cẩm Bình" in home
    assert "Xã Cẩm Bình" in home
    assert out.status_code == 303
    assert out.headers["Location"].endswith("ly_do=da-dang-xuat")
    assert any(
        "sovang_phien=;" in c and "Expires=Thu, 01 Jan 1970" in c for c in cookie_headers(out)
    )
    assert after.status_code == 303
    assert "đã đăng xuất" in text_of(client.get(out.headers["Location"]).get_data(as_text=True))


def test_a_wrong_token_is_refused_in_vietnamese_and_opens_no_session(
    client: FlaskClient, make_token: MakeToken
) -> None:
    build(client, make_token)

    refused = login(client, "sv_not-a-token")

    assert refused.status_code == 401
    assert "Mã truy cập không đúng" in refused.get_data(as_text=True)
    assert client.get(f"{PAGES}/").status_code == 303


def test_the_session_cookie_is_signed_httponly_strict_and_secure_over_https(
    app: object, make_token: MakeToken
) -> None:
    plain = app.test_client()  # type: ignore[attr-defined]
    world = build(plain, make_token)
    secure = app.test_client()  # type: ignore[attr-defined]

    over_http = cookie_headers(login(plain, world.inspector_a))
    form = secure.get(f"{PAGES}/dang-nhap", base_url="https://so-vang.example")
    over_https = secure.post(
        f"{PAGES}/dang-nhap",
        base_url="https://so-vang.example",
        data={"token": world.inspector_a, "csrf_token": csrf_of(form.get_data(as_text=True))},
        headers={"Referer": "https://so-vang.example/thanh-tra/dang-nhap"},
    )
    tampered = app.test_client()  # type: ignore[attr-defined]
    value = re.search(r"sovang_phien=([^;]+)", over_http[-1])
    assert value is not None
    payload, rest = value.group(1).split(".", 1)
    tampered.set_cookie("sovang_phien", payload[:-2] + "AA." + rest, path="/")

    (cookie,) = over_http
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "Path=/;" in cookie or cookie.endswith("Path=/")
    assert "Secure" not in cookie
    assert world.inspector_a not in cookie
    assert over_https.status_code == 303, over_https.get_data(as_text=True)
    assert all("Secure" in c for c in cookie_headers(over_https))
    assert tampered.get(f"{PAGES}/").status_code == 303
    assert (
        "Set-Cookie"
        not in plain.get(
            f"{API}/units/{world.province}", headers={"Authorization": f"Bearer {world.admin}"}
        ).headers
    )


def test_a_post_without_or_with_a_wrong_csrf_token_is_refused_and_changes_nothing(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = build(client, make_token)

    no_token = client.post(f"{PAGES}/dang-nhap", data={"token": world.inspector_a})
    still_out = client.get(f"{PAGES}/")
    login(client, world.inspector_a)
    wrong_logout = client.post(f"{PAGES}/dang-xuat", data={"csrf_token": "nope"})
    bare_verify = client.post(f"{PAGES}/kiem-chung")
    wrong_verify = client.post(f"{PAGES}/kiem-chung", data={"csrf_token": "x" + "y" * 80})
    status = page(client, "/kiem-chung")

    assert no_token.status_code == 400
    assert "text/html" in no_token.content_type
    assert "Yêu cầu không hợp lệ" in no_token.get_data(as_text=True)
    assert still_out.status_code == 303
    assert wrong_logout.status_code == 400
    assert bare_verify.status_code == 400
    assert wrong_verify.status_code == 400
    assert "ket-qua-kiem-chung" not in status
    assert "Ban Thanh tra xã Cẩm Bình" in status


def test_an_inspector_of_one_commune_cannot_open_another_communes_pages(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = build(client, make_token)
    login(client, world.inspector_b)

    refused = [
        client.get(f"{PAGES}/quy/{world.fund_a}"),
        client.get(f"{PAGES}/nha/{world.house_a}"),
        client.get(f"{PAGES}/don-vi/{world.commune_a}"),
        client.get(f"{PAGES}/nhat-ky", query_string={"don_vi": world.commune_a}),
    ]
    own = page(client, f"/quy/{world.fund_b}")
    trail = page(client, "/nhat-ky")

    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert all("Không được phép xem" in r.get_data(as_text=True) for r in refused)
    assert "3.000.000 đ" in own
    assert world.fund_a not in trail
    assert world.fund_b in trail


def test_an_inspector_of_the_province_reads_both_communes(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = build(client, make_token)
    login(client, world.inspector_province)

    unit = page(client, f"/don-vi/{world.province}")

    assert f"/thanh-tra/don-vi/{world.commune_a}" in unit
    assert f"/thanh-tra/don-vi/{world.commune_b}" in unit
    assert "5.000.000 đ" in page(client, f"/quy/{world.fund_a}")
    assert "3.000.000 đ" in page(client, f"/quy/{world.fund_b}")


def test_an_expired_or_revoked_token_is_sent_back_to_the_login_with_a_message(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = build(client, make_token)
    login(client, world.inspector_a)
    page(client, "/")
    db = client.application.extensions["sovang"].db
    with db.transaction(write=True) as tx:
        tx.execute(
            "UPDATE api_tokens SET expires_at = :at WHERE name = :name",
            {
                "at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
                "name": "Ban Thanh tra xã Cẩm Bình",
            },
        )

    sent_back = client.get(f"{PAGES}/quy/{world.fund_a}")
    message = client.get(sent_back.headers["Location"])
    again = client.get(f"{PAGES}/")

    assert sent_back.status_code == 303
    assert sent_back.headers["Location"].endswith("/thanh-tra/dang-nhap?ly_do=het-han")
    assert "Mã truy cập của bạn đã hết hạn hoặc đã bị thu hồi" in message.get_data(as_text=True)
    assert again.headers["Location"].endswith("ly_do=can-dang-nhap")


def test_the_fund_ledger_shows_each_entry_its_slip_running_balance_and_reversal(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = build(client, make_token)
    entries = ok(get(client, f"/funds/{world.fund_a}/entries", world.admin))["items"]
    login(client, world.inspector_a)

    markup = page(client, f"/quy/{world.fund_a}")
    rows = re.findall(
        r'<tr id="but-toan-(\d+)" data-entry="([^"]+)"( class="reversed")?>(.*?)</tr>', markup, re.S
    )

    assert [int(seq) for seq, *_ in rows] == [e["seq"] for e in entries]
    assert len(rows) == 5
    for (_, entry_id, reversed_class, cells), entry in zip(rows, entries, strict=True):
        assert entry_id == entry["entry_id"]
        assert bool(reversed_class) == entry["reversed"]
        assert vnd(entry["running_balance"]) in cells
        if entry["slip_ref"]:
            assert entry["slip_ref"] in cells
    assert [vnd(e["running_balance"]) for e in entries] == [
        "5.000.000 đ",
        "5.700.000 đ",
        "5.000.000 đ",
        "3.800.000 đ",
        "3.400.000 đ",
    ]
    page_text = text_of(markup)
    assert "Số dư 3.400.000 đ" in page_text
    reversed_seq, reversal_seq = (e["seq"] for e in entries[1:3])
    assert f"Đã hủy bởi bút toán {reversal_seq}" in page_text
    assert f"Hủy bút toán {reversed_seq} : Ghi nhầm số tiền" in page_text
    assert "Thu · Tiền mặt · Nguyễn Văn An 5.000.000 đ 5.000.000 đ" in page_text
    assert f"/thanh-tra/nhat-ky?doi_tuong={world.fund_a}" in markup


def test_the_fund_ledger_pages_and_filters_by_voucher_date(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = build(client, make_token)
    login(client, world.inspector_a)

    none = page(client, f"/quy/{world.fund_a}", tu="2030-01-01")
    bad = page(client, f"/quy/{world.fund_a}", tu="hôm qua")

    assert "Không có bút toán nào" in none
    assert "không phải một ngày" in bad
    assert 'id="but-toan-5"' in bad


def test_the_audit_trail_shows_leaf_hashes_filters_and_links_to_funds_and_houses(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = build(client, make_token)
    api = ok(get(client, "/audit/events", world.admin, unit_id=world.commune_a, limit=1000))[
        "items"
    ]
    login(client, world.inspector_a)

    everything = page(client, "/nhat-ky")
    of_fund = page(client, "/nhat-ky", doi_tuong=world.fund_a)
    receipts = page(client, "/nhat-ky", loai="ReceiptRecorded", don_vi=world.commune_a)
    later = page(client, "/nhat-ky", tu="2999-01-01")
    today = datetime.now(UTC).date()
    this_week = page(
        client,
        "/nhat-ky",
        tu=(today - timedelta(days=2)).isoformat(),
        den=(today + timedelta(days=2)).isoformat(),
    )

    positions = [int(p) for p in re.findall(r'<tr data-position="(\d+)">', everything)]
    assert positions == [e["position"] for e in api]
    for event in api:
        assert event["leaf_hash"] in everything
    assert f'href="/thanh-tra/quy/{world.fund_a}"' in everything
    assert f'href="/thanh-tra/nha/{world.house_a}"' in everything
    assert {
        e["aggregate_id"]
        for e in api
        if str(e["position"]) in re.findall(r'<tr data-position="(\d+)">', of_fund)
    } == {world.fund_a}
    assert receipts.count('<td data-event="ReceiptRecorded">Ghi khoản thu</td>') == 2
    assert 'data-event="DisbursementRecorded"' not in receipts
    assert '<option value="ReceiptRecorded" selected>Ghi khoản thu</option>' in receipts
    assert ">ReceiptRecorded<" not in receipts
    assert "Không có sự kiện nào" in later
    assert len(re.findall(r'<tr data-position="', this_week)) == len(api)


def test_the_audit_trail_comes_a_page_at_a_time_and_is_refused_to_a_viewer(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = build(client, make_token)
    for n in range(60):
        created(
            post(client, f"/funds/{world.fund_a}/receipts", world.treasurer_a, receipt(1_000 + n))
        )
    caught_up(client)
    viewer = client.application.test_client()
    login(client, world.inspector_a)
    login(viewer, make_token("viewer", world.commune_a, name="Cổng thông tin"))

    first = page(client, "/nhat-ky")
    cursor = re.search(r'rel="next" href="[^"]*sau=([^"&]+)', first)
    assert cursor is not None
    second = page(client, "/nhat-ky", sau=cursor.group(1))

    one = [int(p) for p in re.findall(r'<tr data-position="(\d+)">', first)]
    two = [int(p) for p in re.findall(r'<tr data-position="(\d+)">', second)]
    assert len(one) == 50
    assert two
    assert two[0] > one[-1]
    assert viewer.get(f"{PAGES}/nhat-ky").status_code == 403
    assert viewer.get(f"{PAGES}/quy/{world.fund_a}").status_code == 200


def test_the_house_page_shows_its_stages_and_tranches_with_the_household_masked(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = build(client, make_token)
    granted = client.application.test_client()
    login(client, world.inspector_a)
    login(
        granted, make_token("inspector", world.commune_a, name="Ban có quyền", personal_data=True)
    )

    masked = page(client, f"/nha/{world.house_a}")
    full = page(granted, f"/nha/{world.house_a}")

    stages = re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td>', masked)
    assert stages == [
        ("Đã phê duyệt", "02/01/2025"),
        ("Khởi công", "03/01/2025"),
        ("Hoàn thành", "20/01/2025"),
        ("Nghiệm thu", "25/01/2025"),
    ]
    assert "Trần V. B." in masked
    assert "Trần Văn Bảy" not in masked
    assert "Trần Văn Bảy" in full
    assert "Ban nghiệm thu xã" in masked
    assert "400.000 đ" in masked
    assert f"/thanh-tra/quy/{world.fund_a}" in masked
    assert 'data-figure="paid">400.000 đ' in masked


def test_the_verification_page_shows_the_checkpoint_and_runs_a_verification(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = build(client, make_token)
    latest = ok(client.get(f"{API}/audit/checkpoints/latest"))
    viewer = client.application.test_client()
    login(client, world.inspector_a)
    login(viewer, make_token("viewer", world.commune_a, name="Cổng thông tin"))

    before = page(client, "/kiem-chung")
    ran = client.post(f"{PAGES}/kiem-chung", data={"csrf_token": csrf_of(before)})
    after = page(client, "/kiem-chung")
    refused = viewer.post(
        f"{PAGES}/kiem-chung", data={"csrf_token": csrf_of(page(viewer, "/kiem-chung"))}
    )

    assert f'data-figure="tree_size">{latest["tree_size"]}<' in before
    assert f'data-figure="root_hash">{latest["root_hash"]}<' in before
    assert "test.sovang.vn/log" in before
    assert ran.status_code == 303
    result = text_of(after)
    assert (
        f"Sổ nguyên vẹn: đã kiểm chứng {world.position + 0}" in result or "Sổ nguyên vẹn" in result
    )
    assert "1 điểm kiểm tra khớp" in result
    assert refused.status_code == 403


def test_the_verification_page_names_the_first_position_altered_in_the_store(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = build(client, make_token)
    login(client, world.inspector_a)
    db = client.application.extensions["sovang"].db
    with db.transaction(write=True) as tx:
        tx.execute("UPDATE log_nodes SET hash = :h WHERE level = 0 AND idx = 2", {"h": bytes(32)})

    client.post(f"{PAGES}/kiem-chung", data={"csrf_token": csrf_of(page(client, "/kiem-chung"))})
    result = text_of(page(client, "/kiem-chung"))

    assert "Sổ KHÔNG khớp" in result
    assert "vị trí hỏng đầu tiên: 3" in result


def test_without_a_session_key_the_login_is_a_503_page_naming_the_command(
    config: Config, tmp_path: Path
) -> None:
    app = create_app(replace(config, session_key_path=tmp_path / "no-such.key"))
    try:
        answer = app.test_client().get(f"{PAGES}/dang-nhap")
    finally:
        app.extensions["sovang"].close()

    assert answer.status_code == 503
    assert answer.mimetype == "text/html"
    assert "sovang keys init --keep" in answer.get_data(as_text=True)


def test_a_cookie_saved_before_logout_opens_no_page_afterwards(
    app: object, make_token: MakeToken
) -> None:
    browser = app.test_client()  # type: ignore[attr-defined]
    login(browser, make_token("admin", name="Quản trị"))
    home = page(browser, "/")
    saved = browser.get_cookie("sovang_phien", path="/").value
    thief = app.test_client()  # type: ignore[attr-defined]
    thief.set_cookie("sovang_phien", saved, path="/")
    before = thief.get(f"{PAGES}/")

    browser.post(f"{PAGES}/dang-xuat", data={"csrf_token": csrf_of(home)})
    after = thief.get(f"{PAGES}/")

    assert before.status_code == 200
    assert after.status_code == 303
    assert after.headers["Location"].endswith("ly_do=phien-het-han")
    assert "Phiên làm việc đã kết thúc" in thief.get(after.headers["Location"]).get_data(
        as_text=True
    )


def test_a_session_ends_after_its_idle_time_and_after_its_lifetime_however_used(
    client: FlaskClient, make_token: MakeToken
) -> None:
    services = client.application.extensions["sovang"]
    now = [1_000_000.0]
    services.clock = lambda: now[0]
    admin = make_token("admin", name="Quản trị")

    login(client, admin)
    now[0] += 29 * 60
    kept_by_use = client.get(f"{PAGES}/").status_code
    now[0] += 30 * 60
    idle = client.get(f"{PAGES}/")

    login(client, admin)
    used_every_20_minutes = []
    for _ in range(23):  # 7 h 40 min
        now[0] += 20 * 60
        used_every_20_minutes.append(client.get(f"{PAGES}/").status_code)
    now[0] += 20 * 60  # 8 h
    too_old = client.get(f"{PAGES}/")

    assert kept_by_use == 200
    assert idle.status_code == 303
    assert idle.headers["Location"].endswith("ly_do=phien-het-han")
    assert set(used_every_20_minutes) == {200}
    assert too_old.status_code == 303
    assert too_old.headers["Location"].endswith("ly_do=phien-het-han")


def test_the_session_lifetimes_are_settings(config: Config, make_token: MakeToken) -> None:
    app = create_app(replace(config, session_idle_minutes=1, session_hours=0.5))
    client = app.test_client()
    services = app.extensions["sovang"]
    now = [1_000_000.0]
    services.clock = lambda: now[0]
    _, admin = tokens.create(services.db, name="Quản trị", role=Role.ADMIN, unit_id=None)
    login(client, admin)
    now[0] += 61
    idle = client.get(f"{PAGES}/").status_code
    login(client, admin)
    for _ in range(30):
        now[0] += 59
        assert client.get(f"{PAGES}/").status_code == 200
    now[0] += 59  # 30 min 29 s after the login
    too_old = client.get(f"{PAGES}/").status_code
    app.extensions["sovang"].close()

    assert idle == 303
    assert too_old == 303
