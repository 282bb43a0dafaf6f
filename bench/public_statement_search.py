"""Statement reads on a fund with a million receipts: the ledger_entries rows are made
with one INSERT ... SELECT (the projection's own table, as the ledger projection fills
it), then each kind of search is timed through the same query functions as the API."""

from __future__ import annotations

import time
import uuid
from datetime import date
from typing import Any

from service.adapters.db import Database, StoreUrl
from service.projections import public_statement as statement_view

NAMES = "ARRAY['nguyen van an','tran thi binh','le minh cuong','pham thu ha','hoang duc long']"


def fill(db: Database, fund_id: str, n: int) -> None:
    with db.transaction(write=True) as tx:
        tx.execute(
            "INSERT INTO ledger_entries (entry_id, fund_id, seq, position, kind, amount, effect, "
            "running_balance, occurred_on, recorded_at, channel, donor_name, donor_kind, note, "
            "bank_ref, slip_no, slip_ref, search_text, actor, counted, is_money) "
            "SELECT gen_random_uuid(), CAST(:fund AS uuid), g, g, 'receipt', "
            "(1 + g % 50) * 10000, (1 + g % 50) * 10000, 0, "
            "DATE '2024-09-10' + (g % 10), now(), 'bank', "
            f"({NAMES})[1 + g % 5] || ' ' || g, 'individual', 'ung ho dong bao bi lu', "
            "'FT' || lpad(g::text, 12, '0'), g, 'PT-2024-' || lpad(g::text, 6, '0'), "
            # As the ledger projection folds it: lower case, no diacritics.
            f"({NAMES})[1 + g % 5] || ' ' || g || ' ung ho dong bao bi lu ft' "
            "|| lpad(g::text, 12, '0'), 'bench', true, true FROM generate_series(1, :n) AS g",
            {"fund": fund_id, "n": n},
        )
        tx.execute("ANALYZE ledger_entries")


def timed(db: Database, fund_id: str, search: statement_view.Search) -> dict[str, Any]:
    started = time.perf_counter()
    with db.transaction() as tx:
        rows = statement_view.receipts(tx, fund_id, search, after_seq=0, limit=100)
        first = time.perf_counter() - started
        totals = statement_view.totals(tx, fund_id, search)
    return {
        "first_page_ms": round(first * 1000, 1),
        "with_totals_ms": round((time.perf_counter() - started) * 1000, 1),
        "matches": totals["count"],
        "page": len(rows),
    }


def search_figures(url: str, n: int) -> dict[str, dict[str, Any]]:
    # Filling a million rows with their indexes takes longer than a request may.
    db = Database(StoreUrl.parse(url), statement_seconds=3600)
    fund_id = str(uuid.uuid4())
    try:
        fill(db, fund_id, n)
        searches = {
            "no filter": statement_view.Search(),
            "exact amount": statement_view.Search(amount=250_000),
            "one day": statement_view.Search(
                occurred_from=date(2024, 9, 15),
                occurred_to=date(2024, 9, 15),
            ),
            "common name": statement_view.Search(text="Nguyễn Văn"),
            "rare name (one match)": statement_view.Search(text=f"hoang duc long {n - 1}"),
            "bank reference": statement_view.Search(text=f"FT{n // 2:012d}"),
        }
        return {name: timed(db, fund_id, search) for name, search in searches.items()}
    finally:
        db.close()
