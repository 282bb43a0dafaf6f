"""People's accounts for the pages: how a person is reached (a phone or an e-mail), what
a password must be, and who must add a second factor. Pure rules: the store, the hashes
and the codes are in service/adapters/accounts.py and service/adapters/second_factor.py."""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.domain.errors import InvalidInput
from service.domain.text import ascii_digits, fold, normalise
from service.domain.vocabulary import Role

#: The shortest password accepted: long enough that a guess a minute (the login's
#: throttle) finds nothing, short enough to type on a phone.
MIN_PASSWORD = 10
MAX_PASSWORD = 200
#: Those who must add a second factor (TOTP) before they act: they approve payments or
#: hand out rights.
SECOND_FACTOR_ROLES = frozenset({Role.ADMIN, Role.APPROVER})
#: A Vietnamese mobile number: 0 and nine digits, or +84 and nine digits.
_PHONE = re.compile(r"0\d{9}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Contact:
    """How a person is reached and signs in: a phone, an e-mail, or both."""

    phone: str | None
    email: str | None


def needs_second_factor(role: Role) -> bool:
    return role in SECOND_FACTOR_ROLES


def phone_of(text: str, field: str = "phone") -> str:
    """A phone number as stored: ASCII digits, +84 written 0, spaces, dots and dashes
    dropped."""
    digits = re.sub(r"[\s.\-()]", "", ascii_digits(text))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not _PHONE.fullmatch(digits):
        raise InvalidInput(
            field,
            "Số điện thoại phải có 10 chữ số, bắt đầu bằng 0 (ví dụ 0912345678). "
            "Hãy kiểm tra lại số.",
        )
    return digits


def email_of(text: str, field: str = "email") -> str:
    """An e-mail address as stored: trimmed, lower case."""
    address = normalise(text).casefold()
    if not _EMAIL.fullmatch(address) or len(address) > 254:
        raise InvalidInput(
            field, "Địa chỉ e-mail không đúng dạng (ví dụ ten@xa.gov.vn). Hãy kiểm tra lại."
        )
    return address


def contact_of(phone: str | None, email: str | None) -> Contact:
    """The person's phone and e-mail, at least one of them."""
    chosen = Contact(
        phone=phone_of(phone) if phone and phone.strip() else None,
        email=email_of(email) if email and email.strip() else None,
    )
    if chosen.phone is None and chosen.email is None:
        raise InvalidInput(
            "phone",
            "Cần số điện thoại hoặc e-mail để người này đăng nhập. Hãy nhập ít nhất một.",
        )
    return chosen


def login_of(text: str) -> Contact:
    """What a person types to sign in, read as their phone or their e-mail."""
    if "@" in text:
        return Contact(phone=None, email=email_of(text, "contact"))
    return Contact(phone=phone_of(text, "contact"), email=None)


def check_password(password: str, name: str, contact: Contact) -> None:
    """Refuses a password that is too short, too long, or made of the person's own name,
    phone or e-mail (what anyone who knows them would try first)."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            "password",
            f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự. Hãy chọn mật khẩu dài hơn, "
            "ví dụ một câu ngắn dễ nhớ.",
        )
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(
            "password", f"Mật khẩu dài tối đa {MAX_PASSWORD} ký tự. Hãy chọn mật khẩu ngắn hơn."
        )
    folded = fold(password).replace(" ", "")
    digits = re.sub(r"\D", "", ascii_digits(password))
    words = fold(name).split()
    mine = ["".join(words), words[-1] if words else ""]
    if contact.email:
        mine.append(contact.email.split("@")[0])
    if (contact.phone and contact.phone[-6:] in digits) or any(
        len(part) >= 4 and part in folded for part in mine
    ):
        raise InvalidInput(
            "password",
            "Mật khẩu không được chứa tên, số điện thoại hay e-mail của chính bạn: "
            "người quen đoán được ngay. Hãy chọn mật khẩu khác.",
        )
