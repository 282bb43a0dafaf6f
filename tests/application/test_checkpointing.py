"""The runner's schedule of checkpoints: after so many events, or after so long when the
log has grown by more than its own last checkpoint; and never a crash without a key."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from service.application.checkpoints import Schedule
from service.bootstrap import Services
from service.config import Config
from service.domain.checkpoints import open_checkpoint
from service.domain.notes import Signer
from service.domain.vocabulary import Level
from service.projections import checkpoints as checkpoint_view
from service.projections.log import Tree
from tests.application.test_log_tree import record_gifts
from tests.conftest import ADMIN

MakeServices = Callable[..., Services]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def make_services(config: Config) -> Iterator[MakeServices]:
    made: list[Services] = []

    def make(**changes: Any) -> Services:
        svc = Services(dataclasses.replace(config, **changes))
        made.append(svc)
        return svc

    yield make
    for svc in made:
        svc.close()


def signed_sizes(services: Services) -> list[int]:
    services.runner.catch_up()
    with services.db.transaction() as tx:
        return [int(row["tree_size"]) for row in checkpoint_view.page(tx, after_size=0, limit=100)]


def grow(services: Services, count: int) -> int:
    """Records ``count`` events and brings every projection up to the head."""
    for i in range(count):
        services.ledger.register_unit(ADMIN, f"Xã {i}", Level.COMMUNE, None, None)
    return services.runner.catch_up()


def test_a_checkpoint_is_signed_once_the_log_grew_by_every_events_and_not_before(
    make_services: MakeServices, log_signer: Signer
) -> None:
    services: Services = make_services(checkpoint_every=5, checkpoint_seconds=10_000)
    schedule = Schedule(services, clock=Clock())
    record_gifts(services.ledger, 2)  # a unit, a fund, two gifts
    schedule.tick(services.runner.catch_up())
    assert signed_sizes(services) == []

    schedule.tick(grow(services, 1))
    assert signed_sizes(services) == [5]
    schedule.tick(services.runner.catch_up())  # the checkpoint itself is no reason to sign
    schedule.tick(grow(services, 3))
    assert signed_sizes(services) == [5]
    schedule.tick(grow(services, 1))
    assert signed_sizes(services) == [5, 10]

    with services.db.transaction() as tx:
        row = checkpoint_view.of_size(tx, 10)
        assert row is not None
        head, _ = open_checkpoint(row["note"], log_signer.verifier)
        assert head.root == Tree(tx).root(10)


def test_a_schedule_starts_from_the_latest_checkpoint_already_signed(
    make_services: MakeServices,
) -> None:
    services: Services = make_services(checkpoint_every=5, checkpoint_seconds=10_000)
    record_gifts(services.ledger, 2)
    Schedule(services, clock=Clock()).tick(grow(services, 3))
    assert signed_sizes(services) == [7]
    restarted = Schedule(services, clock=Clock())
    restarted.tick(grow(services, 3))  # 8 to 11: four events since the checkpoint of 7
    assert signed_sizes(services) == [7]
    restarted.tick(grow(services, 1))
    assert signed_sizes(services) == [7, 12]


def test_after_so_many_seconds_a_checkpoint_is_signed_if_the_log_grew_beyond_the_last_one(
    make_services: MakeServices,
) -> None:
    services: Services = make_services(checkpoint_every=1000, checkpoint_seconds=60)
    clock = Clock()
    schedule = Schedule(services, clock=clock)
    record_gifts(services.ledger, 1)  # three events
    clock.now += 59
    schedule.tick(services.runner.catch_up())
    assert signed_sizes(services) == []

    clock.now += 1
    schedule.tick(services.runner.catch_up())
    assert signed_sizes(services) == [3]

    # Only the checkpoint was written since: nothing more to sign, however long it waits.
    for _ in range(3):
        clock.now += 600
        schedule.tick(services.runner.catch_up())
    assert signed_sizes(services) == [3]
    assert services.runner.head() == 4

    position = grow(services, 1)
    clock.now += 1
    schedule.tick(position)
    assert signed_sizes(services) == [3, 5]  # more than 60 s since the last one
    position = grow(services, 2)
    clock.now += 30
    schedule.tick(position)
    assert signed_sizes(services) == [3, 5]  # too soon
    clock.now += 30
    schedule.tick(services.runner.catch_up())
    assert signed_sizes(services) == [3, 5, 8]


def test_without_a_key_file_the_schedule_warns_once_and_stops_signing(
    make_services: MakeServices, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    missing = tmp_path / "no-key-here" / "log-signing.key"
    services: Services = make_services(
        checkpoint_every=2, checkpoint_seconds=1, signing_key_path=missing
    )
    clock = Clock()
    schedule = Schedule(services, clock=clock)
    record_gifts(services.ledger, 2)
    with caplog.at_level(logging.WARNING, logger="service.application.checkpoints"):
        clock.now += 100
        schedule.tick(services.runner.catch_up())
        assert schedule.disabled
        schedule.tick(grow(services, 5))
        clock.now += 100
        schedule.tick(services.runner.catch_up())
    warnings = [r for r in caplog.records if r.name == "service.application.checkpoints"]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert "checkpoints are not signed" in warnings[0].getMessage()
    assert str(missing) in warnings[0].getMessage()
    assert signed_sizes(services) == []
    assert not missing.exists()
