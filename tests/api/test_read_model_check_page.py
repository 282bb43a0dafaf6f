"""The verification page runs the read models' check, as `sovang projections check`."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.api.helpers import PAGES, MakeToken, csrf_of, login, page
from tests.api.test_inspector_pages import build, text_of


def test_the_verification_page_checks_the_read_models_and_names_a_balance_changed_by_hand(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = build(client, make_token)
    login(client, world.inspector_a)
    viewer = client.application.test_client()
    login(viewer, make_token("viewer", world.commune_a, name="Cổng thông tin"))

    def check() -> str:
        ran = client.post(
            f"{PAGES}/kiem-chung/bang-doc",
            data={"csrf_token": csrf_of(page(client, "/kiem-chung"))},
        )
        assert ran.status_code == 303
        return text_of(page(client, "/kiem-chung"))

    assert "Các bảng đọc khớp với sổ" in check()
    db = client.application.extensions["sovang"].db
    with db.transaction(write=True) as tx:
        tx.execute(
            "UPDATE funds SET balance = balance + 1000000000 WHERE id = :id", {"id": world.fund_a}
        )
    result = check()
    assert "Bảng đọc KHÔNG khớp với sổ" in result
    assert f"bảng funds, dòng (id = {world.fund_a}), cột balance" in result

    refused = viewer.post(
        f"{PAGES}/kiem-chung/bang-doc",
        data={"csrf_token": csrf_of(page(viewer, "/kiem-chung"))},
    )
    assert refused.status_code == 403


def test_an_export_naming_a_checkpoint_says_its_figures_were_not_checked_against_the_log(
    client: FlaskClient, make_token: MakeToken
) -> None:
    from tests.api.test_exports import _csv, _export, _labelled, _sign, _xlsx, _year

    year = _year(client, make_token)
    checkpoint = _sign(client, year.admin)
    for path, params in (
        (f"/units/{year.province_id}/report", {"from": "2025-01-01", "to": "2025-12-31"}),
        (f"/funds/{year.fund_id}/books/receipts", {"year": 2025}),
        (f"/units/{year.province_id}/summary", {"year": 2025}),
    ):
        for form, read in (("csv-vi", _csv), ("xlsx", _xlsx)):
            response = _export(
                client, year.admin, path, checkpoint["position"], format=form, **params
            )
            figures = _labelled(read(response))
            assert "Điểm kiểm tra - gốc (root hash)" in figures, (path, form)
            said = figures["Đối chiếu số liệu với sổ sự kiện"]
            assert said.startswith("Chưa đối chiếu"), (path, form)
            assert "sovang projections check" in said
