"""What every request passes before its route and every answer carries after it.

Before: a NUL character anywhere in the path, the query string or a form is refused
(400), whatever the route; the public routes (past their gate, web/public_gate.py)
answer 304 to a client whose copy is still current.

After: the security headers (Content-Security-Policy, nosniff, frame-ancestors,
Referrer-Policy), ``Cache-Control: no-store`` on every answer to a signed-in caller,
and ``ETag`` with ``max-age`` on public pages and statements.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version

from flask import Flask, Response, g, request

from service.domain.clock import VIETNAM
from service.web.context import services
from service.web.errors import BadRequest
from service.web.public_gate import PUBLIC_PREFIXES

#: The pages behind a login: the inspectors' and the treasurers'; one session opens both.
#: A person's account pages (activation, login) keep their session in the same cookie.
SIGNED_IN_PREFIXES = ("/thanh-tra/", "/thu-quy/", "/tai-khoan/")
#: The app's setting holding the CSP hashes of the pages' inline style sheets.
STYLE_HASHES = "SOVANG_STYLE_HASHES"
NUL_DETAIL = (
    "Yêu cầu chứa ký tự NUL (mã 0) {where}; không có dữ liệu nào chứa ký tự này. "
    "Hãy bỏ ký tự đó và gửi lại."
)
#: The API documentation page loads Swagger UI's script and styles from this service.
DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
#: Answers that are no page (JSON, CSV) load nothing at all.
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"

try:
    RELEASE = version("sovang")
except PackageNotFoundError:  # pragma: no cover - run from a source tree
    RELEASE = "0"


def refuse_nul(text: str, where: str) -> None:
    """Refuses text holding NUL: PostgreSQL stores no such text, and no field needs it."""
    if "\x00" in text:
        raise BadRequest(NUL_DETAIL.format(where=where), status=400, code="nul-character")


def page_policy(style_hashes: list[str], *, scripts: bool = False) -> str:
    """The pages' policy: their own inline style sheet (by its hash), nothing else; with
    ``scripts``, also script files of this service (never inline script)."""
    styles = " ".join(f"'sha256-{h}'" for h in style_hashes) or "'none'"
    script = "script-src 'self'; " if scripts else ""
    return (
        f"default-src 'none'; {script}style-src {styles}; img-src 'self' data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )


def init_app(app: Flask) -> None:
    @app.before_request
    def no_nul() -> None:
        refuse_nul(request.path, "trong đường dẫn")
        for key, value in request.args.items(multi=True):
            refuse_nul(key + value, "trong chuỗi truy vấn")
        if request.mimetype == "application/x-www-form-urlencoded":
            for key, value in request.form.items(multi=True):
                refuse_nul(key + value, "trong biểu mẫu")

    @app.before_request
    def unchanged_public_copy() -> Response | None:
        if not request.path.startswith(PUBLIC_PREFIXES):
            return None
        g.public = True
        svc = services()
        if request.method not in ("GET", "HEAD"):
            return None
        with svc.public_db.transaction() as tx:
            position = svc.runner.position_in(tx)
        g.public_etag = _public_etag(position)
        if g.public_etag in request.if_none_match:
            unchanged = Response(status=304)
            _cacheable(unchanged)
            return unchanged
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault("Content-Security-Policy", _policy(app, response))
        if "Authorization" in request.headers or request.path.startswith(SIGNED_IN_PREFIXES):
            response.headers["Cache-Control"] = "no-store"
        elif g.get("public_etag") and response.status_code == 200:
            _cacheable(response)
        return response


def _policy(app: Flask, response: Response) -> str:
    if response.mimetype != "text/html":
        return DATA_POLICY
    if request.path.startswith("/docs"):
        return DOCS_POLICY
    return page_policy(app.config.get(STYLE_HASHES, []))


def _public_etag(position: int) -> str:
    """Names what a public answer is made of: the read models' position, the day (for the
    default periods), the exact request and the release that renders it."""
    today = datetime.now(VIETNAM).date().isoformat()
    accept = request.headers.get("Accept", "")
    seed = "\n".join([RELEASE, today, str(position), request.full_path, accept])
    return hashlib.sha256(seed.encode()).hexdigest()[:32]


def _cacheable(response: Response) -> None:
    response.set_etag(g.public_etag)
    response.headers["Cache-Control"] = f"public, max-age={services().config.public_max_age}"
    response.vary.add("Accept")
