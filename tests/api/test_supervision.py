"""/supervisions: boards review a fund or a period, record findings, the unit responds,
the board concludes; who may do and read what; links checked; retries safe."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    created,
    disburse,
    disbursement,
    every_item,
    get,
    house_under_way,
    invalid,
    ok,
    open_fund,
    post,
    problem,
    receive,
    register_household,
    register_unit,
)
from tests.conftest import read_models

UNKNOWN = "7d1f0a52-3c4e-4b6a-9f0e-2a1b3c4d5e6f"
FUND_REVIEW = "Giám sát Quỹ Vì người nghèo xã Vĩnh Linh năm 2025"


@dataclass(frozen=True)
class Boards:
    """A province with two communes; the first commune's fund has a gift and a payment."""

    admin: str
    province_id: str
    commune_id: str
    neighbour_id: str
    fund_id: str
    neighbour_fund_id: str
    gift_id: str
    payment_id: str
    province_board: str
    commune_board: str
    neighbour_board: str
    treasurer: str
    position: int


def _boards(client: FlaskClient, make_token: MakeToken) -> Boards:
    world = commune_with_fund(client, make_token)
    gift = receive(client, world.treasurer, world.fund_id, 2_000_000)
    payment = disburse(client, world.treasurer, world.fund_id, 500_000)
    neighbour = register_unit(client, world.admin, "Xã Gio Linh", "commune", world.province_id)
    theirs = open_fund(client, world.admin, neighbour["id"])
    return Boards(
        admin=world.admin,
        province_id=world.province_id,
        commune_id=world.commune_id,
        neighbour_id=neighbour["id"],
        fund_id=world.fund_id,
        neighbour_fund_id=theirs["id"],
        gift_id=gift["entry_id"],
        payment_id=payment["entry_id"],
        province_board=make_token("inspector", world.province_id, name="Ban Thanh tra tỉnh"),
        commune_board=make_token("inspector", world.commune_id, name="Ban Thanh tra xã"),
        neighbour_board=make_token("inspector", neighbour["id"], name="Ban Thanh tra Gio Linh"),
        treasurer=world.treasurer,
        position=theirs["position"],
    )


def _fund_review(fund_id: str, **subject: Any) -> dict[str, Any]:
    return {"subject": {"kind": "fund", "fund_id": fund_id, **subject}, "title": FUND_REVIEW}


def _period_review(
    unit_id: str, start: str = "2025-01-01", end: str = "2025-12-31"
) -> dict[str, Any]:
    return {
        "subject": {"kind": "period", "unit_id": unit_id, "from": start, "to": end},
        "title": "Giám sát thu chi năm 2025",
    }


def _finding(**extra: Any) -> dict[str, Any]:
    return {
        "severity": "major",
        "description": "Phiếu chi hỗ trợ thiếu chữ ký người nhận.",
        "recommendation": "Bổ sung chứng từ trong 15 ngày.",
        **extra,
    }


def _open(client: FlaskClient, token: str, body: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return created(post(client, "/supervisions", token, body, **kw))


def _review(client: FlaskClient, token: str, review_id: str, position: int) -> dict[str, Any]:
    return ok(get(client, f"/supervisions/{review_id}", token, min_position=position))


def _list(client: FlaskClient, token: str, position: int, **params: Any) -> list[dict[str, Any]]:
    return every_item(client, "/supervisions", token, position, **params)


def test_a_board_reviews_a_fund_the_unit_responds_and_the_board_concludes(
    client: FlaskClient, make_token: MakeToken
) -> None:
    w = _boards(client, make_token)
    approver = make_token("approver", w.commune_id, name="Chủ tịch xã")

    opened = _open(client, w.province_board, _fund_review(w.fund_id))
    found = created(
        post(
            client,
            f"/supervisions/{opened['id']}/findings",
            w.province_board,
            _finding(entry_ids=[w.payment_id], positions=[w.position]),
        )
    )
    noted = created(
        post(
            client,
            f"/supervisions/{opened['id']}/findings",
            w.province_board,
            {"severity": "observation", "description": "Sổ quỹ ghi\n\nđầy đủ."},
        )
    )
    answered = created(
        post(
            client,
            f"/supervisions/{opened['id']}/findings/{found['finding_id']}/response",
            approver,
            {"response": "Đã bổ sung chữ ký ngày 10/3."},
        )
    )
    concluded = created(
        post(
            client,
            f"/supervisions/{opened['id']}/conclusion",
            w.province_board,
            {"conclusion": "Quỹ được quản lý đúng quy định; một kiến nghị đã khắc phục."},
        )
    )

    assert opened["unit_id"] == w.commune_id
    assert opened["board_unit_id"] == w.province_id
    assert opened["subject"] == {
        "kind": "fund",
        "fund_id": w.fund_id,
        "house_project_id": None,
        "from": None,
        "to": None,
    }
    assert opened["status"] == "open"
    assert answered["finding_id"] == found["finding_id"]
    assert concluded["status"] == "concluded"
    assert opened["position"] < found["position"] < noted["position"] < concluded["position"]

    shown = _review(client, w.commune_board, opened["id"], concluded["position"])
    assert shown["status"] == "concluded"
    assert shown["conclusion"].startswith("Quỹ được quản lý")
    assert shown["concluded_by"] == shown["opened_by"] == "Ban Thanh tra tỉnh"
    assert (shown["findings_count"], shown["responses_count"]) == (2, 1)
    assert shown["position"] == concluded["position"]
    first, second = shown["findings"]
    assert first["id"] == found["finding_id"]
    assert (first["severity"], first["fund_id"]) == ("major", w.fund_id)
    assert first["entry_ids"] == [w.payment_id]
    assert first["positions"] == [w.position]
    assert first["recommendation"] == "Bổ sung chứng từ trong 15 ngày."
    assert (first["response"], first["responded_by"]) == (
        "Đã bổ sung chữ ký ngày 10/3.",
        "Chủ tịch xã",
    )
    assert second["description"] == "Sổ quỹ ghi\n\nđầy đủ."
    assert (second["response"], second["recommendation"], second["entry_ids"]) == (None, None, [])

    trail = ok(
        get(
            client,
            "/audit/events",
            w.commune_board,
            aggregate_id=opened["id"],
            min_position=concluded["position"],
        )
    )["items"]
    assert [e["event_type"] for e in trail] == [
        "Opened",
        "FindingRecorded",
        "FindingRecorded",
        "ResponseRecorded",
        "Concluded",
    ]
    assert {e["aggregate_type"] for e in trail} == {"Supervision"}
    assert {e["unit_id"] for e in trail} == {w.commune_id}


def test_a_period_review_links_entries_of_the_units_funds_by_naming_the_fund(
    client: FlaskClient, make_token: MakeToken
) -> None:
    w = _boards(client, make_token)
    opened = _open(client, w.province_board, _period_review(w.province_id))
    path = f"/supervisions/{opened['id']}/findings"

    found = created(
        post(client, path, w.province_board, _finding(fund_id=w.fund_id, entry_ids=[w.gift_id]))
    )
    invalid(post(client, path, w.province_board, _finding(entry_ids=[w.gift_id])), "fund_id")

    shown = _review(client, w.province_board, opened["id"], found["position"])
    assert shown["subject"] == {
        "kind": "period",
        "fund_id": None,
        "house_project_id": None,
        "from": "2025-01-01",
        "to": "2025-12-31",
    }
    assert shown["findings"][0]["fund_id"] == w.fund_id
    assert shown["findings"][0]["entry_ids"] == [w.gift_id]


def test_an_inspector_of_a_parent_unit_reviews_a_child_but_not_the_other_way_round(
    client: FlaskClient, make_token: MakeToken
) -> None:
    w = _boards(client, make_token)

    _open(client, w.province_board, _period_review(w.commune_id))
    _open(client, w.commune_board, _fund_review(w.fund_id))
    _open(client, w.admin, _period_review(w.province_id))
    problem(post(client, "/supervisions", w.commune_board, _period_review(w.province_id)), 403)
    problem(post(client, "/supervisions", w.neighbour_board, _fund_review(w.fund_id)), 403)


def test_a_treasurer_neither_opens_reviews_nor_records_findings(
    client: FlaskClient, make_token: MakeToken
) -> None:
    w = _boards(client, make_token)
    opened = _open(client, w.commune_board, _fund_review(w.fund_id))

    problem(post(client, "/supervisions", w.treasurer, _fund_review(w.fund_id)), 403, "forbidden")
    refused = problem(
        post(client, f"/supervisions/{opened['id']}/findings", w.treasurer, _finding()),
        403,
        "forbidden",
    )
    assert "thủ quỹ, kế toán" in refused["detail"]
    problem(
        post(
            client, f"/supervisions/{opened['id']}/conclusion", w.treasurer, {"conclusion": "Tốt."}
        ),
        403,
    )


def test_only_the_board_that_opened_a_review_records_findings_and_concludes_it(
    client: FlaskClient, make_token: MakeToken
) -> None:
    w = _boards(client, make_token)
    opened = _open(client, w.province_board, _fund_review(w.fund_id))
    path = f"/supervisions/{opened['id']}"

    refused = problem(post(client, f"{path}/findings", w.commune_board, _finding()), 403)
    assert "ban đã mở" in refused["detail"]
    problem(post(client, f"{path}/conclusion", w.commune_board, {"conclusion": "Tốt."}), 403)
    problem(post(client, f"{path}/findings", w.neighbour_board, _finding()), 403)
    created(post(client, f"{path}/findings", w.admin, _finding()))
    other_board = make_token("inspector", w.province_id, name="Ban Giám sát đầu tư tỉnh")
    created(post(client, f"{path}/conclusion", other_board, {"conclusion": "Tốt."}))


def test_the_reviewed_unit_answers_findings_and_no_one_else_does(
    client: FlaskClient, make_token: MakeToken
) -> None:
    w = _boards(client, make_token)
    opened = _open(client, w.province_board, _fund_review(w.fund_id))
    found = created(
        post(client, f"/supervisions/{opened['id']}/findings", w.province_board, _finding())
    )
    path = f"/supervisions/{opened['id']}/findings/{found['finding_id']}/response"
    answer = {"response": "Đã khắc phục."}

    problem(post(client, path, w.province_board, answer), 403)
    problem(post(client, path, make_token("treasurer", w.province_id), answer), 403)
    problem(post(client, path, make_token("treasurer", w.neighbour_id), answer), 403)
    problem(post(client, path, make_token("viewer", w.commune_id), answer), 403)
    created(post(client, path, w.treasurer, answer))
    problem(post(client, path, w.treasurer, answer), 409, "already-responded")


def test_readers_are_the_boards_of_the_unit_and_above_and_the_unit_itself(
    client: FlaskClient, make_token: MakeToken
) -> None:
    w = _boards(client, make_token)
    opened = _open(client, w.province_board, _fund_review(w.fund_id))
    theirs = _open(client, w.province_board, _fund_review(w.neighbour_fund_id))
    at = theirs["position"]

    for token in (w.province_board, w.commune_board, w.treasurer, w.admin):
        assert _review(client, token, opened["id"], at)["id"] == opened["id"]
    assert _review(client, make_token("approver", w.commune_id), opened["id"], at)
    for token in (w.neighbour_board, make_token("treasurer", w.neighbour_id)):
        problem(get(client, f"/supervisions/{opened['id']}", token, min_position=at), 403)
    viewer = make_token("viewer", w.commune_id)
    problem(get(client, f"/supervisions/{opened['id']}", viewer, min_position=at), 403)
    problem(get(client, "/supervisions", viewer, min_position=at), 403)
    problem(get(client, "/supervisions", w.neighbour_board, unit_id=w.commune_id), 403)

    assert [r["id"] for r in _list(client, w.province_board, at)] == [opened["id"], theirs["id"]]
    assert [r["id"] for r in _list(client, w.commune_board, at)] == [opened["id"]]
    assert [r["id"] for r in _list(client, w.neighbour_board, at)] == [theirs["id"]]
    assert [r["id"] for r in _list(client, w.admin, at, unit_id=w.neighbour_id)] == [theirs["id"]]


def test_reviews_are_listed_by_status_page_by_page(
    client: FlaskClient, make_token: MakeToken
) -> None:
    w = _boards(client, make_token)
    ids = [_open(client, w.province_board, _period_review(w.commune_id))["id"] for _ in range(3)]
    done = created(
        post(
            client, f"/supervisions/{ids[1]}/conclusion", w.province_board, {"conclusion": "Xong."}
        )
    )
    at = done["position"]

    first = ok(get(client, "/supervisions", w.province_board, min_position=at, limit=2))
    assert [r["id"] for r in first["items"]] == ids[:2]
    rest = ok(get(client, "/supervisions", w.province_board, limit=2, cursor=first["next_cursor"]))
    assert ([r["id"] for r in rest["items"]], rest["next_cursor"]) == ([ids[2]], None)
    assert [r["id"] for r in _list(client, w.admin, at, status="open")] == [ids[0], ids[2]]
    assert [r["id"] for r in _list(client, w.admin, at, status="concluded")] == [ids[1]]
    invalid(get(client, "/supervisions", w.admin, status="closed"), "status")
    invalid(get(client, "/supervisions", w.admin, unit_id="xã-1"), "unit_id")


def test_bad_reviews_and_findings_are_refused_naming_the_field(
    client: FlaskClient, make_token: MakeToken
) -> None:
    w = _boards(client, make_token)
    board = w.province_board
    opened = _open(client, board, _fund_review(w.fund_id))
    path = f"/supervisions/{opened['id']}/findings"

    invalid(post(client, "/supervisions", board, _fund_review(UNKNOWN)), "subject.fund_id")
    invalid(
        post(client, "/supervisions", board, {"subject": {"kind": "house"}, "title": "x"}),
        "subject.kind",
    )
    invalid(
        post(
            client,
            "/supervisions",
            board,
            {"subject": {"kind": "period", "unit_id": w.commune_id}, "title": "x"},
        ),
        "subject.from",
    )
    invalid(
        post(
            client, "/supervisions", board, _period_review(w.commune_id, "2025-12-31", "2025-01-01")
        ),
        "subject.to",
    )
    invalid(
        post(client, "/supervisions", board, {**_fund_review(w.fund_id), "title": " "}), "title"
    )

    invalid(post(client, path, board, _finding(severity="grave")), "severity")
    invalid(post(client, path, board, _finding(description=" \n ")), "description")
    invalid(post(client, path, board, {"severity": "minor"}), "description")
    invalid(post(client, path, board, _finding(entry_ids=[w.gift_id, "phiếu-1"])), "entry_ids.1")
    theirs = invalid(
        post(client, path, board, _finding(entry_ids=[w.neighbour_fund_id])), "entry_ids"
    )
    assert w.neighbour_fund_id in theirs["errors"]["entry_ids"][0]
    invalid(post(client, path, board, _finding(fund_id=w.neighbour_fund_id)), "fund_id")
    beyond = invalid(
        post(client, path, board, _finding(positions=[w.position + 1000])), "positions"
    )
    assert "vượt quá" in beyond["errors"]["positions"][0]
    invalid(post(client, path, board, _finding(positions=[0])), "positions.0")
    invalid(post(client, path, board, _finding(positions=["3"])), "positions.0")
    invalid(post(client, path, board, _finding(note="x")), "note")

    period = _open(client, board, _period_review(w.commune_id))
    outside = invalid(
        post(
            client,
            f"/supervisions/{period['id']}/findings",
            board,
            _finding(fund_id=w.neighbour_fund_id, entry_ids=[w.gift_id]),
        ),
        "fund_id",
    )
    assert "đơn vị được giám sát" in outside["errors"]["fund_id"][0]


def test_a_concluded_review_refuses_findings_responses_and_another_conclusion(
    client: FlaskClient, make_token: MakeToken
) -> None:
    w = _boards(client, make_token)
    opened = _open(client, w.province_board, _fund_review(w.fund_id))
    path = f"/supervisions/{opened['id']}"
    found = created(post(client, f"{path}/findings", w.province_board, _finding()))
    created(post(client, f"{path}/conclusion", w.province_board, {"conclusion": "Xong."}))

    problem(
        post(client, f"{path}/findings", w.province_board, _finding()), 409, "supervision-concluded"
    )
    problem(
        post(
            client,
            f"{path}/findings/{found['finding_id']}/response",
            w.treasurer,
            {"response": "Muộn."},
        ),
        409,
        "supervision-concluded",
    )
    problem(
        post(client, f"{path}/conclusion", w.province_board, {"conclusion": "Khác."}),
        409,
        "supervision-concluded",
    )


def test_unknown_reviews_and_findings_are_not_found(
    client: FlaskClient, make_token: MakeToken
) -> None:
    w = _boards(client, make_token)
    opened = _open(client, w.province_board, _fund_review(w.fund_id))
    nobody = UNKNOWN

    problem(get(client, f"/supervisions/{nobody}", w.admin), 404, "supervision-not-found")
    problem(
        post(client, f"/supervisions/{nobody}/findings", w.admin, _finding()),
        404,
        "supervision-not-found",
    )
    problem(
        post(
            client,
            f"/supervisions/{opened['id']}/findings/{nobody}/response",
            w.treasurer,
            {"response": "Đã khắc phục."},
        ),
        404,
        "finding-not-found",
    )


def test_a_retried_review_finding_or_refusal_gives_the_first_answer(
    client: FlaskClient, make_token: MakeToken
) -> None:
    w = _boards(client, make_token)
    body = _fund_review(w.fund_id)

    first = _open(client, w.province_board, body, key="gs-2025-01")
    again = _open(client, w.province_board, body, key="gs-2025-01")
    path = f"/supervisions/{first['id']}"
    found = created(post(client, f"{path}/findings", w.province_board, _finding(), key="kn-1"))
    found_again = created(
        post(client, f"{path}/findings", w.province_board, _finding(), key="kn-1")
    )
    reused = post(
        client, f"{path}/findings", w.province_board, _finding(severity="minor"), key="kn-1"
    )
    created(post(client, f"{path}/conclusion", w.province_board, {"conclusion": "Xong."}))
    refused = post(client, f"{path}/findings", w.province_board, _finding(), key="kn-2")
    refused_again = post(client, f"{path}/findings", w.province_board, _finding(), key="kn-2")

    assert again == first
    assert found_again == found
    problem(reused, 422, "idempotency-key-reused")
    problem(refused, 409, "supervision-concluded")
    problem(refused_again, 409, "supervision-concluded")
    shown = _review(client, w.admin, first["id"], found["position"])
    assert [f["id"] for f in shown["findings"]] == [found["finding_id"]]
    assert len(_list(client, w.admin, found["position"])) == 1


def test_rebuilding_the_supervision_read_models_gives_the_same_rows(
    client: FlaskClient, make_token: MakeToken
) -> None:
    w = _boards(client, make_token)
    opened = _open(
        client,
        w.province_board,
        _fund_review(w.fund_id, **{"from": "2025-01-01", "to": "2025-06-30"}),
    )
    path = f"/supervisions/{opened['id']}"
    found = created(
        post(client, f"{path}/findings", w.province_board, _finding(entry_ids=[w.gift_id]))
    )
    created(
        post(
            client,
            f"{path}/findings/{found['finding_id']}/response",
            w.treasurer,
            {"response": "Đã rõ."},
        )
    )
    done = created(post(client, f"{path}/conclusion", w.province_board, {"conclusion": "Xong."}))
    services = client.application.extensions["sovang"]
    services.runner.wait_for(done["position"], timeout=5)

    live = read_models(services.db)
    services.runner.rebuild()

    assert read_models(services.db) == live
    assert len(live["supervisions"]) == len(live["supervision_findings"]) == 1
    assert live["supervisions"][0]["period_to"] == "2025-06-30"


def test_a_board_reviews_a_house_and_links_a_tranche_paid_from_the_province_fund(
    client: FlaskClient, make_token: MakeToken
) -> None:
    w = _boards(client, make_token)
    province_treasurer = make_token("treasurer", w.province_id, name="Thủ quỹ tỉnh")
    province_fund = open_fund(client, province_treasurer, w.province_id)["id"]
    receive(client, province_treasurer, province_fund, 60_000_000)
    household = register_household(client, w.treasurer, w.commune_id)
    house = house_under_way(client, w.treasurer, household, 40_000_000)
    tranche = created(
        post(
            client,
            f"/funds/{province_fund}/disbursements",
            province_treasurer,
            disbursement(40_000_000, "2025-02-01", "house_new_build", house_project_id=house),
        )
    )
    review = {"subject": {"kind": "house_project", "house_project_id": house}, "title": "Nhà"}

    opened = _open(client, w.commune_board, review)
    path = f"/supervisions/{opened['id']}/findings"
    found = created(
        post(
            client,
            path,
            w.commune_board,
            _finding(fund_id=province_fund, entry_ids=[tranche["entry_id"]]),
        )
    )
    stranger = post(
        client, path, w.commune_board, _finding(fund_id=w.neighbour_fund_id, entry_ids=[])
    )
    refused = post(client, "/supervisions", w.neighbour_board, review)
    missing = post(
        client,
        "/supervisions",
        w.commune_board,
        {"subject": {"kind": "house_project", "house_project_id": UNKNOWN}, "title": "Nhà"},
    )

    shown = _review(client, w.province_board, opened["id"], found["position"])
    assert opened["unit_id"] == w.commune_id
    assert shown["subject"] == {
        "kind": "house_project",
        "fund_id": None,
        "house_project_id": house,
        "from": None,
        "to": None,
    }
    assert shown["findings"][0]["entry_ids"] == [tranche["entry_id"]]
    invalid(stranger, "fund_id")
    problem(refused, 403)
    invalid(missing, "subject.house_project_id")
