"""Thanks to donors: a letter or certificate for a gift or a donor's gifts over a period,
or one for each donor of an appeal above a threshold; a PDF with a page each carrying the
gift's public proof as a QR code; recorded, so the donor's history lists what was sent."""

from __future__ import annotations

import io

import pypdf
import zxingcpp
from flask.testing import FlaskClient
from PIL import Image

from tests.api.helpers import (
    MakeToken,
    auth,
    commune_with_fund,
    created,
    get,
    invalid,
    ok,
    post,
    problem,
    receive,
)


def _donor(name: str, kind: str = "individual") -> dict[str, str]:
    return {"name": name, "kind": kind}


def test_a_letter_for_one_gift_carries_its_proof_and_the_donors_history_lists_it(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    gift = receive(client, world.treasurer, world.fund_id, 2_500_000, donor=_donor("Lê Thị Hoa"))
    ok(get(client, f"/funds/{world.fund_id}", world.treasurer, min_position=gift["position"]))
    issued = created(
        post(
            client,
            f"/funds/{world.fund_id}/thanks",
            world.treasurer,
            {"kind": "certificate", "entry_id": gift["entry_id"]},
        )
    )
    assert issued["count"] == 1
    document = client.get(
        issued["pdf"],
        query_string={"min_position": issued["position"]},
        headers=auth(world.treasurer),
    )
    assert document.status_code == 200
    assert document.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(document.data))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    for words in ("GIẤY CHỨNG NHẬN", "Lê Thị Hoa", "2.500.000 đ", "(Đóng dấu)", "CHỦ TỊCH"):
        assert words in text, (words, text)
    image = next(iter(reader.pages[0].images)).image
    assert isinstance(image, Image.Image)
    decoded = [code.text for code in zxingcpp.read_barcodes(image)]
    assert decoded == [f"http://localhost/cong-khai/bien-lai/{gift['entry_id']}"]

    history = ok(
        get(
            client,
            f"/units/{world.commune_id}/donors/history",
            world.treasurer,
            name="LE THI HOA",
        )
    )
    assert [(t["kind"], t["amount"]) for t in history["thanks"]] == [("certificate", 2_500_000)]

    viewer = make_token("viewer", world.commune_id)
    problem(
        post(client, f"/funds/{world.fund_id}/thanks", viewer, {"entry_id": gift["entry_id"]}),
        403,
    )
    invalid(post(client, f"/funds/{world.fund_id}/thanks", world.treasurer, {}), "entry_id")
    anonymous = receive(client, world.treasurer, world.fund_id, donor=_donor("", "anonymous"))
    refused = invalid(
        post(
            client,
            f"/funds/{world.fund_id}/thanks",
            world.treasurer,
            {"entry_id": anonymous["entry_id"]},
        ),
        "entry_id",
    )
    assert "giấu tên" in refused["detail"]


def test_letters_in_bulk_go_to_each_donor_above_the_threshold_a_page_each(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    for amount, name, day in [
        (3_000_000, "Công ty TNHH Minh Phát", "2025-10-01"),
        (2_000_000, "CONG TY TNHH MINH PHAT", "2025-10-05"),
        (1_000_000, "Phạm Văn Tâm", "2025-10-02"),
        (800_000, "Phạm Văn Tâm", "2025-10-03"),
        (500_000, "Đỗ Thị Lan", "2025-10-04"),
        (9_000_000, "Đỗ Thị Lan", "2025-12-01"),
    ]:
        last = receive(
            client,
            world.treasurer,
            world.fund_id,
            amount,
            occurred_on=day,
            donor=_donor(name, "organisation" if "TNHH" in name.upper() else "individual"),
        )
    ok(get(client, f"/funds/{world.fund_id}", world.treasurer, min_position=last["position"]))
    appeal = {"from": "2025-10-01", "to": "2025-10-31", "threshold": 1_500_000}
    issued = created(post(client, f"/funds/{world.fund_id}/thanks/bulk", world.treasurer, appeal))
    assert issued["count"] == 2
    document = client.get(
        issued["pdf"],
        query_string={"min_position": issued["position"]},
        headers=auth(world.treasurer),
    )
    pages = [
        " ".join(page.extract_text().split())
        for page in pypdf.PdfReader(io.BytesIO(document.data)).pages
    ]
    assert len(pages) == 2
    assert "5.000.000 đ (2 khoản" in pages[0]
    assert "1.800.000 đ (2 khoản" in pages[1]
    assert "THƯ CẢM ƠN" in pages[1]

    single = created(
        post(
            client,
            f"/funds/{world.fund_id}/thanks",
            world.treasurer,
            {"donor_name": "do thi lan", "from": "2025-10-01", "to": "2025-12-31"},
        )
    )
    history = ok(
        get(
            client,
            f"/units/{world.province_id}/donors/history",
            world.admin,
            name="Đỗ Thị Lan",
            min_position=single["position"],
        )
    )
    assert [t["amount"] for t in history["thanks"]] == [9_500_000]
    none = post(
        client,
        f"/funds/{world.fund_id}/thanks/bulk",
        world.treasurer,
        {**appeal, "threshold": 10**9},
    )
    invalid(none, "threshold")
    other = make_token("treasurer", world.province_id)
    assert client.get(issued["pdf"], headers=auth(other)).status_code == 200
    stranger = commune_with_fund(client, make_token)
    assert client.get(issued["pdf"], headers=auth(stranger.treasurer)).status_code == 403
