"""Supervision that follows through: a board plans its year's supervisions; each finding's
recommendation has an owner, a deadline and a status the unit reports and the board
verifies; the board lists what is overdue; the unit's disclosure counts what was
recommended and carried out."""

from __future__ import annotations

import re
import time

from flask import Flask
from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    created,
    get,
    invalid,
    ok,
    post,
    problem,
)

DAY_SECONDS = 86_400


def test_a_board_plans_its_year_and_follows_each_recommendation_to_verification(
    app: Flask, client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    board = make_token("inspector", world.commune_id, name="Ban Giám sát xã")
    plan = {
        "unit_id": world.commune_id,
        "year": 2026,
        "month": 6,
        "subject": "Giám sát thu chi Quỹ Vì người nghèo 6 tháng đầu năm",
        "members": ["Lê Văn Hùng", "Phạm Thị Mai"],
    }
    created(post(client, "/supervision-plans", board, plan))
    second = created(
        post(client, "/supervision-plans", board, {**plan, "month": 11, "subject": "Nhà"})
    )
    problem(post(client, "/supervision-plans", world.treasurer, plan), 403)
    invalid(post(client, "/supervision-plans", board, {**plan, "month": 13}), "month")
    invalid(post(client, "/supervision-plans", board, {**plan, "members": []}), "members")
    listed = ok(
        get(client, "/supervision-plans", board, year=2026, min_position=second["position"])
    )["items"]
    assert [(p["month"], p["members"]) for p in listed] == [
        (6, ["Lê Văn Hùng", "Phạm Thị Mai"]),
        (11, ["Lê Văn Hùng", "Phạm Thị Mai"]),
    ]

    review = created(
        post(
            client,
            "/supervisions",
            board,
            {"subject": {"kind": "fund", "fund_id": world.fund_id}, "title": "Giám sát 2026"},
        )
    )["id"]
    finding = created(
        post(
            client,
            f"/supervisions/{review}/findings",
            board,
            {"severity": "minor", "description": "Phiếu thu chưa ghi số liên tục."},
        )
    )["finding_id"]
    path = f"/supervisions/{review}/findings/{finding}/recommendations"
    body = {"text": "Đánh số lại phiếu thu.", "owner": "Thủ quỹ xã", "deadline": "2026-01-15"}
    late = created(post(client, path, board, body))
    soon = created(post(client, path, board, {**body, "deadline": "2099-12-31"}))
    problem(post(client, path, world.treasurer, body), 403)
    unknown = "7d1f0a52-3c4e-4b6a-9f0e-2a1b3c4d5e6f"
    problem(
        post(client, f"/supervisions/{review}/findings/{unknown}/recommendations", board, body),
        404,
    )
    assert late["status"] == "open"

    status = f"/recommendations/{late['recommendation_id']}/status"
    refused = problem(post(client, status, board, {"status": "verified"}), 409)
    assert "báo hoàn thành" in refused["detail"]
    problem(post(client, status, world.treasurer, {"status": "verified"}), 403)
    created(post(client, status, world.treasurer, {"status": "in_progress"}))
    done = created(
        post(client, status, world.treasurer, {"status": "done", "note": "Đã đánh số lại."})
    )
    overdue = ok(
        get(client, "/recommendations", board, overdue="true", min_position=done["position"])
    )
    assert overdue["items"] == []
    verified = created(post(client, status, board, {"status": "verified"}))
    assert verified["status"] == "verified"
    problem(post(client, status, world.treasurer, {"status": "done"}), 409)

    # Another, past its deadline and not carried out, is overdue on the board's list.
    other = created(post(client, path, board, {**body, "deadline": "2026-01-01"}))
    listed = ok(get(client, "/recommendations", board, min_position=other["position"]))["items"]
    assert [r["status"] for r in listed] == ["verified", "open", "open"]
    assert [r["overdue"] for r in listed] == [False, False, True]
    overdue = ok(get(client, "/recommendations", board, overdue="true"))["items"]
    assert [r["id"] for r in overdue] == [other["recommendation_id"]]
    assert soon["recommendation_id"] not in {r["id"] for r in overdue}

    page = client.get("/cong-khai/don-vi/" + world.commune_id).get_data(as_text=True)
    block = page[page.index('id="kien-nghi"') :]
    shown = re.findall(r"<strong>(\d+)</strong>", block[: block.index("</ul>")])
    assert shown == ["3", "1", "1"]

    # A year later the one due in 2099 is not overdue yet; a board page shows the late one.
    services = app.extensions["sovang"]
    services.clock = lambda: time.time() + 365 * DAY_SECONDS
    overdue = ok(get(client, "/recommendations", board, overdue="true"))["items"]
    assert [r["id"] for r in overdue] == [other["recommendation_id"]]
    services.clock = time.time
