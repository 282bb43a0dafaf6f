"""The closed vocabularies of DESIGN.md. Extend with care; never rename a value."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    CENTRAL = "central"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"

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


class SubjectKind(StrEnum):
    """What a supervision reviews. House projects will join as ``house_project``."""

    FUND = "fund"
    PERIOD = "period"


class Severity(StrEnum):
    OBSERVATION = "observation"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"


class SupervisionStatus(StrEnum):
    OPEN = "open"
    CONCLUDED = "concluded"


class PledgeStatus(StrEnum):
    OPEN = "open"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"
    WRITTEN_OFF = "written_off"
