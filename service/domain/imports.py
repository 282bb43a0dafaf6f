"""Bank-statement imports (sao kê): the transfers a statement lists, and the mark each
recorded one leaves in the log so that no import records it twice.

A transfer's **key** is the statement's own identity for it: the date, the bank's
transaction reference and the amount (references repeat across days at some banks).
A statement without references keys a row by its date, time, amount, memo and
counterparty, and the rank of that row among identical ones in the file. The mark's id
is derived from the fund and the key, so the store itself refuses a transfer recorded
twice, however the files that list it overlap and whoever imports them at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, AggregateCreated

from service.domain.actors import Meta
from service.domain.text import fold

_NAMESPACE = uuid5(NAMESPACE_URL, "https://sovang.vn/bank-transfers")

#: Words that make a counterparty an organisation rather than a person.
_ORGANISATION_WORDS = (
    "cong ty",
    "cty",
    "tnhh",
    "co phan",
    "ngan hang",
    "truong",
    "hoi ",
    "chi nhanh",
    "doanh nghiep",
    "ubnd",
    "uy ban",
    "mat tran",
    "corporation",
    "company",
    "jsc",
    "ltd",
    "bank",
)


@dataclass(frozen=True)
class StatementRow:
    """One credit of a statement, as read: ``row_no`` is its line in the file."""

    row_no: int
    occurred_on: date
    amount: int
    reference: str | None
    memo: str
    counterparty: str | None
    time: str | None = None
    #: Among identical rows without a reference in one file, this one's rank (from 0).
    rank: int = 0

    @property
    def key(self) -> str:
        if self.reference:
            return f"{self.occurred_on.isoformat()}|{self.reference}|{self.amount}"
        return "|".join(
            [
                self.occurred_on.isoformat(),
                self.time or "",
                str(self.amount),
                fold(self.memo),
                fold(self.counterparty or ""),
                f"#{self.rank}",
            ]
        )

    @property
    def bank_ref(self) -> str:
        """The reference the receipt keeps: the bank's, or one made from the key."""
        if self.reference:
            return self.reference
        return "SK-" + hashlib.sha256(self.key.encode()).hexdigest()[:16].upper()

    @property
    def counterparty_is_organisation(self) -> bool:
        name = f" {fold(self.counterparty or '')} "
        return any(word in name for word in _ORGANISATION_WORDS)


@dataclass(frozen=True)
class BadRow:
    """A line that looks like a transaction but cannot be recorded, and why."""

    row_no: int
    reason: str


class ImportedTransfer(Aggregate):
    """The mark of a transfer recorded from a statement into a fund, saved with its
    receipt: its id is the transfer's, so a second mark is refused by the store."""

    class Recorded(AggregateCreated):
        fund_id: UUID
        entry_id: UUID
        key: str
        meta: Meta

    def __init__(self, fund_id: UUID, entry_id: UUID, key: str, meta: Meta) -> None:
        self.fund_id = fund_id
        self.entry_id = entry_id

    @staticmethod
    def id_for(fund_id: UUID, key: str) -> UUID:
        return uuid5(_NAMESPACE, f"{fund_id}\n{key}")

    @classmethod
    def mark(cls, fund_id: UUID, entry_id: UUID, key: str, meta: Meta) -> ImportedTransfer:
        return cls._create(
            cls.Recorded,
            id=cls.id_for(fund_id, key),
            fund_id=fund_id,
            entry_id=entry_id,
            key=key,
            meta=meta,
        )
