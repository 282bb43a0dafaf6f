"""Questions from the people: asked without a token about a published gift or a unit's
disclosure, screened and counted per address, followed by a tracking code; answered
once by the unit's board or treasurer and published beside the entry; overdue after the
configured days; the contact sealed."""

from __future__ import annotations

import dataclasses
import re
import time
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.config import Config
from tests.api.helpers import (
    API,
    MakeToken,
    commune_with_fund,
    created,
    get,
    invalid,
    ok,
    post,
    problem,
    receive,
)

DAY_SECONDS = 86_400


@pytest.fixture
def config(config: Config) -> Config:
    return dataclasses.replace(config, question_answer_days=15, questions_per_minute=3)


def ask(client: FlaskClient, body: dict[str, Any], address: str = "203.0.113.7") -> Any:
    return client.post(f"{API}/public/questions", json=body, environ_base={"REMOTE_ADDR": address})


def figures(page: str) -> list[str]:
    """The disclosure's three counts of questions: asked, answered, overdue."""
    block = page[page.index('id="hoi-dap"') :]
    return re.findall(r"<strong>(\d+)</strong>", block[: block.index("</ul>")])


def test_a_person_asks_without_a_token_and_the_board_answers_beside_the_gift(
    app: Flask, client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    gift = receive(client, world.treasurer, world.fund_id, 500_000)
    asked = created(
        ask(
            client,
            {
                "kind": "flag",
                "fund_id": world.fund_id,
                "entry_id": gift["entry_id"],
                "text": "Tôi chuyển 5.000.000 đ chứ không phải 500.000 đ, nhờ kiểm tra lại.",
                "contact": "0912 345 678",
            },
        )
    )
    code = asked["tracking_code"]
    assert code.startswith("CH-")
    assert len(code) == 11

    followed = ok(get(client, f"/public/questions/{code}", None, min_position=asked["position"]))
    assert followed["status"] == "open"
    assert followed["overdue"] is False
    assert followed["entry_id"] == gift["entry_id"]
    assert "contact" not in followed

    # The contact is sealed in the event and in the read model; only a token that may read
    # personal data opens it.
    events = list(app.extensions["sovang"].ledger.events.get(UUID(asked["question_id"])))
    assert events[0].contact.startswith("v1:")
    assert "0912" not in events[0].contact
    queue = ok(get(client, "/questions", world.treasurer, status="open"))["items"]
    assert [q["tracking_code"] for q in queue] == [code]
    assert queue[0]["contact_left"] is True
    assert queue[0]["contact"] is None
    opened = ok(get(client, "/questions", world.admin))["items"][0]
    assert opened["contact"] == "0912 345 678"

    board = make_token("inspector", world.commune_id, name="Ban Thanh tra nhân dân xã")
    viewer = make_token("viewer", world.commune_id)
    problem(post(client, f"/questions/{asked['question_id']}/answer", viewer, {"answer": "x"}), 403)
    answered = created(
        post(
            client,
            f"/questions/{asked['question_id']}/answer",
            board,
            {"answer": "Đã đối chiếu sao kê ngân hàng: khoản của bạn là 500.000 đ."},
        )
    )
    again = post(
        client, f"/questions/{asked['question_id']}/answer", world.admin, {"answer": "Lại"}
    )
    problem(again, 409, "already-answered")

    followed = ok(get(client, f"/public/questions/{code}", None, min_position=answered["position"]))
    assert followed["status"] == "answered"
    assert followed["answer"].startswith("Đã đối chiếu")
    assert followed["answered_role"] == "inspector"
    statement = client.get(f"/cong-khai/quy/{world.fund_id}").get_data(as_text=True)
    assert "Đã đối chiếu sao kê ngân hàng" in statement
    proof = client.get(f"/cong-khai/bien-lai/{gift['entry_id']}").get_data(as_text=True)
    assert "Đã đối chiếu sao kê ngân hàng" in proof
    assert ok(get(client, "/questions", world.treasurer, status="open"))["items"] == []


def test_questions_are_screened_for_spam_and_repeats_naming_the_rule(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    gift = receive(client, world.treasurer, world.fund_id)
    about = {"fund_id": world.fund_id, "entry_id": gift["entry_id"]}
    for text, words in [
        ("Sai à?", "quá ngắn"),
        ("Xem chi tiết tại https://khuyen-mai.example/abc nhé", "đường link"),
        ("Mời ghé thăm shop ban-hang.com giá rẻ", "đường link"),
        ("Khoản này sai rồi!!!!!!!!!!", "lặp lại"),
        ("sai sai sai sai sai sai sai khoản", "lặp đi lặp lại một từ"),
    ]:
        body = invalid(ask(client, {**about, "text": text}), "text")
        assert words in body["detail"], (text, body)
    first = {**about, "text": "Khoản này có được ghi vào đúng quỹ không?"}
    created(ask(client, first))
    repeated = invalid(
        ask(client, {**first, "text": "khoản này có được ghi vào đúng quỹ KHÔNG"}), "text"
    )
    assert "đã có người gửi" in repeated["detail"]
    invalid(
        ask(client, {"fund_id": world.fund_id, "text": "Không nói về khoản nào cả."}), "entry_id"
    )
    unknown = "7d1f0a52-3c4e-4b6a-9f0e-2a1b3c4d5e6f"
    invalid(
        ask(client, {**about, "entry_id": unknown, "text": "Khoản này là của ai vậy?"}), "entry_id"
    )
    invalid(ask(client, {**about, "kind": "praise", "text": "Cảm ơn quỹ rất nhiều."}), "kind")


def test_one_address_may_ask_only_a_few_questions_a_minute(
    app: Flask, client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    about = {"unit_id": world.commune_id}
    for n in range(3):
        created(ask(client, {**about, "text": f"Câu hỏi số {n + 1} về số liệu của xã."}))
    refused = problem(ask(client, {**about, "text": "Câu hỏi thứ tư trong một phút."}), 429)
    assert "giây" in refused["detail"]
    created(ask(client, {**about, "text": "Người khác hỏi từ địa chỉ khác."}, "198.51.100.9"))
    services = app.extensions["sovang"]
    services.clock = lambda: time.time() + 61
    created(ask(client, {**about, "text": "Một phút sau hỏi tiếp được."}))
    services.clock = time.time


def test_the_disclosure_counts_questions_asked_answered_and_overdue(
    app: Flask, client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    gift = receive(client, world.treasurer, world.fund_id)
    about = {"fund_id": world.fund_id, "entry_id": gift["entry_id"]}
    first = created(ask(client, {**about, "text": "Khoản này đã vào tài khoản quỹ chưa?"}))
    second = created(ask(client, {**about, "text": "Ai là người nhận khoản tiền này?"}))
    created(ask(client, {"unit_id": world.commune_id, "text": "Xã đã chi bao nhiêu cho nhà?"}))
    answered = created(
        post(
            client, f"/questions/{first['question_id']}/answer", world.treasurer, {"answer": "Rồi."}
        )
    )
    ok(get(client, "/questions", world.treasurer, min_position=answered["position"]))
    page = client.get(f"/cong-khai/don-vi/{world.commune_id}").get_data(as_text=True)
    assert figures(page) == ["3", "1", "0"]

    services = app.extensions["sovang"]
    services.clock = lambda: time.time() + 16 * DAY_SECONDS
    overdue = ok(get(client, "/questions", world.treasurer, status="overdue"))["items"]
    assert [q["entry_id"] is None for q in overdue] == [False, True]
    assert overdue[0]["id"] == second["question_id"]
    followed = ok(get(client, f"/public/questions/{second['tracking_code']}", None))
    assert followed["overdue"] is True
    page = client.get(f"/cong-khai/don-vi/{world.commune_id}", query_string={"tu": "01/01/2020"})
    assert figures(page.get_data(as_text=True)) == ["3", "1", "2"]
    counted = ok(
        get(
            client,
            f"/public/units/{world.province_id}/people-check",
            None,
            from_="2020-01-01",
            to="2100-12-31",
        )
    )
    assert counted["questions"] == {"asked": 3, "answered": 1, "overdue": 2}
    assert counted["recommendations"] == {"made": 0, "carried_out": 0, "overdue": 0}
    services.clock = time.time
