"""Entries held for an approver (payments above a unit's approval threshold or split
under it, reversals, amounts above a fund's plausibility limit): each one awaiting
approval, approved or rejected, with why it waits, who asked and who decided."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from service.adapters.db import Row, Transaction
from service.domain.funds import Fund
from service.projections.base import Projection, text_id

#: The status of a payment after each decision.
STATUS_AFTER = {Fund.PaymentApproved: "approved", Fund.PaymentRejected: "rejected"}


class PendingPaymentsProjection(Projection):
    name = "pending_payments"
    tables = ("pending_payments",)

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Events other than payment requests and decisions change nothing here."""

    @apply.register
    def _requested(self, event: Fund.PaymentRequested, position: int, tx: Transaction) -> None:
        row: dict[str, Any] = dict.fromkeys(_DETAILS)
        if isinstance(event, Fund.DisbursementRequested):
            row.update(
                category=event.category,
                household_id=text_id(event.household_id),
                house_project_id=text_id(event.house_project_id),
                grant_id=text_id(event.grant_id),
                voucher_no=event.voucher_no,
                note=event.note,
                repeat_reason=event.repeat_reason,
                student_key=event.student["key"] if event.student else None,
            )
        elif isinstance(event, Fund.TransferRequested):
            row.update(to_fund_id=str(event.to_fund_id), note=event.note)
        elif isinstance(event, Fund.ReceiptRequested):
            row.update(donor_name=event.donor_name, voucher_no=event.voucher_no, note=event.note)
        elif isinstance(event, Fund.ReversalRequested):
            row.update(reversed_entry_id=str(event.reversed_entry_id), note=event.reason)
        row.update(
            pending_id=str(event.pending_id),
            fund_id=str(event.originator_id),
            seq=event.originator_version,
            position=position,
            kind=event.kind.value,
            amount=event.amount,
            occurred_on=event.occurred_on.isoformat(),
            requested_at=event.timestamp.isoformat(),
            requested_by=event.meta.actor,
            held_because=event.held_because,
        )
        tx.execute(_INSERT, row)

    @apply.register
    def _decided(self, event: Fund.PaymentDecided, position: int, tx: Transaction) -> None:
        tx.execute(
            "UPDATE pending_payments SET status = :status, decided_at = :at, "
            "decided_by = :by, decided_position = :position, decision_note = :note, "
            "entry_id = :entry WHERE pending_id = :id",
            {
                "status": STATUS_AFTER[type(event)],
                "at": event.timestamp.isoformat(),
                "by": event.meta.actor,
                "position": position,
                "note": _decision_note(event),
                "entry": str(event.entry_id) if isinstance(event, Fund.PaymentApproved) else None,
                "id": str(event.pending_id),
            },
        )


def _decision_note(event: Fund.PaymentDecided) -> str | None:
    if isinstance(event, Fund.PaymentRejected):
        return event.reason
    if isinstance(event, Fund.PaymentApproved):
        return event.note
    return None


_DETAILS = (
    "category",
    "household_id",
    "house_project_id",
    "grant_id",
    "voucher_no",
    "to_fund_id",
    "note",
    "repeat_reason",
    "student_key",
    "donor_name",
    "reversed_entry_id",
)
_INSERTED = (
    "pending_id",
    "fund_id",
    "seq",
    "position",
    "kind",
    "amount",
    "occurred_on",
    *_DETAILS,
    "requested_at",
    "requested_by",
    "held_because",
)
_INSERT = (
    f"INSERT INTO pending_payments ({', '.join(_INSERTED)}, status) "
    f"VALUES ({', '.join(':' + column for column in _INSERTED)}, 'pending')"
)
_DECISION = "status, decided_at, decided_by, decided_position, decision_note, entry_id"
_COLUMNS = f"{', '.join(_INSERTED)}, {_DECISION}"


def payments(
    tx: Transaction, fund_id: str, *, status: str | None, after_seq: int, limit: int
) -> list[Row]:
    """A page of the fund's payments above its unit's threshold, oldest request first."""
    where = ["fund_id = :fund", "seq > :after"]
    if status:
        where.append("status = :status")
    return tx.all(
        f"SELECT {_COLUMNS} FROM pending_payments WHERE {' AND '.join(where)} "
        "ORDER BY seq LIMIT :limit",
        {"fund": fund_id, "after": after_seq, "status": status, "limit": limit},
    )
