"""The closed vocabularies of DESIGN.md. Extend with care; never rename a value."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    CENTRAL = "central"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"
    #: A village or residential group below the commune (thôn, khu dân cư, tổ dân phố),
    #: where the front's work is done by its Ban công tác Mặt trận.
    VILLAGE = "village"

    @property
    def rank(self) -> int:
        return list(Level).index(self)


class FundKind(StrEnum):
    FOR_THE_POOR = "for_the_poor"
    RELIEF = "relief"
    GRATITUDE = "gratitude"
    SEA_ISLANDS = "sea_islands"
    OTHER = "other"


class Channel(StrEnum):
    CASH = "cash"
    BANK = "bank"
    IN_KIND = "in_kind"
    PAYROLL = "payroll"
    OTHER = "other"

    @property
    def is_goods(self) -> bool:
        """Whether what comes by this channel is goods (hiện vật) rather than money."""
        return self in GOODS_CHANNELS


#: The channels by which goods come in instead of money (hiện vật): described, counted by
#: quantity and valued in đồng, they move no money and count apart from it in every total.
#: A new kind of gift in kind is a new channel listed here; everything else derives from it.
GOODS_CHANNELS = frozenset({Channel.IN_KIND})
#: The goods channels as a message names them: "in_kind", or "in_kind hoặc labour".
GOODS_CHANNELS_TEXT = " hoặc ".join(sorted(GOODS_CHANNELS))


class DonorKind(StrEnum):
    INDIVIDUAL = "individual"
    ORGANISATION = "organisation"
    ANONYMOUS = "anonymous"


class Category(StrEnum):
    HOUSE_NEW_BUILD = "house_new_build"
    HOUSE_REPAIR = "house_repair"
    LIVELIHOOD = "livelihood"
    SCHOLARSHIP = "scholarship"
    TET_GIFT = "tet_gift"
    MEDICAL = "medical"
    EMERGENCY = "emergency"
    OTHER = "other"


class Role(StrEnum):
    ADMIN = "admin"
    TREASURER = "treasurer"
    APPROVER = "approver"
    INSPECTOR = "inspector"
    VIEWER = "viewer"


class EntryKind(StrEnum):
    RECEIPT = "receipt"
    DISBURSEMENT = "disbursement"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    REVERSAL = "reversal"
    #: Foreign currency sold for đồng (bán ngoại tệ).
    CURRENCY_SALE = "currency_sale"


class SubjectKind(StrEnum):
    """What a supervision reviews."""

    FUND = "fund"
    PERIOD = "period"
    HOUSE_PROJECT = "house_project"


class Severity(StrEnum):
    OBSERVATION = "observation"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"


class QuestionKind(StrEnum):
    """câu hỏi, báo sai sót: what a person sends about a published entry."""

    QUESTION = "question"
    FLAG = "flag"


class ThanksKind(StrEnum):
    """thư cảm ơn, giấy chứng nhận."""

    LETTER = "letter"
    CERTIFICATE = "certificate"


class RecommendationStatus(StrEnum):
    """Where a recommendation stands: chưa thực hiện, đang thực hiện, đã thực hiện, đã xác nhận."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    VERIFIED = "verified"


class SupervisionStatus(StrEnum):
    OPEN = "open"
    CONCLUDED = "concluded"


class HouseholdCategory(StrEnum):
    """hộ nghèo, hộ cận nghèo, gia đình chính sách, nạn nhân chất độc da cam, hoàn cảnh khó
    khăn, người khuyết tật, người cao tuổi cô đơn."""

    POOR = "poor"
    NEAR_POOR = "near_poor"
    POLICY_FAMILY = "policy_family"
    AGENT_ORANGE_VICTIM = "agent_orange_victim"
    HARDSHIP = "hardship"
    DISABILITY = "disability"
    ELDERLY_ALONE = "elderly_alone"


class HouseKind(StrEnum):
    """nhà Đại đoàn kết: xây mới / sửa chữa."""

    NEW_BUILD = "new_build"
    REPAIR = "repair"

    @property
    def category(self) -> Category:
        """The disbursement category of the project's tranches."""
        return Category.HOUSE_NEW_BUILD if self is HouseKind.NEW_BUILD else Category.HOUSE_REPAIR


class Stage(StrEnum):
    """A house project's stages, in the order they are reached."""

    APPROVED = "approved"
    STARTED = "started"
    FOUNDATION = "foundation"
    WALLS_AND_FRAME = "walls_and_frame"
    ROOF = "roof"
    COMPLETED = "completed"
    ACCEPTED = "accepted"
    HANDED_OVER = "handed_over"

    @property
    def rank(self) -> int:
        return list(Stage).index(self)


class CostSource(StrEnum):
    """Where a house's money comes from: the fund, the household, relatives, sponsors, a
    pagoda, and labour days valued in đồng."""

    FUND = "fund"
    HOUSEHOLD = "household"
    RELATIVES = "relatives"
    SPONSORS = "sponsors"
    PAGODA = "pagoda"
    LABOUR = "labour"


class FollowUpStatus(StrEnum):
    """What a follow-up visit found of a livelihood grant: in use, multiplied (the cow
    calved), sold, or lost (died, stolen, broken)."""

    IN_USE = "in_use"
    MULTIPLIED = "multiplied"
    SOLD = "sold"
    LOST = "lost"


class GrantOutcome(StrEnum):
    """How a livelihood grant ended: the household earns from it, escaped poverty with
    it, sold it, lost it; or it was cancelled before delivery."""

    SUSTAINED = "sustained"
    ESCAPED_POVERTY = "escaped_poverty"
    SOLD = "sold"
    LOST = "lost"
    CANCELLED = "cancelled"


class PledgeStatus(StrEnum):
    OPEN = "open"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"
    WRITTEN_OFF = "written_off"


class EmulationTarget(StrEnum):
    """Targets that are not money (chỉ tiêu thi đua): supervision sessions held by the
    unit's board, the share of "gia đình văn hóa" households (in percent, as the unit
    reports it) and Great Solidarity houses handed over."""

    SUPERVISIONS = "supervisions"
    CULTURAL_FAMILIES_PCT = "cultural_families_pct"
    HOUSES_BUILT = "houses_built"
