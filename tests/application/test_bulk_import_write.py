"""The import's bulk write (``service.application.bulk_save``, ``COPY`` on PostgreSQL),
on both stores: a batch is saved whole or not at all, a write to the fund between two
batches is kept and the import still records every line once, the log's tree covers
what it wrote, and the fund is left cached as saved."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError

from service.application import bank_import
from service.application import import_jobs as imports
from service.application.bank_import import ImportReport
from service.application.bulk_save import save_in_bulk
from service.bootstrap import Services
from service.domain.actors import Meta
from service.domain.funds import Donor, Receipt
from service.domain.money import Money
from service.domain.vocabulary import Channel, DonorKind
from tests.application.test_bank_imports import (
    SAMPLE,
    fund_of,
    import_file,
    log_head,
    receipts,
)
from tests.application.test_log_tree import verify_store


def gift(amount: int) -> Receipt:
    return Receipt(
        Money(amount), date(2025, 5, 1), Donor("Lê Thị Hoa", DonorKind.INDIVIDUAL), Channel.CASH
    )


def test_a_batch_is_saved_whole_or_refused_whole_when_another_writer_went_first(
    services: Services,
) -> None:
    ledger = services.ledger
    fund, treasurer = fund_of(ledger)
    first, second = ledger.fund(fund), ledger.fund(fund)
    meta = Meta.of(treasurer.actor, None, None)
    for amount in (100_000, 200_000):
        first.record_receipt(gift(amount), ledger.today(), meta)
    for amount in (300_000, 400_000, 500_000):
        second.record_receipt(gift(amount), ledger.today(), meta)

    position = save_in_bulk(ledger, first)
    head = log_head(services)
    with pytest.raises(IntegrityError):
        save_in_bulk(ledger, second)

    assert head == (position, head[1]), "the position returned is the log's last"
    assert log_head(services)[1] == head[1], "none of the refused batch is stored"
    assert ledger.fund(fund).balance == 300_000
    assert verify_store(services).ok


def test_a_receipt_recorded_between_two_batches_is_kept_and_every_line_recorded_once(
    services: Services,
) -> None:
    ledger = services.ledger
    fund, treasurer = fund_of(ledger)
    between: list[int] = []

    def record_between(report: ImportReport) -> None:
        if not between:
            between.append(report.recorded)
            ledger.record_receipt(treasurer, fund, gift(1_000_000))

    services.runner.catch_up()
    prepared = imports.prepare(SAMPLE, SAMPLE.name, imports.layout_of("vietcombank"))
    try:
        done = bank_import.import_bank_file(
            ledger,
            treasurer,
            ledger.importable_fund(treasurer, fund),
            prepared.lines,
            {},
            batch_size=2,
            progress=record_between,
        )
    finally:
        prepared.close()
    head = log_head(services)
    again = import_file(services, treasurer, fund, SAMPLE, batch_size=2)

    assert between == [2], "the receipt came after the first batch"
    assert (done.recorded, done.amount) == (6, 15_650_000)
    assert (again.recorded, again.duplicates) == (0, 6)
    assert log_head(services) == head, "a repeated import writes nothing"
    assert ledger.fund(fund).balance == 16_650_000
    assert sorted(int(str(r["amount"])) for r in receipts(services, fund)) == [
        150_000,
        500_000,
        1_000_000,
        1_000_000,
        2_000_000,
        2_000_000,
        10_000_000,
    ]
    assert verify_store(services).ok


def test_the_fund_is_left_cached_as_the_import_saved_it(services: Services) -> None:
    ledger = services.ledger
    fund, treasurer = fund_of(ledger)
    import_file(services, treasurer, fund, SAMPLE)

    cache = ledger.repository.cache
    assert cache is not None
    cached = cache.get(fund)
    stored = ledger.recorder.select_events(fund, desc=True, limit=1)
    assert cached.version == stored[0].originator_version == 7
    assert not cached.pending_events
    assert ledger.fund(fund).balance == 15_650_000
    assert UUID(str(cached.id)) == fund


def test_the_bulk_encoding_stores_what_the_library_mapper_stores(services: Services) -> None:
    """``orjson`` with the transcoder's own transcodings writes the bytes the library's
    mapper writes (UUIDs, dates, the meta, the vocabulary's enums, nested facts), and
    they read back as the same event."""
    from service.application.bulk_save import FastEncoder
    from service.domain.imports import ImportedTransfer

    ledger = services.ledger
    fund_id, treasurer = fund_of(ledger)
    fund = ledger.fund(fund_id)
    meta = Meta.of(treasurer.actor, "khóa-1", "yêu-cầu-1")
    fund.record_receipt(gift(150_000), ledger.today(), meta)
    receipt = fund.pending_events[-1]
    mark = ImportedTransfer.recorded(fund_id, UUID(int=7), "line:ab#0", meta)
    mapper = ledger.mapper
    encoder = FastEncoder(mapper.transcoder.types)  # type: ignore[attr-defined]
    for event in (receipt, mark, receipt):
        fast, library = encoder.to_stored_event(event), mapper.to_stored_event(event)
        assert fast == library
        assert mapper.to_domain_event(fast) == event
