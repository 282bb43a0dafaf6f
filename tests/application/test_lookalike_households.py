"""A household registered before names were compared by their skeleton keeps the folded
name index it was stored with: a later registration of the same name, typed the same or
with a Cyrillic look-alike, is still found as its duplicate."""

from __future__ import annotations

import json
from uuid import UUID

import pytest

from service.application import Ledger
from service.bootstrap import Services
from service.domain.errors import PossibleDuplicate
from service.domain.households import PersonalData, fold
from service.domain.vocabulary import Level
from tests.conftest import ADMIN, treasurer_of

REGISTERED = "service.domain.households:Household.Registered"
NAME = "Phạm Thị Lan"
ADDRESS = "Thôn Tân Lập, xã Vĩnh Linh"


def _as_before_skeletons(services: Services, store: str) -> int:
    """Rewrites every stored registration as the service stored it before skeletons: the
    name's blind index folded (diacritics gone), under the kind ``name``."""
    table, position = (
        ("stored_events", "rowid") if store == "sqlite" else ("sovang_events", "notification_id")
    )
    legacy = services.keyring().blind("name", fold(NAME))
    with services.db.transaction(write=True) as tx:
        rows = tx.all(
            f"SELECT {position} AS position, state FROM {table} WHERE topic = :topic",
            {"topic": REGISTERED},
        )
        for row in rows:
            state = json.loads(bytes(row["state"]))
            del state["blind"]["name_skeleton"]
            state["blind"]["name"] = legacy
            tx.execute(
                f"UPDATE {table} SET state = :state WHERE {position} = :position",
                {"state": json.dumps(state).encode(), "position": row["position"]},
            )
    return len(rows)


@pytest.mark.parametrize(
    "typed", [NAME, "PHẠM THỊ LAN", "Phạm Thị Lаn"], ids=["same", "capitals", "cyrillic-a"]
)
def test_a_household_indexed_before_skeletons_is_still_found_as_a_duplicate(
    services: Services, ledger: Ledger, store: str, typed: str
) -> None:
    unit = UUID(ledger.register_unit(ADMIN, "Xã Cũ", Level.COMMUNE, None, None).body["id"])
    treasurer = treasurer_of(unit)
    first = ledger.register_household(treasurer, unit, PersonalData.of(NAME, ADDRESS), 3)
    assert _as_before_skeletons(services, store) == 1
    services.runner.rebuild(["households"])
    with services.db.transaction() as tx:
        kinds = {row["kind"] for row in tx.all("SELECT kind FROM household_index")}
    assert kinds == {"name", "address"}

    with pytest.raises(PossibleDuplicate) as refused:
        ledger.register_household(treasurer, unit, PersonalData.of(typed, ADDRESS), 3)

    assert refused.value.extra["candidates"] == [
        {"household_id": first.body["id"], "matched_on": ["name_address"]}
    ]
