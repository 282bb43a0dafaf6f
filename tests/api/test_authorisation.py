"""The authorisation matrix: every /api/v1 route × every role × where the token's unit
stands relative to the unit of what it names, against docs/ARCHITECTURE.md's table.

An answer is *allowed* when it is neither 401 nor 403 (a domain 404, 409 or 422 shows
that the gate was passed) and *refused* when it is 403 (401 without a token). A route
of the app that has no row in ``MATRIX`` fails ``test_every_api_route_has_a_row``, so a
new route cannot escape the table: give it a row when you add it.

The world: a province above a district above a commune, and an unrelated commune under
the province. Whatever a request names belongs to the district; the token belongs to

- ``own``: the district itself;
- ``child``: the province, so the resource lies in a child unit of the token's unit;
- ``parent``: the commune, so the resource lies in the parent of the token's unit;
- ``unrelated``: the other commune.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from flask.testing import FlaskClient

from service.config import Config
from service.domain.giving import NotifiedCredit, NotifiedTransfer
from service.domain.notes import COSIGNATURE, Signer
from service.entrypoints.wsgi import create_app
from tests.api.helpers import (
    API,
    DAY,
    PAGES,
    MakeToken,
    created,
    csrf_of,
    disbursement,
    grant,
    house_under_way,
    login,
    open_fund,
    post,
    receipt,
    receive,
    register_household,
    register_unit,
    with_meeting,
)

ROLES = ("admin", "treasurer", "approver", "inspector", "viewer")
OWN, CHILD, PARENT, UNRELATED = "own", "child", "parent", "unrelated"
RELATIONS = (OWN, CHILD, PARENT, UNRELATED)
#: Who may do what: (role or None for no token, relation) → allowed.
Rule = Callable[[str | None, str], bool]


def anyone(role: str | None, relation: str) -> bool:
    return True


def any_token(role: str | None, relation: str) -> bool:
    return role is not None


def roles(*names: str) -> Rule:
    """These roles, wherever their unit is (the route limits what they see, not whether)."""
    return lambda role, relation: role in names


def reaching(*names: str) -> Rule:
    """These roles, with a token of the resource's unit or a unit above it (admin: all)."""
    return lambda role, relation: role in names and (role == "admin" or relation in (OWN, CHILD))


def of_the_unit(*names: str) -> Rule:
    """These roles, with a token of the resource's unit itself (admin: all)."""
    return lambda role, relation: role in names and (role == "admin" or relation == OWN)


READERS = reaching(*ROLES)
MONEY = reaching("treasurer")
CASES = reaching("admin", "treasurer")
AUDITORS = roles("admin", "inspector")
BOARD = of_the_unit("admin", "inspector")


@dataclass
class World:
    """What the requests name: everything belongs to the district."""

    province: str
    district: str
    commune: str
    unrelated: str
    fund: str
    other_fund: str
    receipt: str
    pending: str
    household: str
    erasable: str
    house: str
    cancellable: str
    delivered_grant: str
    grant: str
    closable_grant: str
    review: str
    finding: str
    question: str
    recommendation: str
    thanks: str
    pledge: str
    job: str
    photo: str
    credit: str
    campaign: str
    meeting: str
    village: str
    villager: str
    checkpoint: int
    position: int
    tokens: dict[tuple[str, str], str] = field(default_factory=dict)


@dataclass(frozen=True)
class Call:
    path: str
    body: dict[str, Any] | None = None
    query: dict[str, Any] | None = None
    #: A file sent as multipart/form-data instead of a JSON body: (field, name, content).
    upload: tuple[str, str, bytes] | None = None


#: A photo, as small as a photo can be (a 2×2 PNG).
PHOTO = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a73"
    "0000001649444154789c635c1060c0c0c0c0c4c0c0c0c0c000000e1a01243cb2ae2e"
    "0000000049454e44ae426082"
)
#: A bank statement of one credit, in the service's own CSV layout.
STATEMENT = (
    "Ngày,Mã giao dịch,Số tiền,Nội dung,Người chuyển\n"
    "10/09/2025,FT00000001,100000,UNG HO QUY,NGUYEN VAN AN\n"
).encode()


@dataclass(frozen=True)
class Row:
    call: Callable[[World], Call]
    allowed: Rule


def household_body(w: World) -> dict[str, Any]:
    return {
        "unit_id": w.district,
        "head_name": "Lê Văn Tám",
        "address": "Thôn Bắc, huyện Mẫu",
        "members_count": 2,
    }


def meeting_body(household: str) -> dict[str, Any]:
    return {
        "held_on": DAY,
        "purpose": "house",
        "attendees": 30,
        "chaired_by": "Trưởng ban công tác Mặt trận",
        "nominees": [{"household_id": household, "votes_for": 25}],
        "minutes_name": "bien-ban.pdf",
        "minutes_sha256": "0" * 64,
    }


#: Every route of /api/v1: how to call it on the world, and who may.
MATRIX: dict[tuple[str, str], Row] = {
    # Units
    ("POST", "/units"): Row(
        lambda w: Call("/units", {"name": "Xã Mới", "level": "commune", "parent_id": w.district}),
        roles("admin"),
    ),
    ("GET", "/units"): Row(lambda w: Call("/units", query={"parent_id": w.district}), any_token),
    ("GET", "/units/<uuid:unit_id>"): Row(lambda w: Call(f"/units/{w.district}"), any_token),
    ("PUT", "/units/<uuid:unit_id>/approval-threshold"): Row(
        lambda w: Call(f"/units/{w.district}/approval-threshold", {"amount": 5_000_000}),
        reaching("admin", "approver"),
    ),
    ("POST", "/units/<uuid:unit_id>/merge"): Row(
        # Refused by its rules (the district still has a commune), once past the gate.
        lambda w: Call(
            f"/units/{w.district}/merge", {"successor_id": w.province, "merged_on": "2025-07-01"}
        ),
        lambda role, relation: role == "admin" or (role == "approver" and relation == CHILD),
    ),
    ("GET", "/units/<uuid:unit_id>/report"): Row(
        lambda w: Call(
            f"/units/{w.district}/report", query={"from": "2025-01-01", "to": "2025-12-31"}
        ),
        READERS,
    ),
    # Funds and their money
    ("POST", "/funds"): Row(
        lambda w: Call("/funds", {"unit_id": w.district, "name": "Quỹ mới", "kind": "other"}),
        CASES,
    ),
    ("GET", "/funds/<uuid:fund_id>"): Row(lambda w: Call(f"/funds/{w.fund}"), READERS),
    ("GET", "/funds/<uuid:fund_id>/entries"): Row(
        lambda w: Call(f"/funds/{w.fund}/entries"), READERS
    ),
    ("POST", "/funds/<uuid:fund_id>/receipts"): Row(
        lambda w: Call(f"/funds/{w.fund}/receipts", receipt(10_000)), MONEY
    ),
    ("POST", "/funds/<uuid:fund_id>/disbursements"): Row(
        lambda w: Call(f"/funds/{w.fund}/disbursements", disbursement(1_000, category="other")),
        MONEY,
    ),
    ("POST", "/funds/<uuid:fund_id>/transfers"): Row(
        lambda w: Call(
            f"/funds/{w.fund}/transfers",
            {"to_fund_id": w.other_fund, "amount": 1_000, "occurred_on": DAY},
        ),
        MONEY,
    ),
    ("POST", "/funds/<uuid:fund_id>/entries/<uuid:entry_id>/reversal"): Row(
        lambda w: Call(f"/funds/{w.fund}/entries/{w.receipt}/reversal", {"reason": "Ghi nhầm"}),
        MONEY,
    ),
    ("POST", "/funds/<uuid:fund_id>/currency-sales"): Row(
        lambda w: Call(
            f"/funds/{w.fund}/currency-sales",
            {"currency": "USD", "amount": 100, "vnd_amount": 25_000, "occurred_on": DAY},
        ),
        MONEY,
    ),
    ("POST", "/funds/<uuid:fund_id>/period-closes"): Row(
        lambda w: Call(f"/funds/{w.fund}/period-closes", {"through": "2024-12-31"}), MONEY
    ),
    # Maker-checker
    ("GET", "/funds/<uuid:fund_id>/pending"): Row(
        lambda w: Call(f"/funds/{w.fund}/pending"), READERS
    ),
    ("POST", "/funds/<uuid:fund_id>/pending/<uuid:pending_id>/approval"): Row(
        lambda w: Call(f"/funds/{w.fund}/pending/{w.pending}/approval", {"note": "Đủ hồ sơ"}),
        reaching("approver"),
    ),
    ("GET", "/funds/<uuid:fund_id>/controls"): Row(
        lambda w: Call(f"/funds/{w.fund}/controls"), READERS
    ),
    ("PUT", "/funds/<uuid:fund_id>/plausibility-limit"): Row(
        lambda w: Call(f"/funds/{w.fund}/plausibility-limit", {"amount": 9_000_000_000}),
        reaching("admin", "approver"),
    ),
    ("POST", "/funds/<uuid:fund_id>/pending/<uuid:pending_id>/rejection"): Row(
        lambda w: Call(f"/funds/{w.fund}/pending/{w.pending}/rejection", {"reason": "Thiếu"}),
        reaching("approver"),
    ),
    # Households
    ("POST", "/households"): Row(lambda w: Call("/households", household_body(w)), CASES),
    ("GET", "/households"): Row(
        lambda w: Call("/households", query={"unit_id": w.district}), READERS
    ),
    ("GET", "/households/<uuid:household_id>"): Row(
        lambda w: Call(f"/households/{w.household}"), READERS
    ),
    ("GET", "/households/<uuid:household_id>/history"): Row(
        lambda w: Call(f"/households/{w.household}/history"), READERS
    ),
    ("POST", "/households/<uuid:household_id>/categories"): Row(
        lambda w: Call(
            f"/households/{w.household}/categories", {"category": "hardship", "since": DAY}
        ),
        CASES,
    ),
    ("POST", "/households/<uuid:household_id>/escaped-poverty"): Row(
        lambda w: Call(f"/households/{w.household}/escaped-poverty", {"on": DAY}), CASES
    ),
    ("POST", "/households/<uuid:household_id>/erasure"): Row(
        lambda w: Call(f"/households/{w.erasable}/erasure", {"reason": "Đơn yêu cầu số 7"}),
        reaching("admin", "approver"),
    ),
    # House projects
    ("POST", "/houses"): Row(
        lambda w: Call(
            "/houses",
            {
                "household_id": w.household,
                "kind": "repair",
                "budget": {"fund": 1_000_000},
                "approved_on": DAY,
                "meeting_id": w.meeting,
            },
        ),
        CASES,
    ),
    ("GET", "/houses"): Row(lambda w: Call("/houses", query={"unit_id": w.district}), READERS),
    ("GET", "/houses/stages"): Row(
        lambda w: Call("/houses/stages", query={"unit_id": w.district}), READERS
    ),
    ("GET", "/houses/<uuid:project_id>"): Row(lambda w: Call(f"/houses/{w.house}"), READERS),
    ("POST", "/houses/<uuid:project_id>/stages"): Row(
        lambda w: Call(
            f"/houses/{w.house}/stages",
            {"stage": "handed_over", "on": "2025-02-01", "evidence": ["BIEN-BAN"]},
        ),
        CASES,
    ),
    ("POST", "/houses/<uuid:project_id>/contributions"): Row(
        lambda w: Call(
            f"/houses/{w.house}/contributions",
            {"source": "household", "on": "2025-02-01", "money": 1_000_000},
        ),
        CASES,
    ),
    ("POST", "/houses/<uuid:project_id>/cancellation"): Row(
        lambda w: Call(f"/houses/{w.cancellable}/cancellation", {"reason": "Hộ chuyển đi"}),
        CASES,
    ),
    # Livelihood grants
    ("POST", "/grants"): Row(
        lambda w: Call(
            "/grants",
            {
                "household_id": w.household,
                "item": "Máy khâu",
                "value": 1_000,
                "approved_on": DAY,
                "meeting_id": w.meeting,
            },
        ),
        CASES,
    ),
    ("GET", "/grants"): Row(lambda w: Call("/grants", query={"unit_id": w.district}), READERS),
    ("GET", "/grants/follow-ups/overdue"): Row(
        lambda w: Call("/grants/follow-ups/overdue", query={"unit_id": w.district}), READERS
    ),
    ("GET", "/grants/<uuid:grant_id>"): Row(lambda w: Call(f"/grants/{w.grant}"), READERS),
    ("POST", "/grants/<uuid:grant_id>/delivery"): Row(
        lambda w: Call(f"/grants/{w.grant}/delivery", {"on": "2025-01-10"}), CASES
    ),
    ("POST", "/grants/<uuid:grant_id>/follow-ups"): Row(
        lambda w: Call(
            f"/grants/{w.delivered_grant}/follow-ups",
            {"months": 3, "on": "2025-04-12", "status": "in_use"},
        ),
        CASES,
    ),
    ("POST", "/grants/<uuid:grant_id>/evidence"): Row(
        lambda w: Call(f"/grants/{w.delivered_grant}/evidence", {"evidence": ["BIEN-BAN"]}),
        CASES,
    ),
    # Photos: uploaded by those who record stages; read by those who reach what names them
    ("POST", "/photos"): Row(
        lambda w: Call("/photos", upload=("photo", "anh.png", PHOTO)), roles("admin", "treasurer")
    ),
    ("GET", "/photos/<digest>"): Row(lambda w: Call(f"/photos/{w.photo}"), READERS),
    ("POST", "/grants/<uuid:grant_id>/closure"): Row(
        lambda w: Call(
            f"/grants/{w.closable_grant}/closure", {"outcome": "cancelled", "on": "2025-01-10"}
        ),
        CASES,
    ),
    # Supervision
    ("POST", "/supervisions"): Row(
        lambda w: Call(
            "/supervisions", {"subject": {"kind": "fund", "fund_id": w.fund}, "title": "Giám sát"}
        ),
        reaching("admin", "inspector"),
    ),
    ("GET", "/supervisions"): Row(
        lambda w: Call("/supervisions", query={"unit_id": w.district}),
        reaching("admin", "inspector", "treasurer", "approver"),
    ),
    ("GET", "/supervisions/<uuid:supervision_id>"): Row(
        lambda w: Call(f"/supervisions/{w.review}"),
        reaching("admin", "inspector", "treasurer", "approver"),
    ),
    ("POST", "/supervisions/<uuid:supervision_id>/findings"): Row(
        lambda w: Call(
            f"/supervisions/{w.review}/findings",
            {"severity": "observation", "description": "Sổ ghi chưa kịp thời."},
        ),
        BOARD,
    ),
    ("POST", "/supervisions/<uuid:supervision_id>/findings/<uuid:finding_id>/response"): Row(
        lambda w: Call(
            f"/supervisions/{w.review}/findings/{w.finding}/response",
            {"response": "Đã khắc phục."},
        ),
        of_the_unit("admin", "treasurer", "approver"),
    ),
    ("POST", "/supervisions/<uuid:supervision_id>/conclusion"): Row(
        lambda w: Call(f"/supervisions/{w.review}/conclusion", {"conclusion": "Đạt."}), BOARD
    ),
    # Plans and recommendations
    ("POST", "/supervision-plans"): Row(
        lambda w: Call(
            "/supervision-plans",
            {
                "unit_id": w.district,
                "year": 2026,
                "month": 5,
                "subject": "Giám sát quỹ",
                "members": ["Lê Văn Hùng"],
            },
        ),
        reaching("admin", "inspector"),
    ),
    ("GET", "/supervision-plans"): Row(
        lambda w: Call("/supervision-plans", query={"unit_id": w.district}),
        reaching("admin", "inspector", "treasurer", "approver"),
    ),
    ("POST", "/supervisions/<uuid:supervision_id>/findings/<uuid:finding_id>/recommendations"): Row(
        lambda w: Call(
            f"/supervisions/{w.review}/findings/{w.finding}/recommendations",
            {"text": "Đánh số phiếu thu.", "owner": "Thủ quỹ", "deadline": "2026-03-01"},
        ),
        BOARD,
    ),
    ("POST", "/recommendations/<uuid:recommendation_id>/status"): Row(
        lambda w: Call(f"/recommendations/{w.recommendation}/status", {"status": "in_progress"}),
        lambda role, relation: (
            BOARD(role, relation) or of_the_unit("treasurer", "approver")(role, relation)
        ),
    ),
    ("GET", "/recommendations"): Row(
        lambda w: Call("/recommendations", query={"unit_id": w.district}),
        reaching("admin", "inspector", "treasurer", "approver"),
    ),
    # Thanks to donors
    ("POST", "/funds/<uuid:fund_id>/thanks"): Row(
        lambda w: Call(f"/funds/{w.fund}/thanks", {"entry_id": w.receipt}),
        reaching("admin", "treasurer", "approver"),
    ),
    ("POST", "/funds/<uuid:fund_id>/thanks/bulk"): Row(
        lambda w: Call(
            f"/funds/{w.fund}/thanks/bulk",
            {"from": "2025-01-01", "to": "2025-12-31", "threshold": 1},
        ),
        reaching("admin", "treasurer", "approver"),
    ),
    ("GET", "/thanks/<uuid:batch_id>.pdf"): Row(lambda w: Call(f"/thanks/{w.thanks}.pdf"), READERS),
    # Questions from the people
    ("POST", "/public/questions"): Row(
        lambda w: Call(
            "/public/questions",
            {"fund_id": w.fund, "entry_id": w.receipt, "text": "Khoản này đã vào quỹ chưa?"},
        ),
        anyone,
    ),
    ("GET", "/public/units/<uuid:unit_id>/people-check"): Row(
        lambda w: Call(
            f"/public/units/{w.district}/people-check",
            query={"from": "2025-01-01", "to": "2025-12-31"},
        ),
        anyone,
    ),
    ("GET", "/public/questions/<code>"): Row(
        lambda w: Call("/public/questions/CH-AAAAAAAA"), anyone
    ),
    ("GET", "/questions"): Row(
        lambda w: Call("/questions", query={"unit_id": w.district}),
        reaching("admin", "inspector", "treasurer", "approver"),
    ),
    ("POST", "/questions/<uuid:question_id>/answer"): Row(
        lambda w: Call(f"/questions/{w.question}/answer", {"answer": "Đã vào quỹ."}),
        reaching("admin", "inspector", "treasurer", "approver"),
    ),
    # The audit trail and the log
    ("GET", "/audit/events"): Row(
        lambda w: Call("/audit/events", query={"unit_id": w.district}),
        reaching("admin", "inspector"),
    ),
    ("POST", "/audit/checkpoints"): Row(lambda w: Call("/audit/checkpoints", {}), AUDITORS),
    ("POST", "/audit/checkpoints/<int(max=4611686018427387904):tree_size>/cosignatures"): Row(
        lambda w: Call(
            f"/audit/checkpoints/{w.checkpoint}/cosignatures",
            {"signature": "— nobody.example/w AAAA"},
        ),
        AUDITORS,
    ),
    ("POST", "/audit/witnesses"): Row(
        lambda w: Call(
            "/audit/witnesses",
            {
                "verifier_key": str(Signer.generate("board.example/w", COSIGNATURE).verifier),
                "unit_id": w.district,
            },
        ),
        reaching("admin", "inspector"),
    ),
    ("GET", "/audit/key"): Row(lambda w: Call("/audit/key"), anyone),
    ("GET", "/audit/checkpoints"): Row(lambda w: Call("/audit/checkpoints"), anyone),
    ("GET", "/audit/checkpoints/latest"): Row(lambda w: Call("/audit/checkpoints/latest"), anyone),
    ("GET", "/audit/checkpoints/<int(max=4611686018427387904):tree_size>"): Row(
        lambda w: Call(f"/audit/checkpoints/{w.checkpoint}"), anyone
    ),
    ("GET", "/audit/witnesses"): Row(lambda w: Call("/audit/witnesses"), anyone),
    ("GET", "/audit/proofs/inclusion"): Row(
        lambda w: Call("/audit/proofs/inclusion", query={"position": 1, "tree_size": 2}), anyone
    ),
    ("GET", "/audit/proofs/consistency"): Row(
        lambda w: Call("/audit/proofs/consistency", query={"first": 1, "second": 2}), anyone
    ),
    ("GET", "/public/receipts/<reference>"): Row(
        lambda w: Call(f"/public/receipts/{w.receipt}"), anyone
    ),
    # Money raised: targets, pledges, imports, the statement, books
    ("POST", "/units/<uuid:unit_id>/targets"): Row(
        lambda w: Call(
            f"/units/{w.district}/targets",
            {"year": 2025, "fund_kind": "for_the_poor", "amount": 1_000_000},
        ),
        lambda role, relation: (
            role == "admin" or (role in ("approver", "treasurer") and relation == CHILD)
        ),
    ),
    ("GET", "/units/<uuid:unit_id>/targets"): Row(
        lambda w: Call(f"/units/{w.district}/targets"), READERS
    ),
    ("POST", "/funds/<uuid:fund_id>/pledges"): Row(
        lambda w: Call(
            f"/funds/{w.fund}/pledges",
            {"donor": {"name": "Công ty Hồng Phát", "kind": "organisation"}, "amount": 1_000},
        ),
        MONEY,
    ),
    ("GET", "/pledges/<uuid:pledge_id>"): Row(lambda w: Call(f"/pledges/{w.pledge}"), READERS),
    ("GET", "/units/<uuid:unit_id>/pledges"): Row(
        lambda w: Call(f"/units/{w.district}/pledges"), READERS
    ),
    ("POST", "/pledges/<uuid:pledge_id>/cancellation"): Row(
        lambda w: Call(f"/pledges/{w.pledge}/cancellation", {"reason": "Đổi ý"}), MONEY
    ),
    ("POST", "/pledges/<uuid:pledge_id>/write-off"): Row(
        lambda w: Call(f"/pledges/{w.pledge}/write-off", {"reason": "Không liên lạc được"}),
        MONEY,
    ),
    ("POST", "/funds/<uuid:fund_id>/imports"): Row(
        lambda w: Call(
            f"/funds/{w.fund}/imports",
            query={"dry_run": "true"},
            upload=("file", "sao-ke.csv", STATEMENT),
        ),
        MONEY,
    ),
    ("GET", "/imports/<uuid:job_id>"): Row(lambda w: Call(f"/imports/{w.job}"), READERS),
    ("GET", "/imports/<uuid:job_id>/report.csv"): Row(
        lambda w: Call(f"/imports/{w.job}/report.csv"), READERS
    ),
    ("GET", "/funds/<uuid:fund_id>/statement"): Row(
        lambda w: Call(f"/funds/{w.fund}/statement"), READERS
    ),
    ("GET", "/public/funds/<uuid:fund_id>/statement"): Row(
        lambda w: Call(f"/public/funds/{w.fund}/statement"), anyone
    ),
    ("GET", "/funds/<uuid:fund_id>/stock"): Row(lambda w: Call(f"/funds/{w.fund}/stock"), READERS),
    ("GET", "/units/<uuid:unit_id>/donors/history"): Row(
        lambda w: Call(f"/units/{w.district}/donors/history", query={"name": "Nguyễn Văn An"}),
        READERS,
    ),
    ("GET", "/funds/<uuid:fund_id>/books/receipts"): Row(
        lambda w: Call(f"/funds/{w.fund}/books/receipts", query={"year": 2025}), READERS
    ),
    ("GET", "/funds/<uuid:fund_id>/books/payments"): Row(
        lambda w: Call(f"/funds/{w.fund}/books/payments", query={"year": 2025}), READERS
    ),
    ("GET", "/funds/<uuid:fund_id>/books/cash"): Row(
        lambda w: Call(f"/funds/{w.fund}/books/cash", query={"year": 2025}), READERS
    ),
    ("GET", "/funds/<uuid:fund_id>/books/bank"): Row(
        lambda w: Call(f"/funds/{w.fund}/books/bank", query={"year": 2025}), READERS
    ),
    ("GET", "/units/<uuid:unit_id>/summary"): Row(
        lambda w: Call(f"/units/{w.district}/summary", query={"year": 2025}), READERS
    ),
    ("GET", "/funds/<uuid:fund_id>/journal"): Row(
        lambda w: Call(
            f"/funds/{w.fund}/journal", query={"from": "2025-01-01", "to": "2025-12-31"}
        ),
        READERS,
    ),
    ("GET", "/funds/<uuid:fund_id>/ledgers/<account>"): Row(
        lambda w: Call(
            f"/funds/{w.fund}/ledgers/111", query={"from": "2025-01-01", "to": "2025-12-31"}
        ),
        READERS,
    ),
    ("GET", "/funds/<uuid:fund_id>/trial-balance"): Row(
        lambda w: Call(
            f"/funds/{w.fund}/trial-balance", query={"from": "2025-01-01", "to": "2025-12-31"}
        ),
        READERS,
    ),
    ("GET", "/funds/<uuid:fund_id>/settlement"): Row(
        lambda w: Call(
            f"/funds/{w.fund}/settlement", query={"from": "2025-01-01", "to": "2025-12-31"}
        ),
        READERS,
    ),
    ("GET", "/units/<uuid:unit_id>/trial-balance"): Row(
        lambda w: Call(
            f"/units/{w.district}/trial-balance", query={"from": "2025-01-01", "to": "2025-12-31"}
        ),
        READERS,
    ),
    ("GET", "/public/units/<uuid:unit_id>/disclosure"): Row(
        lambda w: Call(
            f"/public/units/{w.district}/disclosure",
            query={"from": "2025-01-01", "to": "2025-12-31"},
        ),
        anyone,
    ),
    # People's accounts (an unknown person is a 404 past the gate)
    ("POST", "/people"): Row(
        lambda w: Call(
            "/people",
            {"name": "Người Mới", "role": "viewer", "unit_id": w.district, "phone": "0987654321"},
        ),
        roles("admin"),
    ),
    ("GET", "/people"): Row(lambda w: Call("/people"), roles("admin")),
    ("GET", "/people/<person_id>"): Row(lambda w: Call("/people/nobody"), roles("admin")),
    ("POST", "/people/<person_id>/activation-links"): Row(
        lambda w: Call("/people/nobody/activation-links"), roles("admin")
    ),
    ("POST", "/people/<person_id>/disable"): Row(
        lambda w: Call("/people/nobody/disable"), roles("admin")
    ),
    # Live giving (the bank notifications' own route is authenticated by the service's key:
    # SOURCE_AUTHENTICATED below, and tests/api/test_live_giving.py)
    ("PUT", "/funds/<uuid:fund_id>/giving-account"): Row(
        lambda w: Call(
            f"/funds/{w.fund}/giving-account",
            {"bank_bin": "970436", "account_number": "0011001932418", "account_name": "MTTQ"},
        ),
        MONEY,
    ),
    ("GET", "/public/funds/<uuid:fund_id>/vietqr"): Row(
        lambda w: Call(f"/public/funds/{w.fund}/vietqr"), anyone
    ),
    ("GET", "/pledges/<uuid:pledge_id>/vietqr"): Row(
        lambda w: Call(f"/pledges/{w.pledge}/vietqr"), READERS
    ),
    ("GET", "/funds/<uuid:fund_id>/notified-credits"): Row(
        lambda w: Call(f"/funds/{w.fund}/notified-credits"), READERS
    ),
    ("POST", "/funds/<uuid:fund_id>/notified-credits/<uuid:credit_id>/assignment"): Row(
        lambda w: Call(
            f"/funds/{w.fund}/notified-credits/{w.credit}/assignment", {"pledge_id": w.pledge}
        ),
        MONEY,
    ),
    # Campaigns
    ("POST", "/campaigns"): Row(
        lambda w: Call(
            "/campaigns",
            {
                "unit_id": w.district,
                "name": "Tháng cao điểm vì người nghèo",
                "code": "THANG2025",
                "starts_on": "2025-10-17",
                "ends_on": "2025-11-18",
            },
        ),
        reaching("admin", "approver", "treasurer"),
    ),
    ("GET", "/campaigns/<uuid:campaign_id>"): Row(
        lambda w: Call(f"/campaigns/{w.campaign}"), any_token
    ),
    ("GET", "/units/<uuid:unit_id>/campaigns"): Row(
        lambda w: Call(f"/units/{w.district}/campaigns"), READERS
    ),
    # House support norms
    ("PUT", "/units/<uuid:unit_id>/house-norms"): Row(
        lambda w: Call(
            f"/units/{w.district}/house-norms",
            {"year": 2025, "kind": "new_build", "most": 60_000_000},
        ),
        reaching("admin", "approver"),
    ),
    ("GET", "/units/<uuid:unit_id>/house-norms"): Row(
        lambda w: Call(f"/units/{w.district}/house-norms"), READERS
    ),
    # Targets that are not money
    ("PUT", "/units/<uuid:unit_id>/emulation-targets"): Row(
        lambda w: Call(
            f"/units/{w.district}/emulation-targets",
            {"year": 2025, "kind": "houses_built", "amount": 6},
        ),
        reaching("admin", "approver", "treasurer"),
    ),
    ("GET", "/units/<uuid:unit_id>/emulation-targets"): Row(
        lambda w: Call(f"/units/{w.district}/emulation-targets", query={"year": 2025}), READERS
    ),
    ("POST", "/units/<uuid:unit_id>/household-counts"): Row(
        lambda w: Call(f"/units/{w.district}/household-counts", {"year": 2025, "households": 900}),
        reaching("admin", "approver", "treasurer"),
    ),
    ("POST", "/units/<uuid:unit_id>/caretakers"): Row(
        lambda w: Call(
            f"/units/{w.village}/caretakers",
            {"member": "Tổ viên tổ tự quản số 1", "household_ids": [w.villager]},
        ),
        CASES,
    ),
    ("GET", "/units/<uuid:unit_id>/caretakers"): Row(
        lambda w: Call(f"/units/{w.village}/caretakers"), READERS
    ),
    ("GET", "/units/<uuid:unit_id>/poverty"): Row(
        lambda w: Call(f"/units/{w.district}/poverty", query={"year": 2025}), READERS
    ),
    ("GET", "/units/<uuid:unit_id>/committee-report"): Row(
        lambda w: Call(f"/units/{w.district}/committee-report", query={"year": 2025}), READERS
    ),
    # Bình xét
    ("POST", "/units/<uuid:unit_id>/selection-meetings"): Row(
        lambda w: Call(f"/units/{w.district}/selection-meetings", meeting_body(w.household)),
        CASES,
    ),
    ("GET", "/selection-meetings/<uuid:meeting_id>"): Row(
        lambda w: Call(f"/selection-meetings/{w.meeting}"), READERS
    ),
    # Support counted by beneficiary category
    ("POST", "/units/<uuid:unit_id>/distributions"): Row(
        lambda w: Call(
            f"/units/{w.district}/distributions",
            {
                "on": DAY,
                "category": "tet_gift",
                "title": "Trao quà Tết",
                "lines": [{"beneficiary": "near_poor", "packages": 10}],
            },
        ),
        CASES,
    ),
    ("GET", "/units/<uuid:unit_id>/support-counts"): Row(
        lambda w: Call(
            f"/units/{w.district}/support-counts", query={"from": "2025-01-01", "to": "2025-12-31"}
        ),
        READERS,
    ),
    ("GET", "/units/<uuid:unit_id>/coverage"): Row(
        lambda w: Call(
            f"/units/{w.district}/coverage", query={"from": "2025-01-01", "to": "2025-12-31"}
        ),
        READERS,
    ),
}


#: Every inspector page under /thanh-tra: how to open it on the world, and who may. A page
#: reads through the function of the API route that answers the same question, so its
#: rule is that route's. Without a token, a page sends the browser to the login (303).
PAGE_MATRIX: dict[tuple[str, str], Row] = {
    ("GET", "/"): Row(lambda w: Call("/"), any_token),
    ("GET", "/don-vi/<uuid:unit_id>"): Row(lambda w: Call(f"/don-vi/{w.district}"), READERS),
    ("GET", "/nhat-ky"): Row(
        lambda w: Call("/nhat-ky", query={"don_vi": w.district}), reaching("admin", "inspector")
    ),
    ("GET", "/quy/<uuid:fund_id>"): Row(lambda w: Call(f"/quy/{w.fund}"), READERS),
    ("GET", "/nha/<uuid:project_id>"): Row(lambda w: Call(f"/nha/{w.house}"), READERS),
    ("GET", "/anh/<digest>.jpg"): Row(lambda w: Call(f"/anh/{w.photo}.jpg"), READERS),
    ("GET", "/kiem-chung"): Row(lambda w: Call("/kiem-chung"), any_token),
    ("POST", "/kiem-chung"): Row(lambda w: Call("/kiem-chung", {}), AUDITORS),
    ("POST", "/kiem-chung/bang-doc"): Row(lambda w: Call("/kiem-chung/bang-doc", {}), AUDITORS),
    ("GET", "/thu-cam-on"): Row(lambda w: Call("/thu-cam-on", query={"ten": "An"}), any_token),
    ("POST", "/thu-cam-on"): Row(
        lambda w: Call(
            "/thu-cam-on",
            {"quy": w.fund, "tu": "01/01/2025", "den": "31/12/2025", "muc": "1"},
        ),
        reaching("admin", "treasurer", "approver"),
    ),
    ("GET", "/thu-cam-on/<uuid:batch_id>.pdf"): Row(
        lambda w: Call(f"/thu-cam-on/{w.thanks}.pdf"), READERS
    ),
    ("GET", "/giam-sat"): Row(
        lambda w: Call("/giam-sat"), roles("admin", "inspector", "treasurer", "approver")
    ),
    ("GET", "/cau-hoi"): Row(
        lambda w: Call("/cau-hoi"), roles("admin", "inspector", "treasurer", "approver")
    ),
    ("POST", "/cau-hoi/<uuid:question_id>/tra-loi"): Row(
        lambda w: Call(f"/cau-hoi/{w.question}/tra-loi", {"tra_loi": "Đã vào quỹ."}),
        reaching("admin", "inspector", "treasurer", "approver"),
    ),
}
#: The login and the logout, which any browser may use (tests/api/test_inspector_pages.py).
SESSION_PAGES = {("GET", "/dang-nhap"), ("POST", "/dang-nhap"), ("POST", "/dang-xuat")}


def build_world(client: FlaskClient, make_token: MakeToken) -> World:
    """The units, and in the district: two funds with money, a receipt to reverse, a
    payment awaiting approval, households, houses, grants, a review with a finding and
    a signed checkpoint. Tokens of every role in every unit."""
    admin = make_token("admin", name="Quản trị")
    province = register_unit(client, admin, "Tỉnh Mẫu", "province")["id"]
    district = register_unit(client, admin, "Huyện Mẫu", "district", province)["id"]
    commune = register_unit(client, admin, "Xã Mẫu", "commune", district)["id"]
    unrelated = register_unit(client, admin, "Xã Khác", "commune", province)["id"]
    treasurer = make_token("treasurer", district, name="Thủ quỹ huyện (dựng dữ liệu)")
    approver = make_token("approver", district, name="Chủ tịch huyện (dựng dữ liệu)")
    inspector = make_token("inspector", district, name="Ban Thanh tra huyện (dựng dữ liệu)")

    fund = open_fund(client, treasurer, district)["id"]
    other_fund = open_fund(client, treasurer, district, "Quỹ cứu trợ", "relief")["id"]
    receive(client, treasurer, fund, 50_000_000)
    to_reverse = receive(client, treasurer, fund, 20_000)["entry_id"]
    threshold = client.put(
        f"{API}/units/{district}/approval-threshold",
        json={"amount": 5_000_000},
        headers={"Authorization": f"Bearer {approver}"},
    )
    assert threshold.status_code == 200, threshold.get_data(as_text=True)
    waiting = post(client, f"/funds/{fund}/disbursements", treasurer, disbursement(6_000_000))
    assert waiting.status_code == 202, waiting.get_data(as_text=True)

    household = register_household(client, treasurer, district)
    village = register_unit(client, admin, "Tổ dân phố 3", "village", district)["id"]
    villager = register_household(client, treasurer, village, "Lê Văn Tổ", "Tổ dân phố 3")
    erasable = register_household(
        client, treasurer, district, head_name="Đỗ Thị Chín", address="Thôn Nam, huyện Mẫu"
    )
    house = house_under_way(client, treasurer, household, 1_000_000)
    cancellable = created(
        post(
            client,
            "/houses",
            treasurer,
            with_meeting(
                client,
                treasurer,
                {
                    "household_id": household,
                    "kind": "new_build",
                    "budget": {"fund": 2_000_000},
                    "approved_on": DAY,
                },
            ),
        )
    )["id"]
    delivered = grant(client, treasurer, household, 500_000)
    created(post(client, f"/grants/{delivered}/delivery", treasurer, {"on": "2025-01-10"}))
    kept = client.post(
        f"{API}/photos",
        data={"photo": (io.BytesIO(PHOTO), "bo.png")},
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {treasurer}"},
    )
    assert kept.status_code == 201, kept.get_data(as_text=True)
    photo = kept.get_json()["digest"]
    evidence = {"evidence": [f"sha256:{photo}"]}
    created(post(client, f"/grants/{delivered}/evidence", treasurer, evidence))
    undelivered = grant(client, treasurer, household, 400_000, item="Lưới đánh cá")
    closable = grant(client, treasurer, household, 300_000, item="Xe máy")

    review = created(
        post(
            client,
            "/supervisions",
            inspector,
            {"subject": {"kind": "fund", "fund_id": fund}, "title": "Giám sát năm 2025"},
        )
    )["id"]
    finding = created(
        post(
            client,
            f"/supervisions/{review}/findings",
            inspector,
            {"severity": "minor", "description": "Phiếu thu chưa ghi số."},
        )
    )["finding_id"]
    thanks = created(post(client, f"/funds/{fund}/thanks", treasurer, {"entry_id": to_reverse}))[
        "batch_id"
    ]
    recommendation = created(
        post(
            client,
            f"/supervisions/{review}/findings/{finding}/recommendations",
            inspector,
            {"text": "Đánh số phiếu thu.", "owner": "Thủ quỹ", "deadline": "2026-03-01"},
        )
    )["recommendation_id"]
    question = created(
        post(
            client,
            "/public/questions",
            None,
            {"unit_id": district, "text": "Huyện đã chi bao nhiêu cho nhà Đại đoàn kết?"},
        )
    )["question_id"]
    pledge = created(
        post(
            client,
            f"/funds/{fund}/pledges",
            treasurer,
            {"donor": {"name": "Trần Thị Bình", "kind": "individual"}, "amount": 2_000_000},
        )
    )["pledge_id"]
    started = client.post(
        f"{API}/funds/{fund}/imports?dry_run=true",
        data={"file": (io.BytesIO(STATEMENT), "sao-ke.csv")},
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {treasurer}"},
    )
    assert started.status_code == 202, started.get_data(as_text=True)
    campaign = created(
        post(
            client,
            "/campaigns",
            treasurer,
            {
                "unit_id": district,
                "name": "Tết vì người nghèo",
                "code": "TET2025",
                "starts_on": "2024-12-15",
                "ends_on": "2025-01-25",
            },
        )
    )["id"]
    meeting = created(
        post(client, f"/units/{district}/selection-meetings", treasurer, meeting_body(household))
    )["id"]
    account = {"bank_bin": "970436", "account_number": "0011001932418", "account_name": "MTTQ"}
    connected = client.put(
        f"{API}/funds/{fund}/giving-account",
        json=account,
        headers={"Authorization": f"Bearer {treasurer}"},
    )
    assert connected.status_code == 200, connected.get_data(as_text=True)
    services = client.application.extensions["sovang"]
    transfer = NotifiedTransfer(
        "9001", "0011001932418", True, 100_000, date(2025, 9, 10), "09:00:00", "FT9001", "UNG HO"
    )
    services.ledger.record_notified("sepay", "SePay", transfer)
    credit = str(NotifiedCredit.id_for(UUID(fund), "sepay", "9001"))
    signed = post(client, "/audit/checkpoints", admin, {})
    assert signed.status_code == 201, signed.get_data(as_text=True)

    position = services.runner.catch_up()
    world = World(
        province=province,
        district=district,
        commune=commune,
        unrelated=unrelated,
        fund=fund,
        other_fund=other_fund,
        receipt=to_reverse,
        pending=waiting.get_json()["pending_id"],
        household=household,
        erasable=erasable,
        house=house,
        cancellable=cancellable,
        delivered_grant=delivered,
        grant=undelivered,
        closable_grant=closable,
        review=review,
        finding=finding,
        question=question,
        recommendation=recommendation,
        thanks=thanks,
        pledge=pledge,
        job=started.get_json()["job_id"],
        photo=photo,
        credit=credit,
        campaign=campaign,
        meeting=meeting,
        village=village,
        villager=villager,
        checkpoint=signed.get_json()["tree_size"],
        position=position,
    )
    units = {OWN: district, CHILD: province, PARENT: commune, UNRELATED: unrelated}
    world.tokens[("admin", "-")] = make_token("admin", name="admin (matrix)")
    for role in ROLES[1:]:
        for relation, unit in units.items():
            world.tokens[(role, relation)] = make_token(role, unit, name=f"{role} {relation}")
    return world


def subjects() -> list[tuple[str | None, str]]:
    """Every (role, relation) a route is called with: admin once (it has no unit), no
    token once, every other role from each of the four units."""
    return [
        ("admin", "-"),
        (None, "-"),
        *((role, relation) for role in ROLES[1:] for relation in RELATIONS),
    ]


def check(client: FlaskClient, world: World, methods: set[str]) -> list[str]:
    """Calls every row of ``MATRIX`` whose method is in ``methods`` as every subject;
    returns a line per answer that is not what the table says."""
    mismatches = []
    for (method, rule), row in MATRIX.items():
        if method not in methods:
            continue
        for role, relation in subjects():
            if method == "GET":
                client.application.extensions["sovang"].runner.catch_up()
            call = row.call(world)
            token = world.tokens[(role, relation)] if role is not None else None
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            if call.upload is not None:
                field_name, filename, content = call.upload
                response = client.open(
                    API + call.path,
                    method=method,
                    data={field_name: (io.BytesIO(content), filename)},
                    content_type="multipart/form-data",
                    query_string=call.query,
                    headers=headers,
                )
            else:
                response = client.open(
                    API + call.path,
                    method=method,
                    json=call.body,
                    query_string=call.query,
                    headers=headers,
                )
            allowed = row.allowed(role, relation)
            status = response.status_code
            if allowed:
                right = status not in (401, 403) and status < 500
            else:
                right = status == (403 if role is not None else 401)
            if not right:
                body = response.get_json(silent=True) or {}
                mismatches.append(
                    f"{method:<5} {rule:<70} {role or 'no token':<10} {relation:<9} "
                    f"expected {'allowed' if allowed else 'refused'}, got {status} "
                    f"{str(body.get('type', '')).rsplit('/', 1)[-1]}"
                )
    return mismatches


def assert_none(mismatches: list[str]) -> None:
    assert not mismatches, (
        f"{len(mismatches)} answer(s) differ from the authorisation table:\n"
        + "\n".join(mismatches)
    )


def routes_under(tmp_path: Path, prefix: str) -> set[tuple[str, str]]:
    """Every (method, rule) of the app under ``prefix``, the prefix left out."""
    app = create_app(Config(database_url=f"sqlite:///{tmp_path / 'routes.db'}"))
    try:
        return {
            (method, rule.rule.removeprefix(prefix))
            for rule in app.url_map.iter_rules()
            if rule.rule.startswith(prefix + "/")
            for method in rule.methods or ()
            if method not in {"HEAD", "OPTIONS"}
        }
    finally:
        app.extensions["sovang"].close()


#: Routes a bearer token does not open: a bank notification service authenticates with its
#: own key or signature (tests/api/test_live_giving.py refuses forged and unsigned posts).
SOURCE_AUTHENTICATED = {("POST", "/bank-notifications/<source>")}


def test_every_api_route_has_a_row_in_the_matrix(tmp_path: Path) -> None:
    routes = routes_under(tmp_path, API) - SOURCE_AUTHENTICATED
    missing = sorted(routes - MATRIX.keys())
    stale = sorted(MATRIX.keys() - routes)
    assert not missing, f"routes with no row in the authorisation matrix: {missing}"
    assert not stale, f"rows of the matrix that name no route: {stale}"


def test_every_inspector_page_has_a_row_in_the_page_matrix(tmp_path: Path) -> None:
    assert routes_under(tmp_path, PAGES) == PAGE_MATRIX.keys() | SESSION_PAGES


def test_every_inspector_page_answers_each_role_and_unit_as_the_table_says(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = build_world(client, make_token)
    mismatches = []
    try:
        for role, relation in subjects():
            browser = client.application.test_client()
            if role is not None:
                assert login(browser, world.tokens[(role, relation)]).status_code == 303
            for (method, rule), row in PAGE_MATRIX.items():
                call = row.call(world)
                if method == "POST":
                    form = browser.get(f"{PAGES}/kiem-chung" if role else f"{PAGES}/dang-nhap")
                    sent = {**(call.body or {}), "csrf_token": csrf_of(form.get_data(as_text=True))}
                    response = browser.post(PAGES + call.path, data=sent)
                else:
                    response = browser.get(PAGES + call.path, query_string=call.query)
                allowed = row.allowed(role, relation)
                status = response.status_code
                to_login = status == 303 and "/dang-nhap" in response.headers.get("Location", "")
                if allowed:
                    right = status < 400 and not to_login
                else:
                    right = status == 403 if role is not None else to_login
                if not right:
                    mismatches.append(
                        f"{method:<5} {rule:<30} {role or 'no token':<10} {relation:<9} "
                        f"expected {'allowed' if allowed else 'refused'}, got {status}"
                    )
    finally:
        imports_finished(client)
    assert_none(mismatches)


def imports_finished(client: FlaskClient) -> None:
    """Waits for the import jobs the world and the calls started: a job left running
    would outlive the test's store."""
    db = client.application.extensions["sovang"].db
    for _ in range(600):
        with db.transaction() as tx:
            if not tx.scalar("SELECT COUNT(*) AS n FROM import_jobs WHERE status = 'running'"):
                return
        time.sleep(0.05)
    raise AssertionError("an import job did not finish")


def test_every_read_answers_each_role_and_unit_as_the_table_says(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = build_world(client, make_token)
    try:
        mismatches = check(client, world, {"GET"})
    finally:
        imports_finished(client)
    assert_none(mismatches)


def test_every_write_answers_each_role_and_unit_as_the_table_says(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = build_world(client, make_token)
    try:
        mismatches = check(client, world, {"POST", "PUT"})
    finally:
        imports_finished(client)
    assert_none(mismatches)
