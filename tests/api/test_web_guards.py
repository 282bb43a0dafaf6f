"""What every request and answer passes: NUL bytes refused anywhere, the security
headers, no-store for signed-in callers, an upload refused before it is read."""

from __future__ import annotations

import base64
import hashlib
import io
import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.api.helpers import (
    API,
    PAGES,
    MakeToken,
    auth,
    commune_with_fund,
    created,
    login,
    post,
    problem,
    receipt,
)


def test_a_nul_byte_in_a_path_a_query_or_a_form_is_refused_with_400_everywhere(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    created(post(client, f"/funds/{world.fund_id}/receipts", world.treasurer, receipt(50_000)))

    api_answers = [
        client.get(f"{API}/public/receipts/%00"),
        client.get(f"{API}/public/funds/{world.fund_id}/statement?q=%00"),
        client.get(f"{API}/units/{world.commune_id}?x%00=1", headers=auth(world.admin)),
    ]
    page_answers = [
        client.get("/cong-khai/bien-lai/%00"),
        client.get(f"/cong-khai/quy/{world.fund_id}?q=%00"),
        client.get(f"/cong-khai/quy/{world.fund_id}?q=An%00"),
        client.post(f"{PAGES}/dang-nhap", data={"token": "sv_\x00", "csrf_token": "x"}),
    ]

    for answer in api_answers:
        body = problem(answer, 400, "nul-character")
        assert "ký tự NUL" in body["detail"]
    for answer in page_answers:
        assert answer.status_code == 400, answer.get_data(as_text=True)
        assert answer.mimetype == "text/html"
        assert "ký tự NUL" in answer.get_data(as_text=True)


def upload(client: FlaskClient, token: str, fund_id: str, filename: str) -> Any:
    return client.post(
        f"{API}/funds/{fund_id}/imports",
        data={"file": (io.BytesIO(b"Ngay,So tien\n"), filename)},
        query_string={"preset": "vietcombank"},
        headers=auth(token),
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize("filename", ["x.\x00", "sao-ke." + "a" * 300, "\x00.csv"])
def test_an_import_file_named_with_nul_or_too_long_is_refused_not_a_500(
    client: FlaskClient, make_token: MakeToken, filename: str
) -> None:
    world = commune_with_fund(client, make_token)

    answer = upload(client, world.treasurer, world.fund_id, filename)

    assert answer.status_code in (400, 422), answer.get_data(as_text=True)
    body = problem(answer, answer.status_code)
    assert "tên tệp" in body["detail"] or "ký tự NUL" in body["detail"]


class CountingStream(io.RawIOBase):
    """A request body of ``size`` bytes that counts what the server reads of it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.read_bytes

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.size if whence == 2 else offset

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), self.size - self.read_bytes)
        buffer[:n] = b"a" * n
        self.read_bytes += n
        return n


def test_a_viewers_upload_is_refused_before_its_body_is_read(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    viewer = make_token("viewer", world.commune_id, name="Người xem")
    body = CountingStream(30 * 1024 * 1024)

    answer = client.post(
        f"{API}/funds/{world.fund_id}/imports",
        query_string={"preset": "vietcombank"},
        headers=auth(viewer),
        input_stream=body,  # type: ignore[arg-type]
        content_length=body.size,
        content_type="multipart/form-data; boundary=----x",
    )

    problem(answer, 403)
    assert body.read_bytes == 0


def style_hash(page: str) -> str:
    found = re.search(r"<style>(.*?)</style>", page, re.S)
    assert found, page[:500]
    return base64.b64encode(hashlib.sha256(found.group(1).encode()).digest()).decode()


def test_pages_send_a_content_security_policy_naming_their_style_by_hash(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    public = client.get(f"/cong-khai/quy/{world.fund_id}")
    login_form = client.get(f"{PAGES}/dang-nhap")
    api = client.get(f"{API}/public/funds/{world.fund_id}/statement")

    for answer in (public, login_form):
        policy = answer.headers["Content-Security-Policy"]
        assert f"'sha256-{style_hash(answer.get_data(as_text=True))}'" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert "default-src 'none'" in policy
    for answer in (public, login_form, api):
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Referrer-Policy"] == "same-origin"
        assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]


def test_answers_to_a_signed_in_caller_are_never_stored(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    client.application.extensions["sovang"].runner.catch_up()
    login(client, world.admin)

    answers = [
        client.get(f"{API}/units/{world.commune_id}", headers=auth(world.admin)),
        client.get(f"{API}/funds/{world.fund_id}", headers=auth(world.treasurer)),
        client.get(f"{API}/units", headers=auth("sv_wrong")),
        client.get(f"{PAGES}/"),
        client.get(f"{PAGES}/dang-nhap"),
    ]

    assert [a.status_code for a in answers] == [200, 200, 401, 200, 200]
    assert all(a.headers["Cache-Control"] == "no-store" for a in answers)
