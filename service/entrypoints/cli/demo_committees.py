"""The committees' part of ``sovang demo``: villages below a commune with their funds, the
province's Tết campaign with gifts and support counted by beneficiary category, and a
village's bình xét naming the house it selected."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, timedelta
from uuid import UUID

from service.application import Ledger, Request
from service.domain.actors import Actor
from service.domain.distributions import Reach
from service.domain.funds import Disbursement, Donor, Receipt
from service.domain.households import PersonalData
from service.domain.money import Money
from service.domain.selections import Nominee
from service.domain.vocabulary import (
    Category,
    Channel,
    CostSource,
    DonorKind,
    FundKind,
    HouseholdCategory,
    HouseKind,
    Level,
    Role,
)

VILLAGES = [("Thôn Bình Minh", "01"), ("Thôn Tân Lập", "02"), ("Thôn Đông Hà", "03")]
SPONSORS = [
    "Công ty CP Xi măng Sông Lam",
    "Hội Doanh nhân trẻ tỉnh",
    "Ngân hàng TMCP Ngoại thương - CN Hà Tĩnh",
    "Chùa Hương Tích",
    "Trường THPT Phan Đình Phùng",
]


def committees_demo(
    ledger: Ledger,
    requests: tuple[Request, Request],
    units: tuple[UUID, UUID],
    funds: list[UUID],
    start: date,
    person: Callable[[], str] | None,
) -> list[str]:
    """The committees' demo data. ``requests``: the admin's and the province treasurer's;
    ``units``: the province and the commune the villages are below; ``funds``: the
    province's and the commune's; ``person`` makes up a name (None without the personal
    data key: no households, no bình xét). Returns what was made, a line each."""
    admin, treasurer = requests
    commune_id = units[1]
    villages, village_funds = _villages(ledger, admin, commune_id, start)
    lines = [
        f"thôn dưới xã mẫu: {len(villages)}",
        _campaign(ledger, treasurer, units, [*funds, *village_funds], start),
    ]
    if person is None:
        return [*lines, "không có bình xét (chưa có khóa)"]
    return [*lines, _selection(ledger, person, treasurer, villages[0], start)]


def _villages(
    ledger: Ledger, admin: Request, commune_id: UUID, start: date
) -> tuple[list[UUID], list[UUID]]:
    """A commune's villages, each with its Ban công tác Mặt trận's fund and a first gift;
    returns the villages and their funds."""
    villages, funds = [], []
    for name, code in VILLAGES:
        village_id = UUID(
            ledger.register_unit(admin, name, Level.VILLAGE, commune_id, code).body["id"]
        )
        head = Request(
            Actor(
                id=f"demo-village-{code}",
                name=f"Trưởng ban công tác Mặt trận {name} (demo)",
                role=Role.TREASURER,
                unit_id=village_id,
            )
        )
        fund_id = UUID(
            ledger.open_fund(
                head, village_id, f"Quỹ Vì người nghèo {name}", FundKind.FOR_THE_POOR
            ).body["id"]
        )
        villages.append(village_id)
        funds.append(fund_id)
        ledger.record_receipt(
            head,
            fund_id,
            Receipt(
                Money(5_000_000 * int(code)),
                start + timedelta(days=30),
                Donor(f"Nhân dân {name}", DonorKind.ORGANISATION),
                Channel.CASH,
            ),
        )
    return villages, funds


def _campaign(
    ledger: Ledger,
    treasurer: Request,
    units: tuple[UUID, UUID],
    funds: list[UUID],
    start: date,
) -> str:
    """The province's Tết campaign: a gift naming it in each of ``funds`` (the province's,
    a commune's and its villages'), Tết gifts paid from the commune's fund, and the
    commune's packages counted by beneficiary category."""
    province_id, commune = units
    day = start + timedelta(days=40)
    campaign = UUID(
        ledger.launch_campaign(
            treasurer,
            province_id,
            f"Tết vì người nghèo {day.year}",
            f"TET{day.year}",
            (start + timedelta(days=20), start + timedelta(days=60)),
            Money(500_000_000),
            "Vận động quà Tết cho hộ nghèo, hộ cận nghèo và gia đình chính sách.",
        ).body["id"]
    )
    for n, fund_id in enumerate(funds):
        ledger.record_receipt(
            treasurer,
            fund_id,
            Receipt(
                Money(20_000_000 * (n + 1)),
                day,
                Donor(SPONSORS[n % len(SPONSORS)], DonorKind.ORGANISATION),
                Channel.CASH,
                campaign_id=campaign,
            ),
        )
    ledger.record_disbursement(
        treasurer,
        funds[1],
        Disbursement(Money(30_000_000), day, Category.TET_GIFT, campaign_id=campaign),
    )
    ledger.record_distribution(
        treasurer,
        commune,
        day,
        Category.TET_GIFT,
        "Trao quà Tết cho hộ nghèo, cận nghèo và gia đình chính sách",
        [
            Reach(HouseholdCategory.POOR, packages=60, household_times=60, people=170),
            Reach(HouseholdCategory.NEAR_POOR, packages=90, household_times=90, people=260),
            Reach(HouseholdCategory.POLICY_FAMILY, packages=50, household_times=50),
        ],
        value=30_000_000,
        campaign_id=campaign,
    )
    return f"cuộc vận động: {campaign}; 200 suất quà Tết"


def _selection(
    ledger: Ledger, person: Callable[[], str], treasurer: Request, village_id: UUID, start: date
) -> str:
    """A village's bình xét: three near-poor households put forward, two selected, and a
    house approved for the first naming the meeting."""
    households = [
        UUID(
            ledger.register_household(
                treasurer,
                village_id,
                PersonalData.of(person(), f"Xóm {n}, {VILLAGES[0][0]}"),
                3 + n,
                [(HouseholdCategory.NEAR_POOR, start)],
            ).body["id"]
        )
        for n in (1, 2, 3)
    ]
    held_on = start + timedelta(days=45)
    nominees = [
        Nominee(households[0], 38, 2),
        Nominee(households[1], 30, 8),
        Nominee(households[2], 12, 25),
    ]
    chair = f"Trưởng ban công tác Mặt trận {VILLAGES[0][0]}"
    meeting = selection_meeting(ledger, treasurer, village_id, held_on, "house", nominees, chair)
    ledger.approve_house(
        treasurer,
        households[0],
        HouseKind.NEW_BUILD,
        {CostSource.FUND: 50_000_000, CostSource.HOUSEHOLD: 15_000_000},
        held_on + timedelta(days=5),
        "Theo kết quả bình xét của thôn",
        meeting_id=meeting,
        meeting_required=True,
    )
    return f"bình xét: {meeting}"


def selection_meeting(
    ledger: Ledger,
    request: Request,
    unit_id: UUID,
    held_on: date,
    purpose: str,
    nominees: list[Nominee],
    chaired_by: str,
) -> UUID:
    """Records a bình xét of the unit, 42 attending, with its minutes' hash; its id."""
    minutes = hashlib.sha256(f"Bien ban binh xet {unit_id} {held_on} (demo)".encode()).hexdigest()
    return UUID(
        ledger.hold_selection_meeting(
            request,
            unit_id,
            held_on,
            purpose,
            42,
            chaired_by,
            nominees,
            ("bien-ban-binh-xet.pdf", minutes),
        ).body["id"]
    )
