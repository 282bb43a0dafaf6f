"""Every projection together through the runner: fed one event a page they write the same
rows as fed the whole log at once, and each reaches the head of the log."""

from __future__ import annotations

import functools
import inspect
from datetime import date
from uuid import UUID

from service.application import Request
from service.application.checkpoints import sign_checkpoint
from service.bootstrap import Services
from service.domain.currency import CurrencySale, Foreign
from service.domain.funds import Donor, InKind
from service.domain.giving import BankAccount, NotifiedTransfer
from service.domain.money import Money
from service.domain.notes import COSIGNATURE, Note, Signer
from service.domain.pledges import Commitment, Instalment
from service.domain.questions import ASKER, Asking
from service.domain.supervision import Finding, Subject
from service.domain.vocabulary import (
    Category,
    Channel,
    CostSource,
    DonorKind,
    FundKind,
    HouseKind,
    QuestionKind,
    Severity,
    Stage,
    SubjectKind,
    ThanksKind,
)
from service.projections import all_projections
from service.projections.base import groups
from service.projections.runner import ProjectionRunner
from tests.conftest import ADMIN, read_models
from tests.projections.conftest import DAY, Commune, approver_of


def a_month_of_work(commune: Commune) -> None:
    """A bit of everything the projections read, in one commune."""
    ledger, treasurer = commune.ledger, commune.treasurer
    relief = UUID(
        ledger.open_fund(treasurer, commune.unit, "Quỹ Cứu trợ", FundKind.RELIEF).body["id"]
    )
    company = Donor("Công ty Hồng Phát", DonorKind.ORGANISATION)
    pledge = UUID(
        ledger.make_pledge(
            treasurer,
            commune.fund,
            Commitment(
                company,
                Money(9_000_000),
                instalments=(Instalment(date(2025, 6, 30), Money(9_000_000)),),
                code="HP2025",
            ),
        ).body["pledge_id"]
    )
    commune.receive(9_000_000, donor=company, pledge_id=pledge)
    wrong = commune.receive(40_000_000)
    commune.reverse(wrong)
    commune.receive(60_000_000)
    commune.receive(1_000_000, channel=Channel.IN_KIND, in_kind=InKind("Gạo", 50, "kg"))
    # 100,00 USD at the bank's rate, half of it sold for đồng (fund_holdings, 413).
    usd = Foreign.of("USD", 10_000, None, "25300", "Vietcombank, tỷ giá mua")
    commune.receive(usd.dong, channel=Channel.BANK, foreign=usd)
    sale = CurrencySale("USD", 5_000, Money(1_270_000), DAY)
    ledger.sell_currency(treasurer, commune.fund, sale)
    ledger.assign_target(ADMIN, commune.unit, 2025, FundKind.FOR_THE_POOR, Money(100_000_000))
    ledger.record_transfer(treasurer, commune.fund, relief, Money(5_000_000), DAY, "Điều tiết")
    household = commune.household()
    house = UUID(
        ledger.approve_house(
            treasurer, household, HouseKind.REPAIR, {CostSource.FUND: 20_000_000}, date(2025, 2, 1)
        ).body["id"]
    )
    ledger.record_house_stage(treasurer, house, Stage.STARTED, date(2025, 2, 10))
    commune.pay(6_000_000, category=Category.HOUSE_REPAIR, house_project_id=house)
    cow = UUID(
        ledger.approve_grant(treasurer, household, "Bò", {}, 5_000_000, date(2025, 2, 1)).body["id"]
    )
    ledger.set_approval_threshold(approver_of(commune.unit), commune.unit, 1_000_000)
    held = UUID(commune.pay(5_000_000, category=Category.LIVELIHOOD, grant_id=cow)["pending_id"])
    ledger.approve_payment(approver_of(commune.unit), commune.fund, held)
    review = UUID(
        ledger.open_supervision(
            ADMIN, Subject(SubjectKind.FUND, fund_id=commune.fund), "Kiểm tra"
        ).body["id"]
    )
    finding = UUID(
        ledger.record_finding(ADMIN, review, Finding(Severity.MINOR, "Thiếu chữ ký")).body[
            "finding_id"
        ]
    )
    the_people_check(commune, review, finding)
    live_giving(commune, relief)


def the_people_check(commune: Commune, review: UUID, finding: UUID) -> None:
    """A question on a gift answered, the board's plan, a recommendation and a letter."""
    ledger = commune.ledger
    gift = commune.receive(2_000_000)
    asked = ledger.ask_question(
        Request(ASKER),
        Asking(QuestionKind.FLAG, "Xin xác nhận khoản này đã vào quỹ.", commune.fund, gift),
    )
    ledger.answer_question(ADMIN, UUID(asked.body["question_id"]), "Đã vào quỹ ngày nhận.")
    ledger.plan_supervision(ADMIN, commune.unit, 2025, 6, "Giám sát thu chi", ["Lê Văn Hùng"])
    ledger.make_recommendation(
        ADMIN, review, finding, "Bổ sung chữ ký.", "Thủ quỹ xã", date(2025, 7, 1)
    )
    ledger.issue_thanks(commune.treasurer, commune.fund, ThanksKind.CERTIFICATE, [[gift]])


def live_giving(commune: Commune, fund: UUID) -> None:
    """The fund's giving account, and a credit a bank notification service reported."""
    account = BankAccount.of("970436", "0011001932418", "UY BAN MTTQ XA MAU")
    commune.ledger.connect_account(commune.treasurer, fund, account)
    credit = NotifiedTransfer(
        "9001", account.account_number, True, 500_000, DAY, "09:00:00", "FT9001", "UNG HO"
    )
    commune.ledger.record_notified("sepay", "SePay", credit)


def test_every_projection_fed_one_event_a_page_writes_the_rows_of_the_whole_log_at_once(
    services: Services, commune: Commune
) -> None:
    a_month_of_work(commune)
    board = Signer.generate("thanhtra.xamau.example/w", COSIGNATURE)
    services.ledger.register_witness(ADMIN, str(board.verifier), commune.unit)
    checkpoint = sign_checkpoint(services)
    line = board.sign(Note.parse(checkpoint.log_note).text, 1_760_000_000)
    services.ledger.cosign_checkpoint(ADMIN, checkpoint.tree_size, line)
    head = services.runner.catch_up()
    whole = read_models(services.db, tracking=True)

    ledger = services.ledger
    one_a_page = ProjectionRunner(
        ledger.recorder, ledger.mapper, services.db, all_projections(), page_size=1
    )
    assert one_a_page.rebuild() == head

    assert read_models(services.db, tracking=True) == whole
    assert {row["position"] for row in whole["projection_tracking"]} == {head}
    empty = [table for table, found in whole.items() if not found]
    assert empty == [], empty  # each fed something


def test_the_projections_rebuilt_group_by_group_write_the_rows_of_all_of_them_together(
    services: Services, commune: Commune
) -> None:
    """A rebuild in several processes gives each group of projections its own runner: the
    projections read none of each other's tables, so the groups may go in any order."""
    a_month_of_work(commune)
    sign_checkpoint(services)
    head = services.runner.catch_up()
    whole = read_models(services.db, tracking=True)

    runner = services.runner
    parts = groups(runner.projections, 4)
    assert sorted(name for names in parts for name in names) == sorted(
        p.name for p in runner.projections
    )
    assert len(parts) == 4
    runner.reset()
    for names in reversed(parts):  # the last group first, each to the head alone
        assert runner.only(frozenset(names)).catch_up() == head

    assert read_models(services.db, tracking=True) == whole


def test_every_projection_handles_only_what_it_registers_and_its_default_changes_nothing() -> None:
    """The runner skips an event that falls to a projection's default handler: by the
    convention of every projection, that default does nothing."""

    def changes_nothing(self: object, event: object, position: int, tx: object) -> None:
        """Nothing."""

    for projection in all_projections():
        apply = inspect.getattr_static(type(projection), "apply")
        if isinstance(apply, functools.singledispatchmethod):
            default = apply.dispatcher.dispatch(object)
            assert default.__code__.co_code == changes_nothing.__code__.co_code, projection.name
