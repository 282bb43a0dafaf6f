"""Bank notification services (SePay, Casso): each pushes every transaction of a linked
account to a URL of ours within seconds, and retries until it is answered 2xx.

One small interface, ``BankFeed``: check that a request comes from the service (its key
or signature, the key kept in a key file outside the database, see ``sovang keys
bank-feed``), then read it into ``NotifiedTransfer``\\ s. A bank's own API can fill the
same interface later.

- **SePay** sends one transaction per request, JSON (``id``, ``gateway``,
  ``transactionDate`` ``"2024-09-10 14:02:37"`` local time, ``accountNumber``,
  ``content``, ``transferType`` ``"in"``/``"out"``, ``transferAmount``, ``accumulated``,
  ``referenceCode``), authenticated by the header ``Authorization: Apikey <key>``.
- **Casso** sends ``{"error": 0, "data": [...]}``, each transaction with ``id``,
  ``tid`` (the bank's reference), ``description``, ``amount`` (negative for money out),
  ``cusum_balance``, ``when`` and ``bank_sub_acc_id`` (the account number),
  authenticated by the header ``Secure-Token: <key>``.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar, Protocol

from service.adapters import keyfiles
from service.domain.giving import NotifiedTransfer


class NotificationUnauthenticated(Exception):
    """A notification without the source's key (``forged`` False: 401) or with a wrong
    one (``forged`` True: 403)."""

    def __init__(self, detail: str, *, forged: bool) -> None:
        super().__init__(detail)
        self.detail = detail
        self.forged = forged


class UnreadableNotification(ValueError):
    """A notification whose body is not what the service sends; ``field`` names the
    part, ``detail`` says what is wrong in Vietnamese."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(detail)
        self.field = field
        self.detail = detail


class BankFeed(Protocol):
    """A source of bank notifications."""

    #: The source's name in URLs, key files and the log: ``sepay``, ``casso``.
    name: ClassVar[str]
    #: How people call it.
    title: ClassVar[str]

    def authenticate(self, headers: Mapping[str, str], body: bytes, key: bytes) -> None:
        """Refuses (``NotificationUnauthenticated``) a request the source did not send."""

    def transfers(self, body: bytes) -> list[NotifiedTransfer]:
        """The transactions the request reports (``UnreadableNotification`` if none can
        be read)."""


def key_path(keys_dir: Path, source: str) -> Path:
    """The key file of a source's notifications."""
    return keys_dir / f"{source}.key"


def load_key(keys_dir: Path, source: str) -> bytes:
    """The key the source sends, as the key file holds it (base64 text)."""
    keyfiles.read_random(key_path(keys_dir, source), f"sovang keys bank-feed {source}")
    return key_path(keys_dir, source).read_text(encoding="ascii").strip().encode()


def _check_key(given: str | None, key: bytes, header: str, title: str) -> None:
    if not given:
        raise NotificationUnauthenticated(
            f"Thông báo không có khóa xác thực ({header}); không ghi gì. Hãy đặt khóa "
            f"trong phần cấu hình webhook của {title}.",
            forged=False,
        )
    if not hmac.compare_digest(given.strip().encode(), key):
        raise NotificationUnauthenticated(
            f"Khóa xác thực trong {header} không đúng; thông báo bị từ chối, không ghi gì. "
            f"Nếu khóa vừa được đổi, hãy dán khóa mới vào cấu hình webhook của {title}.",
            forged=True,
        )


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise UnreadableNotification("body", "Nội dung thông báo không phải JSON.") from None


def _when(text: Any, field: str) -> tuple[date, str]:
    try:
        moment = datetime.strptime(str(text).strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise UnreadableNotification(
            field, f"Thời điểm giao dịch {text!r} không theo dạng YYYY-MM-DD HH:MM:SS."
        ) from None
    return moment.date(), moment.strftime("%H:%M:%S")


def _integer(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise UnreadableNotification(field, f"Số tiền {value!r} không phải số nguyên đồng.")
    return value


def _text(value: Any) -> str | None:
    return None if value is None or str(value).strip() == "" else str(value).strip()


class SePay:
    name: ClassVar[str] = "sepay"
    title: ClassVar[str] = "SePay"

    def authenticate(self, headers: Mapping[str, str], body: bytes, key: bytes) -> None:
        value = headers.get("Authorization", "")
        scheme, _, given = value.partition(" ")
        _check_key(given if scheme.lower() == "apikey" else None, key, "Authorization", self.title)

    def transfers(self, body: bytes) -> list[NotifiedTransfer]:
        data = _json(body)
        if not isinstance(data, dict) or "id" not in data:
            raise UnreadableNotification("id", "Thông báo SePay thiếu mã giao dịch (id).")
        occurred_on, time = _when(data.get("transactionDate"), "transactionDate")
        balance = data.get("accumulated")
        return [
            NotifiedTransfer(
                transaction_id=str(data["id"]),
                account_number=str(data.get("accountNumber") or "").strip(),
                incoming=data.get("transferType") == "in",
                amount=_integer(data.get("transferAmount"), "transferAmount"),
                occurred_on=occurred_on,
                time=time,
                reference=_text(data.get("referenceCode")),
                memo=str(data.get("content") or data.get("description") or ""),
                balance=balance if isinstance(balance, int) and balance > 0 else None,
            )
        ]


class Casso:
    name: ClassVar[str] = "casso"
    title: ClassVar[str] = "Casso"

    def authenticate(self, headers: Mapping[str, str], body: bytes, key: bytes) -> None:
        _check_key(headers.get("Secure-Token"), key, "Secure-Token", self.title)

    def transfers(self, body: bytes) -> list[NotifiedTransfer]:
        data = _json(body)
        rows = data.get("data") if isinstance(data, dict) else None
        if isinstance(rows, dict):
            rows = [rows]
        if not isinstance(rows, list):
            raise UnreadableNotification(
                "data", "Thông báo Casso thiếu danh sách giao dịch (data)."
            )
        found = []
        for row in rows:
            if not isinstance(row, dict) or "id" not in row:
                raise UnreadableNotification("data", "Một giao dịch Casso thiếu mã (id).")
            amount = _integer(row.get("amount"), "amount")
            occurred_on, time = _when(row.get("when"), "when")
            balance = row.get("cusum_balance")
            found.append(
                NotifiedTransfer(
                    transaction_id=str(row["id"]),
                    account_number=str(row.get("bank_sub_acc_id") or "").strip(),
                    incoming=amount > 0,
                    amount=abs(amount),
                    occurred_on=occurred_on,
                    time=time,
                    reference=_text(row.get("tid")),
                    memo=str(row.get("description") or ""),
                    balance=balance if isinstance(balance, int) and balance > 0 else None,
                )
            )
        return found


#: Every source, by its name in the URL.
FEEDS: dict[str, BankFeed] = {feed.name: feed for feed in (SePay(), Casso())}
