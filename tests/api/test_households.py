"""/households: registration, who sees personal data, duplicates, categories over time,
escaping poverty, support that repeats, and erasure that leaves the money and the log
intact; the personal data never stored in plain text."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from service.bootstrap import Services
from service.projections.log import Tree, verify
from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    created,
    disbursement,
    every_item,
    get,
    invalid,
    ledger,
    ok,
    post,
    problem,
    receive,
    register_unit,
    report,
)

UNKNOWN = "7d1f0a52-3c4e-4b6a-9f0e-2a1b3c4d5e6f"
NAME = "Nguyễn Văn Bình"
CCCD = "044085001234"
PHONE = "0912345678"
ADDRESS = "Thôn Đông Hà, xã Vĩnh Linh, tỉnh Quảng Trị"
STUDENT = "Nguyễn Thị Hồng Nhung"


def _household(unit_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "unit_id": unit_id,
        "head_name": NAME,
        "address": ADDRESS,
        "cccd": CCCD,
        "phone": PHONE,
        "members_count": 4,
        "categories": [{"category": "poor", "since": "2024-01-01"}],
        **extra,
    }


def _register(client: FlaskClient, token: str, body: dict[str, Any]) -> dict[str, Any]:
    return created(post(client, "/households", token, body))


def _read(client: FlaskClient, token: str, household_id: str, position: int) -> dict[str, Any]:
    return ok(get(client, f"/households/{household_id}", token, min_position=position))


def test_a_treasurer_registers_a_household_and_only_readers_granted_it_see_its_data(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    written = _register(client, world.treasurer, _household(world.commune_id))
    granted = make_token("treasurer", world.commune_id, name="Kế toán xã", personal_data=True)
    viewer = make_token("viewer", world.province_id, name="Cổng thông tin tỉnh")
    neighbour = register_unit(client, world.admin, "Xã Gio Linh", "commune", world.province_id)
    outsider = make_token("treasurer", neighbour["id"], name="Thủ quỹ Gio Linh")

    assert written["unit_id"] == world.commune_id
    assert written["categories"] == [{"category": "poor", "since": "2024-01-01", "until": None}]
    assert not {"head_name", "cccd", "phone", "address"} & written.keys()

    full = _read(client, world.admin, written["id"], written["position"])
    assert full["personal_data"] == "full"
    assert (full["head_name"], full["address"], full["cccd"], full["phone"]) == (
        NAME,
        ADDRESS,
        CCCD,
        PHONE,
    )
    assert full["members_count"] == 4
    assert full["registered_by"] == "Thủ quỹ xã"
    assert _read(client, granted, written["id"], written["position"])["head_name"] == NAME
    for token in (world.treasurer, viewer):
        masked = _read(client, token, written["id"], written["position"])
        assert masked["personal_data"] == "masked"
        assert (masked["head_name"], masked["address"]) == ("Nguyễn V. B.", None)
        assert (masked["cccd"], masked["phone"]) == ("*********234", "*******678")
    problem(get(client, f"/households/{written['id']}", outsider), 403, "forbidden")
    problem(get(client, f"/households/{UNKNOWN}", world.admin), 404, "household-not-found")

    listed = every_item(client, "/households", viewer, written["position"])
    assert [h["id"] for h in listed] == [written["id"]]
    assert listed[0]["head_name"] == "Nguyễn V. B."
    assert every_item(client, "/households", outsider, written["position"]) == []
    assert (
        every_item(client, "/households", world.admin, written["position"], category="near_poor")
        == []
    )


def test_a_household_matching_one_registered_is_flagged_and_recorded_with_a_reason(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    first = _register(client, world.treasurer, _household(world.commune_id))
    same_cccd = _household(world.commune_id, head_name="Nguyễn Văn Bính", address="Xóm 3")
    typed_apart = _household(
        world.commune_id,
        head_name="  " + unicodedata.normalize("NFD", "nguyễn  văn bình") + " ",
        address="thon dong ha,  xa Vinh Linh",
        cccd=None,
        phone=None,
    )

    by_cccd = problem(post(client, "/households", world.treasurer, same_cccd), 409)
    by_name = problem(post(client, "/households", world.treasurer, typed_apart), 409)
    other = _register(
        client,
        world.treasurer,
        _household(world.commune_id, head_name="Trần Thị Hoa", cccd="044085009999", phone=None),
    )
    again = _register(
        client,
        world.treasurer,
        {**same_cccd, "duplicate_reason": "Tách hộ: con trai ở riêng, giữ CCCD của cha"},
    )

    assert by_cccd["type"].endswith("possible-duplicate")
    assert by_cccd["candidates"] == [{"household_id": first["id"], "matched_on": ["cccd"]}]
    assert by_name["candidates"] == [{"household_id": first["id"], "matched_on": ["name_address"]}]
    assert NAME not in json.dumps(by_cccd, ensure_ascii=False)
    shown = _read(client, world.admin, again["id"], again["position"])
    assert shown["duplicate_of"] == [first["id"]]
    assert shown["duplicate_reason"] == "Tách hộ: con trai ở riêng, giữ CCCD của cha"
    assert _read(client, world.admin, other["id"], other["position"])["duplicate_of"] == []


def test_categories_change_over_time_and_escaping_poverty_ends_the_poor_category(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    household = _register(client, world.treasurer, _household(world.commune_id))
    path = f"/households/{household['id']}"

    orange = created(
        post(
            client,
            f"{path}/categories",
            world.treasurer,
            {"category": "agent_orange_victim", "since": "2024-06-01"},
        )
    )
    problem(
        post(client, f"{path}/categories", world.treasurer, {"category": "poor", "since": DAY2}),
        422,
    )
    escaped = created(
        post(
            client,
            f"{path}/escaped-poverty",
            world.treasurer,
            {"on": "2025-02-01", "note": "Có thu nhập ổn định từ nuôi bò"},
        )
    )
    invalid(post(client, f"{path}/escaped-poverty", world.treasurer, {"on": "2025-02-02"}), "on")
    invalid(
        post(client, f"{path}/categories", world.treasurer, {"category": "poor"}),
        "since",
    )
    invalid(
        post(
            client,
            f"{path}/categories",
            world.treasurer,
            {"category": "hardship", "since": "2999-01-01"},
        ),
        "since",
    )

    assert orange["position"] < escaped["position"]
    assert escaped["escaped_poverty_on"] == "2025-02-01"
    shown = _read(client, world.treasurer, household["id"], escaped["position"])
    assert shown["categories"] == [
        {"category": "poor", "since": "2024-01-01", "until": "2025-02-01"},
        {"category": "agent_orange_victim", "since": "2024-06-01", "until": None},
    ]
    assert shown["escaped_poverty_on"] == "2025-02-01"
    now_poor = every_item(client, "/households", world.admin, escaped["position"], category="poor")
    assert now_poor == []


DAY2 = "2025-01-10"


def test_a_disbursement_names_a_known_household_and_support_that_repeats_needs_a_reason(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    receive(client, world.treasurer, world.fund_id, 5_000_000)
    household = _register(client, world.treasurer, _household(world.commune_id))
    neighbour = register_unit(client, world.admin, "Xã Gio Linh", "commune", world.province_id)
    theirs = _register(
        client,
        world.admin,
        _household(neighbour["id"], head_name="Lê Văn Tám", cccd=None, phone=None),
    )
    path = f"/funds/{world.fund_id}/disbursements"

    def pay(**extra: Any) -> Any:
        return post(client, path, world.treasurer, disbursement(**extra))

    invalid(pay(household_id=UNKNOWN), "household_id")
    invalid(pay(household_id=theirs["id"]), "household_id")
    first = created(pay(household_id=household["id"]))
    repeated = problem(pay(household_id=household["id"]), 409, "repeated-support")
    other_kind = created(pay(category="medical", household_id=household["id"]))
    next_year = created(pay(occurred_on="2024-02-01", household_id=household["id"]))
    with_reason = created(
        pay(household_id=household["id"], repeat_reason="Quà Tết của tỉnh, đợt 2")
    )

    assert repeated["entry_ids"] == [first["entry_id"]]
    entries = {
        e["entry_id"]: e
        for e in ledger(client, world.treasurer, world.fund_id, with_reason["position"])
    }
    assert entries[with_reason["entry_id"]]["repeat_reason"] == "Quà Tết của tỉnh, đợt 2"
    assert entries[first["entry_id"]]["repeat_reason"] is None
    assert entries[other_kind["entry_id"]]["household_id"] == household["id"]
    assert entries[next_year["entry_id"]]["repeat_reason"] is None


def _every_stored_value(services: Services) -> list[Any]:
    """Every value of every table of the store: events, snapshots, read models, keys."""
    db = services.db
    with db.transaction() as tx:
        tables = (
            [r["name"] for r in tx.all("SELECT name FROM sqlite_master WHERE type = 'table'")]
            if db.dialect == "sqlite"
            else [
                r["tablename"]
                for r in tx.all("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ]
        )
        assert {"households", "personal_data_keys", "audit_events"} <= set(tables)
        assert {"stored_events", "stored_snapshots"} <= set(tables) or {
            "sovang_events",
            "sovang_snapshots",
        } <= set(tables)
        values: list[Any] = []
        for table in tables:
            for row in tx.all(f'SELECT * FROM "{table}"'):
                values.extend(row.values())
    return values


def _plain_forms(text: str) -> list[bytes]:
    """The ways ``text`` could sit in the store: UTF-8 in NFC and NFD, JSON-escaped."""
    forms = {unicodedata.normalize(form, text) for form in ("NFC", "NFD")}
    return sorted({f.encode() for f in forms} | {json.dumps(f).strip('"').encode() for f in forms})


def test_the_store_holds_no_household_name_cccd_or_phone_in_plain_text(
    app: Flask, client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    receive(client, world.treasurer, world.fund_id, 1_000_000)
    household = _register(client, world.treasurer, _household(world.commune_id))
    paid = created(
        post(
            client,
            f"/funds/{world.fund_id}/disbursements",
            world.treasurer,
            disbursement(household_id=household["id"]),
        )
    )
    created(
        post(
            client,
            f"/funds/{world.fund_id}/disbursements",
            world.treasurer,
            disbursement(
                category="scholarship",
                household_id=household["id"],
                student={"name": STUDENT, "school": "THCS Vĩnh Linh", "school_year": "2024-2025"},
            ),
        )
    )
    services: Services = app.extensions["sovang"]
    services.runner.catch_up()
    for number in range(120):  # past the snapshot interval of the fund
        receive(client, world.treasurer, world.fund_id, 1_000 + number)
    services.runner.catch_up()

    stored = [
        bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode()
        for v in _every_stored_value(services)
    ]
    assert any(household["id"].encode() in value for value in stored)
    assert any(paid["entry_id"].encode() in value for value in stored)
    for secret in (NAME, CCCD, PHONE, "Đông Hà", STUDENT):
        for form in _plain_forms(secret):
            assert not any(form in value for value in stored), secret


def test_an_erased_household_reads_as_erased_everywhere_and_the_money_and_log_are_unchanged(
    app: Flask, client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    approver = make_token("approver", world.commune_id, name="Chủ tịch xã")
    receive(client, world.treasurer, world.fund_id, 3_000_000)
    household = _register(client, world.treasurer, _household(world.commune_id))
    paid = created(
        post(
            client,
            f"/funds/{world.fund_id}/disbursements",
            world.treasurer,
            disbursement(800_000, household_id=household["id"]),
        )
    )
    services: Services = app.extensions["sovang"]
    services.runner.catch_up()
    with services.db.transaction() as tx:
        tree = Tree(tx)
        signed = services.ledger.sign_checkpoint(tree.size(), tree.root(tree.size()))
    before = report(
        client, world.admin, world.commune_id, paid["position"], "2025-01-01", "2025-12-31"
    )
    entries_before = ledger(client, world.admin, world.fund_id, paid["position"])
    erasure = f"/households/{household['id']}/erasure"
    why = {"reason": "Đơn yêu cầu xoá dữ liệu cá nhân ngày 05/03/2025"}

    problem(post(client, erasure, world.treasurer, why), 403, "forbidden")
    erased = created(post(client, erasure, approver, why))
    problem(post(client, erasure, approver, why), 409, "household-erased")
    problem(
        post(
            client,
            f"/funds/{world.fund_id}/disbursements",
            world.treasurer,
            disbursement(category="medical", household_id=household["id"]),
        ),
        409,
        "household-erased",
    )
    problem(
        post(
            client,
            f"/households/{household['id']}/categories",
            world.treasurer,
            {"category": "hardship", "since": "2025-01-01"},
        ),
        409,
        "household-erased",
    )

    assert erased == {"household_id": household["id"], "erased": True, **erased}
    for token in (world.admin, world.treasurer):
        shown = _read(client, token, household["id"], erased["position"])
        assert shown["personal_data"] == "erased"
        assert shown["head_name"] == "(đã xoá theo yêu cầu)"
        assert (shown["address"], shown["cccd"], shown["phone"]) == (None, None, None)
        assert shown["erased_at"] is not None
        assert shown["members_count"] == 4
    listed = every_item(client, "/households", world.admin, erased["position"])
    assert [h["personal_data"] for h in listed] == ["erased"]
    again = _register(client, world.treasurer, _household(world.commune_id))
    assert _read(client, world.admin, again["id"], again["position"])["duplicate_of"] == []

    after = report(
        client, world.admin, world.commune_id, again["position"], "2025-01-01", "2025-12-31"
    )
    assert {**after, "position": 0} == {**before, "position": 0}
    assert ledger(client, world.admin, world.fund_id, again["position"]) == entries_before
    with services.db.transaction() as tx:
        assert (
            tx.scalar(
                "SELECT COUNT(*) AS n FROM personal_data_keys WHERE household_id = :id",
                {"id": household["id"]},
            )
            == 0
        )
    services.runner.catch_up()
    found = verify(
        services.ledger.recorder, services.ledger.mapper, services.db, services.signer().verifier
    )
    assert found.ok, found.problem
    assert found.checkpoints >= 1
    assert signed.tree_size < found.size


def test_household_bodies_are_strict_and_answers_name_the_field(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    viewer = make_token("viewer", world.commune_id)
    body = _household(world.commune_id)

    invalid(post(client, "/households", world.treasurer, {**body, "cccd": "12345"}), "cccd")
    invalid(post(client, "/households", world.treasurer, {**body, "phone": "abc"}), "phone")
    invalid(
        post(client, "/households", world.treasurer, {**body, "members_count": "4"}),
        "members_count",
    )
    invalid(post(client, "/households", world.treasurer, {**body, "head_name": " "}), "head_name")
    invalid(post(client, "/households", world.treasurer, {**body, "unit_id": UNKNOWN}), "unit_id")
    invalid(post(client, "/households", world.treasurer, {**body, "wife": "x"}), "wife")
    invalid(
        post(
            client,
            "/households",
            world.treasurer,
            {**body, "categories": [{"category": "rich", "since": "2024-01-01"}]},
        ),
        "categories.0.category",
    )
    problem(post(client, "/households", viewer, body), 403, "forbidden")
