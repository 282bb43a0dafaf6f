"""A cash slip as the treasurer prints it: the phiếu thu of a cash receipt or the phiếu chi
of a cash payment, with the fund and unit that issued it, the amount in words, the payer
or payee and what the slip's QR code opens. Bank movements, goods, transfers and
reversals take no cash slip: asking for one is refused with the document they do carry."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from service.adapters.db import Row, Transaction
from service.domain.amount_words import amount_in_words
from service.domain.errors import EntryNotFound, NoCashSlip
from service.domain.households import ERASED_NAME
from service.domain.money import vnd
from service.projections import grants as grant_view
from service.projections import households as household_view
from service.projections import houses as house_view
from service.projections import ledger as ledger_view
from service.projections import units as unit_view
from service.reads.funds import readable_fund
from service.reads.households import shown
from service.web import labels

#: The form each slip follows (see docs/SLIPS.md).
FORMS = {"receipt": "C40-BB", "disbursement": "C41-BB"}
CIRCULAR = "Thông tư số 107/2017/TT-BTC ngày 10/10/2017 của Bộ Tài chính"


def slip(tx: Transaction, entry_id: UUID) -> dict[str, Any]:
    """The slip of entry ``entry_id``, once its fund is found readable by the caller."""
    row = ledger_view.entry(tx, str(entry_id))
    if row is None:
        raise EntryNotFound(
            "Không có khoản thu, chi nào với mã này. Hãy mở phiếu từ sổ quỹ.",
            entry_id=str(entry_id),
        )
    fund = readable_fund(tx, UUID(row["fund_id"]))
    if not row["slip_ref"]:
        raise NoCashSlip(why_no_slip(row), entry_id=str(entry_id))
    unit = unit_view.get(tx, fund["unit_id"]) or {}
    receipt = row["kind"] == "receipt"
    return {
        "entry_id": row["entry_id"],
        "kind": row["kind"],
        "title": "Phiếu thu" if receipt else "Phiếu chi",
        "form": FORMS[row["kind"]],
        "circular": CIRCULAR,
        "slip_no": row["slip_no"],
        "slip_ref": row["slip_ref"],
        "fund_id": fund["id"],
        "fund_name": fund["name"],
        "unit_name": unit.get("name", ""),
        "occurred_on": row["occurred_on"],
        "amount": row["amount"],
        "amount_in_figures": vnd(int(row["amount"])),
        "amount_in_words": amount_in_words(int(row["amount"])),
        "person_role": "Người nộp tiền" if receipt else "Người nhận tiền",
        "person": _payer(row) if receipt else "",
        "household": None if receipt else _household(tx, row),
        "reason": _reason(row, fund),
        "made_by": row["actor"],
        "reversed": row["reversed_by_entry_id"] is not None,
        "recorded_at": row["recorded_at"],
    }


def why_no_slip(row: Row) -> str:
    """Why an entry has no cash slip, and the document that stands for one."""
    kind, channel = row["kind"], row["channel"]
    if kind == "receipt" and row["in_kind_description"]:
        return (
            "Khoản này nhận bằng hiện vật nên không lập phiếu thu tiền mặt. Hãy lập biên "
            "bản giao nhận hiện vật và lưu cùng sổ theo dõi hiện vật."
        )
    if kind == "receipt" and channel == "bank":
        return (
            "Khoản thu này nhận qua ngân hàng nên không có phiếu thu; chứng từ của nó là "
            f"giấy báo Có của ngân hàng (mã giao dịch {row['bank_ref'] or 'ghi trên sao kê'}). "
            "Hãy lưu giấy báo Có cùng sổ tiền gửi ngân hàng."
        )
    if kind == "receipt":
        return (
            "Khoản thu này được ghi trước khi sổ đánh số phiếu thu nên không có số phiếu. "
            "Hãy dùng phiếu thu viết tay đã lập khi nhận tiền."
        )
    if kind == "disbursement" and row["in_kind_description"]:
        return (
            "Khoản này xuất hiện vật nên không lập phiếu chi tiền mặt. Hãy lập biên bản "
            "giao nhận hiện vật có chữ ký người nhận."
        )
    if kind == "disbursement":
        return (
            "Khoản chi này trả qua ngân hàng nên không có phiếu chi; chứng từ của nó là ủy "
            f"nhiệm chi (mã {row['bank_ref'] or 'ghi trên sao kê'}). Hãy lưu ủy nhiệm chi "
            "cùng sổ tiền gửi ngân hàng."
        )
    if kind in ("transfer_out", "transfer_in"):
        return (
            "Điều tiết giữa hai quỹ là chuyển khoản, không lập phiếu thu hay phiếu chi. "
            "Hãy lưu chứng từ chuyển khoản của ngân hàng."
        )
    return (
        "Bút toán hủy không có phiếu riêng; phiếu của khoản bị hủy vẫn giữ số của nó. "
        "Hãy in phiếu của khoản bị hủy và ghi lý do hủy lên đó."
    )


def _payer(row: Row) -> str:
    if row["donor_kind"] == "anonymous" or not row["donor_name"]:
        return labels.ANONYMOUS
    return str(row["donor_name"])


def named(found: dict[str, Any]) -> dict[str, Any]:
    """A payment's slip with its payee: the head of the household it supports, as the
    reader may see the name (outside the read transaction, since the personal data is
    opened with the keyring's own); left blank when the payment names no household or its
    data was erased, for the treasurer to write in."""
    household = found.pop("household", None)
    if household is not None:
        name = str(shown([household])[0]["head_name"] or "")
        found["person"] = "" if name == ERASED_NAME else name
    return found


def _household(tx: Transaction, row: Row) -> Row | None:
    household_id = row["household_id"]
    if household_id is None and row["house_project_id"]:
        house = house_view.get(tx, row["house_project_id"])
        household_id = house["household_id"] if house else None
    if household_id is None and row["grant_id"]:
        grant = grant_view.get(tx, row["grant_id"])
        household_id = grant["household_id"] if grant else None
    return household_view.get(tx, household_id) if household_id else None


def _reason(row: Row, fund: Row) -> str:
    if row["kind"] == "receipt":
        return str(row["note"] or f"Ủng hộ {fund['name']}")
    category = labels.CATEGORIES.get(row["category"] or "", "")
    return ": ".join(part for part in (category, row["note"]) if part)
