"""The printable slips under /thu-quy/phieu/: a cash receipt's phiếu thu and a cash
payment's phiếu chi, as an A5 page and an A5 PDF, each with the QR code of its public
proof page; bank movements and goods are refused with the document they carry; the
slips are behind the login and the reader's reach."""

from __future__ import annotations

import html
import io
import re

import pypdf
import zxingcpp
from flask.testing import FlaskClient
from PIL import Image

from service.domain.money import vnd
from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    disburse,
    login,
    open_fund,
    receive,
    register_household,
    register_unit,
)

SLIPS = "/thu-quy/phieu"


def test_a_cash_receipt_prints_a_phieu_thu_with_its_number_amount_in_words_and_proof(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    gift = receive(
        client,
        world.treasurer,
        world.fund_id,
        1_200_000,
        occurred_on="2025-03-05",
        donor={"name": "Trần Thị Bình", "kind": "individual"},
        note="Ủng hộ Tết vì người nghèo",
    )
    login(client, world.treasurer)

    answer = client.get(f"{SLIPS}/{gift['entry_id']}")

    assert answer.status_code == 200, answer.get_data(as_text=True)
    text = html.unescape(answer.get_data(as_text=True))
    assert "PHIẾU THU" in text
    assert "Mẫu số C40-BB" in text
    assert gift["slip_ref"] in text
    assert "Ngày 05 tháng 03 năm 2025" in text
    assert vnd(1_200_000) in text
    assert "Một triệu hai trăm nghìn đồng chẵn" in text
    assert "Trần Thị Bình" in text
    assert "Ủng hộ Tết vì người nghèo" in text
    for signer in ("Thủ trưởng đơn vị", "Kế toán trưởng", "Người nộp tiền", "Thủ quỹ"):
        assert signer in text
    assert "@page{size:A5" in text
    proof = f"http://localhost/cong-khai/bien-lai/{gift['slip_ref']}"
    assert f'href="{proof}"' in text
    assert "<svg" in text
    assert answer.headers["Cache-Control"] == "no-store"

    document = client.get(f"{SLIPS}/{gift['entry_id']}.pdf")
    assert document.status_code == 200
    assert document.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(document.data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (148, 210)
    words = reader.pages[0].extract_text()
    assert gift["slip_ref"] in words
    assert "Một triệu hai trăm nghìn đồng chẵn" in words
    images = list(reader.pages[0].images)
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(images[0].data)))]
    assert decoded == [proof]
    assert client.get(f"{SLIPS}/{gift['entry_id']}.pdf").data == document.data


def test_a_cash_payment_prints_a_phieu_chi_naming_the_household_as_the_reader_may_see_it(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    receive(client, world.treasurer, world.fund_id, 5_000_000)
    household = register_household(client, world.treasurer, world.commune_id, head_name="Lê Văn Tư")
    paid = disburse(
        client, world.treasurer, world.fund_id, 1_005_000, household_id=household, note="Quà Tết"
    )
    login(client, world.treasurer)

    text = html.unescape(client.get(f"{SLIPS}/{paid['entry_id']}").get_data(as_text=True))

    assert "PHIẾU CHI" in text
    assert "Mẫu số C41-BB" in text
    assert paid["slip_ref"] in text
    assert "Một triệu không trăm linh năm nghìn đồng chẵn" in text
    assert "Người nhận tiền" in text
    assert "Lê Văn Tư" not in text  # the treasurer's token is not granted personal data
    assert re.search(r'data-figure="person">L[^<]*T\.', text), text
    assert f"http://localhost/cong-khai/quy/{world.fund_id}" in text


def test_bank_receipts_and_goods_have_no_cash_slip_and_the_page_says_which_document_they_carry(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    by_bank = receive(client, world.treasurer, world.fund_id, channel="bank", bank_ref="FT2506")
    goods = receive(client, world.treasurer, world.fund_id, channel="in_kind")
    login(client, world.treasurer)

    bank_page = client.get(f"{SLIPS}/{by_bank['entry_id']}")
    goods_page = client.get(f"{SLIPS}/{goods['entry_id']}.pdf")

    assert bank_page.status_code == 409
    assert bank_page.mimetype == goods_page.mimetype == "text/html"
    assert "giấy báo Có của ngân hàng (mã giao dịch FT2506)" in html.unescape(
        bank_page.get_data(as_text=True)
    )
    assert goods_page.status_code == 409
    assert "biên bản giao nhận hiện vật" in html.unescape(goods_page.get_data(as_text=True))


def test_a_slip_needs_the_login_and_a_reader_who_reaches_the_fund(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    gift = receive(client, world.treasurer, world.fund_id)
    other_unit = register_unit(client, world.admin, "Xã Vĩnh Linh", "commune", world.province_id)
    stranger = make_token("treasurer", other_unit["id"])
    open_fund(client, stranger, other_unit["id"])

    signed_out = client.get(f"{SLIPS}/{gift['entry_id']}")
    login(client, stranger)
    outside = client.get(f"{SLIPS}/{gift['entry_id']}")
    unknown = client.get(f"{SLIPS}/00000000-0000-4000-8000-000000000000")

    assert signed_out.status_code == 303
    assert "/thanh-tra/dang-nhap" in signed_out.headers["Location"]
    assert outside.status_code == 403
    assert unknown.status_code == 404
    assert "Hãy mở phiếu từ sổ quỹ" in html.unescape(unknown.get_data(as_text=True))


def test_only_the_proof_page_may_run_a_script_and_it_carries_its_figures_for_readers_without_one(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    gift = receive(client, world.treasurer, world.fund_id, 750_000)
    signed = client.post(
        "/api/v1/audit/checkpoints", headers={"Authorization": f"Bearer {world.admin}"}
    )
    assert signed.status_code == 201, signed.get_data(as_text=True)
    client.application.extensions["sovang"].runner.catch_up()

    proof = client.get(f"/cong-khai/bien-lai/{gift['slip_ref']}")
    statement = client.get(f"/cong-khai/quy/{world.fund_id}")
    script = client.get("/cong-khai/tep/proof.js")

    assert proof.status_code == statement.status_code == script.status_code == 200
    assert "script-src 'self';" in proof.headers["Content-Security-Policy"]
    assert "script-src" not in statement.headers["Content-Security-Policy"]
    text = proof.get_data(as_text=True)
    assert '<script src="/cong-khai/tep/proof.js" defer></script>' in text
    assert "<script>" not in text
    assert re.search(r'data-leaf-index="\d+" data-tree-size="\d+" data-leaf-hash="[^"]{44}"', text)
    key = client.get("/api/v1/audit/key").get_json()["verifier_key"]
    assert f'data-log-key="{html.escape(key)}"' in text
    assert vnd(750_000) in text
    assert script.mimetype == "text/javascript"
    assert b"crypto.subtle" in script.data
