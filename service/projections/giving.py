"""Live giving: each fund's giving account, and each credit a bank notification service
reported, with what became of it (its pledge, its line in the bank file, its absence)."""

from __future__ import annotations

from datetime import date
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from service.adapters.db import Row, Transaction
from service.domain.giving import GivingAccount, NotifiedCredit, NotifiedCreditFacts
from service.projections.base import Projection, text_id

#: The states of a notified credit that the treasurer's queues list.
STATES = ("all", "unassigned", "unreconciled", "missing")


class GivingProjection(Projection):
    name = "giving"
    tables = ("giving_accounts", "notified_credits")

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Events of other aggregates change nothing here."""

    @apply.register
    def _connected(self, event: GivingAccount.Connected, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO giving_accounts (fund_id, unit_id, bank_bin, account_number, "
            "account_name, position) VALUES (:fund, :unit, :bin, :number, :name, :position)",
            {
                "fund": str(event.fund_id),
                "unit": str(event.unit_id),
                "bin": event.bank_bin,
                "number": event.account_number,
                "name": event.account_name,
                "position": position,
            },
        )

    @apply.register
    def _changed(self, event: GivingAccount.Changed, position: int, tx: Transaction) -> None:
        tx.execute(
            "UPDATE giving_accounts SET bank_bin = :bin, account_number = :number, "
            "account_name = :name, position = :position WHERE fund_id = :fund",
            {
                "bin": event.bank_bin,
                "number": event.account_number,
                "name": event.account_name,
                "position": position,
                "fund": str(event.fund_id),
            },
        )

    @apply.register
    def _received(self, event: NotifiedCredit.Received, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO notified_credits (id, fund_id, source, transaction_id, entry_id, "
            "amount, occurred_on, reference, held, pledge_id, named, received_at, position) "
            "VALUES (:id, :fund, :source, :tid, :entry, :amount, :on, :ref, :held, :pledge, "
            ":named, :at, :position)",
            {
                "id": str(event.originator_id),
                "fund": str(event.fund_id),
                "source": event.source,
                "tid": event.transaction_id,
                "entry": str(event.entry_id),
                "amount": event.amount,
                "on": event.occurred_on.isoformat(),
                "ref": event.reference,
                "held": int(event.held),
                "pledge": text_id(event.pledge_id),
                "named": event.named,
                "at": event.timestamp.isoformat(),
                "position": position,
            },
        )

    @apply.register
    def _assigned(self, event: NotifiedCredit.Assigned, position: int, tx: Transaction) -> None:
        self._set(tx, event, position, pledge_id=str(event.pledge_id))

    @apply.register
    def _reconciled(self, event: NotifiedCredit.Reconciled, position: int, tx: Transaction) -> None:
        self._set(tx, event, position, line_key=event.line_key)

    @apply.register
    def _missing(self, event: NotifiedCredit.Missing, position: int, tx: Transaction) -> None:
        self._set(
            tx,
            event,
            position,
            missing_from=event.statement_from.isoformat(),
            missing_to=event.statement_to.isoformat(),
        )

    @staticmethod
    def _set(tx: Transaction, event: Any, position: int, **columns: Any) -> None:
        sets = "".join(f"{column} = :{column}, " for column in columns)
        tx.execute(
            f"UPDATE notified_credits SET {sets}position = :position WHERE id = :id",
            {**columns, "position": position, "id": str(event.originator_id)},
        )


def account(tx: Transaction, fund_id: str) -> Row | None:
    return tx.one("SELECT * FROM giving_accounts WHERE fund_id = :id", {"id": fund_id})


def credits(tx: Transaction, fund_id: str, state: str, limit: int = 500) -> list[Row]:
    """The fund's notified credits in one of ``STATES``, oldest first."""
    where = {
        "all": "",
        "unassigned": " AND pledge_id IS NULL AND held = 0",
        "unreconciled": " AND line_key IS NULL",
        "missing": " AND missing_from IS NOT NULL AND line_key IS NULL",
    }[state]
    return tx.all(
        "SELECT * FROM notified_credits WHERE fund_id = :fund" + where + " "
        "ORDER BY occurred_on, position LIMIT :limit",
        {"fund": fund_id, "limit": limit},
    )


def unreconciled(tx: Transaction, fund_id: str) -> list[NotifiedCreditFacts]:
    """The fund's notified credits that no bank line has matched yet, oldest first."""
    rows = tx.all(
        "SELECT id, entry_id, amount, occurred_on, reference FROM notified_credits "
        "WHERE fund_id = :fund AND line_key IS NULL ORDER BY occurred_on, position",
        {"fund": fund_id},
    )
    return [
        NotifiedCreditFacts(
            credit_id=UUID(str(row["id"])),
            entry_id=UUID(str(row["entry_id"])),
            amount=int(row["amount"]),
            occurred_on=date.fromisoformat(str(row["occurred_on"])),
            reference=row["reference"],
        )
        for row in rows
    ]
