"""The Vietnamese words that exports and public pages show for the closed vocabularies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

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
    "currency_sale": "Bán ngoại tệ",
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
RECOMMENDATION_STATUSES = {
    "open": "Chưa thực hiện",
    "in_progress": "Đang thực hiện",
    "done": "Đơn vị báo đã thực hiện",
    "verified": "Ban giám sát đã xác nhận",
}
THANKS_KINDS = {"letter": "Thư cảm ơn", "certificate": "Giấy chứng nhận"}
QUESTION_KINDS = {"question": "Câu hỏi", "flag": "Báo sai sót"}

HOUSE_KINDS = {"new_build": "xây mới", "repair": "sửa chữa"}
FOLLOW_UP_STATUSES = {
    "in_use": "Đang sử dụng",
    "multiplied": "Đã sinh sôi, nhân rộng",
    "sold": "Đã bán",
    "lost": "Đã mất (chết, bị trộm, hỏng)",
}
HOLDS = {
    "threshold": "Vượt mức phải duyệt của đơn vị",
    "split": "Cộng với các khoản chi cùng ngày, cùng mục đích hoặc cùng đối tượng thì vượt mức"
    " phải duyệt",
    "plausibility": "Vượt mức hợp lý của quỹ (hãy xem có gõ thừa số 0 không)",
}
ANONYMOUS = "Nhà hảo tâm ẩn danh"
#: What each kind of record of the log is about (the audit trail's "Đối tượng").
AGGREGATES = {
    "Fund": "Quỹ",
    "Unit": "Đơn vị",
    "Household": "Hộ gia đình",
    "HouseProject": "Nhà Đại đoàn kết",
    "LivelihoodGrant": "Phương tiện sinh kế",
    "Pledge": "Cam kết ủng hộ",
    "Supervision": "Cuộc giám sát",
    "Checkpoint": "Điểm kiểm tra",
    "Witness": "Bên chứng kiến",
    "ImportedTransfer": "Giao dịch ngân hàng đã nhập",
    "RequestRecord": "Yêu cầu ghi sổ",
    "GivingAccount": "Tài khoản nhận ủng hộ của quỹ",
    "AccountClaim": "Số tài khoản nhận ủng hộ",
    "NotifiedCredit": "Báo có từ ngân hàng",
    "PlannedSupervision": "Kế hoạch giám sát",
    "Question": "Câu hỏi của người dân",
    "Recommendation": "Kiến nghị cần thực hiện",
    "Thanks": "Thư cảm ơn, giấy chứng nhận",
    "Campaign": "Cuộc vận động",
    "Distribution": "Đợt trao hỗ trợ",
    "SelectionMeeting": "Cuộc họp bình xét",
}
#: Each event of the log by its record and its name, as the audit trail shows it.
EVENTS = {
    ("Fund", "Opened"): "Mở quỹ",
    ("Fund", "ReceiptRecorded"): "Ghi khoản thu",
    ("Fund", "ReceiptRequested"): "Khoản thu chờ duyệt",
    ("Fund", "DisbursementRecorded"): "Ghi khoản chi",
    ("Fund", "DisbursementRequested"): "Khoản chi chờ duyệt",
    ("Fund", "EntryRecorded"): "Ghi bút toán",
    ("Fund", "EntryReversed"): "Hủy bút toán (bút toán đảo)",
    ("Fund", "ReversalRequested"): "Hủy bút toán chờ duyệt",
    ("Fund", "TransferSent"): "Điều tiết sang quỹ khác",
    ("Fund", "TransferReceived"): "Nhận điều tiết từ quỹ khác",
    ("Fund", "CurrencySold"): "Bán ngoại tệ",
    ("Fund", "TransferRequested"): "Điều tiết chờ duyệt",
    ("Fund", "PaymentRequested"): "Khoản chờ duyệt",
    ("Fund", "PaymentApproved"): "Duyệt khoản chờ duyệt",
    ("Fund", "PaymentRejected"): "Từ chối khoản chờ duyệt",
    ("Fund", "PaymentDecided"): "Quyết định về khoản chờ duyệt",
    ("Fund", "PeriodClosed"): "Khóa sổ",
    ("Fund", "PlausibilityLimitSet"): "Đặt mức cảnh báo số tiền bất thường",
    ("Unit", "Registered"): "Đăng ký đơn vị",
    ("Unit", "Merged"): "Sáp nhập đơn vị",
    ("Unit", "TargetAssigned"): "Giao chỉ tiêu vận động",
    ("Unit", "ApprovalThresholdSet"): "Đặt ngưỡng phải duyệt chi",
    ("Household", "Registered"): "Đăng ký hộ",
    ("Household", "CategoryApplied"): "Ghi diện hộ (nghèo, cận nghèo…)",
    ("Household", "CategoryEnded"): "Kết thúc diện hộ",
    ("Household", "EscapedPoverty"): "Hộ thoát nghèo",
    ("Household", "Erased"): "Xóa dữ liệu cá nhân của hộ",
    ("Household", "Moved"): "Chuyển hộ sang đơn vị kế thừa",
    ("HouseProject", "Approved"): "Phê duyệt nhà",
    ("HouseProject", "StageReached"): "Nhà đạt giai đoạn",
    ("HouseProject", "Cancelled"): "Hủy dự án nhà",
    ("HouseProject", "TrancheRequested"): "Đợt chi xây nhà chờ duyệt",
    ("HouseProject", "TrancheApproved"): "Duyệt đợt chi xây nhà",
    ("HouseProject", "TranchePaid"): "Chi đợt xây nhà",
    ("HouseProject", "TrancheReleased"): "Hủy đợt chi xây nhà, trả lại quỹ",
    ("HouseProject", "Moved"): "Chuyển nhà sang đơn vị kế thừa",
    ("LivelihoodGrant", "Approved"): "Phê duyệt phương tiện sinh kế",
    ("LivelihoodGrant", "Delivered"): "Trao phương tiện sinh kế",
    ("LivelihoodGrant", "DeliveryRequested"): "Trao phương tiện sinh kế chờ duyệt",
    ("LivelihoodGrant", "DeliveryApproved"): "Duyệt trao phương tiện sinh kế",
    ("LivelihoodGrant", "DeliveryReleased"): "Hủy lần trao, trả lại quỹ",
    ("LivelihoodGrant", "FollowedUp"): "Theo dõi sau hỗ trợ",
    ("LivelihoodGrant", "Closed"): "Kết thúc theo dõi phương tiện sinh kế",
    ("LivelihoodGrant", "Moved"): "Chuyển phương tiện sinh kế sang đơn vị kế thừa",
    ("Pledge", "Made"): "Ghi cam kết ủng hộ",
    ("Pledge", "Fulfilled"): "Nhận tiền theo cam kết",
    ("Pledge", "FulfilmentReversed"): "Hủy khoản nhận theo cam kết",
    ("Pledge", "Cancelled"): "Hủy cam kết",
    ("Pledge", "WrittenOff"): "Xóa phần cam kết không thu được",
    ("Pledge", "Closed"): "Đóng cam kết",
    ("Pledge", "Moved"): "Chuyển cam kết sang đơn vị kế thừa",
    ("Supervision", "Opened"): "Mở cuộc giám sát",
    ("Supervision", "FindingRecorded"): "Ghi kiến nghị giám sát",
    ("Supervision", "ResponseRecorded"): "Trả lời kiến nghị",
    ("Supervision", "Concluded"): "Kết luận giám sát",
    ("Checkpoint", "Signed"): "Ký điểm kiểm tra",
    ("Checkpoint", "Cosigned"): "Bên chứng kiến ký xác nhận",
    ("Witness", "Registered"): "Đăng ký khóa bên chứng kiến",
    ("ImportedTransfer", "Recorded"): "Ghi giao dịch ngân hàng đã nhập",
    ("RequestRecord", "Answered"): "Yêu cầu đã thực hiện",
    ("RequestRecord", "Refused"): "Yêu cầu bị từ chối",
    ("LivelihoodGrant", "EvidenceAdded"): "Ghi ảnh, giấy tờ của lần trao phương tiện sinh kế",
    ("GivingAccount", "Connected"): "Kết nối tài khoản nhận ủng hộ",
    ("GivingAccount", "Changed"): "Đổi tài khoản nhận ủng hộ",
    ("GivingAccount", "StatementImported"): "Đối chiếu sao kê với các báo có",
    ("AccountClaim", "Claimed"): "Giữ số tài khoản cho quỹ",
    ("AccountClaim", "Moved"): "Chuyển số tài khoản sang quỹ khác",
    ("NotifiedCredit", "Received"): "Nhận báo có từ ngân hàng",
    ("NotifiedCredit", "Assigned"): "Gán báo có cho cam kết ủng hộ",
    ("NotifiedCredit", "Reconciled"): "Báo có khớp với sao kê",
    ("NotifiedCredit", "Missing"): "Báo có không có trong sao kê",
    ("PlannedSupervision", "Planned"): "Lập kế hoạch giám sát",
    ("Question", "Asked"): "Người dân hỏi hoặc báo sai sót",
    ("Question", "Answered"): "Trả lời người dân",
    ("Recommendation", "Made"): "Ghi kiến nghị cần thực hiện",
    ("Recommendation", "StatusChanged"): "Đổi tình trạng thực hiện kiến nghị",
    ("Thanks", "Issued"): "Gửi thư cảm ơn, giấy chứng nhận",
    ("Campaign", "Launched"): "Phát động cuộc vận động",
    ("Distribution", "Recorded"): "Ghi đợt trao quà, hỗ trợ theo đối tượng",
    ("SelectionMeeting", "Held"): "Họp bình xét đối tượng hỗ trợ",
    ("HouseProject", "ContributionReceived"): "Nhận phần đóng góp đối ứng cho nhà",
    ("Unit", "HouseNormSet"): "Đặt mức hỗ trợ nhà",
    ("Unit", "EmulationTargetSet"): "Giao chỉ tiêu thi đua",
    ("Unit", "HouseholdCountRecorded"): "Ghi tổng số hộ",
    ("Unit", "CaretakerAssigned"): "Phân công tổ viên tổ tự quản",
}


def event_name(event_type: str, aggregate_type: str | None = None) -> str:
    """An event's Vietnamese name; without its record, every record's name for it (an
    event type shared by several, such as "Approved", names them all)."""
    if aggregate_type is not None:
        return EVENTS.get((aggregate_type, event_type), event_type)
    names = [name for (_, event), name in EVENTS.items() if event == event_type]
    return " / ".join(names) or event_type


def day(iso: str | date) -> str:
    """A date as Vietnamese readers write it: 05/03/2025."""
    value = date.fromisoformat(iso) if isinstance(iso, str) else iso
    return value.strftime("%d/%m/%Y")


def percent(value: float) -> str:
    """A percentage with a decimal comma: 157,3%."""
    return f"{value:.1f}%".replace(".", ",")


def rate_percent(value: Decimal) -> str:
    """An exact rate with two decimals and a decimal comma: 2,35%."""
    return f"{value:.2f}%".replace(".", ",")


def parse_day(text: str) -> date:
    """A date typed as Vietnamese readers write it (05/03/2025, 5/3/2025) or as links and
    the API carry it (2025-03-05); ValueError for anything else."""
    text = text.strip()
    if "/" in text:
        day_text, month_text, year_text = text.split("/")
        if len(year_text) != 4:
            raise ValueError(text)
        return date(int(year_text), int(month_text), int(day_text))
    return date.fromisoformat(text)
