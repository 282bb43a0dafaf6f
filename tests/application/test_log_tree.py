"""The log's Merkle tree on a real store: heads, proofs, and finding a change made by hand."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from service.application import Ledger
from service.bootstrap import Services
from service.domain import merkle
from service.domain.funds import Donor, Receipt
from service.domain.logfile import Verification, gap_leaf
from service.domain.money import Money
from service.domain.vocabulary import Channel, DonorKind, FundKind, Level
from service.projections.log import Tree, leaf_of, verify
from tests.conftest import ADMIN, treasurer_of


def record_gifts(ledger: Ledger, count: int) -> None:
    unit = UUID(ledger.register_unit(ADMIN, "Xã Mẫu", Level.COMMUNE, None, None).body["id"])
    treasurer = treasurer_of(unit)
    fund = UUID(ledger.open_fund(treasurer, unit, "Quỹ", FundKind.FOR_THE_POOR).body["id"])
    for i in range(count):
        gift = Receipt(
            Money(100_000 + i),
            date(2025, 5, 1),
            Donor("Lê Thị Hoa", DonorKind.INDIVIDUAL),
            Channel.CASH,
        )
        ledger.record_receipt(treasurer, fund, gift)


def verify_store(services: Services) -> Verification:
    ledger = services.ledger
    return verify(ledger.recorder, ledger.mapper, services.db, services.signer().verifier)


def stored_leaves(ledger: Ledger) -> list[bytes]:
    return [leaf_of(n) for n in ledger.recorder.select_notifications(start=1, limit=10_000)]


def test_the_tree_heads_and_proofs_agree_with_the_leaves_of_the_store(
    services: Services, ledger: Ledger
) -> None:
    record_gifts(ledger, 21)
    services.runner.catch_up()
    leaves = stored_leaves(ledger)
    with services.db.transaction() as tx:
        tree = Tree(tx)
        assert tree.size() == len(leaves) == 23
        for size in (1, 2, 3, 7, 8, 13, 23):
            head = tree.root(size)
            assert head == merkle.root(leaves[:size])
            for index in {0, size // 2, size - 1}:
                proof = tree.inclusion_proof(index, size)
                assert proof == merkle.inclusion_proof(leaves[:size], index)
                assert merkle.verify_inclusion(index, size, leaves[index], proof, head)
            for first in {1, size // 2 or 1, size}:
                proof = tree.consistency_proof(first, size)
                assert merkle.verify_consistency(first, size, tree.root(first), head, proof)


def test_verify_accepts_an_untouched_log(services: Services, ledger: Ledger) -> None:
    record_gifts(ledger, 5)
    services.runner.catch_up()
    found = verify_store(services)
    assert found.ok, found.problem
    assert found.size == 7
    assert found.root == merkle.root(stored_leaves(ledger))


def test_verify_finds_and_locates_an_event_changed_in_the_database(
    services: Services, ledger: Ledger, store: str
) -> None:
    record_gifts(ledger, 5)
    services.runner.catch_up()
    table, position_column = (
        ("stored_events", "rowid") if store == "sqlite" else ("sovang_events", "notification_id")
    )
    with services.db.transaction(write=True) as tx:
        state = tx.scalar(f"SELECT state FROM {table} WHERE {position_column} = 4")
        forged = bytes(state).replace(b"100001", b"900001")
        assert forged != bytes(state)
        tx.execute(
            f"UPDATE {table} SET state = :state WHERE {position_column} = 4", {"state": forged}
        )
    found = verify_store(services)
    assert not found.ok
    assert found.first_bad_position == 4


def test_verify_finds_an_event_deleted_from_the_database(
    services: Services, ledger: Ledger, store: str
) -> None:
    record_gifts(ledger, 5)
    services.runner.catch_up()
    table, position_column = (
        ("stored_events", "rowid") if store == "sqlite" else ("sovang_events", "notification_id")
    )
    with services.db.transaction(write=True) as tx:
        tx.execute(f"DELETE FROM {table} WHERE {position_column} = 5")
    found = verify_store(services)
    assert found.first_bad_position == 5


def test_the_log_tree_rebuilt_from_scratch_equals_the_one_built_as_events_arrived(
    services: Services, ledger: Ledger
) -> None:
    record_gifts(ledger, 30)
    services.runner.catch_up()
    query = "SELECT level, idx, hash FROM log_nodes ORDER BY level, idx"
    with services.db.transaction() as tx:
        before = tx.all(query)
    services.runner.rebuild(["log_tree"])
    with services.db.transaction() as tx:
        assert tx.all(query) == before
    assert len(before) == 32 + 16 + 8 + 4 + 2 + 1


def test_a_position_the_store_skipped_is_a_gap_leaf_and_the_log_still_verifies(
    services: Services, ledger: Ledger, store: str
) -> None:
    record_gifts(ledger, 3)  # positions 1 to 5
    if store == "postgresql":
        with services.db.transaction(write=True) as tx:
            tx.scalar("SELECT nextval('sovang_events_notification_id_seq') AS skipped")
        ledger.register_unit(ADMIN, "Xã Sau", Level.COMMUNE, None, None)
    else:
        ledger.register_unit(ADMIN, "Xã Sau", Level.COMMUNE, None, None)
        with services.db.transaction(write=True) as tx:
            tx.execute("UPDATE stored_events SET rowid = rowid + 1 WHERE rowid = 6")
    services.runner.catch_up()
    assert [n.id for n in ledger.recorder.select_notifications(start=1, limit=100)][-2:] == [5, 7]
    found = verify_store(services)
    assert found.ok, found.problem
    with services.db.transaction() as tx:
        tree = Tree(tx)
        assert tree.size() == 7
        assert tree.leaf(5) == gap_leaf(6)
        head = tree.root(7)
        last = leaf_of(ledger.recorder.select_notifications(start=7, limit=1)[0])
        assert merkle.verify_inclusion(6, 7, last, tree.inclusion_proof(6, 7), head)


def test_a_long_read_streams_every_row_in_order_and_a_reader_may_stop_early(
    services: Services,
) -> None:
    """``Transaction.stream``, which the verification reads the log through: pages fetched
    ahead by a thread come back whole and in order, a statement may run between two rows,
    and a reader that stops early leaves the transaction usable."""
    numbers = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25) "
        "SELECT i, i * 2 FROM n ORDER BY i"
    )
    with services.db.transaction() as tx:
        rows = []
        for row in tx.stream(numbers, size=4):
            rows.append(tuple(row))
            if row[0] == 10:
                assert tx.scalar("SELECT 7 AS seven") == 7
        assert rows == [(i, i * 2) for i in range(1, 26)]
        for row in tx.stream(numbers, size=4):
            if row[0] == 6:
                break
        assert tx.scalar("SELECT 8 AS eight") == 8
