"""The lines of a bank file (sao kê ngân hàng: the statement a bank exports of the fund's
account), as an import reads them in: a credit, a debit, a line that cannot be read, a
line that holds no transaction.

A line's **identity** is everything the bank file says of it: its date and time, the
bank's document number, the amount, the running balance where the file prints one, the
memo and the counterparty. No bank guarantees its document number alone: Vietcombank
reuses one within a day for different transfers, sometimes of the same amount, and only
the memo (or the balance) tells them apart. Two lines that differ in any field are two
transfers.

Lines identical in every field are a question only the treasurer can answer (a page of
the export printed twice, or two equal gifts in a file without balances): the first is
recorded, each further one only when the treasurer confirms it. The ``n``-th line of an
identity in a file (from 0) is marked as ``identity#n`` (see ``service.domain.imports``),
so a file imported again, or one that overlaps it, finds each of its lines already
marked.

The fund's own statement shown out, the public statement (sao kê công khai), is another
thing: see ``service.projections.public_statement``.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from service.domain.currency import Foreign
from service.domain.entries import Donor, Receipt
from service.domain.memos import masked_memo, sender_of
from service.domain.money import Money
from service.domain.text import fold, normalise
from service.domain.vocabulary import Channel, DonorKind

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


class Outcome(StrEnum):
    """What became of a line of the file; every line has exactly one."""

    RECORDED = "recorded"
    #: A transfer an earlier import (or an overlapping file) recorded already.
    ALREADY_RECORDED = "already_recorded"
    #: Identical in every field to an earlier line of the file, and not confirmed.
    REPEATED = "repeated"
    #: Money out of the account (a payment, a bank fee), waiting to be matched.
    DEBIT = "debit"
    #: A line that looks like a transaction but cannot be recorded.
    BAD = "bad"
    #: No transaction: the title block, the header, a blank line, a total.
    NOT_A_TRANSACTION = "not_a_transaction"


@dataclass(frozen=True)
class CreditLine:
    """One credit of a bank file, as read: ``row_no`` is its line in the file."""

    row_no: int
    occurred_on: date
    amount: int
    reference: str | None
    memo: str
    counterparty: str | None
    time: str | None = None
    #: The running balance after the line, where the bank file prints one.
    balance: int | None = None
    #: A foreign-currency account's credit: its currency (``amount`` and ``balance`` are
    #: then in its minor units) and the đồng the bank credited for it.
    currency: str | None = None
    vnd_amount: int | None = None

    @property
    def identity(self) -> str:
        """Everything the bank file says of the line, as one string."""
        return "\n".join(
            [
                "v2",
                self.occurred_on.isoformat(),
                self.time or "",
                normalise(self.reference or ""),
                str(self.amount),
                "" if self.balance is None else str(self.balance),
                normalise(self.memo),
                normalise(self.counterparty or ""),
                # A line in a currency says so; a line in đồng keeps its identity of before.
                *([self.currency, str(self.vnd_amount)] if self.currency else []),
            ]
        )

    @property
    def dong(self) -> int:
        """The đồng the line brings: the bank's conversion of a credit in a currency."""
        return self.vnd_amount if self.currency and self.vnd_amount else self.amount

    @functools.cached_property
    def digest(self) -> str:
        """The identity's SHA-256, so that the log keeps no memo (nor the account in it);
        computed once a line (the import and the reconciliation both read it)."""
        return hashlib.sha256(self.identity.encode()).hexdigest()

    def key(self, occurrence: int) -> str:
        """The mark's key of the ``occurrence``-th line (from 0) of this identity in a file."""
        return mark_key(self.digest, occurrence)

    @property
    def legacy_key(self) -> str:
        """The key that imports made before lines were identified by all their fields:
        the date, the reference and the amount (or, without a reference, the date, time,
        amount, memo and counterparty, followed by ``#`` and the rank)."""
        if self.reference:
            return f"{self.occurred_on.isoformat()}|{self.reference}|{self.amount}"
        return "|".join(
            [
                self.occurred_on.isoformat(),
                self.time or "",
                str(self.amount),
                fold(self.memo),
                fold(self.counterparty or ""),
            ]
        )

    @property
    def bank_ref(self) -> str:
        """The reference the receipt keeps: the bank's, or one made from the identity."""
        if self.reference:
            return self.reference
        return "SK-" + self.digest[:16].upper()

    @property
    def counterparty_is_organisation(self) -> bool:
        return is_organisation(self.counterparty or "")


def bank_receipt(row: CreditLine, pledge_id: UUID | None) -> Receipt:
    """The bank receipt a credit records: the donor the bank names (the counterparty, else
    the sender the memo names), the memo with the sender's account masked, linked to the
    pledge given (a surplus beyond what is outstanding is a gift)."""
    sender = sender_of(row.memo)
    name = row.counterparty or sender.name
    if name:
        kind = DonorKind.ORGANISATION if is_organisation(name) else DonorKind.INDIVIDUAL
        donor = Donor(name, kind, account=sender.account)
    else:
        donor = Donor(None, DonorKind.ANONYMOUS)
    gift = (
        Foreign.of(row.currency, row.amount, row.vnd_amount, None, None) if row.currency else None
    )
    return Receipt(
        Money(gift.dong if gift else row.amount),
        row.occurred_on,
        donor,
        Channel.BANK,
        bank_ref=row.bank_ref[:100],
        pledge_id=pledge_id,
        note=masked_memo(row.memo)[:1000] or None,
        surplus_as_gift=True,
        foreign=gift,
    )


def is_organisation(name: str) -> bool:
    """Whether a name, as a bank prints it, is an organisation's rather than a person's."""
    padded = f" {fold(name)} "
    return any(word in padded for word in _ORGANISATION_WORDS)


@dataclass(frozen=True)
class DebitLine:
    """Money out of the account (a payment, a bank fee): never a receipt."""

    row_no: int
    occurred_on: date
    amount: int
    reference: str | None
    memo: str
    #: A foreign-currency account's debit: its currency (``amount`` is then in its minor
    #: units) and the đồng the bank converted it at, where the file gives it.
    currency: str | None = None
    vnd_amount: int | None = None

    @property
    def dong(self) -> int | None:
        """The đồng the line takes out; None for a debit in a currency the file does not
        convert."""
        return self.vnd_amount if self.currency else self.amount


@dataclass(frozen=True)
class BadLine:
    """A line that looks like a transaction but cannot be recorded, and why."""

    row_no: int
    reason: str


@dataclass(frozen=True)
class SkippedLine:
    """A line that holds no transaction (title, header, blank, total), and which."""

    row_no: int
    reason: str


#: A line of a bank file, as what it is; every line of the file is one of these.
BankLine = CreditLine | DebitLine | BadLine | SkippedLine


def mark_key(digest: str, occurrence: int) -> str:
    """The mark's key of the ``occurrence``-th line (from 0) of the identity whose digest
    this is, for an import that has the digest already."""
    return f"line:{digest}#{occurrence}"
