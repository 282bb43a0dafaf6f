"""VietQR (NAPAS 247): the national QR code for a bank transfer, a merchant-presented
payload of the EMVCo QR specification, as every Vietnamese banking app scans it.

The payload is a run of fields, each a two-digit id, a two-digit length and its value
(TLV); some values hold fields of their own. A VietQR for a transfer to an account is:

- ``00`` payload format ``01``; ``01`` ``11`` (static: the payer types the amount) or
  ``12`` (the code carries the amount);
- ``38`` the beneficiary: ``00`` NAPAS's GUID ``A000000727``, ``01`` the bank's BIN
  (``00``) and the account number (``01``), ``02`` the service code ``QRIBFTTA``
  (transfer to an account);
- ``53`` currency ``704`` (đồng), ``54`` the amount when there is one, ``58`` ``VN``;
- ``62`` additional data, of which ``08`` the purpose: the transfer's memo;
- ``63`` the CRC-16/CCITT-FALSE of everything before it, ``6304`` included, as four
  upper-case hexadecimal digits.

``decode`` reads a payload back and checks its CRC, so a test (and a treasurer's tool)
can prove what a printed code says.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.domain.errors import InvalidInput

NAPAS_GUID = "A000000727"
#: Transfer to an account (``QRIBFTTC`` would be to a card).
TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY = "VN"
#: What a memo may hold: banks carry ASCII letters, digits and spaces reliably.
MEMO_MAX = 25


@dataclass(frozen=True)
class TransferCode:
    """What a VietQR code asks a banking app to do: pay into this account."""

    bin: str
    account: str
    amount: int | None = None
    memo: str | None = None


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final xor."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def _field(tag: str, value: str) -> str:
    if len(value) > 99:
        raise InvalidInput("vietqr", f"Trường {tag} của mã VietQR dài quá 99 ký tự.")
    return f"{tag}{len(value):02d}{value}"


def check_account(bin_: str, account: str) -> None:
    """Refuses a bank BIN or an account number that a VietQR code cannot carry."""
    if len(bin_) != 6 or not bin_.isascii() or not bin_.isdigit():
        raise InvalidInput(
            "bank_bin",
            "Mã BIN của ngân hàng gồm đúng 6 chữ số (ví dụ 970436 là Vietcombank).",
        )
    if not 1 <= len(account) <= 19 or not account.isascii() or not account.isalnum():
        raise InvalidInput(
            "account_number",
            "Số tài khoản chỉ gồm chữ số (hoặc chữ cái), tối đa 19 ký tự, không dấu cách.",
        )


def check_memo(memo: str) -> None:
    """Refuses a memo that banks would mangle: only ASCII letters, digits and spaces."""
    if len(memo) > MEMO_MAX or not all(c.isascii() and (c.isalnum() or c == " ") for c in memo):
        raise InvalidInput(
            "memo",
            f"Nội dung chuyển khoản chỉ gồm chữ không dấu, chữ số và dấu cách, "
            f"tối đa {MEMO_MAX} ký tự.",
        )


def encode(code: TransferCode) -> str:
    """The VietQR payload of a transfer, its CRC appended."""
    check_account(code.bin, code.account)
    beneficiary = _field("00", code.bin) + _field("01", code.account)
    account = _field("00", NAPAS_GUID) + _field("01", beneficiary) + _field("02", TO_ACCOUNT)
    parts = [_field("00", "01"), _field("01", "11" if code.amount is None else "12")]
    parts.append(_field("38", account))
    parts.append(_field("53", CURRENCY_VND))
    if code.amount is not None:
        if code.amount <= 0:
            raise InvalidInput("amount", "Số tiền trong mã VietQR phải lớn hơn 0 đồng.")
        parts.append(_field("54", str(code.amount)))
    parts.append(_field("58", COUNTRY))
    if code.memo:
        check_memo(code.memo)
        parts.append(_field("62", _field("08", code.memo)))
    body = "".join(parts) + "6304"
    return body + f"{crc16(body.encode()):04X}"


class NotVietQR(InvalidInput):
    """A payload that is not a well-formed VietQR code for a transfer."""

    code = "not-vietqr"
    title = "Không phải mã VietQR hợp lệ"


def parse_fields(payload: str) -> dict[str, str]:
    """The fields of a TLV run, by id; refuses a run that does not add up."""
    fields: dict[str, str] = {}
    at = 0
    while at < len(payload):
        head = payload[at : at + 4]
        if len(head) < 4 or not head.isdigit():
            raise NotVietQR("payload", f"Mã hỏng ở ký tự {at}: thiếu số hiệu hoặc độ dài trường.")
        size = int(head[2:])
        value = payload[at + 4 : at + 4 + size]
        if len(value) != size:
            raise NotVietQR("payload", f"Trường {head[:2]} ngắn hơn độ dài nó ghi ({size}).")
        fields[head[:2]] = value
        at += 4 + size
    return fields


def decode(payload: str) -> TransferCode:
    """What a VietQR payload asks, after checking its CRC and its beneficiary."""
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise NotVietQR("payload", "Mã không kết thúc bằng trường kiểm tra 63 (CRC).")
    expected = f"{crc16(payload[:-4].encode()):04X}"
    if payload[-4:].upper() != expected:
        raise NotVietQR("payload", f"Mã kiểm tra CRC sai: ghi {payload[-4:]}, tính ra {expected}.")
    fields = parse_fields(payload)
    if fields.get("00") != "01" or fields.get("53") != CURRENCY_VND:
        raise NotVietQR(
            "payload", "Mã không phải mã thanh toán bằng đồng Việt Nam theo chuẩn EMVCo."
        )
    account = parse_fields(fields.get("38", ""))
    if account.get("00") != NAPAS_GUID:
        raise NotVietQR("payload", "Mã không mang tài khoản nhận theo chuẩn NAPAS (VietQR).")
    beneficiary = parse_fields(account.get("01", ""))
    amount = fields.get("54")
    memo = parse_fields(fields["62"]).get("08") if "62" in fields else None
    return TransferCode(
        bin=beneficiary.get("00", ""),
        account=beneficiary.get("01", ""),
        amount=int(amount) if amount and amount.isdigit() else None,
        memo=memo,
    )
