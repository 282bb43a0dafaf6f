"""The Vietnamese names of the closed vocabularies, as the domain's messages say them."""

from __future__ import annotations

from enum import StrEnum

_NAMES: dict[str, str] = {
    # Role
    "admin": "quản trị",
    "treasurer": "thủ quỹ, kế toán",
    "approver": "người duyệt chi",
    "inspector": "thanh tra, giám sát",
    "viewer": "chỉ xem",
    # Level
    "central": "Trung ương",
    "province": "tỉnh, thành phố",
    "district": "quận, huyện",
    "commune": "xã, phường",
    "village": "thôn, tổ dân phố",
    # Stage
    "approved": "đã phê duyệt",
    "started": "khởi công",
    "foundation": "xong móng",
    "walls_and_frame": "xong tường, khung",
    "roof": "lợp mái",
    "completed": "hoàn thành",
    "accepted": "nghiệm thu",
    "handed_over": "bàn giao",
    # HouseholdCategory
    "poor": "hộ nghèo",
    "near_poor": "hộ cận nghèo",
    "policy_family": "gia đình chính sách",
    "agent_orange_victim": "nạn nhân chất độc da cam",
    "hardship": "hoàn cảnh khó khăn",
    "disability": "người khuyết tật",
    "elderly_alone": "người cao tuổi cô đơn",
    # EmulationTarget
    "supervisions": "số cuộc giám sát",
    "cultural_families_pct": "tỷ lệ gia đình văn hóa (%)",
    "houses_built": "số nhà Đại đoàn kết bàn giao",
    # HouseKind
    "new_build": "xây mới",
    "repair": "sửa chữa",
    # Category
    "livelihood": "phương tiện sinh kế",
    "house_new_build": "xây mới nhà Đại đoàn kết",
    "house_repair": "sửa chữa nhà Đại đoàn kết",
    "scholarship": "học bổng",
    "tet_gift": "quà Tết",
    "medical": "khám chữa bệnh",
    "emergency": "hỗ trợ đột xuất",
    "other": "khác",
    # PledgeStatus
    "open": "đang mở",
    "fulfilled": "đã hoàn thành",
    "cancelled": "đã hủy",
    "written_off": "đã xóa nợ",
}


def word(value: StrEnum | str) -> str:
    """The Vietnamese name of a vocabulary value; the value itself when it has none."""
    return _NAMES.get(str(value), str(value))
