"""/tai-khoan/: a person's account. The activation link an administrator issued opens a
page where the person sets their password (and, approvers and administrators, adds
their second factor: the QR code of the otpauth URI and the secret as text, proved by a
first code); the login by phone or e-mail and password; and its second step, the code.

Between the password and the code the cookie holds only who is half signed in, for a
few minutes; the session starts with the code. Every wrong password or code counts
against the same throttle as a wrong token.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from service.adapters import accounts, qr, second_factor, sessions
from service.adapters.accounts import Person
from service.domain.accounts import check_password, login_of, needs_second_factor
from service.domain.errors import InvalidInput
from service.pages.access import check_request, home_of, open_session
from service.web import labels
from service.web.context import services

bp = Blueprint("accounts", __name__, template_folder="templates", url_prefix="/tai-khoan")
#: How long the code may be typed after the password, in seconds.
SECOND_STEP_SECONDS = 300
WRONG_LOGIN = (
    "Số điện thoại/e-mail hoặc mật khẩu không đúng, hoặc tài khoản chưa kích hoạt hay đã "
    "bị khóa. Hãy kiểm tra lại; quên mật khẩu thì nhờ quản trị viên cấp liên kết mới."
)
MISMATCH = "Hai lần nhập mật khẩu không giống nhau. Hãy nhập lại."
LINK_GONE = (
    "Liên kết kích hoạt này không còn dùng được: đã dùng rồi, đã hết hạn, đã có liên kết "
    "mới thay, hoặc tài khoản đã bị khóa. Hãy xin quản trị viên cấp một liên kết mới."
)


@bp.before_request
def _checked() -> None:
    check_request()


@bp.context_processor
def _labels() -> dict[str, object]:
    return {"who": None, "labels": labels}


def _count_failure() -> None:
    services().failed_authentications.count(request.remote_addr or "unknown")


@bp.post("/dang-nhap")
def sign_in() -> Response | tuple[str, int]:
    """The password: a person with a second factor goes on to its code, others are in."""
    svc = services()
    contact = request.form.get("contact", "").strip()
    password = request.form.get("password", "")
    try:
        person = (
            accounts.sign_in(svc.db, svc.password_hasher, login_of(contact), password)
            if contact
            else None
        )
    except InvalidInput:
        person = None
    if person is None:
        _count_failure()
        return render_template("inspector/login.html", error=WRONG_LOGIN, contact=contact), 401
    if needs_second_factor(person.role) and not person.second_factor:
        # Activation enrols it; an account of such a role without one is not let in.
        _count_failure()
        return render_template("inspector/login.html", error=WRONG_LOGIN, contact=contact), 401
    if person.second_factor:
        session.clear()
        session["half"] = {"person": person.id, "at": svc.clock()}
        return redirect(url_for("accounts.second_step"), 303)
    return _signed_in(person)


def _half_signed_in() -> str | None:
    """The person who gave their password and has yet to give their code, if in time."""
    half = session.get("half")
    if not isinstance(half, dict) or not isinstance(half.get("person"), str):
        return None
    if services().clock() - float(half.get("at", 0)) > SECOND_STEP_SECONDS:
        return None
    return str(half["person"])


@bp.get("/ma-xac-thuc")
def second_step() -> Response | str:
    """The second step of the login: the six-digit code of the authenticator app."""
    if _half_signed_in() is None:
        session.clear()
        return redirect(url_for("inspector.login", ly_do="phien-het-han"), 303)
    return render_template("accounts/second_step.html")


@bp.post("/ma-xac-thuc")
def prove_second_factor() -> Response | tuple[str, int]:
    svc = services()
    person_id = _half_signed_in()
    if person_id is None:
        session.clear()
        return redirect(url_for("inspector.login", ly_do="phien-het-han"), 303)
    code = request.form.get("code", "")
    person = accounts.get(svc.db, person_id)
    if person is None or not second_factor.check(
        svc.db, svc.keyring().master, person_id, code, svc.clock()
    ):
        _count_failure()
        error = (
            "Mã xác thực không đúng, đã hết hạn hoặc đã được dùng. Hãy nhập mã đang hiện "
            "trong ứng dụng xác thực (mỗi mã chỉ dùng được một lần)."
        )
        return render_template("accounts/second_step.html", error=error), 401
    return _signed_in(person)


def _signed_in(person: Person) -> Response:
    open_session(sessions.Holder(person_id=person.id))
    return redirect(home_of(person.actor()), 303)


@bp.get("/kich-hoat/<secret>")
def activation(secret: str) -> tuple[str, int] | str:
    """The page of an activation link: set a password, and enrol the second factor."""
    svc = services()
    person = accounts.link_holder(svc.db, secret, svc.clock())
    if person is None:
        return render_template("accounts/link_gone.html", error=LINK_GONE), 404
    return _activation_page(person, secret)


def _activation_page(person: Person, secret: str, **shown: object) -> str:
    enrolment: dict[str, str] | None = None
    if needs_second_factor(person.role):
        svc = services()
        totp = second_factor.pending(svc.db, svc.keyring().master, person.id)
        uri = second_factor.uri(totp, person.phone or person.email or person.name)
        enrolment = {
            "secret": " ".join(totp[i : i + 4] for i in range(0, len(totp), 4)),
            "qr": qr.svg(uri, title="Mã QR để thêm tài khoản vào ứng dụng xác thực"),
        }
    return render_template(
        "accounts/activation.html", person=person, secret=secret, enrolment=enrolment, **shown
    )


@bp.post("/kich-hoat/<secret>")
def activate(secret: str) -> Response | tuple[str, int]:
    """Sets the password (and the second factor, proved by its first code)."""
    svc = services()
    now = svc.clock()
    person = accounts.link_holder(svc.db, secret, now)
    if person is None:
        return render_template("accounts/link_gone.html", error=LINK_GONE), 404
    password = request.form.get("password", "")
    errors: dict[str, str] = {}
    try:
        check_password(password, person.name, person.contact)
    except InvalidInput as refusal:
        errors["password"] = refusal.detail
    if "password" not in errors and request.form.get("password_again", "") != password:
        errors["password_again"] = MISMATCH
    sealed: bytes | None = None
    step: int | None = None
    if needs_second_factor(person.role):
        master = svc.keyring().master
        totp = second_factor.pending(svc.db, master, person.id)
        step = second_factor.matching_step(totp, request.form.get("code", ""), now)
        if step is None:
            errors["code"] = (
                "Mã xác thực không đúng. Hãy quét mã QR (hoặc nhập khóa bí mật) vào ứng "
                "dụng xác thực rồi nhập mã 6 chữ số đang hiện."
            )
        sealed = second_factor.seal(master, person.id, totp)
    if errors:
        return _activation_page(person, secret, errors=errors), 422
    if accounts.activate(svc.db, svc.password_hasher, secret, password, now, sealed, step) is None:
        return render_template("accounts/link_gone.html", error=LINK_GONE), 404
    session.clear()
    return redirect(url_for("inspector.login", ly_do="da-kich-hoat"), 303)
