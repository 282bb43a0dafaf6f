"""The Vietnamese words that exports and public pages show for the closed vocabularies."""

from __future__ import annotations

from datetime import date

CHANNELS = {
    "cash": "Tiền mặt",
    "bank": "Chuyển khoản",
    "in_kind": "Hiện vật",
    "payroll": "Trích lương",
    "other": "Khác",
}
CATEGORIES = {
    "house_new_build": "Xây mới nhà Đại đoàn kết",
    "house_repair": "Sửa chữa nhà Đại đoàn kết",
    "livelihood": "Phương tiện sinh kế",
    "scholarship": "Học bổng",
    "tet_gift": "Quà Tết",
    "medical": "Khám chữa bệnh",
    "emergency": "Hỗ trợ đột xuất",
    "other": "Khác",
}
FUND_KINDS = {
    "for_the_poor": "Quỹ Vì người nghèo",
    "relief": "Quỹ cứu trợ",
    "gratitude": "Quỹ Đền ơn đáp nghĩa",
    "sea_islands": "Quỹ Vì biển đảo",
    "other": "Quỹ khác",
}
EMULATION_TARGETS = {
    "supervisions": "Số cuộc giám sát",
    "cultural_families_pct": "Tỷ lệ gia đình văn hóa (%)",
    "houses_built": "Số nhà Đại đoàn kết bàn giao",
}
HOUSEHOLD_CATEGORIES = {
    "poor": "Hộ nghèo",
    "near_poor": "Hộ cận nghèo",
    "policy_family": "Gia đình chính sách",
    "agent_orange_victim": "Nạn nhân chất độc da cam",
    "hardship": "Hoàn cảnh khó khăn",
    "disability": "Người khuyết tật",
    "elderly_alone": "Người cao tuổi cô đơn",
}
LEVELS = {
    "central": "Trung ương",
    "province": "Tỉnh, thành phố",
    "district": "Quận, huyện",
    "commune": "Xã, phường",
    "village": "Thôn, tổ dân phố",
}
STAGES = {
    "approved": "Đã phê duyệt",
    "started": "Khởi công",
    "foundation": "Xong móng",
    "walls_and_frame": "Xong tường, khung",
    "roof": "Lợp mái",
    "completed": "Hoàn thành",
    "accepted": "Nghiệm thu",
    "handed_over": "Bàn giao",
}
ROLES = {
    "admin": "Quản trị",
    "treasurer": "Thủ quỹ, kế toán",
    "approver": "Chủ tịch, trưởng ban (duyệt chi)",
    "inspector": "Ban Thanh tra, Giám sát",
    "viewer": "Chỉ xem",
}
ENTRY_KINDS = {
    "receipt": "Thu",
    "disbursement": "Chi",
    "transfer_out": "Điều tiết đi",
    "transfer_in": "Điều tiết đến",
    "reversal": "Hủy bút toán",
}
COST_SOURCES = {
    "fund": "Quỹ hỗ trợ",
    "household": "Hộ gia đình",
    "relatives": "Họ hàng",
    "sponsors": "Nhà tài trợ",
    "pagoda": "Nhà chùa",
    "labour": "Ngày công (quy ra tiền)",
}
TRANCHE_STATUSES = {"paid": "Đã chi", "pending": "Chờ duyệt", "released": "Đã hủy, trả lại quỹ"}
DONOR_KINDS = {"individual": "Cá nhân", "organisation": "Tổ chức", "anonymous": "Ẩn danh"}
COUNTS = {
    "houses_new_build": "Nhà xây mới đã bàn giao",
    "houses_repair": "Nhà sửa chữa đã bàn giao",
    "livelihood_grants": "Phương tiện sinh kế đã trao",
    "households_supported": "Hộ được hỗ trợ",
    "students": "Học sinh nhận học bổng",
}
ANONYMOUS = "Nhà hảo tâm ẩn danh"


def day(iso: str | date) -> str:
    """A date as Vietnamese readers write it: 05/03/2025."""
    value = date.fromisoformat(iso) if isinstance(iso, str) else iso
    return value.strftime("%d/%m/%Y")


def percent(value: float) -> str:
    """A percentage with a decimal comma: 157,3%."""
    return f"{value:.1f}%".replace(".", ",")
