"""``sovang demo``: a realistic demo data set. A province, its wards and communes, their
funds, a year of gifts and support, and a ward's cases (households, a house followed to
handover, a livelihood grant, a scholarship), recorded through the application like any
client."""

from __future__ import annotations

import random
from datetime import date, timedelta
from uuid import UUID

import click

from service.application import Ledger, Request
from service.domain.actors import Actor
from service.domain.errors import InsufficientFunds
from service.domain.funds import Disbursement, Donor, InKind, Receipt
from service.domain.grants import months_after
from service.domain.households import PersonalData
from service.domain.money import Money
from service.domain.pledges import Commitment, Instalment
from service.domain.selections import Nominee
from service.domain.support import Student
from service.domain.vocabulary import (
    Category,
    Channel,
    CostSource,
    DonorKind,
    FollowUpStatus,
    FundKind,
    HouseholdCategory,
    HouseKind,
    Level,
    Role,
    Stage,
)
from service.entrypoints.cli import demo_features
from service.entrypoints.cli.context import services
from service.entrypoints.cli.demo_committees import committees_demo, selection_meeting

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Thanh", "Hữu", "Quang", "Thu", "Xuân"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Yến",
]
ORGANISATIONS = [
    "Công ty TNHH Thương mại Hồng Phát",
    "Ngân hàng TMCP Ngoại thương - CN Hà Tĩnh",
    "Hội Doanh nhân trẻ tỉnh",
    "Trường THPT Phan Đình Phùng",
    "Công ty CP Xi măng Sông Lam",
    "Chùa Hương Tích",
    "Hội Phụ nữ phường",
]
COMMUNES = [
    ("Phường Thành Sen", "28252"),
    ("Phường Trần Phú", "28255"),
    ("Xã Cẩm Bình", "28270"),
    ("Xã Thạch Khê", "28276"),
]


def load(ledger: Ledger, seed: int = 2025, *, cases: bool = True) -> list[str]:
    """Records the data set (the households and their cases only with ``cases``, which
    needs the personal-data key); returns a few lines saying what was made."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    admin = Request(Actor(id="demo-admin", name="Quản trị (demo)", role=Role.ADMIN))
    province_id = UUID(
        ledger.register_unit(
            admin, "Ủy ban MTTQ Việt Nam tỉnh Hà Tĩnh", Level.PROVINCE, None, "42"
        ).body["id"]
    )
    treasurer = Request(
        Actor(id="demo-treasurer", name="Thủ quỹ (demo)", role=Role.TREASURER, unit_id=province_id)
    )
    province_fund = UUID(
        ledger.open_fund(
            treasurer, province_id, "Quỹ Vì người nghèo tỉnh Hà Tĩnh", FundKind.FOR_THE_POOR
        ).body["id"]
    )
    funds = [province_fund]
    units = []
    year = ledger.today().year
    for name, code in COMMUNES:
        unit_id = UUID(
            ledger.register_unit(
                admin, f"Ủy ban MTTQ {name}", Level.COMMUNE, province_id, code
            ).body["id"]
        )
        units.append(unit_id)
        funds.append(
            UUID(
                ledger.open_fund(
                    treasurer, unit_id, f"Quỹ Vì người nghèo {name}", FundKind.FOR_THE_POOR
                ).body["id"]
            )
        )
        ledger.assign_target(
            treasurer,
            unit_id,
            year,
            FundKind.FOR_THE_POOR,
            Money(rng.choice([60, 80, 120]) * 10**6),
        )
    relief = UUID(
        ledger.open_fund(treasurer, province_id, "Quỹ Cứu trợ tỉnh Hà Tĩnh", FundKind.RELIEF).body[
            "id"
        ]
    )
    funds.append(relief)

    today = ledger.today()
    start = today - timedelta(days=364)
    for index, company in enumerate(ORGANISATIONS[:3]):
        ledger.make_pledge(
            treasurer,
            province_fund,
            Commitment(
                Donor(company, DonorKind.ORGANISATION),
                Money(50_000_000),
                instalments=(
                    Instalment(today - timedelta(days=90), Money(20_000_000)),
                    Instalment(today + timedelta(days=90), Money(30_000_000)),
                ),
                code=f"UH VNN {index + 1}",
            ),
        )
    receipts = disbursements = 0
    for day in range(365):
        occurred_on = start + timedelta(days=day)
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            fund_id = rng.choice(funds)
            ledger.record_receipt(treasurer, fund_id, _gift(rng, occurred_on))
            receipts += 1
        if rng.random() < 0.25:
            try:
                ledger.record_disbursement(treasurer, rng.choice(funds), _support(rng, occurred_on))
                disbursements += 1
            except InsufficientFunds:
                pass
    ledger.record_transfer(
        treasurer,
        province_fund,
        funds[1],
        Money(50_000_000),
        start + timedelta(days=200),
        "Điều tiết quỹ hỗ trợ xây nhà Đại đoàn kết",
    )
    made = (
        _cases(ledger, rng, units[0], funds[1], start)
        if cases
        else "không có hồ sơ hỗ trợ (chưa có khóa)"
    )
    checked = demo_features.people_check(ledger, units[0], funds[1], today)

    held = demo_features.awaiting_approval(ledger, admin, treasurer, units[1], funds[2], today)

    giving = demo_features.live_giving(ledger, treasurer, relief, today)

    committees = committees_demo(
        ledger,
        (admin, treasurer),
        (province_id, units[2]),
        [funds[0], funds[3]],
        start,
        (lambda: _person(rng)) if cases else None,
    )
    return [
        f"tỉnh mẫu: {province_id}",
        f"quỹ: {len(funds)}; khoản thu: {receipts}; khoản chi: {disbursements}",
        made,
        checked,
        held,
        giving,
        *committees,
        f"tạo token: sovang token create --role treasurer --unit {province_id} --name 'Thủ quỹ'",
    ]


def _cases(ledger: Ledger, rng: random.Random, unit_id: UUID, fund_id: UUID, start: date) -> str:
    """A ward's households: one house followed from approval to handover with its three
    tranches, a breeding cow delivered and followed up, and a scholarship."""
    treasurer = Request(
        Actor(id="demo-ward", name="Thủ quỹ phường (demo)", role=Role.TREASURER, unit_id=unit_id)
    )
    ledger.record_receipt(
        treasurer,
        fund_id,
        Receipt(
            Money(100_000_000),
            start + timedelta(days=205),
            Donor(ORGANISATIONS[0], DonorKind.ORGANISATION),
            Channel.BANK,
            bank_ref=_bank_ref(rng),
        ),
    )
    households = [
        UUID(
            ledger.register_household(
                treasurer,
                unit_id,
                PersonalData.of(_person(rng), f"Tổ {block}, phường Thành Sen"),
                rng.randint(2, 6),
                [(HouseholdCategory.POOR, start)],
            ).body["id"]
        )
        for block in (3, 5, 7, 9)
    ]

    def day(offset: int) -> date:
        return start + timedelta(days=offset)

    chair = "Trưởng ban công tác Mặt trận tổ dân phố"
    for_house = [Nominee(households[0], 38, 2)]
    for_grant = [Nominee(households[1], 35, 4)]
    house = UUID(
        ledger.approve_house(
            treasurer,
            households[0],
            HouseKind.NEW_BUILD,
            {
                CostSource.FUND: 40_000_000,
                CostSource.HOUSEHOLD: 10_000_000,
                CostSource.LABOUR: 5_000_000,
            },
            day(210),
            meeting_id=selection_meeting(
                ledger, treasurer, unit_id, day(200), "house", for_house, chair
            ),
            meeting_required=True,
        ).body["id"]
    )
    for stage, offset, amount in (
        (Stage.STARTED, 215, 12_000_000),
        (Stage.WALLS_AND_FRAME, 240, 16_000_000),
        (Stage.COMPLETED, 268, 0),
        (Stage.ACCEPTED, 270, 12_000_000),
    ):
        board = ["Trưởng ban MTTQ phường", "Ban Giám sát đầu tư"] if stage is Stage.ACCEPTED else []
        ledger.record_house_stage(treasurer, house, stage, day(offset), (), board)
        if amount:
            tranche = Disbursement(
                Money(amount), day(offset + 1), Category.HOUSE_NEW_BUILD, house_project_id=house
            )
            ledger.record_disbursement(treasurer, fund_id, tranche)
    ledger.record_house_stage(treasurer, house, Stage.HANDED_OVER, day(275), ["BIEN-BAN-BAN-GIAO"])

    grant = UUID(
        ledger.approve_grant(
            treasurer,
            households[1],
            "Bò cái sinh sản",
            {"giống": "Bò lai Sind", "tuổi": "18 tháng"},
            15_000_000,
            day(220),
            meeting_id=selection_meeting(
                ledger, treasurer, unit_id, day(200), "grant", for_grant, chair
            ),
            meeting_required=True,
        ).body["id"]
    )
    delivered = day(225)
    cow = Disbursement(Money(15_000_000), delivered, Category.LIVELIHOOD, grant_id=grant)
    ledger.record_disbursement(treasurer, fund_id, cow)
    ledger.record_follow_up(
        treasurer,
        grant,
        3,
        months_after(delivered, 3),
        FollowUpStatus.IN_USE,
        "Bò khoẻ, đã phối giống",
    )
    scholarship = Disbursement(
        Money(2_000_000), day(250), Category.SCHOLARSHIP, household_id=households[2]
    )
    student = Student.of(
        _person(rng), "Trường THCS Thành Sen", f"{day(250).year}-{day(250).year + 1}"
    )
    ledger.record_disbursement(treasurer, fund_id, scholarship, student)
    gift = Disbursement(Money(500_000), day(300), Category.TET_GIFT, household_id=households[3])
    ledger.record_disbursement(treasurer, fund_id, gift)
    return (
        f"hồ sơ: {len(households)} hộ, một nhà đã bàn giao, một khoản hỗ trợ sinh kế, một học bổng"
    )


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _gift(rng: random.Random, occurred_on: date) -> Receipt:
    roll = rng.random()
    if roll < 0.05:
        return Receipt(
            Money(rng.choice([5, 12, 20]) * 1_000_000),
            occurred_on,
            Donor(rng.choice(ORGANISATIONS), DonorKind.ORGANISATION),
            Channel.IN_KIND,
            in_kind=InKind(
                rng.choice(["Gạo", "Máy tính", "Xe đạp"]),
                rng.randint(2, 40),
                rng.choice(["bao", "chiếc"]),
            ),
        )
    if roll < 0.2:
        donor = Donor(rng.choice(ORGANISATIONS), DonorKind.ORGANISATION)
        amount = rng.choice([10, 20, 50, 100, 200]) * 1_000_000
    elif roll < 0.3:
        donor = Donor(None, DonorKind.ANONYMOUS)
        amount = rng.choice([200, 500, 1000, 2000]) * 1_000
    else:
        donor = Donor(_person(rng), DonorKind.INDIVIDUAL)
        amount = rng.choice([100, 200, 300, 500, 1000, 2000, 5000]) * 1_000
    channel = rng.choice([Channel.CASH, Channel.BANK, Channel.BANK, Channel.PAYROLL])
    return Receipt(
        Money(amount),
        occurred_on,
        donor,
        channel,
        bank_ref=_bank_ref(rng) if channel is Channel.BANK else None,
    )


def _support(rng: random.Random, occurred_on: date) -> Disbursement:
    category = rng.choice(list(Category))
    amount = {
        Category.HOUSE_NEW_BUILD: 60_000_000,
        Category.HOUSE_REPAIR: 30_000_000,
        Category.LIVELIHOOD: 5_000_000,
        Category.SCHOLARSHIP: 1_000_000,
        Category.TET_GIFT: 500_000,
        Category.MEDICAL: 2_000_000,
        Category.EMERGENCY: 3_000_000,
    }.get(category, 1_000_000)
    return Disbursement(
        Money(amount),
        occurred_on,
        category,
        note=f"Hỗ trợ hộ {_person(rng)}",
    )


def _bank_ref(rng: random.Random) -> str:
    return f"FT{rng.randint(10**11, 10**12 - 1)}"


@click.command()
def demo() -> None:
    """Nạp bộ dữ liệu mẫu: một tỉnh, các xã, phường, các quỹ, người ủng hộ và một năm thu chi."""
    from service.adapters.personal_data import PersonalDataKeyUnavailable

    svc = services()
    if svc.runner.head() > 0:
        click.echo("Kho đã có dữ liệu; bộ dữ liệu mẫu chỉ nạp vào kho trống.")
        return
    try:
        svc.keyring()
    except PersonalDataKeyUnavailable:
        click.echo(
            "Chưa có khóa dữ liệu cá nhân (sovang keys init): bỏ qua hộ gia đình và hồ sơ hỗ trợ."
        )
        summary = load(svc.ledger, cases=False)
    else:
        summary = load(svc.ledger)
    svc.runner.catch_up()
    for line in summary + demo_features.accounts(svc):
        click.echo(line)
    demo_features.print_slips(svc)
