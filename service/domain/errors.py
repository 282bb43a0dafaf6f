"""The one hierarchy of errors that the domain and the application raise.

Each error carries a stable ``code``: the last segment of the problem type that
clients see. The API maps codes to HTTP statuses in one place.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """A request that the rules of the service refuse."""

    code: ClassVar[str] = "domain-error"
    title: ClassVar[str] = "Yêu cầu bị từ chối"
    registry: ClassVar[dict[str, type[DomainError]]] = {}

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        DomainError.registry[cls.code] = cls

    @classmethod
    def restore(cls, code: str, detail: str, extra: dict[str, Any]) -> DomainError:
        """Rebuilds a refusal that was recorded earlier (an idempotent retry)."""
        restored = cls.registry.get(code, DomainError)
        if issubclass(restored, InvalidInput):
            return restored(str(extra.get("field", "")), detail)
        return restored(detail, **extra)


class InvalidInput(DomainError):
    code = "invalid-input"
    title = "Yêu cầu có giá trị không hợp lệ"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)
        self.field = field


class UnreadableBankFile(DomainError):
    code = "unreadable-statement"
    title = "Không đọc được sao kê ngân hàng"


class NotFound(DomainError):
    code = "not-found"
    title = "Không tìm thấy"


class UnitNotFound(NotFound):
    code = "unit-not-found"
    title = "Không tìm thấy đơn vị"


class FundNotFound(NotFound):
    code = "fund-not-found"
    title = "Không tìm thấy quỹ"


class EntryNotFound(NotFound):
    code = "entry-not-found"
    title = "Không tìm thấy bút toán"


class SupervisionNotFound(NotFound):
    code = "supervision-not-found"
    title = "Không tìm thấy cuộc giám sát"


class FindingNotFound(NotFound):
    code = "finding-not-found"
    title = "Không tìm thấy kiến nghị"


class HouseholdNotFound(NotFound):
    code = "household-not-found"
    title = "Không tìm thấy hộ gia đình"


class HouseProjectNotFound(NotFound):
    code = "house-project-not-found"
    title = "Không tìm thấy công trình nhà"


class PhotoNotFound(NotFound):
    code = "photo-not-found"
    title = "Không tìm thấy ảnh"


class PaymentNotFound(NotFound):
    code = "pending-payment-not-found"
    title = "Không tìm thấy khoản chi đang chờ duyệt"


class ImportNotFound(NotFound):
    code = "import-not-found"
    title = "Không tìm thấy lần nhập sao kê"


class PledgeNotFound(NotFound):
    code = "pledge-not-found"
    title = "Không tìm thấy cam kết ủng hộ"


class CampaignNotFound(NotFound):
    code = "campaign-not-found"
    title = "Không tìm thấy cuộc vận động"


class SelectionMeetingNotFound(NotFound):
    code = "selection-meeting-not-found"
    title = "Không tìm thấy cuộc họp bình xét"


class Forbidden(DomainError):
    code = "forbidden"
    title = "Mã truy cập này không có quyền"


class ApproverIsRecorder(Forbidden):
    code = "approver-is-recorder"
    title = "Khoản chi phải do người khác với người đã ghi nó duyệt"


class InsufficientFunds(DomainError):
    code = "insufficient-funds"
    title = "Quỹ không đủ tiền"


class InsufficientStock(DomainError):
    code = "insufficient-stock"
    title = "Quỹ không đủ hiện vật này"


class PeriodClosed(DomainError):
    code = "period-closed"
    title = "Kỳ sổ đã khóa"


class NoCashSlip(DomainError):
    """An entry that moved no cash through the cash box: it has no phiếu thu or phiếu chi."""

    code = "no-cash-slip"
    title = "Khoản này không có phiếu thu, phiếu chi"


class AlreadyReversed(DomainError):
    code = "already-reversed"
    title = "Bút toán đã được hủy"


class ReversalPending(AlreadyReversed):
    code = "reversal-pending"
    title = "Yêu cầu hủy bút toán này đang chờ duyệt"


class NotReversible(DomainError):
    code = "not-reversible"
    title = "Không thể hủy bút toán này"


class SupervisionConcluded(DomainError):
    code = "supervision-concluded"
    title = "Cuộc giám sát đã kết luận"


class AlreadyResponded(DomainError):
    code = "already-responded"
    title = "Kiến nghị đã được trả lời"


class AlreadyDecided(DomainError):
    code = "already-decided"
    title = "Khoản chi đã được duyệt hoặc từ chối"


class PledgeClosed(DomainError):
    code = "pledge-closed"
    title = "Cam kết đã hoàn thành, đã hủy hoặc đã xóa nợ"


class PledgeExceeded(DomainError):
    code = "pledge-exceeded"
    title = "Khoản thu lớn hơn số cam kết còn lại"


class IdempotencyKeyReused(DomainError):
    code = "idempotency-key-reused"
    title = "Idempotency-Key đã được dùng cho một yêu cầu khác"


class Conflict(DomainError):
    code = "conflict"
    title = "Yêu cầu trùng lúc với một thay đổi khác"


class AlreadyCosigned(DomainError):
    code = "already-cosigned"
    title = "Bên chứng kiến đã ký xác nhận điểm kiểm tra này"


class AlreadyRegistered(DomainError):
    code = "already-registered"
    title = "Đã đăng ký"


class PossibleDuplicate(DomainError):
    code = "possible-duplicate"
    title = "Hộ này có thể đã được đăng ký"


class RepeatedSupport(DomainError):
    code = "repeated-support"
    title = "Hộ này đã nhận loại hỗ trợ này trong năm nay"


class HouseholdErased(DomainError):
    code = "household-erased"
    title = "Dữ liệu cá nhân của hộ đã bị xóa"


class StageOutOfOrder(DomainError):
    code = "stage-out-of-order"
    title = "Các giai đoạn của nhà phải đi theo thứ tự"


class StageNotReached(DomainError):
    code = "stage-not-reached"
    title = "Nhà chưa đến giai đoạn mà khoản chi này cần"


class BudgetExceeded(DomainError):
    code = "budget-exceeded"
    title = "Khoản chi vượt phần quỹ đã duyệt cho căn nhà"


class ProjectClosed(DomainError):
    code = "project-closed"
    title = "Công trình nhà đã hủy hoặc đã bàn giao"


class GrantNotFound(NotFound):
    code = "grant-not-found"
    title = "Không tìm thấy khoản hỗ trợ sinh kế"


class AlreadyDelivered(DomainError):
    code = "already-delivered"
    title = "Khoản hỗ trợ sinh kế đã được trao"


class GrantNotDelivered(DomainError):
    code = "grant-not-delivered"
    title = "Khoản hỗ trợ sinh kế chưa được trao"


class FollowUpRecorded(DomainError):
    code = "follow-up-recorded"
    title = "Lần theo dõi này của khoản hỗ trợ đã được ghi"


class GrantClosed(DomainError):
    code = "grant-closed"
    title = "Khoản hỗ trợ sinh kế đã đóng"


class AboveNorm(DomainError):
    code = "above-norm"
    title = "Vượt định mức hỗ trợ"


class UnitMerged(DomainError):
    code = "unit-merged"
    title = "Đơn vị đã được sáp nhập vào đơn vị khác"


class MergeRefused(DomainError):
    code = "merge-refused"
    title = "Chưa thể sáp nhập đơn vị"


class QuestionNotFound(NotFound):
    code = "question-not-found"
    title = "Không tìm thấy câu hỏi"


class AlreadyAnswered(DomainError):
    code = "already-answered"
    title = "Câu hỏi đã được trả lời"


class RecommendationNotFound(NotFound):
    code = "recommendation-not-found"
    title = "Không tìm thấy kiến nghị cần thực hiện"


class RecommendationClosed(DomainError):
    code = "recommendation-closed"
    title = "Kiến nghị không chuyển sang tình trạng này được"


class PersonNotFound(NotFound):
    code = "person-not-found"
    title = "Không tìm thấy tài khoản"


class ContactTaken(DomainError):
    code = "contact-taken"
    title = "Số điện thoại hoặc e-mail đã thuộc tài khoản khác"
