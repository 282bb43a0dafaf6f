"""The ledger: every entry of every fund with its running balance, reversals marked."""

from __future__ import annotations

from collections.abc import Sequence
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from service.adapters.db import Row, Transaction
from service.domain.funds import Fund
from service.domain.households import Household
from service.domain.public_text import public_search_text
from service.domain.text import fold
from service.domain.vocabulary import GOODS_CHANNELS, EntryKind
from service.projections.base import Projection, text_id
from service.projections.counting import TRANSFERS

#: How every receipt slip reference begins (see ``funds.slip_reference``).
SLIP_PREFIX = "PT-"


class LedgerProjection(Projection):
    name = "ledger"
    weight = 40
    tables = ("ledger_entries",)

    def __init__(self) -> None:
        self._balances: dict[str, int] = {}

    def apply_page(self, tx: Transaction, events: Sequence[tuple[int, Any]]) -> None:
        """Reads the running balance of every fund the page touches in one query, so the
        page's entries go to the store as one batch of inserts."""
        funds = sorted(
            {str(e.originator_id) for _, e in events if isinstance(e, Fund.EntryRecorded)}
        )
        self._balances = dict.fromkeys(funds, 0)
        try:
            if funds:
                # One look-up of the newest entry per fund, each by the (fund_id, seq) index,
                # however long the fund's ledger.
                latest = " UNION ALL ".join(
                    f"SELECT {i} AS i, (SELECT running_balance FROM ledger_entries "
                    f"WHERE fund_id = :f{i} ORDER BY seq DESC LIMIT 1) AS running_balance"
                    for i in range(len(funds))
                )
                for row in tx.all(latest, {f"f{i}": fund for i, fund in enumerate(funds)}):
                    if row["running_balance"] is not None:
                        self._balances[funds[row["i"]]] = int(row["running_balance"])
            super().apply_page(tx, events)
        finally:
            self._balances = {}

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Events other than entries change nothing here."""

    @apply.register
    def _entry(self, event: Fund.EntryRecorded, position: int, tx: Transaction) -> None:
        fund_id = str(event.originator_id)
        running_balance = self._balances[fund_id] + event.effect
        self._balances[fund_id] = running_balance
        row: dict[str, Any] = dict.fromkeys(_OPTIONAL_COLUMNS)
        row.update(
            entry_id=str(event.entry_id),
            fund_id=fund_id,
            seq=event.originator_version,
            position=position,
            kind=event.kind.value,
            amount=event.amount,
            effect=event.effect,
            running_balance=running_balance,
            occurred_on=event.occurred_on.isoformat(),
            recorded_at=event.timestamp.isoformat(),
            actor=event.meta.actor,
        )
        row.update(_details(event))
        if isinstance(event, Fund.EntryReversed):
            row.update(_reversed_facts(tx, str(event.reversed_entry_id)))
        elif isinstance(event, Fund.CurrencySold):
            # A sale counts by its exchange difference; its đồng and currency are in
            # ``amount`` and ``foreign_amount``.
            row.update(counts_as=event.kind.value, signed_amount=event.effect, account=account(row))
        else:
            row.update(counts_as=event.kind.value, signed_amount=event.amount, account=account(row))
        # What the entry counts as (see ``counting``): money unless it records goods, and
        # standing until a reversal of it arrives; a reversal itself never stands.
        row.update(
            is_money=row["account"] is not None, counted=event.kind is not EntryKind.REVERSAL
        )
        tx.insert("ledger_entries", row)
        if isinstance(event, Fund.EntryReversed):
            tx.execute(
                "UPDATE ledger_entries SET reversed_by_entry_id = :by, counted = :counted "
                "WHERE entry_id = :entry",
                {
                    "by": str(event.entry_id),
                    "counted": False,
                    "entry": str(event.reversed_entry_id),
                },
            )

    @apply.register
    def _erased(self, event: Household.Erased, position: int, tx: Transaction) -> None:
        # The students' names could no longer be opened; the ledger keeps none of them.
        tx.execute(
            "UPDATE ledger_entries SET student_name_sealed = NULL WHERE household_id = :id",
            {"id": str(event.originator_id)},
        )


#: The facts of a reversed entry that a reversal takes over, so that it counts, with its
#: amount negative, in the same totals, on the day it was made.
_REVERSED_FACTS = (
    "channel",
    "category",
    "in_kind_description",
    "in_kind_quantity",
    "in_kind_unit",
    "counterparty_fund_id",
    "account",
    "campaign_id",
    "currency",
)


def _reversed_facts(tx: Transaction, reversed_entry_id: str) -> dict[str, Any]:
    original = tx.one(
        f"SELECT kind, amount, signed_amount, foreign_amount, {', '.join(_REVERSED_FACTS)} "
        "FROM ledger_entries "
        "WHERE entry_id = :entry",
        {"entry": reversed_entry_id},
    )
    if original is None:
        return {"counts_as": None, "signed_amount": None, "account": None}
    return {
        **{column: original[column] for column in _REVERSED_FACTS},
        "counts_as": original["kind"],
        "signed_amount": -int(
            original["amount"] if original["signed_amount"] is None else original["signed_amount"]
        ),
        "foreign_amount": None
        if original["foreign_amount"] is None
        else -int(original["foreign_amount"]),
    }


def account(row: dict[str, Any]) -> str | None:
    """Where an entry's money is kept: ``bank`` for the bank account (a credit advice,
    a payment order, a transfer between funds), ``cash`` for the cash box; None for goods,
    which move no money."""
    if row.get("in_kind_description") or row.get("channel") in GOODS_CHANNELS:
        return None
    if row["kind"] in TRANSFERS or row.get("channel") == "bank":
        return "bank"
    return "cash"


def donor_key(name: str | None) -> str | None:
    """A donor as the giving history recognises them: the name without case, diacritics or
    extra spaces ("NGUYEN VAN AN" from a bank statement is "Nguyễn Văn An")."""
    return fold(name) or None if name else None


def _details(event: Fund.EntryRecorded) -> dict[str, Any]:
    """The columns that only some kinds of entry fill."""
    if isinstance(event, Fund.ReceiptRecorded):
        goods = event.in_kind or {}
        return {
            "channel": event.channel,
            "donor_name": event.donor_name,
            "donor_kind": event.donor_kind,
            "voucher_no": event.voucher_no,
            "bank_ref": event.bank_ref,
            "pledge_id": text_id(event.pledge_id),
            "campaign_id": text_id(event.campaign_id),
            "in_kind_description": goods.get("description"),
            "in_kind_quantity": goods.get("quantity"),
            "in_kind_unit": goods.get("unit"),
            "note": event.note,
            "slip_no": event.slip_no or None,
            "slip_ref": event.slip_ref,
            "currency": event.currency,
            "foreign_amount": event.foreign_amount,
            "rate": event.rate,
            "rate_source": event.rate_source,
            "donor_key": donor_key(event.donor_name),
            "search_text": fold(
                " ".join(
                    part or ""
                    for part in (event.donor_name, event.note, event.bank_ref, event.slip_ref)
                )
            ),
            "public_search_text": public_search_text(
                event.donor_name, event.donor_kind, event.note, (event.bank_ref, event.slip_ref)
            ),
        }
    if isinstance(event, Fund.DisbursementRecorded):
        goods = event.in_kind or {}
        return {
            "in_kind_description": goods.get("description"),
            "in_kind_quantity": goods.get("quantity"),
            "in_kind_unit": goods.get("unit"),
            "category": event.category,
            "channel": event.channel,
            "bank_ref": event.bank_ref,
            "slip_no": event.slip_no or None,
            "slip_ref": event.slip_ref,
            "household_id": text_id(event.household_id),
            "house_project_id": text_id(event.house_project_id),
            "grant_id": text_id(event.grant_id),
            "voucher_no": event.voucher_no,
            "note": event.note,
            "repeat_reason": event.repeat_reason,
            "campaign_id": text_id(event.campaign_id),
            **_student(event.student),
        }
    if isinstance(event, Fund.TransferSent):
        return {
            "counterparty_fund_id": str(event.to_fund_id),
            "counterpart_entry_id": str(event.counterpart_entry_id),
            "note": event.note,
        }
    if isinstance(event, Fund.TransferReceived):
        return {
            "counterparty_fund_id": str(event.from_fund_id),
            "counterpart_entry_id": str(event.counterpart_entry_id),
            "note": event.note,
        }
    if isinstance(event, Fund.CurrencySold):
        return {
            "channel": event.channel,
            "bank_ref": event.bank_ref,
            "note": event.note,
            "currency": event.currency,
            "foreign_amount": event.foreign_amount,
        }
    if isinstance(event, Fund.EntryReversed):
        return {"reason": event.reason, "reverses_entry_id": str(event.reversed_entry_id)}
    return {}


def _student(student: dict[str, str] | None) -> dict[str, Any]:
    if student is None:
        return {}
    return {
        "student_name_sealed": student["name"],
        "student_key": student["key"],
        "school": student["school"],
        "school_year": student["school_year"],
    }


_OPTIONAL_COLUMNS = (
    "channel",
    "category",
    "donor_name",
    "donor_kind",
    "voucher_no",
    "bank_ref",
    "pledge_id",
    "household_id",
    "house_project_id",
    "grant_id",
    "counterparty_fund_id",
    "counterpart_entry_id",
    "in_kind_description",
    "in_kind_quantity",
    "in_kind_unit",
    "note",
    "reason",
    "reverses_entry_id",
    "repeat_reason",
    "student_name_sealed",
    "student_key",
    "school",
    "school_year",
    "slip_no",
    "slip_ref",
    "search_text",
    "donor_key",
    "counts_as",
    "signed_amount",
    "account",
    "public_search_text",
    "campaign_id",
    "currency",
    "foreign_amount",
    "rate",
    "rate_source",
)
_REQUIRED_COLUMNS = (
    "entry_id",
    "fund_id",
    "seq",
    "position",
    "kind",
    "amount",
    "effect",
    "running_balance",
    "occurred_on",
    "recorded_at",
    "actor",
    "counted",
    "is_money",
)
_ALL_COLUMNS = (*_REQUIRED_COLUMNS, *_OPTIONAL_COLUMNS)
#: Columns kept for searching, not shown.
_SEARCH_ONLY = ("search_text", "public_search_text", "donor_key")
#: Columns kept for the totals (see ``counting``), not shown with an entry.
_BOOKS_ONLY = ("counts_as", "signed_amount", "account", "counted", "is_money")
_SHOWN = (c for c in _ALL_COLUMNS if c not in (*_SEARCH_ONLY, *_BOOKS_ONLY))
_SELECT = f"SELECT {', '.join(_SHOWN)}, reversed_by_entry_id FROM ledger_entries"


def entries(
    tx: Transaction,
    fund_id: str,
    *,
    occurred_from: str | None,
    occurred_to: str | None,
    after_seq: int,
    limit: int,
) -> list[Row]:
    """A page of the fund's ledger in recording order, after the entry numbered ``after_seq``."""
    where = ["fund_id = :fund", "seq > :after"]
    if occurred_from:
        where.append("occurred_on >= :from")
    if occurred_to:
        where.append("occurred_on <= :to")
    return tx.all(
        f"{_SELECT} WHERE {' AND '.join(where)} ORDER BY seq LIMIT :limit",
        {
            "fund": fund_id,
            "after": after_seq,
            "from": occurred_from,
            "to": occurred_to,
            "limit": limit,
        },
    )


def entry(tx: Transaction, entry_id: str) -> Row | None:
    return tx.one(f"{_SELECT} WHERE entry_id = :entry", {"entry": entry_id})


def first_slips(tx: Transaction) -> list[Row]:
    """The first receipt slip and the first payment slip of the log, if any."""
    return [
        row
        for prefix in (SLIP_PREFIX, "PC-")
        if (
            row := tx.one(
                "SELECT entry_id, slip_ref FROM ledger_entries WHERE slip_ref LIKE :prefix "
                "ORDER BY position LIMIT 1",
                {"prefix": prefix + "%"},
            )
        )
        is not None
    ]


def receipts_by_reference(tx: Transaction, reference: str) -> list[Row]:
    """The receipts a donor may look up: by entry id, by receipt slip reference
    (``PT-2025-000123-…``, any case) or by the bank's transaction reference; with the
    names of the fund and unit that hold them."""
    if _is_uuid(reference):
        column = "entry_id"
    elif reference.upper().startswith(SLIP_PREFIX):
        column, reference = "slip_ref", reference.upper()
    else:
        column = "bank_ref"
    return tx.all(
        "SELECT e.entry_id, e.fund_id, f.name AS fund_name, f.unit_id, u.name AS unit_name, "
        "e.amount, e.occurred_on, e.channel, e.donor_name, e.donor_kind, e.bank_ref, "
        "e.slip_no, e.slip_ref, e.reversed_by_entry_id, e.position, e.currency, "
        "e.foreign_amount FROM ledger_entries e "
        "JOIN funds f ON f.id = e.fund_id JOIN units u ON u.id = f.unit_id "
        f"WHERE e.{column} = :reference AND e.kind = 'receipt' ORDER BY e.position LIMIT 100",
        {"reference": reference},
    )


def _is_uuid(text: str) -> bool:
    try:
        UUID(text)
    except ValueError:
        return False
    return True
