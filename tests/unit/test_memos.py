"""The sender a transfer's memo names, in each shape Vietnamese banks print, and its
account kept by the last three digits only."""

from __future__ import annotations

import pytest

from service.domain.memos import Sender, masked_memo, sender_of


@pytest.mark.parametrize(
    ("memo", "sender"),
    [
        (
            "MBVCB.1234567890.TRAN THI BINH ung ho UH BAO LU.CT tu 0123456789 TRAN THI BINH "
            "toi 0011001932418 MAT TRAN TO QUOC VN",
            Sender("TRAN THI BINH", "*******789"),
        ),
        (
            "MBVCB.7695321421.BUI XUAN NGA ung ho dong bao lu lut.CT tu 6470536921081 "
            "BUI XUAN NGA toi 0011009999999 UY BAN MTTQ VN TINH",
            Sender("BUI XUAN NGA", "**********081"),
        ),
        (
            "VCB.CTDK.21/08/2026.DANG DUC NGA ung ho. CT tu 7277897843817 toi 0011009999999 "
            "UY BAN MTTQ VN TINH",
            Sender("DANG DUC NGA", "**********817"),
        ),
        ("123456.100924.153012.NGUYEN VAN A chuyen tien", Sender("NGUYEN VAN A", None)),
        ("696821.308341.545275.HO MINH CHI chuyen tien", Sender("HO MINH CHI", None)),
        ("020097041509111153012.LE MINH CUONG ung ho mien Bac", Sender("LE MINH CUONG", None)),
        ("IBFT VO HUU HANH ung ho ba con vung lu", Sender("VO HUU HANH", None)),
        (
            "PARTNER.DIRECT_DEBITS_VCB.MSE.HOANG DUC LONG ung ho UH BAO LU",
            Sender("HOANG DUC LONG", None),
        ),
        ("NGUYEN VAN AN ung ho - Ma GD ACSP/ ab123456", Sender("NGUYEN VAN AN", None)),
        ("TRAN VAN BINH ung ho (CT1111)", Sender("TRAN VAN BINH", None)),
        ("LE THI HOA ung ho; thoi gian GD:18/09/2024 00:50:31", Sender("LE THI HOA", None)),
        ("FT24262000000001 NGUYEN VAN A ung ho", Sender("NGUYEN VAN A", None)),
        (
            "CONG TY TNHH THUONG MAI HONG PHAT ung ho dong bao vung lu",
            Sender("CONG TY TNHH THUONG MAI HONG PHAT", None),
        ),
        ("UNG HO DONG BAO LU LUT", Sender(None, None)),
        ("Thu phi SMS Banking thang 08/2026", Sender(None, None)),
        ("ung ho", Sender(None, None)),
    ],
)
def test_the_sender_is_read_from_each_banks_memo_shape(memo: str, sender: Sender) -> None:
    assert sender_of(memo) == sender


def test_the_senders_account_is_kept_by_its_last_three_digits_in_the_memo() -> None:
    memo = (
        "MBVCB.1234567890.TRAN THI BINH ung ho.CT tu 0123456789 TRAN THI BINH "
        "toi 0011001932418 MAT TRAN"
    )
    assert masked_memo(memo) == (
        "MBVCB.1234567890.TRAN THI BINH ung ho.CT tu *******789 TRAN THI BINH "
        "toi 0011001932418 MAT TRAN"
    )
    assert masked_memo("IBFT VO HUU HANH ung ho") == "IBFT VO HUU HANH ung ho"
