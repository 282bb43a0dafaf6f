"""Live giving: a fund's giving account (the one its VietQR code carries), the credits
bank notification services report, recorded once each, and the treasurer's queue of
credits whose memo named no pledge."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from service.application.answers import entry_id_of, payment_body, receipt_body
from service.application.core import LedgerCore
from service.application.engine import Changes, Request, Written
from service.application.loading import find
from service.application.roles import MONEY_WRITERS
from service.domain.actors import Actor, Meta
from service.domain.bank_lines import bank_receipt
from service.domain.errors import Conflict, NotFound
from service.domain.funds import Fund
from service.domain.giving import (
    AccountClaim,
    AccountNotConnected,
    BankAccount,
    GivingAccount,
    NotifiedCredit,
    NotifiedTransfer,
)
from service.domain.memo_codes import Names, code_for, codes_in
from service.domain.pledges import Pledge, memo_names
from service.domain.text import fold
from service.domain.vocabulary import PledgeStatus, Role

CONNECTING = "gắn tài khoản nhận ủng hộ cho quỹ"


class CreditNotFound(NotFound):
    code = "notified-credit-not-found"
    title = "Không tìm thấy khoản tiền báo về"


class _AlreadyNotified(Conflict):
    """The credit was recorded by an earlier delivery (raised inside the write, so that a
    concurrent delivery that lost the race answers the same)."""

    code = "already-notified"
    title = "Khoản tiền này đã được ghi"


def feed_actor(source: str, title: str) -> Actor:
    """Who records what a notification service reports: the service itself."""
    return Actor(
        id=f"bank-feed:{source}", name=f"{title} (thông báo ngân hàng)", role=Role.TREASURER
    )


class GivingUseCases(LedgerCore):
    """The use cases of giving by bank transfer as it happens."""

    def giving_account(self, fund_id: UUID) -> GivingAccount | None:
        return find(self.repository, GivingAccount.id_for(fund_id), GivingAccount)

    def connect_account(self, request: Request, fund_id: UUID, account: BankAccount) -> Written:
        """Sets the account the fund receives gifts into; the account number is held by
        this fund alone, and a fund that had another account releases it."""

        def connect(meta: Meta, today: date) -> Changes:
            fund = self._writable_fund(request, fund_id, CONNECTING)
            held = self.giving_account(fund.id)
            changed: list[Any] = []
            if held is None:
                held = GivingAccount.connect(fund.id, fund.unit_path, account, meta)
            elif held.account_number != account.account_number:
                old = find(self.repository, AccountClaim.id_for(held.account_number), AccountClaim)
                if old is not None:
                    old.release(meta)
                    changed.append(old)
                held.change(account, meta)
            else:
                held.change(account, meta)
            claim = find(self.repository, AccountClaim.id_for(account.account_number), AccountClaim)
            if claim is None:
                claim = AccountClaim.claim(account.account_number, fund.id, fund.unit_id, meta)
            else:
                claim.take(fund.id, meta)
            return Changes([held, claim, *changed], account_body(held))

        return self._write(request, connect)

    def record_notified(
        self, source: str, title: str, transfer: NotifiedTransfer
    ) -> dict[str, Any]:
        """Records a credit a notification service reported, once: a delivery of the same
        transaction again (a retry, a duplicate, a late one) records nothing."""
        claim = find(self.repository, AccountClaim.id_for(transfer.account_number), AccountClaim)
        if claim is None or claim.fund_id is None:
            raise AccountNotConnected(
                f"Số tài khoản {transfer.account_number or '(trống)'} chưa gắn với quỹ nào; "
                "không ghi gì. Thủ quỹ hãy gắn tài khoản cho quỹ "
                "(PUT /api/v1/funds/{id}/giving-account) rồi gửi lại thông báo.",
                account_number=transfer.account_number,
            )
        fund_id = claim.fund_id
        credit_id = NotifiedCredit.id_for(fund_id, source, transfer.transaction_id)
        answer = {"transaction_id": transfer.transaction_id, "fund_id": str(fund_id)}
        if not transfer.incoming:
            return {**answer, "outcome": "not_a_credit"}
        account = self.giving_account(fund_id)
        through = account.statement_through if account else None
        if through is not None and transfer.occurred_on <= through:
            # The month's statement, imported already, brought every credit of its days.
            return {**answer, "outcome": "covered_by_statement", "through": through.isoformat()}
        request = Request(feed_actor(source, title))

        def record(meta: Meta, today: date) -> Changes:
            prior = find(self.repository, credit_id, NotifiedCredit)
            if prior is not None:
                prior.check_same(transfer)
                raise _AlreadyNotified("", entry_id=str(prior.entry_id))
            fund = self.fund(fund_id)
            pledge, named = self._pledge_of(fund, transfer.memo)
            receipt = bank_receipt(transfer.line(), pledge.id if pledge else None)
            fund.record_receipt(receipt, today, meta, self.controls_of(fund))
            recorded = fund.pending_events[-1]
            held = isinstance(recorded, Fund.ReceiptRequested)
            entry_id = recorded.pending_id if held else entry_id_of(fund)  # type: ignore[attr-defined]
            changed: list[Any] = [fund]
            if pledge is not None and not held:
                pledge.fulfil(entry_id, receipt.amount.dong, True, meta)
                changed.append(pledge)
            credit = NotifiedCredit.receive(
                fund.id,
                fund.unit_path,
                source,
                transfer,
                entry_id,
                held=held,
                pledge_id=pledge.id if pledge else None,
                named=named,
                meta=meta,
            )
            body = payment_body(fund) if held else receipt_body(fund)
            outcome = "held" if held else "recorded"
            return Changes([*changed, credit], {**answer, **body, "outcome": outcome})

        try:
            written = self._write(request, record)
        except _AlreadyNotified as already:
            return {**answer, "outcome": "already_recorded", **already.extra}
        return {**written.body, "position": written.position}

    def _pledge_of(self, fund: Fund, memo: str) -> tuple[Pledge | None, str | None]:
        """The open pledge of the fund that the memo names (its memo code, or the code the
        donor was given), and what the memo's code named."""
        codes = codes_in(memo)
        texts = {code.text for code in codes}
        folded = f" {fold(memo).upper()} "
        for code in sorted(self._pledge_codes(fund.id)):
            pledge_id = Pledge.id_for(fund.id, code)
            if code_for(Names.PLEDGE, pledge_id).text in texts or memo_names(folded, code):
                pledge = find(self.repository, pledge_id, Pledge)
                if pledge is not None and pledge.status is PledgeStatus.OPEN:
                    return pledge, "pledge"
        if code_for(Names.FUND, fund.id).text in texts:
            return None, "fund"
        if any(code.names is Names.CAMPAIGN for code in codes):
            # Campaigns are not kept yet: a campaign's gift counts to its fund.
            return None, "campaign"
        return None, None

    def assign_credit(
        self, request: Request, fund_id: UUID, credit_id: UUID, pledge_id: UUID
    ) -> Written:
        """Links a credit whose memo named no pledge to the pledge the treasurer found."""

        def assign(meta: Meta, today: date) -> Changes:
            credit = find(self.repository, credit_id, NotifiedCredit)
            if credit is None or credit.fund_id != fund_id:
                raise CreditNotFound(
                    f"Quỹ không có khoản tiền báo về mã {credit_id}; hãy xem danh sách "
                    "chờ gắn (GET /api/v1/funds/{id}/notified-credits?state=unassigned)."
                )
            request.actor.require(MONEY_WRITERS, credit.unit_path, "gắn khoản tiền với cam kết")
            if credit.held:
                raise Conflict(
                    "Khoản tiền này đang chờ người duyệt; gắn với cam kết sau khi được duyệt."
                )
            pledge = self.pledge(pledge_id, field="pledge_id")
            if pledge.fund_id != fund_id:
                raise Conflict("Cam kết này thuộc quỹ khác; hãy chọn cam kết của quỹ này.")
            credit.assign(pledge.id, meta)
            pledge.fulfil(credit.entry_id, credit.amount, True, meta)
            return Changes(
                [credit, pledge],
                {
                    "credit_id": str(credit.id),
                    "entry_id": str(credit.entry_id),
                    "pledge_id": str(pledge.id),
                },
            )

        return self._write(request, assign)


def account_body(account: GivingAccount) -> dict[str, Any]:
    return {
        "fund_id": str(account.fund_id),
        "bank_bin": account.bank_bin,
        "account_number": account.account_number,
        "account_name": account.account_name,
        "memo_code": code_for(Names.FUND, account.fund_id).text,
    }
