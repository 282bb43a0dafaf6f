"""Thanks to donors: a thank-you letter (thư cảm ơn) or a certificate (giấy chứng nhận)
for one gift, or for what one donor gave a fund over a period. Each one issued is an
event, so a donor's history lists what was sent; letters issued together (in bulk, for
an appeal's donors above a threshold) share a batch."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, AggregateCreated

from service.domain.actors import Meta
from service.domain.errors import InvalidInput
from service.domain.vocabulary import ThanksKind

#: The most gifts one letter may name, and the most letters issued at once.
MAX_GIFTS = 1000
MAX_BATCH = 2000


class Thanks(Aggregate):
    """A letter or certificate of thanks issued to a donor of a fund."""

    class Issued(AggregateCreated):
        fund_id: UUID
        unit_id: UUID
        unit_path: list[UUID]
        kind: str
        donor_name: str
        donor_kind: str
        entry_ids: list[UUID]
        amount: int
        first_on: date
        last_on: date
        batch_id: UUID
        meta: Meta

    def __init__(
        self,
        fund_id: UUID,
        unit_id: UUID,
        unit_path: list[UUID],
        kind: str,
        donor_name: str,
        donor_kind: str,
        entry_ids: list[UUID],
        amount: int,
        first_on: date,
        last_on: date,
        batch_id: UUID,
        meta: Meta,
    ) -> None:
        self.fund_id = fund_id
        self.donor_name = donor_name
        self.batch_id = batch_id

    @classmethod
    def issue(
        cls,
        kind: ThanksKind,
        fund_id: UUID,
        unit_id: UUID,
        unit_path: list[UUID],
        donor_name: str,
        donor_kind: str,
        gifts: list[tuple[UUID, int, date]],
        batch_id: UUID,
        meta: Meta,
    ) -> Thanks:
        """Issues thanks for ``gifts`` (entry, amount, date) of one donor."""
        if not gifts:
            raise InvalidInput("entry_ids", "Hãy chọn ít nhất một khoản ủng hộ để cảm ơn.")
        if len(gifts) > MAX_GIFTS:
            raise InvalidInput("entry_ids", f"Một thư cảm ơn ghi tối đa {MAX_GIFTS} khoản.")
        days = [day for _, _, day in gifts]
        return cls._create(
            cls.Issued,
            id=uuid4(),
            fund_id=fund_id,
            unit_id=unit_id,
            unit_path=unit_path,
            kind=kind.value,
            donor_name=donor_name,
            donor_kind=donor_kind,
            entry_ids=[entry for entry, _, _ in gifts],
            amount=sum(amount for _, amount, _ in gifts),
            first_on=min(days),
            last_on=max(days),
            batch_id=batch_id,
            meta=meta,
        )
