"""Fingerprints of requests through the application: each scheme compares with the
request it was made for and no other; a service installed without the personal-data key
keeps plain digests, and its retries still answer."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from service.adapters.personal_data import MasterKey
from service.bootstrap import Services
from service.config import Config
from service.domain.actors import Meta
from service.domain.errors import IdempotencyKeyReused
from service.domain.fingerprints import keyed, same_request
from service.domain.idempotency import RequestRecord
from service.domain.vocabulary import FundKind, Level
from tests.application.test_use_cases import gift
from tests.conftest import ADMIN, treasurer_of


class Keys:
    """Fingerprint keys of one master key, with households' keys that can be destroyed."""

    def __init__(self) -> None:
        self.master = MasterKey.generate()
        self.households: dict[UUID, str] = {}

    def service_fingerprint(self, digest: str) -> str:
        return self.master.fingerprint(digest)

    def household_fingerprint(self, household_id: UUID, digest: str) -> str | None:
        salt = self.households.get(household_id)
        return None if salt is None else self.master.fingerprint(salt + digest)


def test_each_scheme_matches_its_own_request_only() -> None:
    keys, other = Keys(), Keys()
    household = uuid4()
    keys.households[household] = "k"

    by_service = keyed("request-1", keys)
    by_household = keyed("request-1", keys, household)
    without_key = keyed("request-1", keys, uuid4())

    assert by_service.startswith("k1:")
    assert "request-1" not in by_service
    assert by_household.startswith(f"h1:{household}:")
    assert without_key.startswith("k1:")
    assert keyed("request-1", None) == "request-1"
    for stored in (by_service, by_household, "request-1"):
        assert same_request(stored, "request-1", keys) is True
        assert same_request(stored, "request-2", keys) is False
    assert same_request(by_service, "request-1", other) is False
    assert same_request(by_service, "request-1", None) is None
    del keys.households[household]
    assert same_request(by_household, "request-1", keys) is None
    with pytest.raises(IdempotencyKeyReused):
        RequestRecord.answered(
            uuid4(), by_household, {}, Meta.of(ADMIN.actor, "k", None)
        ).replay_if(None)


def test_a_service_without_a_personal_data_key_keeps_plain_digests(
    config: Config, tmp_path: Path
) -> None:
    bare = Services(dataclasses.replace(config, personal_data_key_path=tmp_path / "none.key"))
    try:
        unit = UUID(bare.ledger.register_unit(ADMIN, "Xã", Level.COMMUNE, None, None).body["id"])
        treasurer = treasurer_of(unit)
        fund = UUID(bare.ledger.open_fund(treasurer, unit, "Quỹ", FundKind.FOR_THE_POOR).body["id"])
        keyed_request = dataclasses.replace(treasurer, idempotency_key="k", fingerprint="body-1")
        first = bare.ledger.record_receipt(keyed_request, fund, gift(1_000))
        again = bare.ledger.record_receipt(keyed_request, fund, gift(1_000))
        assert keyed_request.record_id is not None
        record: RequestRecord = bare.ledger.repository.get(keyed_request.record_id)
        with pytest.raises(IdempotencyKeyReused):
            bare.ledger.record_receipt(
                dataclasses.replace(keyed_request, fingerprint="body-2"), fund, gift(2_000)
            )
    finally:
        bare.close()
    assert record.fingerprint == "body-1"
    assert again.replayed
    assert again.body == first.body
