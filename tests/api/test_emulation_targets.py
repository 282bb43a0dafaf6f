"""Targets that are not money (chỉ tiêu thi đua): "Mặt trận quận và các phường tổ chức ...
từ 2 đến 3 cuộc giám sát", "gia đình văn hóa đạt trên 97%", houses built in the year; set
per unit and year and reported against what the records show."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    created,
    get,
    house_under_way,
    invalid,
    ok,
    open_fund,
    post,
    problem,
    register_household,
    register_unit,
)

THIS_YEAR = date.today().year


def _target(client: FlaskClient, token: str, unit: str, **body: Any) -> Any:
    return client.put(
        f"/api/v1/units/{unit}/emulation-targets",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
    )


def test_emulation_targets_are_reported_against_their_achievement(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin = make_token("admin", name="Quản trị viên")
    city = register_unit(client, admin, "Thành phố Hà Nội", "province")["id"]
    district = register_unit(client, admin, "Quận Bắc Từ Liêm", "district", city)["id"]
    ward = register_unit(client, admin, "Phường Cổ Nhuế 1", "commune", district)["id"]
    treasurer = make_token("treasurer", ward, name="Thủ quỹ phường")
    fund = open_fund(client, treasurer, ward)["id"]
    # Supervisions held this year: two by the district's board, one by the ward's.
    for board, title in ((district, "Giám sát 1"), (district, "Giám sát 2"), (ward, "Giám sát 3")):
        inspector = make_token("inspector", board, name=f"Ban Giám sát {title}")
        body = {"subject": {"kind": "fund", "fund_id": fund}, "title": title}
        created(post(client, "/supervisions", inspector, body))
    # One house handed over in 2025.
    household = register_household(client, treasurer, ward)
    house = house_under_way(client, treasurer, household, 40_000_000)
    handover = {"stage": "handed_over", "on": "2025-02-01", "evidence": ["BIEN-BAN-BAN-GIAO"]}
    created(post(client, f"/houses/{house}/stages", treasurer, handover))

    head = make_token("approver", district, name="Chủ tịch quận")
    for year, kind, amount, reported in (
        (THIS_YEAR, "supervisions", 3, None),
        (THIS_YEAR, "cultural_families_pct", 97, 95),
        (2025, "houses_built", 2, None),
    ):
        answer = _target(
            client, head, district, year=year, kind=kind, amount=amount, reported=reported
        )
        assert answer.status_code == 200, answer.get_data(as_text=True)
    position = answer.get_json()["position"]

    now = ok(
        get(
            client,
            f"/units/{district}/emulation-targets",
            admin,
            year=THIS_YEAR,
            min_position=position,
        )
    )
    assert [
        (i["kind"], i["target"], i["achieved"], i["achievement_pct"]) for i in now["items"]
    ] == [
        ("cultural_families_pct", 97, 95, 97.9),
        ("supervisions", 3, 3, 100.0),
    ]
    houses = ok(get(client, f"/units/{district}/emulation-targets", admin, year=2025))
    assert houses["items"] == [
        {"year": 2025, "kind": "houses_built", "target": 2, "achieved": 1, "achievement_pct": 50.0}
    ]
    # The ward's board alone held one; the ward has no target of its own.
    assert ok(get(client, f"/units/{ward}/emulation-targets", admin, year=THIS_YEAR))["items"] == []

    counted = _target(
        client, head, district, year=THIS_YEAR, kind="supervisions", amount=3, reported=2
    )
    invalid(counted, "reported")
    invalid(
        _target(client, head, district, year=THIS_YEAR, kind="cultural_families_pct", amount=120),
        "amount",
    )
    problem(
        _target(
            client,
            make_token("viewer", district),
            district,
            year=2025,
            kind="houses_built",
            amount=1,
        ),
        403,
    )
