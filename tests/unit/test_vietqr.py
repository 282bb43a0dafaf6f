"""VietQR payloads: published codes read back, codes made here read back, the CRC."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.domain import vietqr
from service.domain.vietqr import TransferCode

#: VietQR codes as banks' and payment services' tools publish them (account codes
#: without an amount, and codes with an amount and a memo), each with its CRC.
PUBLISHED = [
    (
        "00020101021138540010A00000072701240006970422011009119673630208QRIBFTTA"
        "53037045802VN63046AD9",
        TransferCode("970422", "0911967363"),
    ),
    (
        "00020101021138570010A00000072701270006970405011322082054793800208QRIBFTTA"
        "53037045802VN630497A6",
        TransferCode("970405", "2208205479380"),
    ),
    (
        "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA"
        "53037045802VN6304AE9F",
        TransferCode("970416", "257678859"),
    ),
    (
        "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA"
        "5303704540410005802VN62150811Chuyen tien6304BBB8",
        TransferCode("970416", "257678859", 1000, "Chuyen tien"),
    ),
]


def test_crc_is_ccitt_false() -> None:
    assert vietqr.crc16(b"123456789") == 0x29B1


@pytest.mark.parametrize(("payload", "code"), PUBLISHED)
def test_published_codes_are_made_byte_for_byte_and_read_back(
    payload: str, code: TransferCode
) -> None:
    assert vietqr.encode(code) == payload
    assert vietqr.decode(payload) == code


def test_a_changed_character_fails_the_crc() -> None:
    payload = PUBLISHED[3][0].replace("Chuyen", "Chuyan")
    with pytest.raises(vietqr.NotVietQR, match="CRC"):
        vietqr.decode(payload)


def test_a_payload_without_napas_beneficiary_is_refused() -> None:
    body = vietqr.encode(TransferCode("970436", "0011001932418"))[:-4]
    body = body.replace(vietqr.NAPAS_GUID, "A000000728")
    with pytest.raises(vietqr.NotVietQR, match="NAPAS"):
        vietqr.decode(body + f"{vietqr.crc16(body.encode()):04X}")


def test_memos_banks_would_mangle_and_bad_accounts_are_refused() -> None:
    with pytest.raises(vietqr.InvalidInput, match="không dấu") as refused:
        vietqr.encode(TransferCode("970436", "0011001932418", memo="Ủng hộ"))
    assert refused.value.field == "memo"
    with pytest.raises(vietqr.InvalidInput) as refused:
        vietqr.encode(TransferCode("97043", "0011001932418"))
    assert refused.value.field == "bank_bin"
    with pytest.raises(vietqr.InvalidInput) as refused:
        vietqr.encode(TransferCode("970436", "0011-0019"))
    assert refused.value.field == "account_number"


@given(
    bin_=st.from_regex(r"\A9704[0-9]{2}\Z"),
    account=st.from_regex(r"\A[0-9]{6,19}\Z"),
    amount=st.none() | st.integers(min_value=1, max_value=10**12),
    memo=st.none() | st.from_regex(r"\A[A-Z0-9][A-Z0-9 ]{0,24}\Z"),
)
def test_every_code_made_reads_back_to_what_it_carries(
    bin_: str, account: str, amount: int | None, memo: str | None
) -> None:
    code = TransferCode(bin_, account, amount, memo)
    assert vietqr.decode(vietqr.encode(code)) == code
