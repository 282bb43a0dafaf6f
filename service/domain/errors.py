"""The one hierarchy of errors that the domain and the application raise.

Each error carries a stable ``code``: the last segment of the problem type that
clients see. The API maps codes to HTTP statuses in one place.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """A request that the rules of the service refuse."""

    code: ClassVar[str] = "domain-error"
    title: ClassVar[str] = "The request was refused"
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
    title = "The request has invalid values"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)
        self.field = field


class UnreadableStatement(DomainError):
    code = "unreadable-statement"
    title = "The bank statement cannot be read"


class NotFound(DomainError):
    code = "not-found"
    title = "Not found"


class UnitNotFound(NotFound):
    code = "unit-not-found"
    title = "Unit not found"


class FundNotFound(NotFound):
    code = "fund-not-found"
    title = "Fund not found"


class EntryNotFound(NotFound):
    code = "entry-not-found"
    title = "Entry not found"


class SupervisionNotFound(NotFound):
    code = "supervision-not-found"
    title = "Supervision not found"


class FindingNotFound(NotFound):
    code = "finding-not-found"
    title = "Finding not found"


class HouseholdNotFound(NotFound):
    code = "household-not-found"
    title = "Household not found"


class HouseProjectNotFound(NotFound):
    code = "house-project-not-found"
    title = "House project not found"


class PaymentNotFound(NotFound):
    code = "pending-payment-not-found"
    title = "Payment awaiting approval not found"


class ImportNotFound(NotFound):
    code = "import-not-found"
    title = "Import not found"


class PledgeNotFound(NotFound):
    code = "pledge-not-found"
    title = "Pledge not found"


class Forbidden(DomainError):
    code = "forbidden"
    title = "Not allowed for this token"


class ApproverIsRecorder(Forbidden):
    code = "approver-is-recorder"
    title = "A payment must be decided by someone other than the person who recorded it"


class InsufficientFunds(DomainError):
    code = "insufficient-funds"
    title = "The fund does not hold enough money"


class InsufficientStock(DomainError):
    code = "insufficient-stock"
    title = "The fund does not hold enough of these goods"


class PeriodClosed(DomainError):
    code = "period-closed"
    title = "The period is closed"


class AlreadyReversed(DomainError):
    code = "already-reversed"
    title = "The entry has already been reversed"


class ReversalPending(AlreadyReversed):
    code = "reversal-pending"
    title = "A reversal of this entry is awaiting approval"


class NotReversible(DomainError):
    code = "not-reversible"
    title = "The entry cannot be reversed"


class SupervisionConcluded(DomainError):
    code = "supervision-concluded"
    title = "The supervision has been concluded"


class AlreadyResponded(DomainError):
    code = "already-responded"
    title = "The finding already has a response"


class AlreadyDecided(DomainError):
    code = "already-decided"
    title = "The payment has already been approved or rejected"


class PledgeClosed(DomainError):
    code = "pledge-closed"
    title = "The pledge is fulfilled, cancelled or written off"


class PledgeExceeded(DomainError):
    code = "pledge-exceeded"
    title = "The receipt is more than the pledge has outstanding"


class IdempotencyKeyReused(DomainError):
    code = "idempotency-key-reused"
    title = "The Idempotency-Key was already used for a different request"


class Conflict(DomainError):
    code = "conflict"
    title = "The request conflicted with concurrent changes"


class AlreadyCosigned(DomainError):
    code = "already-cosigned"
    title = "The witness has already cosigned this checkpoint"


class AlreadyRegistered(DomainError):
    code = "already-registered"
    title = "Already registered"


class PossibleDuplicate(DomainError):
    code = "possible-duplicate"
    title = "This household may already be registered"


class RepeatedSupport(DomainError):
    code = "repeated-support"
    title = "This household already received this kind of support this year"


class HouseholdErased(DomainError):
    code = "household-erased"
    title = "The household's personal data has been erased"


class StageOutOfOrder(DomainError):
    code = "stage-out-of-order"
    title = "The house's stages are reached in order"


class StageNotReached(DomainError):
    code = "stage-not-reached"
    title = "The house has not reached the stage this payment needs"


class BudgetExceeded(DomainError):
    code = "budget-exceeded"
    title = "The payment would pass the fund's approved share of the house"


class ProjectClosed(DomainError):
    code = "project-closed"
    title = "The house project is cancelled or handed over"


class GrantNotFound(NotFound):
    code = "grant-not-found"
    title = "Livelihood grant not found"


class AlreadyDelivered(DomainError):
    code = "already-delivered"
    title = "The livelihood grant has already been delivered"


class GrantNotDelivered(DomainError):
    code = "grant-not-delivered"
    title = "The livelihood grant has not been delivered yet"


class FollowUpRecorded(DomainError):
    code = "follow-up-recorded"
    title = "This follow-up of the grant is already recorded"


class GrantClosed(DomainError):
    code = "grant-closed"
    title = "The livelihood grant is closed"


class UnitMerged(DomainError):
    code = "unit-merged"
    title = "The unit was merged into another"


class MergeRefused(DomainError):
    code = "merge-refused"
    title = "The unit cannot be merged yet"
