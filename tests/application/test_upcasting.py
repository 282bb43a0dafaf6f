"""An event stored by an earlier version of the service still loads: receipts recorded
before slips were numbered (version 1 of ReceiptRecorded) are upcast on reading."""

from __future__ import annotations

import json
from datetime import date
from uuid import UUID

from service.bootstrap import Services
from service.config import Config
from service.domain.funds import Donor, Fund, Receipt
from service.domain.money import Money
from service.domain.vocabulary import Channel, DonorKind, FundKind, Level
from service.projections import ledger as ledger_view
from tests.conftest import ADMIN, treasurer_of

RECEIPT_TOPIC = "service.domain.funds:Fund.ReceiptRecorded"


def _as_version_1(services: Services, store: str) -> int:
    """Rewrites every stored receipt as the service stored it before slips: no slip
    number and no class version. Returns how many it rewrote."""
    table, position = (
        ("stored_events", "rowid") if store == "sqlite" else ("sovang_events", "notification_id")
    )
    with services.db.transaction(write=True) as tx:
        rows = tx.all(
            f"SELECT {position} AS position, state FROM {table} WHERE topic = :topic",
            {"topic": RECEIPT_TOPIC},
        )
        for row in rows:
            state = json.loads(bytes(row["state"]))
            del state["slip_no"], state["class_version"]
            tx.execute(
                f"UPDATE {table} SET state = :state WHERE {position} = :position",
                {"state": json.dumps(state).encode(), "position": row["position"]},
            )
    return len(rows)


def test_receipts_stored_before_slips_load_without_a_slip_and_numbering_starts_at_one(
    config: Config, store: str
) -> None:
    old = Services(config)
    unit = UUID(old.ledger.register_unit(ADMIN, "Xã Cũ", Level.COMMUNE, None, None).body["id"])
    treasurer = treasurer_of(unit)
    fund = UUID(old.ledger.open_fund(treasurer, unit, "Quỹ", FundKind.FOR_THE_POOR).body["id"])
    gift = Receipt(
        Money(300_000), date(2025, 3, 1), Donor("Lê Văn Tám", DonorKind.INDIVIDUAL), Channel.CASH
    )
    for _ in range(3):
        old.ledger.record_receipt(treasurer, fund, gift)
    old.close()
    assert _as_version_1(Services(config), store) == 3

    upgraded = Services(config)  # a new process: nothing cached, everything read back
    loaded = upgraded.ledger.fund(fund)
    stored = list(upgraded.ledger.events.get(fund))
    next_gift = upgraded.ledger.record_receipt(treasurer, fund, gift).body
    upgraded.runner.catch_up()
    with upgraded.db.transaction() as tx:
        entries = ledger_view.entries(
            tx, str(fund), occurred_from=None, occurred_to=None, after_seq=0, limit=10
        )
    upgraded.close()

    receipts = [e for e in stored if isinstance(e, Fund.ReceiptRecorded)]
    assert [r.slip_no for r in receipts] == [0, 0, 0]
    assert [r.slip_ref for r in receipts] == [None, None, None]
    assert loaded.balance == 900_000
    assert next_gift["slip_no"] == 1
    assert [e["slip_no"] for e in entries if e["kind"] == "receipt"] == [None, None, None, 1]
