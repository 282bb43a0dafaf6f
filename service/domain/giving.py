"""Live giving: the bank account a fund receives gifts into (the account its VietQR code
carries), the claim that ties an account number to one fund, and each credit a bank
notification service (SePay, Casso) reported, recorded once.

A **notified credit** is identified by the service that sent it and the service's own
transaction id (``id_for``): the store refuses a second one, so a notification sent
twice, retried after a timeout or delivered out of order records its gift once. It also
keeps the digest of its statement-line identity (``service.domain.bank_lines``): the
same transaction id arriving with other facts is refused, not recorded again. When the
month's bank file is imported, each notified credit is matched to its line
(``Reconciled``), or flagged as missing from the statement (``Missing``) for the
treasurer and the board.

This module's path is part of the topic of every event it defines: it keeps its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, AggregateCreated, AggregateEvent

from service.domain.actors import Meta
from service.domain.bank_lines import CreditLine
from service.domain.errors import Conflict, InvalidInput, NotFound
from service.domain.text import required_name
from service.domain.vietqr import check_account

_ACCOUNTS = uuid5(NAMESPACE_URL, "https://sovang.vn/giving-accounts")
_CLAIMS = uuid5(NAMESPACE_URL, "https://sovang.vn/account-claims")
_CREDITS = uuid5(NAMESPACE_URL, "https://sovang.vn/notified-credits")


class AccountNotConnected(NotFound):
    code = "account-not-connected"
    title = "Tài khoản chưa gắn với quỹ nào"


class AccountClaimed(Conflict):
    code = "account-claimed"
    title = "Số tài khoản này đã gắn với quỹ khác"


@dataclass(frozen=True)
class NotifiedTransfer:
    """One transaction of an account, as a notification service reports it."""

    #: The service's own id of the transaction: the same in every retry.
    transaction_id: str
    account_number: str
    incoming: bool
    amount: int
    occurred_on: date
    time: str | None
    reference: str | None
    memo: str
    counterparty: str | None = None
    balance: int | None = None

    def line(self) -> CreditLine:
        """The transfer as a line of a bank file: what the statement will say of it."""
        return CreditLine(
            row_no=0,
            occurred_on=self.occurred_on,
            amount=self.amount,
            reference=self.reference,
            memo=self.memo,
            counterparty=self.counterparty,
            time=self.time,
            balance=self.balance,
        )


class GivingAccount(Aggregate):
    """The bank account a fund receives gifts into: the bank's BIN (the six digits NAPAS
    gives each bank), the account number and the name the bank holds it under."""

    class Connected(AggregateCreated):
        fund_id: UUID
        #: The fund's unit, and the units above it.
        unit_id: UUID
        unit_path: list[UUID]
        bank_bin: str
        account_number: str
        account_name: str
        meta: Meta

    class Changed(AggregateEvent):
        fund_id: UUID
        bank_bin: str
        account_number: str
        account_name: str
        meta: Meta

        def apply(self, aggregate: GivingAccount) -> None:
            aggregate.bank_bin = self.bank_bin
            aggregate.account_number = self.account_number
            aggregate.account_name = self.account_name

    class StatementImported(AggregateEvent):
        """A bank file of the account was imported and reconciled through this date: a
        notification of a credit dated on or before it comes too late to record, since
        the statement brought every credit it lists."""

        through: date
        meta: Meta

        def apply(self, aggregate: GivingAccount) -> None:
            aggregate.statement_through = self.through

    def __init__(
        self,
        fund_id: UUID,
        unit_id: UUID,
        unit_path: list[UUID],
        bank_bin: str,
        account_number: str,
        account_name: str,
        meta: Meta,
    ) -> None:
        self.statement_through: date | None = None
        self.fund_id = fund_id
        self.unit_path = unit_path
        self.bank_bin = bank_bin
        self.account_number = account_number
        self.account_name = account_name

    @staticmethod
    def id_for(fund_id: UUID) -> UUID:
        return uuid5(_ACCOUNTS, str(fund_id))

    @classmethod
    def connect(
        cls, fund_id: UUID, unit_path: list[UUID], account: BankAccount, meta: Meta
    ) -> GivingAccount:
        return cls._create(
            cls.Connected,
            id=cls.id_for(fund_id),
            fund_id=fund_id,
            unit_id=unit_path[-1],
            unit_path=unit_path,
            bank_bin=account.bank_bin,
            account_number=account.account_number,
            account_name=account.account_name,
            meta=meta,
        )

    def change(self, account: BankAccount, meta: Meta) -> None:
        self.trigger_event(
            self.Changed,
            fund_id=self.fund_id,
            bank_bin=account.bank_bin,
            account_number=account.account_number,
            account_name=account.account_name,
            meta=meta,
        )

    def statement_imported(self, through: date, meta: Meta) -> None:
        if self.statement_through is None or through > self.statement_through:
            self.trigger_event(self.StatementImported, through=through, meta=meta)


@dataclass(frozen=True)
class BankAccount:
    """A bank account as a treasurer gives it, checked."""

    bank_bin: str
    account_number: str
    account_name: str

    @classmethod
    def of(cls, bank_bin: str, account_number: str, account_name: str) -> BankAccount:
        bin_, number = bank_bin.strip(), account_number.replace(" ", "").strip()
        check_account(bin_, number)
        return cls(bin_, number, required_name("account_name", account_name, max_length=200))


class AccountClaim(Aggregate):
    """An account number held by one fund at a time, so that a notification for the
    account finds its fund at once, in the store, with no read model to wait for."""

    class Claimed(AggregateCreated):
        account_number: str
        fund_id: UUID
        unit_id: UUID
        meta: Meta

    class Moved(AggregateEvent):
        """The account was released by its fund (``None``) or claimed by another."""

        fund_id: UUID | None
        meta: Meta

        def apply(self, aggregate: AccountClaim) -> None:
            aggregate.fund_id = self.fund_id

    def __init__(self, account_number: str, fund_id: UUID, unit_id: UUID, meta: Meta) -> None:
        self.account_number = account_number
        self.fund_id: UUID | None = fund_id

    @staticmethod
    def id_for(account_number: str) -> UUID:
        return uuid5(_CLAIMS, account_number)

    @classmethod
    def claim(cls, account_number: str, fund_id: UUID, unit_id: UUID, meta: Meta) -> AccountClaim:
        return cls._create(
            cls.Claimed,
            id=cls.id_for(account_number),
            account_number=account_number,
            fund_id=fund_id,
            unit_id=unit_id,
            meta=meta,
        )

    def take(self, fund_id: UUID, meta: Meta) -> None:
        """The fund claims the account; refused while another fund holds it."""
        if self.fund_id == fund_id:
            return
        if self.fund_id is not None:
            raise AccountClaimed(
                f"Tài khoản {self.account_number} đang là tài khoản nhận ủng hộ của quỹ "
                f"{self.fund_id}. Hãy gỡ tài khoản khỏi quỹ đó trước, hoặc kiểm tra lại số.",
                fund_id=str(self.fund_id),
            )
        self.trigger_event(self.Moved, fund_id=fund_id, meta=meta)

    def release(self, meta: Meta) -> None:
        self.trigger_event(self.Moved, fund_id=None, meta=meta)


class NotifiedCredit(Aggregate):
    """A credit a notification service reported, recorded into a fund once."""

    class Received(AggregateCreated):
        fund_id: UUID
        unit_id: UUID
        unit_path: list[UUID]
        source: str
        transaction_id: str
        line_digest: str
        amount: int
        occurred_on: date
        reference: str | None
        #: The receipt recorded, or the receipt awaiting an approver (``held``).
        entry_id: UUID
        held: bool
        pledge_id: UUID | None
        #: What the memo's code named: "pledge", "fund", "campaign", or None.
        named: str | None
        meta: Meta

    class Assigned(AggregateEvent):
        """The treasurer linked the credit, unmatched on arrival, to a pledge."""

        pledge_id: UUID
        meta: Meta

        def apply(self, aggregate: NotifiedCredit) -> None:
            aggregate.pledge_id = self.pledge_id

    class Reconciled(AggregateEvent):
        """The month's bank file listed the credit: the key of its line's mark."""

        line_key: str
        meta: Meta

        def apply(self, aggregate: NotifiedCredit) -> None:
            aggregate.line_key = self.line_key

    class Missing(AggregateEvent):
        """A bank file covering the credit's date did not list it."""

        statement_from: date
        statement_to: date
        meta: Meta

        def apply(self, aggregate: NotifiedCredit) -> None:
            aggregate.missing = True

    def __init__(
        self,
        fund_id: UUID,
        unit_id: UUID,
        unit_path: list[UUID],
        source: str,
        transaction_id: str,
        line_digest: str,
        amount: int,
        occurred_on: date,
        reference: str | None,
        entry_id: UUID,
        held: bool,
        pledge_id: UUID | None,
        named: str | None,
        meta: Meta,
    ) -> None:
        self.fund_id = fund_id
        self.unit_path = unit_path
        self.line_digest = line_digest
        self.amount = amount
        self.entry_id = entry_id
        self.held = held
        self.pledge_id = pledge_id
        self.line_key: str | None = None
        self.missing = False

    @staticmethod
    def id_for(fund_id: UUID, source: str, transaction_id: str) -> UUID:
        return uuid5(_CREDITS, f"{fund_id}\n{source}\n{transaction_id}")

    @classmethod
    def receive(
        cls,
        fund_id: UUID,
        unit_path: list[UUID],
        source: str,
        transfer: NotifiedTransfer,
        entry_id: UUID,
        *,
        held: bool,
        pledge_id: UUID | None,
        named: str | None,
        meta: Meta,
    ) -> NotifiedCredit:
        return cls._create(
            cls.Received,
            id=cls.id_for(fund_id, source, transfer.transaction_id),
            fund_id=fund_id,
            unit_id=unit_path[-1],
            unit_path=unit_path,
            source=source,
            transaction_id=transfer.transaction_id,
            line_digest=transfer.line().digest,
            amount=transfer.amount,
            occurred_on=transfer.occurred_on,
            reference=transfer.reference,
            entry_id=entry_id,
            held=held,
            pledge_id=pledge_id,
            named=named,
            meta=meta,
        )

    def check_same(self, transfer: NotifiedTransfer) -> None:
        """Refuses a transaction id sent again with other facts than the first time."""
        if transfer.line().digest != self.line_digest:
            raise InvalidInput(
                "id",
                f"Giao dịch mã {transfer.transaction_id} đã được ghi với nội dung khác "
                "(số tiền, ngày, nội dung chuyển khoản). Không ghi lần hai; thủ quỹ hãy "
                "đối chiếu với sao kê ngân hàng.",
            )

    def assign(self, pledge_id: UUID, meta: Meta) -> None:
        if self.pledge_id is not None:
            raise Conflict(
                "Khoản tiền này đã được gắn với một cam kết ủng hộ; không gắn lại.",
                pledge_id=str(self.pledge_id),
            )
        self.trigger_event(self.Assigned, pledge_id=pledge_id, meta=meta)

    def reconcile(self, line_key: str, meta: Meta) -> None:
        self.trigger_event(self.Reconciled, line_key=line_key, meta=meta)

    def flag_missing(self, first: date, last: date, meta: Meta) -> None:
        self.trigger_event(self.Missing, statement_from=first, statement_to=last, meta=meta)


def same_transfer(line: CreditLine, credit: NotifiedCreditFacts) -> bool:
    """Whether a bank file's credit line is the transfer a notification reported: the
    same amount, dated the same day or the next (banks post late-evening transfers the
    next morning), and the bank's reference where both carry one."""
    if line.amount != credit.amount:
        return False
    if not 0 <= (line.occurred_on - credit.occurred_on).days <= 1:
        return False
    if line.reference and credit.reference:
        return _ref(line.reference) == _ref(credit.reference)
    return True


def _ref(reference: str) -> str:
    return "".join(char for char in reference.upper() if char.isalnum())


@dataclass(frozen=True)
class NotifiedCreditFacts:
    """What reconciliation needs of a notified credit not yet matched to a line."""

    credit_id: UUID
    entry_id: UUID
    amount: int
    occurred_on: date
    reference: str | None
