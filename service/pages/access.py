"""The login of the pages behind one (the inspectors' under /thanh-tra/, the treasurers'
under /thu-quy/): a person signs in with their account (phone or e-mail, password, then
the code of their second factor: service/pages/accounts.py), or an API token pasted into
the second form. Either starts a session kept in the store (service/adapters/sessions.py)
and named by a signed cookie (never the token or the password), and every page then acts
with exactly that person's or token's rights, checked again against the store on each
request. Logging out ends the session in the store; it also ends after
``session_hours`` from the login and after ``session_idle_minutes`` unused, and when the
person's account is disabled.

The cookie is HttpOnly, SameSite=Strict, Secure when the page is served over https, and
signed with the key file of ``sovang keys init``; every POST carries Flask-WTF's CSRF
token, bound to the session.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from flask import (
    Blueprint,
    Flask,
    Request,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect
from werkzeug.wrappers import Response

from service.adapters import accounts, sessions
from service.adapters.keyfiles import KeyFileUnavailable
from service.adapters.tokens import authenticate, authenticate_digest, digest
from service.bootstrap import Services
from service.domain.actors import Actor
from service.domain.vocabulary import Role
from service.web import labels
from service.web.context import services
from service.web.guards import SIGNED_IN_PREFIXES

PREFIX = "/thanh-tra"
bp = Blueprint("inspector", __name__, template_folder="templates", url_prefix=PREFIX)
csrf = CSRFProtect()
#: The pages that need no login.
OPEN = {"inspector.login", "inspector.sign_in"}
#: Why the login page is shown, by the ``ly_do`` it is sent with.
REASONS = {
    "can-dang-nhap": "Hãy đăng nhập bằng mã truy cập để xem các trang thanh tra.",
    "het-han": "Mã truy cập của bạn đã hết hạn hoặc đã bị thu hồi. "
    "Hãy đăng nhập lại bằng một mã còn hiệu lực.",
    "da-dang-xuat": "Bạn đã đăng xuất. Phiên làm việc trên máy này đã được xóa.",
    "phien-het-han": "Phiên làm việc đã kết thúc: đã đăng xuất, để quá lâu không dùng "
    "hoặc đã quá thời hạn tối đa. Hãy đăng nhập lại.",
    "tai-khoan-khoa": "Tài khoản của bạn đã bị khóa nên phiên làm việc đã kết thúc. "
    "Nếu cần dùng lại, hãy liên hệ quản trị viên.",
    "da-kich-hoat": "Tài khoản đã được kích hoạt. Hãy đăng nhập bằng số điện thoại "
    "hoặc e-mail và mật khẩu vừa đặt.",
}
#: Where each role lands after the login, once its pages are there.
HOMES = {Role.TREASURER: "/thu-quy/", Role.APPROVER: "/thu-quy/"}


class InspectorSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, for the pages behind a login only (the API and the
    public pages keep no session), Secure whenever the page was asked for over https."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not request.path.startswith(SIGNED_IN_PREFIXES):
            return None
        return super().open_session(app, request)

    def get_cookie_secure(self, app: Flask) -> bool:
        forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip()
        return bool(
            app.config["SESSION_COOKIE_SECURE"] or request.is_secure or forwarded == "https"
        )


def init_app(app: Flask) -> None:
    """Reads the session key (if an operator made one) and sets the cookie's flags."""
    svc: Services = app.extensions["sovang"]
    config = svc.config
    try:
        app.secret_key = svc.session_key()
    except KeyFileUnavailable:
        app.secret_key = None
    app.session_interface = InspectorSessions()
    app.config.update(
        SESSION_COOKIE_NAME="sovang_phien",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_PATH="/",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=config.session_hours),
        # Every POST is checked by the inspector pages themselves (below); the API's
        # writes carry a bearer token, not a cookie, and need no CSRF token.
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,
    )
    csrf.init_app(app)


def _lifetimes(svc: Services) -> sessions.Lifetimes:
    return sessions.Lifetimes(
        absolute=svc.config.session_hours * 3600, idle=svc.config.session_idle_minutes * 60
    )


def protect(pages: Blueprint) -> None:
    """Puts every page of ``pages`` behind the login: the same gate, the same session and
    the signed-in person (``who``) in its templates."""
    pages.before_request(gate)
    pages.context_processor(_who)


def gate() -> Response | str | None:
    """Every POST proves its CSRF token; every page but the login needs a live session,
    of a token still valid or of an account still active."""
    check_request()
    if request.endpoint in OPEN:
        return None
    session_id = session.get("sid")
    if not isinstance(session_id, str):
        session.clear()
        return redirect(url_for("inspector.login", ly_do="can-dang-nhap"), 303)
    svc = services()
    holder = sessions.resume(svc.db, session_id, svc.clock(), _lifetimes(svc))
    if holder is None:
        session.clear()
        return redirect(url_for("inspector.login", ly_do="phien-het-han"), 303)
    if holder.person_id is not None:
        found = accounts.actor_of(svc.db, holder.person_id)
        gone = "tai-khoan-khoa"
    else:
        found = authenticate_digest(svc.db, holder.token_hash or "")
        gone = "het-han"
    if found is None:
        session.clear()
        return redirect(url_for("inspector.login", ly_do=gone), 303)
    g.actor = found
    return None


def check_request() -> None:
    """What every page behind the login checks first, the login pages too: the session
    key is there, and a POST carries its CSRF token."""
    g.request_id = request.headers.get("X-Request-Id", "")[:100] or str(uuid4())
    if current_app.secret_key is None:
        services().session_key()  # raises KeyFileUnavailable, naming the command
    csrf.protect()


def open_session(holder: sessions.Holder) -> None:
    """Starts a new session for ``holder``, forgetting whatever the cookie held before."""
    svc = services()
    session.clear()
    session.permanent = True
    session["sid"] = sessions.start(svc.db, holder, svc.clock(), _lifetimes(svc))


def home_of(actor: Actor) -> str:
    """The page a person lands on after the login: the treasurers' pages for treasurers
    and approvers (once the service has them), the inspectors' otherwise."""
    home = HOMES.get(actor.role)
    if home is not None and any(rule.rule == home for rule in current_app.url_map.iter_rules()):
        return home
    return url_for("inspector.home")


def _who() -> dict[str, object]:
    return {"who": g.get("actor"), "labels": labels}


protect(bp)


@bp.get("/dang-nhap")
def login() -> str:
    """The login: a person's account first, an API token in the second form."""
    return render_template(
        "inspector/login.html", reason=REASONS.get(request.args.get("ly_do", ""))
    )


@bp.post("/dang-nhap")
def sign_in() -> Response | tuple[str, int]:
    """Checks the token as the API does (and counts failures against the same throttle),
    then starts a new session holding its hash."""
    svc = services()
    token = request.form.get("token", "").strip()
    found = authenticate(svc.db, token) if token else None
    if found is None:
        svc.failed_authentications.count(request.remote_addr or "unknown")
        error = "Mã truy cập không đúng, đã bị thu hồi hoặc đã hết hạn."
        return render_template("inspector/login.html", token_error=error), 401
    open_session(sessions.Holder(token_hash=digest(token)))
    return redirect(home_of(found), 303)


@bp.post("/dang-xuat")
def sign_out() -> Response:
    """Ends the session, in the store (a copy of the cookie opens nothing afterwards) and
    in the browser (the cookie is cleared)."""
    svc = services()
    session_id = session.get("sid")
    if isinstance(session_id, str):
        sessions.end(svc.db, session_id, svc.clock())
    session.clear()
    return redirect(url_for("inspector.login", ly_do="da-dang-xuat"), 303)
