"""The public routes' gate, in front of the whole application: each address has a budget
of requests (429 with Retry-After once it is spent), and each process runs at most as
many public requests at once as the public reads have connections (503 with Retry-After
beyond), so the other threads stay free for those who keep the books.

Refusals are made here, before Flask builds a request, so that a flood costs little.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from service.adapters.throttle import LocalRate

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from service.config import Config

#: Routes anyone may read without a token.
PUBLIC_PREFIXES = ("/api/v1/public/", "/cong-khai/")
PROBLEM_BASE = "https://sovang.vn/problems/"
BUSY = "Các trang công khai đang có quá nhiều người xem cùng lúc; hãy thử lại sau {seconds} giây."
TOO_MANY = (
    "Địa chỉ của bạn đã gửi quá nhiều yêu cầu tới các trang công khai; hãy thử lại sau "
    "{seconds} giây."
)


class PublicGate:
    def __init__(self, app: WSGIApplication, config: Config) -> None:
        self.app = app
        self.budget = LocalRate(config.public_requests_per_minute, config.public_burst)
        self.running = threading.BoundedSemaphore(max(1, config.public_pool_size))

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Any:
        if not environ.get("PATH_INFO", "").startswith(PUBLIC_PREFIXES):
            return self.app(environ, start_response)
        wait = self.budget.wait(environ.get("REMOTE_ADDR") or "unknown")
        if wait:
            return _refuse(
                environ,
                start_response,
                429,
                "too-many-requests",
                "Quá nhiều yêu cầu",
                TOO_MANY.format(seconds=wait),
                wait,
            )
        if not self.running.acquire(blocking=False):
            return _refuse(
                environ,
                start_response,
                503,
                "public-busy",
                "Đang quá tải",
                BUSY.format(seconds=1),
                1,
            )
        try:
            # A streamed answer (the statement's CSV) is sent after this returns; its
            # later pages still read through the public pool, bounded like the rest.
            return self.app(environ, start_response)
        finally:
            self.running.release()


def _refuse(
    environ: WSGIEnvironment,
    start_response: StartResponse,
    status: int,
    code: str,
    title: str,
    detail: str,
    retry_after: int,
) -> Iterable[bytes]:
    if environ.get("PATH_INFO", "").startswith("/api/"):
        body = json.dumps(
            {"type": PROBLEM_BASE + code, "title": title, "status": status, "detail": detail},
            ensure_ascii=False,
        ).encode()
        mimetype = "application/problem+json"
    else:
        body = (
            '<!doctype html><html lang="vi"><meta charset="utf-8">'
            f"<title>{title} · Sổ Vàng</title><h1>{title}</h1><p>{detail}</p></html>"
        ).encode()
        mimetype = "text/html; charset=utf-8"
    reason = {429: "Too Many Requests", 503: "Service Unavailable"}[status]
    start_response(
        f"{status} {reason}",
        [
            ("Content-Type", mimetype),
            ("Content-Length", str(len(body))),
            ("Retry-After", str(retry_after)),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
            ("Referrer-Policy", "same-origin"),
        ],
    )
    return [body]
