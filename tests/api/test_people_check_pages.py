"""The people check's pages without a browser: the statement's dates typed day/month/year,
the public question form (a refusal keeps what was typed and says why), the tracking
page, the board's queue answering it, and the board's page of overdue recommendations."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    created,
    csrf_of,
    get,
    login,
    ok,
    page,
    post,
    receive,
)


def _statement(client: FlaskClient, fund_id: str, **query: str) -> str:
    answer = client.get(f"/cong-khai/quy/{fund_id}", query_string=query)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_data(as_text=True)


def test_a_question_asked_on_the_public_form_is_answered_from_the_boards_queue(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    early = receive(client, world.treasurer, world.fund_id, 300_000, occurred_on="2025-03-01")
    gift = receive(client, world.treasurer, world.fund_id, 700_000, occurred_on="2025-04-02")
    ok(get(client, f"/funds/{world.fund_id}", world.treasurer, min_position=gift["position"]))

    # The statement takes dates as Vietnamese write them, and links' ISO dates alike.
    typed = _statement(client, world.fund_id, tu="01/04/2025", den="30/04/2025")
    assert 'value="01/04/2025"' in typed
    assert "700.000 đ" in typed
    assert "300.000 đ" not in typed
    assert "700.000 đ" in _statement(client, world.fund_id, tu="2025-04-01")
    wrong = _statement(client, world.fund_id, tu="31/02/2025")
    assert "ngày/tháng/năm" in wrong
    assert 'type="date"' not in typed

    form = client.get(
        "/cong-khai/hoi/moi", query_string={"quy": world.fund_id, "but_toan": gift["entry_id"]}
    )
    assert form.status_code == 200
    assert "700.000 đ" in form.get_data(as_text=True)
    assert client.get("/cong-khai/hoi/moi", query_string={"quy": world.fund_id}).status_code == 404
    sent = {
        "quy": world.fund_id,
        "but_toan": gift["entry_id"],
        "loai": "flag",
        "noi_dung": "Xem http://lua-dao.example ngay",
        "lien_he": "0912 345 678",
    }
    refused = client.post("/cong-khai/hoi/moi", data=sent)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "đường link" in html
    assert "Xem http://lua-dao.example ngay" in html
    assert 'value="0912 345 678"' in html
    asked = client.post(
        "/cong-khai/hoi/moi",
        data={**sent, "noi_dung": "Khoản 700.000 đ này là của tôi, ghi sai tên."},
    )
    assert asked.status_code == 303
    tracked = client.get(asked.headers["Location"])
    assert tracked.status_code == 200
    code = asked.headers["Location"].split("/")[-1].split("?")[0]
    assert f"Câu hỏi {code}" in tracked.get_data(as_text=True)
    assert "Đang chờ trả lời" in tracked.get_data(as_text=True)
    assert client.get("/cong-khai/hoi/CH-KHONGCO1").status_code == 404

    board = make_token("inspector", world.commune_id, name="Ban Thanh tra nhân dân xã")
    assert login(client, board).status_code == 303
    queue = page(client, "/cau-hoi")
    assert code in queue
    assert "đã niêm phong" in queue
    question_id = ok(get(client, "/questions", board))["items"][0]["id"]
    answered = client.post(
        f"/thanh-tra/cau-hoi/{question_id}/tra-loi",
        data={
            "tra_loi": "Đã sửa tên người ủng hộ bằng bút toán đảo.",
            "csrf_token": csrf_of(queue),
        },
    )
    assert answered.status_code == 303
    assert "Đã công khai câu trả lời" in client.get(answered.headers["Location"]).get_data(
        as_text=True
    )
    again = client.post(
        f"/thanh-tra/cau-hoi/{question_id}/tra-loi",
        data={"tra_loi": "Lần hai.", "csrf_token": csrf_of(queue)},
    )
    assert "da_co=1" in again.headers["Location"]
    assert "Đã sửa tên người ủng hộ" in _statement(client, world.fund_id)
    assert early["entry_id"] not in page(client, "/cau-hoi", tinh_trang="answered")


def test_the_boards_page_lists_its_plan_and_what_is_overdue_first(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    board = make_token("inspector", world.commune_id, name="Ban Giám sát xã")
    created(
        post(
            client,
            "/supervision-plans",
            board,
            {
                "unit_id": world.commune_id,
                "year": 2026,
                "month": 9,
                "subject": "Giám sát việc xây nhà Đại đoàn kết",
                "members": ["Lê Văn Hùng"],
            },
        )
    )
    review = created(
        post(
            client,
            "/supervisions",
            board,
            {"subject": {"kind": "fund", "fund_id": world.fund_id}, "title": "Giám sát quỹ"},
        )
    )["id"]
    finding = created(
        post(
            client,
            f"/supervisions/{review}/findings",
            board,
            {"severity": "major", "description": "Chi không có chứng từ."},
        )
    )["finding_id"]
    path = f"/supervisions/{review}/findings/{finding}/recommendations"
    late = {"text": "Bổ sung chứng từ chi.", "owner": "Kế toán xã", "deadline": "2026-02-01"}
    created(post(client, path, board, late))
    last = created(
        post(client, path, board, {**late, "text": "Lập sổ chi.", "deadline": "2099-01-01"})
    )
    ok(get(client, "/recommendations", board, min_position=last["position"]))
    assert login(client, board).status_code == 303
    html = page(client, "/giam-sat", nam="2026")
    assert "Tháng 9: Giám sát việc xây nhà Đại đoàn kết" in html
    overdue = html[html.index('id="qua-han"') :]
    overdue = overdue[: overdue.index("<h2")]
    assert "Bổ sung chứng từ chi." in overdue
    assert "Lập sổ chi." not in overdue


def test_a_treasurer_prints_thanks_for_an_appeal_and_finds_what_a_donor_was_sent(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    for amount, name in [(2_000_000, "Hoàng Văn Nam"), (300_000, "Vũ Thị Thu")]:
        last = receive(
            client,
            world.treasurer,
            world.fund_id,
            amount,
            occurred_on="2025-10-02",
            donor={"name": name, "kind": "individual"},
        )
    ok(get(client, f"/funds/{world.fund_id}", world.treasurer, min_position=last["position"]))
    assert login(client, world.treasurer).status_code == 303
    form = page(client, "/thu-cam-on")
    assert "Quỹ Vì người nghèo" in form
    printed = client.post(
        "/thanh-tra/thu-cam-on",
        data={
            "quy": world.fund_id,
            "loai": "letter",
            "tu": "01/10/2025",
            "den": "31/10/2025",
            "muc": "1.000.000",
            "csrf_token": csrf_of(form),
        },
    )
    assert printed.status_code == 303
    document = client.get(printed.headers["Location"])
    assert document.status_code == 200
    assert document.mimetype == "application/pdf"
    assert document.data.startswith(b"%PDF-")
    assert "Thư cảm ơn gửi Hoàng Văn Nam: 2.000.000 đ" in page(
        client, "/thu-cam-on", ten="hoang van nam"
    )
    assert "Chưa gửi thư nào" in page(client, "/thu-cam-on", ten="Vũ Thị Thu")
    refused = client.post(
        "/thanh-tra/thu-cam-on",
        data={
            "quy": world.fund_id,
            "tu": "1/10",
            "den": "",
            "muc": "1",
            "csrf_token": csrf_of(form),
        },
    )
    assert "ng%C3%A0y" in refused.headers["Location"] or "ngày" in refused.headers["Location"]
