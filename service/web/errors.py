"""Every error as RFC 9457 problem+json, mapped to HTTP in this one place."""

from __future__ import annotations

import logging
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError
from flask import (
    Flask,
    Response,
    current_app,
    has_request_context,
    jsonify,
    render_template,
    request,
)
from werkzeug.exceptions import HTTPException

from service.adapters.bank_feeds import NotificationUnauthenticated
from service.adapters.db import StoreUnavailable
from service.adapters.fund_locks import FundBusy
from service.adapters.keyfiles import KeyFileUnavailable
from service.adapters.log_recorders import EventOutsideLog
from service.adapters.personal_data import PersonalDataKeyUnavailable
from service.adapters.schema import MigrationsMissing, StoreNotMigrated
from service.adapters.signing import SigningKeyUnavailable
from service.adapters.throttle import TooManyRequests
from service.domain.errors import (
    AboveNorm,
    AlreadyDecided,
    AlreadyDelivered,
    AlreadyResponded,
    AlreadyReversed,
    BudgetExceeded,
    Conflict,
    ContactTaken,
    DomainError,
    FollowUpRecorded,
    Forbidden,
    GrantClosed,
    GrantNotDelivered,
    HouseholdErased,
    IdempotencyKeyReused,
    InsufficientFunds,
    InsufficientStock,
    InvalidInput,
    MergeRefused,
    NotFound,
    NotReversible,
    PeriodClosed,
    PledgeClosed,
    PledgeExceeded,
    PossibleDuplicate,
    ProjectClosed,
    RepeatedSupport,
    StageNotReached,
    StageOutOfOrder,
    SupervisionConcluded,
    UnitMerged,
    UnreadableBankFile,
)
from service.projections.runner import ProjectionsBehind, ProjectionsLagging

PROBLEM_BASE = "https://sovang.vn/problems/"
#: The app's setting that names the blueprints whose answers are HTML pages: their errors
#: are answered with a page (templates/error.html) instead of problem+json.
PAGE_BLUEPRINTS = "SOVANG_PAGE_BLUEPRINTS"
log = logging.getLogger(__name__)

#: The HTTP status of each refusal; a subclass takes its nearest ancestor's.
STATUS: dict[type[DomainError], int] = {
    InvalidInput: 422,
    IdempotencyKeyReused: 422,
    UnreadableBankFile: 422,
    NotFound: 404,
    Forbidden: 403,
    InsufficientFunds: 409,
    InsufficientStock: 409,
    PeriodClosed: 409,
    AlreadyReversed: 409,
    AlreadyDecided: 409,
    NotReversible: 409,
    SupervisionConcluded: 409,
    PledgeClosed: 409,
    PledgeExceeded: 409,
    AlreadyResponded: 409,
    StageOutOfOrder: 409,
    StageNotReached: 409,
    BudgetExceeded: 409,
    ProjectClosed: 409,
    UnitMerged: 409,
    AboveNorm: 409,
    MergeRefused: 409,
    PossibleDuplicate: 409,
    RepeatedSupport: 409,
    HouseholdErased: 409,
    AlreadyDelivered: 409,
    GrantNotDelivered: 409,
    FollowUpRecorded: 409,
    GrantClosed: 409,
    Conflict: 409,
    ContactTaken: 409,
    DomainError: 409,
}


#: The title and detail of each HTTP error the web framework raises itself.
HTTP_MESSAGES: dict[int, tuple[str, str]] = {
    400: ("Yêu cầu không đọc được", "Yêu cầu gửi lên không đúng dạng. Hãy kiểm tra lại."),
    404: (
        "Không tìm thấy",
        "Không có trang hay địa chỉ API này. Hãy kiểm tra lại đường dẫn.",
    ),
    405: (
        "Phương thức không được phép",
        "Địa chỉ này không nhận phương thức HTTP đó; các phương thức được nhận có trong "
        "tiêu đề Allow.",
    ),
    413: (
        "Nội dung quá lớn",
        "Nội dung gửi lên lớn hơn mức hệ thống nhận. Hãy gửi tệp nhỏ hơn hoặc chia nhỏ ra.",
    ),
    415: (
        "Kiểu nội dung không được hỗ trợ",
        "Hệ thống không nhận kiểu nội dung này. Hãy gửi JSON (application/json).",
    ),
}


#: A page address that no page answers: said to a person, who has a browser, not an API.
PAGE_NOT_FOUND = (
    "Không có trang nào ở địa chỉ này. Hãy kiểm tra lại đường dẫn, hoặc bắt đầu lại từ "
    "trang chủ bằng liên kết bên dưới."
)


class BadRequest(Exception):
    """A request the API cannot read: not JSON, malformed, or its fields invalid."""

    def __init__(
        self,
        detail: str,
        errors: dict[str, list[str]] | None = None,
        status: int = 422,
        code: str = "validation-error",
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.status = status
        self.code = code


class Unauthorized(Exception):
    """No token, or a token that is unknown or revoked."""


def answer_as_pages(app: Flask, *blueprints: str) -> None:
    """Errors met on these blueprints' pages are answered with an HTML page."""
    app.config[PAGE_BLUEPRINTS] = frozenset(app.config.get(PAGE_BLUEPRINTS, ())) | set(blueprints)


def answers_with_a_page() -> bool:
    """True on the pages' blueprints, and on an address under one of their prefixes that
    no page answers (a mistyped page address gets a page, not JSON)."""
    if not has_request_context():
        return False
    pages = current_app.config.get(PAGE_BLUEPRINTS, ())
    if request.blueprint is not None:
        return request.blueprint in pages
    prefixes = tuple(
        f"{current_app.blueprints[name].url_prefix}/"
        for name in pages
        if name in current_app.blueprints
    )
    return request.path.startswith(prefixes)


def problem(status: int, code: str, title: str, detail: str, **extra: Any) -> Response:
    if answers_with_a_page():
        page = render_template("error.html", status=status, code=code, title=title, detail=detail)
        return Response(page, status=status, mimetype="text/html")
    body = {
        "type": PROBLEM_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def status_of(error: DomainError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 409


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> Response:
        extra: dict[str, Any] = {k: v for k, v in error.extra.items() if k != "field"}
        if isinstance(error, InvalidInput):
            extra["errors"] = {error.field: [error.detail]}
        response = problem(status_of(error), error.code, error.title, error.detail, **extra)
        if isinstance(error, Conflict):
            response.headers["Retry-After"] = "1"
        return response

    @app.errorhandler(BadRequest)
    def bad_request(error: BadRequest) -> Response:
        extra = {"errors": error.errors} if error.errors is not None else {}
        title = (
            "Yêu cầu có trường không hợp lệ" if error.status == 422 else "Yêu cầu không đọc được"
        )
        return problem(error.status, error.code, title, error.detail, **extra)

    @app.errorhandler(Unauthorized)
    def unauthorized(error: Unauthorized) -> Response:
        response = problem(401, "unauthorized", "Cần đăng nhập bằng mã truy cập", str(error))
        response.headers["WWW-Authenticate"] = 'Bearer realm="sovang"'
        return response

    @app.errorhandler(ProjectionsBehind)
    def behind(error: ProjectionsBehind) -> Response:
        response = problem(
            503,
            "projections-behind",
            "Dữ liệu bạn hỏi chưa sẵn sàng",
            f"Dữ liệu đọc mới cập nhật đến vị trí {error.reached}, chưa đến "
            f"{error.position}; hãy thử lại sau giây lát.",
        )
        response.headers["Retry-After"] = "1"
        return response

    @app.errorhandler(TooManyRequests)
    def too_many_requests(error: TooManyRequests) -> Response:
        response = problem(429, error.code, error.title, error.detail)
        response.headers["Retry-After"] = str(error.retry_after)
        return response

    @app.errorhandler(ProjectionsLagging)
    def lagging(error: ProjectionsLagging) -> Response:
        worst = max(error.lag, key=lambda name: error.lag[name])
        response = problem(
            503,
            "not-ready",
            "Dữ liệu đọc đang chậm so với nhật ký",
            f"Bảng dữ liệu {worst} đang chậm {error.lag[worst]} sự kiện so với nhật ký "
            f"(quá mức {error.limit}); hãy thử lại sau ít phút.",
            lag=error.lag,
        )
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(StoreNotMigrated)
    def not_migrated(error: StoreNotMigrated) -> Response:
        log.error("the store lacks migrations: %s", ", ".join(error.pending))
        return problem(
            503,
            "store-not-migrated",
            "Kho dữ liệu chưa được khởi tạo/nâng cấp",
            str(error),
            pending=error.pending,
        )

    @app.errorhandler(MigrationsMissing)
    def no_migrations(error: MigrationsMissing) -> Response:
        log.error("no migrations in %s", error.folder)
        return problem(503, "migrations-missing", "Bản cài đặt thiếu tệp migration", str(error))

    @app.errorhandler(StoreUnavailable)
    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def unavailable(error: Exception) -> Response:
        log.warning("store unavailable: %s", error)
        detail = (
            "Quỹ này đang có nhiều khoản được ghi cùng lúc và yêu cầu của bạn chờ quá lâu; "
            "chưa có gì được ghi, hãy gửi lại sau giây lát."
            if isinstance(error, FundBusy)
            else "Hệ thống đang không kết nối được cơ sở dữ liệu; hãy thử lại sau ít phút."
        )
        response = problem(
            503, "store-unavailable", "Cơ sở dữ liệu tạm thời không dùng được", detail
        )
        response.headers["Retry-After"] = "2"
        return response

    @app.errorhandler(EventOutsideLog)
    def outside_log(error: EventOutsideLog) -> Response:
        log.error("refused to load an event that is not in the log: %s", error)
        return problem(
            500,
            "event-outside-log",
            "Một sự kiện đã lưu không nằm trong nhật ký",
            str(error),
            aggregate_id=error.originator_id,
            notification_id=error.notification_id,
        )

    @app.errorhandler(NotificationUnauthenticated)
    def unauthenticated_notification(error: NotificationUnauthenticated) -> Response:
        if error.forged:
            return problem(
                403, "notification-forged", "Thông báo ngân hàng bị từ chối", error.detail
            )
        return problem(
            401, "notification-unauthenticated", "Thông báo ngân hàng thiếu khóa", error.detail
        )

    @app.errorhandler(SigningKeyUnavailable)
    def no_signing_key(error: SigningKeyUnavailable) -> Response:
        log.error("cannot sign checkpoints: %s", error)
        return problem(
            503,
            "signing-key-unavailable",
            "Chưa có khóa ký nhật ký",
            "Hệ thống chưa ký được điểm kiểm tra cho đến khi người vận hành cài khóa ký.",
        )

    @app.errorhandler(PersonalDataKeyUnavailable)
    def no_personal_data_key(error: PersonalDataKeyUnavailable) -> Response:
        log.error("cannot seal or read personal data: %s", error)
        response = problem(
            503,
            "personal-data-key-unavailable",
            "Hiện không đọc hay ghi được dữ liệu cá nhân của người thụ hưởng",
            "Hệ thống chưa có khóa bảo vệ dữ liệu cá nhân của người thụ hưởng; "
            "hãy báo người vận hành cài khóa rồi thử lại.",
        )
        response.headers["Retry-After"] = "60"
        return response

    @app.errorhandler(KeyFileUnavailable)
    def no_session_key(error: KeyFileUnavailable) -> Response:
        log.error("cannot sign the inspector pages' sessions: %s", error)
        return problem(
            503,
            "session-key-unavailable",
            "Chưa có khóa phiên của trang thanh tra",
            "Trang thanh tra chưa cho ai đăng nhập được cho đến khi người vận hành chạy "
            "`sovang keys init --keep` và khởi động lại dịch vụ.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        status = error.code or 500
        code = {
            404: "not-found",
            405: "method-not-allowed",
            413: "body-too-large",
            415: "unsupported-media-type",
        }.get(status, "http-error")
        title, detail = HTTP_MESSAGES.get(
            status,
            ("Yêu cầu không thực hiện được", f"Lỗi HTTP {status}. Hãy kiểm tra lại yêu cầu."),
        )
        if status == 404 and answers_with_a_page():
            detail = PAGE_NOT_FOUND
        response = problem(status, code, title, detail)
        if status == 405 and error.get_response().headers.get("Allow"):
            response.headers["Allow"] = error.get_response().headers["Allow"]
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.exception("unexpected error")
        return problem(
            500,
            "internal-error",
            "Lỗi hệ thống",
            "Hệ thống gặp lỗi ngoài ý muốn; lỗi đã được ghi lại cùng mã yêu cầu. "
            "Hãy thử lại, và nếu vẫn lỗi, báo người vận hành kèm mã yêu cầu.",
        )
