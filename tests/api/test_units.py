"""POST /units, GET /units/{id} and GET /units?parent_id=."""

from __future__ import annotations

import unicodedata
from uuid import uuid4

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    created,
    get,
    invalid,
    ok,
    post,
    problem,
    register_unit,
)


def test_an_admin_registers_a_unit_below_its_parent_and_reads_it_back(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin = make_token("admin")
    province = register_unit(client, admin, "Tỉnh Quảng Trị", "province", code="QT")
    commune = created(
        post(
            client,
            "/units",
            admin,
            {
                "name": "  Xã Vĩnh   Linh ",
                "level": "commune",
                "parent_id": province["id"],
                "code": "VL-01",
            },
        )
    )

    assert commune["name"] == "Xã Vĩnh Linh"
    assert (commune["level"], commune["parent_id"], commune["code"]) == (
        "commune",
        province["id"],
        "VL-01",
    )
    assert commune["position"] > province["position"]

    read = ok(get(client, f"/units/{commune['id']}", admin, min_position=commune["position"]))
    assert {k: read[k] for k in ("id", "name", "level", "parent_id", "code")} == {
        k: commune[k] for k in ("id", "name", "level", "parent_id", "code")
    }
    assert read["position"] == commune["position"]


def test_a_name_typed_in_decomposed_unicode_is_stored_in_nfc(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin = make_token("admin")
    typed = unicodedata.normalize("NFD", "Xã Vĩnh Linh")

    unit = register_unit(client, admin, typed, "province")

    assert unit["name"] == unicodedata.normalize("NFC", "Xã Vĩnh Linh")
    assert unit["name"] != typed


def test_a_unit_cannot_sit_below_a_unit_of_its_own_level_or_a_lower_one(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin = make_token("admin")
    commune = register_unit(client, admin, "Xã A", "commune")

    invalid(
        post(
            client,
            "/units",
            admin,
            {"name": "Tỉnh B", "level": "province", "parent_id": commune["id"]},
        ),
        "level",
    )


def test_registering_below_an_unknown_parent_is_refused_naming_parent_id(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin = make_token("admin")

    invalid(
        post(
            client, "/units", admin, {"name": "Xã A", "level": "commune", "parent_id": str(uuid4())}
        ),
        "parent_id",
    )


def test_only_an_admin_may_register_units(client: FlaskClient, make_token: MakeToken) -> None:
    admin = make_token("admin")
    province = register_unit(client, admin, "Tỉnh Quảng Trị", "province")
    body = {"name": "Xã Mới", "level": "commune", "parent_id": province["id"]}

    for role in ("treasurer", "inspector", "viewer", "approver"):
        token = make_token(role, province["id"])
        problem(post(client, "/units", token, body), 403, "forbidden")

    children = ok(
        get(client, "/units", admin, parent_id=province["id"], min_position=province["position"])
    )
    assert children["items"] == []


def test_reading_an_unknown_unit_answers_404(client: FlaskClient, make_token: MakeToken) -> None:
    viewer = make_token("viewer")

    problem(get(client, f"/units/{uuid4()}", viewer), 404, "unit-not-found")
    problem(get(client, "/units/not-a-uuid", viewer), 404)


def test_the_children_of_a_unit_are_listed_page_by_page_until_next_cursor_is_null(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin = make_token("admin")
    province = register_unit(client, admin, "Tỉnh Nghệ An", "province")
    other = register_unit(client, admin, "Tỉnh Hà Tĩnh", "province")
    names = [f"Xã {n}" for n in ("Diễn Châu", "Quỳnh Lưu", "Yên Thành", "Đô Lương", "Nam Đàn")]
    communes = [register_unit(client, admin, n, "commune", province["id"]) for n in names]
    register_unit(client, admin, "Xã Khác", "commune", other["id"])
    last = communes[-1]["position"] + 1
    viewer = make_token("viewer", province["id"])

    pages, cursor = [], None
    while True:
        page = ok(
            get(
                client,
                "/units",
                viewer,
                parent_id=province["id"],
                limit=2,
                cursor=cursor,
                min_position=last,
            )
        )
        pages.append(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert [len(p) for p in pages] == [2, 2, 1]
    listed = [unit["id"] for p in pages for unit in p]
    assert listed == sorted(c["id"] for c in communes)
    assert all(unit["parent_id"] == province["id"] for p in pages for unit in p)
    assert {unit["name"] for p in pages for unit in p} == set(names)


def test_a_full_last_page_still_ends_with_a_null_cursor(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin = make_token("admin")
    province = register_unit(client, admin, "Tỉnh Nghệ An", "province")
    a = register_unit(client, admin, "Xã A", "commune", province["id"])
    b = register_unit(client, admin, "Xã B", "commune", province["id"])

    page = ok(
        get(client, "/units", admin, parent_id=province["id"], limit=2, min_position=b["position"])
    )

    assert {u["id"] for u in page["items"]} == {a["id"], b["id"]}
    assert page["next_cursor"] is None


def test_without_parent_id_the_top_units_are_listed(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin = make_token("admin")
    province = register_unit(client, admin, "Tỉnh Nghệ An", "province")
    commune = register_unit(client, admin, "Xã A", "commune", province["id"])

    page = ok(get(client, "/units", admin, min_position=commune["position"]))

    assert [u["id"] for u in page["items"]] == [province["id"]]
    assert page["next_cursor"] is None


def test_a_list_with_a_made_up_cursor_or_limit_is_refused(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin = make_token("admin")

    invalid(get(client, "/units", admin, cursor="not-a-cursor!"), "cursor")
    invalid(get(client, "/units", admin, limit=0), "limit")
    invalid(get(client, "/units", admin, limit=1001), "limit")
    invalid(get(client, "/units", admin, parent_id="xyz"), "parent_id")
    invalid(get(client, "/units", admin, min_position=-1), "min_position")
