"""The fund's public statement (sao kê công khai): every receipt of a fund, searchable by
amount, date range and a fragment of the donor's name, memo or reference, in recording
order (keyset pages). The bank files that imports read in are another thing: see
``service.adapters.bank_files``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from service.adapters.db import Row, Transaction
from service.domain.currency import shown, with_original
from service.domain.text import fold
from service.projections.counting import counted, goods, money

_COLUMNS = (
    "entry_id, seq, position, slip_no, slip_ref, occurred_on, recorded_at, amount, channel, "
    "donor_name, donor_kind, note, bank_ref, in_kind_description, in_kind_quantity, "
    "in_kind_unit, reversed_by_entry_id, currency, foreign_amount"
)


@dataclass(frozen=True)
class Search:
    """What a reader looks for in a fund's statement."""

    occurred_from: date | None = None
    occurred_to: date | None = None
    amount: int | None = None
    min_amount: int | None = None
    max_amount: int | None = None
    #: A fragment of the donor's name, the memo, the bank reference or the slip reference,
    #: compared without case or diacritics ("nguyen van a" finds "Nguyễn Văn An").
    text: str | None = None
    #: Whether the public searches: then only what the public statement shows is compared
    #: (a person's name shortened, account numbers masked, no anonymous gift's memo).
    public: bool = False

    def where(self) -> tuple[list[str], dict[str, Any]]:
        where = ["fund_id = :fund", "kind = 'receipt'"]
        params: dict[str, Any] = {}
        if self.occurred_from:
            where.append("occurred_on >= :from")
            params["from"] = self.occurred_from.isoformat()
        if self.occurred_to:
            where.append("occurred_on <= :to")
            params["to"] = self.occurred_to.isoformat()
        if self.amount is not None:
            where.append("amount = :amount")
            params["amount"] = self.amount
        if self.min_amount is not None:
            where.append("amount >= :min_amount")
            params["min_amount"] = self.min_amount
        if self.max_amount is not None:
            where.append("amount <= :max_amount")
            params["max_amount"] = self.max_amount
        fragment = fold(self.text or "")
        if fragment:
            escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            column = "public_search_text" if self.public else "search_text"
            where.append(f"{column} LIKE :text ESCAPE '\\'")
            params["text"] = f"%{escaped}%"
        return where, params


def receipts(
    tx: Transaction, fund_id: str, search: Search, *, after_seq: int, limit: int
) -> list[Row]:
    """A page of the fund's receipts that match, oldest first, after ``after_seq``."""
    where, params = search.where()
    rows = tx.all(
        f"SELECT {_COLUMNS} FROM ledger_entries WHERE {' AND '.join(where)} AND seq > :after "
        "ORDER BY seq LIMIT :limit",
        {**params, "fund": fund_id, "after": after_seq, "limit": limit},
    )
    return [_item(row) for row in rows]


def totals(tx: Transaction, fund_id: str, search: Search) -> Row:
    """How many receipts match, and what they add up to: ``amount`` counts money only,
    receipts reversed (cancelled) left out, so that the whole statement's amount is the
    fund's ``total_received``; goods count apart by value (``in_kind_value``), and the
    reversed receipts, listed and marked, apart again (``reversed_count``,
    ``reversed_amount``)."""
    where, params = search.where()
    live = counted()
    row = tx.one(
        "SELECT COUNT(*) AS count, "
        f"COALESCE(SUM(CASE WHEN {live} AND {money()} THEN amount END), 0) AS amount, "
        f"COALESCE(SUM(CASE WHEN {live} AND {goods()} THEN amount END), 0) AS in_kind_value, "
        f"COUNT(CASE WHEN NOT {live} THEN 1 END) AS reversed_count, "
        f"COALESCE(SUM(CASE WHEN NOT {live} THEN amount END), 0) AS reversed_amount "
        f"FROM ledger_entries WHERE {' AND '.join(where)}",
        {**params, "fund": fund_id},
    )
    found: dict[str, Any] = {key: int(value or 0) for key, value in (row or {}).items()}
    # The gifts in foreign currency among them: each currency's own total beside the đồng.
    found["foreign"] = [
        {
            "currency": str(line["currency"]),
            "amount": int(line["amount"]),
            "dong": int(line["dong"]),
            "shown": shown(int(line["amount"]), str(line["currency"])),
        }
        for line in tx.all(
            "SELECT currency, COALESCE(SUM(foreign_amount), 0) AS amount, "
            "COALESCE(SUM(amount), 0) AS dong "
            f"FROM ledger_entries WHERE {' AND '.join(where)} AND {live} "
            "AND currency IS NOT NULL GROUP BY currency ORDER BY currency",
            {**params, "fund": fund_id},
        )
    ]
    return found


def _item(row: Row) -> Row:
    description = row.pop("in_kind_description")
    quantity, unit = row.pop("in_kind_quantity"), row.pop("in_kind_unit")
    row["in_kind"] = (
        {"description": description, "quantity": quantity, "unit": unit} if description else None
    )
    row["memo"] = row.pop("note")
    row["reversed"] = row.pop("reversed_by_entry_id") is not None
    row["amount_shown"] = with_original(row["amount"], row["currency"], row["foreign_amount"])
    return row
