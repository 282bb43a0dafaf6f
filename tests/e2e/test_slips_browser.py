"""A treasurer's phone prints a receipt slip, and a donor scans it: the real `sovang serve`
in Debian's headless Chromium 360 px wide. The treasurer logs in with a token, records a
cash gift through the API and opens its phiếu thu (amount in words, A5 when printed);
the slip's QR code, read back from a screenshot, opens the public proof page, whose
script checks the inclusion proof and the checkpoint's signature in the browser. The
script is also run on the reference Merkle test vectors. Screenshots go to
tests/artifacts/."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pypdf
import pytest
import zxingcpp
from PIL import Image

from service.domain.checkpoints import TreeHead
from service.domain.notes import Signer
from tests.e2e.test_browser import (  # the shared browser, phone and server fixtures
    ARTIFACTS,
    Browser,
    Page,
    _caught_up,
    _fits_the_phone,
    _no_serious_violations,
    phone,  # noqa: F401
    signing_server,  # noqa: F401
)
from tests.e2e.test_serve import Server

pytestmark = pytest.mark.e2e

PROOF_JS = Path(__file__).resolve().parents[2] / "service" / "pages" / "static" / "proof.js"
VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "merkle" / "inclusion"
SCRIPT = "text/javascript; charset=utf-8"
A5_POINTS = (round(148 / 25.4 * 72), round(210 / 25.4 * 72))


def _a5_pages(document: bytes) -> list[str]:
    """The text of each page of a PDF, once every page was found to be A5 portrait."""
    reader = pypdf.PdfReader(io.BytesIO(document))
    for sheet in reader.pages:
        size = (round(float(sheet.mediabox.width)), round(float(sheet.mediabox.height)))
        assert size == A5_POINTS, size
    return [sheet.extract_text() for sheet in reader.pages]


def test_the_proof_script_agrees_with_the_reference_merkle_vectors_and_checks_signatures(
    browser: Browser,
) -> None:
    cases = []
    for path in sorted(VECTORS.rglob("*.json")):
        case = json.loads(path.read_text())
        case["leafIdx"], case["treeSize"] = str(case["leafIdx"]), str(case["treeSize"])
        cases.append({"name": str(path.relative_to(VECTORS)), **case})
    assert len(cases) > 90
    # A key whose base64 holds a "+", the separator of the key's text form.
    signer = next(
        key
        for key in iter(lambda: Signer.generate("sovang.vn/log"), None)
        if "+" in str(key.verifier).split("+", 2)[2]
    )
    head = TreeHead("sovang.vn/log", 8, base64.b64decode(cases[0]["root"]))
    note = head.text + "\n" + signer.sign(head.text)
    forged = note.replace("\n8\n", "\n9\n")
    context = browser.new_context()
    page = context.new_page()
    try:
        # WebCrypto's digests need a secure context: localhost is one, served from here.
        page.route(
            "http://localhost/vectors",
            lambda route: route.fulfill(
                content_type="text/html",
                body='<!doctype html><title>vectors</title><script src="/proof.js"></script>',
            ),
        )
        page.route(
            "http://localhost/proof.js",
            lambda route: route.fulfill(content_type=SCRIPT, path=PROOF_JS),
        )
        page.goto("http://localhost/vectors")
        accepted = page.evaluate(
            """async (cases) => {
                const out = {};
                for (const c of cases) {
                    try {
                        out[c.name] = await SovangProof.verifyInclusion(
                            c.leafIdx, c.treeSize, c.leafHash, c.proof, c.root);
                    } catch (error) {
                        if (!(error instanceof SovangProof.ProofError)) throw error;
                        out[c.name] = false;
                    }
                }
                return out;
            }""",
            cases,
        )
        signatures = page.evaluate(
            """async ([notes, key, size, root]) => {
                const out = [];
                for (const note of notes) {
                    try {
                        out.push(await SovangProof.verifyCheckpoint(note, key, size, root));
                    } catch (error) {
                        out.push(error.message);
                    }
                }
                return out;
            }""",
            [[note, forged], str(signer.verifier), "8", cases[0]["root"]],
        )
    finally:
        context.close()

    assert accepted == {c["name"]: not c["wantErr"] for c in cases}
    assert signatures == [True, "điểm kiểm tra không khớp với kích thước cây và gốc trên trang"]


def test_a_treasurer_prints_a_receipt_slip_whose_qr_code_opens_a_proof_that_verifies(
    signing_server: Server,  # noqa: F811 - the fixture imported above
    phone: Page,  # noqa: F811
    request: pytest.FixtureRequest,
) -> None:
    served = signing_server
    store = request.node.callspec.id
    ARTIFACTS.mkdir(exist_ok=True)
    admin = served.token("admin")
    province = served.api(
        "POST", "/units", admin, {"name": "Tỉnh Quảng Trị", "level": "province"}, expect=201
    )
    commune = served.api(
        "POST",
        "/units",
        admin,
        {"name": "Xã Cẩm Bình", "level": "commune", "parent_id": province["id"]},
        expect=201,
    )
    treasurer = served.token("treasurer", commune["id"], "Thủ quỹ xã Cẩm Bình")
    fund = served.api(
        "POST",
        "/funds",
        treasurer,
        {"unit_id": commune["id"], "name": "Quỹ Vì người nghèo Cẩm Bình", "kind": "for_the_poor"},
        expect=201,
    )

    # The treasurer logs in on the phone, and a cash gift is recorded.
    phone.goto(f"{served.root}/thanh-tra/dang-nhap")
    phone.get_by_label("Mã truy cập").fill(treasurer)
    phone.get_by_role("button", name="Đăng nhập bằng mã truy cập").click()
    phone.wait_for_url("**/thu-quy/")
    gift = served.api(
        "POST",
        f"/funds/{fund['id']}/receipts",
        treasurer,
        {
            "amount": 1_200_000,
            "occurred_on": "2026-01-15",
            "donor": {"name": "Nguyễn Thị Hằng", "kind": "individual"},
            "channel": "cash",
            "note": "Ủng hộ Tết vì người nghèo",
        },
        expect=201,
    )
    _caught_up(served)
    served.api("POST", "/audit/checkpoints", admin, expect=201)
    _caught_up(served)

    # Its phiếu thu, on the phone.
    phone.goto(f"{served.root}/thu-quy/phieu/{gift['entry_id']}")
    assert phone.locator("h1").inner_text() == "PHIẾU THU"
    assert phone.locator('[data-figure="slip_ref"]').inner_text() == gift["slip_ref"]
    words = phone.locator('[data-figure="amount_in_words"]').inner_text()
    assert words == "Một triệu hai trăm nghìn đồng chẵn"
    assert phone.locator('[data-figure="person"]').inner_text() == "Nguyễn Thị Hằng"
    _fits_the_phone(phone)
    _no_serious_violations(phone)
    phone.screenshot(path=str(ARTIFACTS / f"phieu-thu-360-{store}.png"), full_page=True)

    # Printed: the menu bar and the help go, the page is A5 and the slip fits one sheet.
    phone.emulate_media(media="print")
    assert phone.locator(".bar").is_hidden()
    assert phone.locator(".help").is_hidden()
    phone.screenshot(path=str(ARTIFACTS / f"phieu-thu-in-{store}.png"), full_page=True)
    printed = _a5_pages(phone.pdf(prefer_css_page_size=True, print_background=True))
    assert len(printed) == 1
    assert gift["slip_ref"] in printed[0]
    phone.emulate_media(media="screen")

    # The archive copy: an A5 PDF holding the slip number.
    archived = phone.context.request.get(f"{served.root}/thu-quy/phieu/{gift['entry_id']}.pdf")
    assert archived.status == 200
    assert archived.headers["content-type"] == "application/pdf"
    (archive_text,) = _a5_pages(archived.body())
    assert gift["slip_ref"] in archive_text

    # The donor scans the slip's QR code and lands on the proof, checked in the browser.
    code = Image.open(io.BytesIO(phone.locator("#ma-qr svg").screenshot()))
    (scanned,) = [found.text for found in zxingcpp.read_barcodes(code)]
    assert scanned == f"{served.root}/cong-khai/bien-lai/{gift['slip_ref']}"
    phone.goto(scanned)
    verdict = phone.locator(".verdict[data-verified]")
    verdict.wait_for(timeout=10_000)
    assert verdict.get_attribute("data-verified") == "yes", verdict.inner_text()
    assert verdict.inner_text().startswith("Đã kiểm chứng")
    assert "chữ ký đúng của sổ" in verdict.inner_text()
    _fits_the_phone(phone)
    _no_serious_violations(phone)
    phone.screenshot(path=str(ARTIFACTS / f"bang-chung-da-kiem-360-{store}.png"), full_page=True)
