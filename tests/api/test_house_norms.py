"""House support norms (định mức): a province sets what the fund gives per house by kind and
year; an approval above the norm that applies needs a reason and an approver, and a fund
share of 900 billion đồng for a repair is refused even where no unit set a norm."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    created,
    get,
    invalid,
    ok,
    post,
    problem,
    register_household,
    register_unit,
    selecting_meeting,
)


def _house(
    household: tuple[str, str], fund: int, kind: str = "new_build", **extra: Any
) -> dict[str, Any]:
    """An approval for the household (its id and the bình xét meeting that selected it)."""
    return {
        "household_id": household[0],
        "meeting_id": household[1],
        "kind": kind,
        "budget": {"fund": fund, "household": 10_000_000},
        "approved_on": "2025-03-01",
        **extra,
    }


def _norm(client: FlaskClient, token: str, unit: str, **body: Any) -> Any:
    return client.put(
        f"/api/v1/units/{unit}/house-norms",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
    )


def test_a_house_above_the_norm_needs_a_reason_and_an_approver(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin = make_token("admin", name="Quản trị viên")
    province = register_unit(client, admin, "Tỉnh Hà Tĩnh", "province")["id"]
    commune = register_unit(client, admin, "Xã Thạch Lạc", "commune", province)["id"]
    treasurer = make_token("treasurer", commune, name="Thủ quỹ xã")
    approver = make_token("approver", commune, name="Chủ tịch xã")
    registered = register_household(client, treasurer, commune)
    household = (registered, selecting_meeting(client, treasurer, registered, "2024-01-01"))

    # Where no unit set a norm, a repair of 900 billion đồng is a slip, not a house.
    slip = post(client, "/houses", treasurer, _house(household, 900_000_000_000, "repair"))
    assert "50.000.000 đ" in problem(slip, 409, "above-norm")["detail"]

    province_head = make_token("approver", province, name="Chủ tịch tỉnh")
    for kind, least, most in (("new_build", 40_000_000, 60_000_000), ("repair", None, 30_000_000)):
        answer = _norm(
            client, province_head, province, year=2025, kind=kind, least=least, most=most
        )
        assert answer.status_code == 200, answer.get_data(as_text=True)
    assert _norm(client, treasurer, commune, year=2025, kind="repair", most=1).status_code == 403
    invalid(_norm(client, admin, province, year=2025, kind="repair", least=9, most=5), "least")

    within = created(post(client, "/houses", treasurer, _house(household, 60_000_000)))
    assert within["above_norm"] is None
    above = post(client, "/houses", treasurer, _house(household, 70_000_000))
    detail = problem(above, 409, "above-norm")["detail"]
    assert "Tỉnh Hà Tĩnh" in detail
    assert "60.000.000 đ" in detail
    repair = post(client, "/houses", treasurer, _house(household, 35_000_000, "repair"))
    problem(repair, 409, "above-norm")
    # The reason is the approver's to give: a treasurer with one is refused.
    reasoned = _house(household, 70_000_000, above_norm_reason="Hộ ở vùng sạt lở, phải làm móng kè")
    problem(post(client, "/houses", treasurer, reasoned), 403)
    approved = created(post(client, "/houses", approver, reasoned))
    assert approved["above_norm"] == {
        "norm": 60_000_000,
        "norm_unit_id": province,
        "reason": "Hộ ở vùng sạt lở, phải làm móng kè",
    }

    # The commune's own norm is nearer than the province's; another year has none.
    _norm(client, admin, commune, year=2025, kind="new_build", least=None, most=75_000_000)
    created(post(client, "/houses", treasurer, _house(household, 75_000_000)))
    other_year = {**_house(household, 75_000_000), "approved_on": "2024-06-01"}
    position = created(post(client, "/houses", treasurer, other_year))["position"]
    norms = ok(
        get(client, f"/units/{commune}/house-norms", treasurer, year=2025, min_position=position)
    )
    shown = {(n["kind"], n["set_by_unit_name"], n["most"]) for n in norms["items"]}
    assert shown == {
        ("new_build", "Xã Thạch Lạc", 75_000_000),
        ("repair", "Tỉnh Hà Tĩnh", 30_000_000),
    }
    assert norms["default_most"] == {"new_build": 100_000_000, "repair": 50_000_000}
