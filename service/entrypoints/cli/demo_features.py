"""The demo's steps that show one feature each: a payment held for its approver, the
people check, live giving, people's accounts and the printed slips (``sovang demo``)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import click

from service.application import Ledger, Request
from service.bootstrap import Services
from service.config import LOCAL_ADDRESS
from service.domain.actors import Actor
from service.domain.errors import InsufficientFunds
from service.domain.funds import Disbursement, Donor, Receipt
from service.domain.giving import BankAccount, NotifiedTransfer
from service.domain.memo_codes import Names, code_for
from service.domain.money import Money
from service.domain.questions import ASKER, Asking
from service.domain.supervision import Finding, Subject
from service.domain.vocabulary import (
    Category,
    Channel,
    DonorKind,
    QuestionKind,
    Role,
    Severity,
    SubjectKind,
    ThanksKind,
)
from service.projections import ledger as ledger_view


def awaiting_approval(
    ledger: Ledger, admin: Request, treasurer: Request, unit_id: UUID, fund_id: UUID, today: date
) -> str:
    """A commune's approval threshold and a payment above it, left for its approver on the
    treasurers' pages (/thu-quy/duyet)."""
    ledger.set_approval_threshold(admin, unit_id, 2_000_000)
    payment = Disbursement(
        Money(2_500_000), today, Category.EMERGENCY, note="Hỗ trợ đột xuất hộ bị cháy nhà"
    )
    try:
        ledger.record_disbursement(treasurer, fund_id, payment)
    except InsufficientFunds:
        return "không có khoản chờ duyệt (quỹ không đủ tiền)"
    return "1 khoản chi chờ duyệt ở trang thủ quỹ (/thu-quy/duyet)"


def print_slips(svc: Services) -> None:
    """Where to see a printed slip of the demo, and the public proof its QR code opens."""
    with svc.db.transaction() as tx:
        slips = ledger_view.first_slips(tx)
    for slip in slips:
        ref, entry = slip["slip_ref"], slip["entry_id"]
        click.echo(f"phiếu {ref}: /thu-quy/phieu/{entry} (đăng nhập bằng token thủ quỹ)")
    if slips:
        ref = slips[0]["slip_ref"]
        click.echo(f"bằng chứng công khai của phiếu thu: /cong-khai/bien-lai/{ref}")


def people_check(ledger: Ledger, unit_id: UUID, fund_id: UUID, today: date) -> str:
    """The people check: a question on a gift answered by the commune's board and one
    still waiting, the board's plan of the year with a review's recommendations, and
    a certificate of thanks for the gift."""
    treasurer = Request(
        Actor(id="demo-ward", name="Thủ quỹ phường (demo)", role=Role.TREASURER, unit_id=unit_id)
    )
    board = Request(
        Actor(
            id="demo-board",
            name="Ban Thanh tra nhân dân (demo)",
            role=Role.INSPECTOR,
            unit_id=unit_id,
        )
    )
    gift = ledger.record_receipt(
        treasurer,
        fund_id,
        Receipt(
            amount=Money(3_000_000),
            occurred_on=today,
            donor=Donor("Công ty TNHH Thương mại Hồng Lĩnh", DonorKind.ORGANISATION),
            channel=Channel.BANK,
            bank_ref="FT" + today.strftime("%y%j") + "0000042",
            note="CONG TY TNHH THUONG MAI HONG LINH UNG HO QUY VI NGUOI NGHEO",
        ),
    ).body["entry_id"]
    asked = ledger.ask_question(
        Request(ASKER),
        Asking(
            QuestionKind.FLAG,
            "Công ty chúng tôi chuyển 3 triệu, nhờ xác nhận đã vào đúng quỹ phường.",
            fund_id=fund_id,
            entry_id=UUID(gift),
        ),
    )
    ledger.answer_question(
        board,
        UUID(asked.body["question_id"]),
        "Đã đối chiếu giấy báo Có của ngân hàng: khoản 3.000.000 đ đã vào Quỹ Vì người nghèo "
        "của phường ngày nhận.",
    )
    ledger.ask_question(
        Request(ASKER),
        Asking(
            QuestionKind.QUESTION,
            "Phường đã chi bao nhiêu cho nhà Đại đoàn kết trong năm nay?",
            unit_id=unit_id,
        ),
    )
    for month, subject in [(6, "Giám sát thu chi Quỹ Vì người nghèo"), (11, "Giám sát xây nhà")]:
        ledger.plan_supervision(
            board, unit_id, today.year, month, subject, ["Lê Văn Hùng", "Phạm Thị Mai"]
        )
    review = UUID(
        ledger.open_supervision(
            board, Subject(SubjectKind.FUND, fund_id=fund_id), "Giám sát quỹ"
        ).body["id"]
    )
    finding = UUID(
        ledger.record_finding(
            board, review, Finding(Severity.MINOR, "Phiếu thu chưa ghi đủ địa chỉ người nộp.")
        ).body["finding_id"]
    )
    for text, days in [("Bổ sung địa chỉ trên phiếu thu.", -10), ("Niêm yết sao kê.", 30)]:
        ledger.make_recommendation(
            board, review, finding, text, "Thủ quỹ phường", today + timedelta(days=days)
        )
    ledger.issue_thanks(treasurer, fund_id, ThanksKind.CERTIFICATE, [[UUID(gift)]])
    return "câu hỏi của người dân: 2 (1 đã trả lời); kiến nghị giám sát: 2; giấy chứng nhận: 1"


def accounts(svc: Services) -> list[str]:
    """The province's treasurer and approver as people with accounts, awaiting
    activation: the links they would be sent (for ``make run``'s address)."""
    from service.application import people

    with svc.db.transaction() as tx:
        province = UUID(str(tx.scalar("SELECT id FROM units WHERE parent_id IS NULL")))
    lines = []
    for name, role, phone, email in (
        ("Trần Thị Thu", Role.TREASURER, "0912345678", None),
        ("Lê Văn Chính", Role.APPROVER, None, "chinh@hatinh.example"),
    ):
        person = people.register(
            svc.db, svc.ledger, name=name, phone=phone, email=email, role=role, unit_id=province
        )
        link = people.issue_link(svc.db, person.id, svc.clock(), svc.config.activation_hours)
        lines.append(f"tài khoản {name} ({role.value}), kích hoạt tại: {link.url(LOCAL_ADDRESS)}")
    return lines


def live_giving(ledger: Ledger, treasurer: Request, fund_id: UUID, today: date) -> str:
    """The relief fund receives gifts by VietQR: its giving account, and three credits a
    bank notification service (SePay) reported, one of them twice."""
    account = BankAccount.of("970436", "0011001932418", "UY BAN MTTQ TINH HA TINH")
    ledger.connect_account(treasurer, fund_id, account)
    memo = f"{code_for(Names.FUND, fund_id).text} UNG HO"
    credits = [
        ("9001", 500_000, f"NGUYEN VAN AN {memo}"),
        ("9002", 2_000_000, f"CONG TY TNHH HONG PHAT {memo}"),
        ("9001", 500_000, f"NGUYEN VAN AN {memo}"),
        ("9003", 300_000, "TRAN THI BINH ung ho dong bao bao lu"),
    ]
    for number, amount, text in credits:
        ledger.record_notified(
            "sepay",
            "SePay",
            NotifiedTransfer(
                number, account.account_number, True, amount, today, "09:00:00", f"FT{number}", text
            ),
        )
    return (
        f"quỹ cứu trợ nhận ủng hộ qua VietQR: tài khoản {account.account_number}, nội dung {memo}"
    )
