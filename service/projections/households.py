"""Households: each one with its personal data still sealed, its categories over time,
and the blind indexes that find a household registered twice."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from service.adapters.db import Database, Row, Transaction
from service.domain.households import Household, Match, addresses_match
from service.domain.reorganisation import UnitContents
from service.projections import counting, funds, pledges, reorganisation
from service.projections.base import Projection, touch

#: The sealed columns of the households table, by the field they hold.
SEALED = {
    "head_name": "head_name_sealed",
    "address": "address_sealed",
    "cccd": "cccd_sealed",
    "phone": "phone_sealed",
}


class HouseholdsProjection(Projection):
    name = "households"
    tables = ("households", "household_categories", "household_index")

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Events of other aggregates change nothing here."""

    @apply.register
    def _registered(self, event: Household.Registered, position: int, tx: Transaction) -> None:
        household_id = str(event.originator_id)
        tx.execute(
            f"INSERT INTO households (id, unit_id, {', '.join(SEALED.values())}, members_count, "
            "duplicate_of, duplicate_reason, registered_at, registered_by, registered_position, "
            f"position) VALUES (:id, :unit_id, {', '.join(':' + c for c in SEALED.values())}, "
            ":members_count, :duplicate_of, :duplicate_reason, :at, :by, :position, :position)",
            {
                "id": household_id,
                "unit_id": str(event.unit_id),
                **{column: event.sealed.get(name) for name, column in SEALED.items()},
                "members_count": event.members_count,
                "duplicate_of": json.dumps([str(other) for other in event.duplicate_of]),
                "duplicate_reason": event.duplicate_reason,
                "at": event.timestamp.isoformat(),
                "by": event.meta.actor,
                "position": position,
            },
        )
        blind = event.blind
        tokens = [(kind, blind[kind]) for kind in ("name", "name_skeleton") if blind.get(kind)]
        tokens += [("address", word) for word in blind["address"]]
        if blind.get("cccd"):
            tokens.append(("cccd", blind["cccd"]))
        tx.executemany(
            "INSERT INTO household_index (household_id, kind, token) VALUES (:id, :kind, :token) "
            "ON CONFLICT DO NOTHING",
            [{"id": household_id, "kind": kind, "token": token} for kind, token in tokens],
        )

    @apply.register
    def _applied(self, event: Household.CategoryApplied, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO household_categories (household_id, category, since) "
            "VALUES (:id, :category, :since)",
            {
                "id": str(event.originator_id),
                "category": event.category,
                "since": event.since.isoformat(),
            },
        )
        self._touch(tx, event, position)

    @apply.register
    def _ended(self, event: Household.CategoryEnded, position: int, tx: Transaction) -> None:
        tx.execute(
            "UPDATE household_categories SET until = :until WHERE household_id = :id "
            "AND category = :category AND until IS NULL",
            {
                "id": str(event.originator_id),
                "category": event.category,
                "until": event.until.isoformat(),
            },
        )
        self._touch(tx, event, position)

    @apply.register
    def _escaped(self, event: Household.EscapedPoverty, position: int, tx: Transaction) -> None:
        self._touch(tx, event, position, escaped_poverty_on=event.on.isoformat())

    @apply.register
    def _erased(self, event: Household.Erased, position: int, tx: Transaction) -> None:
        # The ciphertext could no longer be opened anyway; the read model keeps none of it,
        # nor the blind indexes that would still match the erased household.
        tx.execute(
            "DELETE FROM household_index WHERE household_id = :id",
            {"id": str(event.originator_id)},
        )
        self._touch(
            tx,
            event,
            position,
            **dict.fromkeys(SEALED.values()),
            erased_at=event.timestamp.isoformat(),
            erasure_reason=event.reason,
        )

    @apply.register
    def _moved(self, event: Household.Moved, position: int, tx: Transaction) -> None:
        self._touch(tx, event, position, unit_id=str(event.unit_id))

    def _touch(self, tx: Transaction, event: Any, position: int, **columns: Any) -> None:
        touch(tx, "households", str(event.originator_id), position, **columns)


_COLUMNS = (
    f"id, unit_id, {', '.join(SEALED.values())}, members_count, escaped_poverty_on, "
    "duplicate_of, duplicate_reason, registered_at, registered_by, registered_position, "
    "erased_at, erasure_reason, position"
)


def get(tx: Transaction, household_id: str) -> Row | None:
    row = tx.one(f"SELECT {_COLUMNS} FROM households WHERE id = :id", {"id": household_id})
    return _with_categories(tx, [row])[0] if row else None


def of_units(
    tx: Transaction,
    *,
    within_unit: str | None,
    category: str | None,
    after_position: int,
    limit: int,
) -> list[Row]:
    """A page of households, oldest registration first; ``within_unit`` limits it to that
    unit and the units below it, ``category`` to households in it now."""
    where = ["registered_position > :after"]
    if within_unit:
        where.append(counting.within_unit())
    if category:
        where.append(
            "id IN (SELECT household_id FROM household_categories "
            "WHERE category = :category AND until IS NULL)"
        )
    rows = tx.all(
        f"SELECT {_COLUMNS} FROM households WHERE {' AND '.join(where)} "
        "ORDER BY registered_position LIMIT :limit",
        {"after": after_position, "within": within_unit, "category": category, "limit": limit},
    )
    return _with_categories(tx, rows)


def _with_categories(tx: Transaction, rows: list[Row]) -> list[Row]:
    for row in rows:
        row["duplicate_of"] = json.loads(row["duplicate_of"])
        row["categories"] = tx.all(
            "SELECT category, since, until FROM household_categories WHERE household_id = :id "
            "ORDER BY since, category",
            {"id": row["id"]},
        )
    return rows


def matches(
    tx: Transaction,
    cccd: str | None,
    name: str,
    address: Sequence[str],
    legacy_name: str | None = None,
) -> list[Match]:
    """Households with the same CCCD, or the same name at an address with most of the same
    words, oldest first. Names compare by their skeleton (``name_skeleton``); a household
    registered before skeletons has only its folded name (``name``), compared with
    ``legacy_name``."""
    found: dict[str, set[str]] = {}
    positions: dict[str, int] = {}

    def indexed(kind: str, token: str, household_id: str | None = None) -> list[Row]:
        rows = tx.all(
            "SELECT i.household_id, i.token, h.registered_position FROM household_index i "
            "JOIN households h ON h.id = i.household_id WHERE i.kind = :kind "
            + ("AND i.household_id = :id" if household_id else "AND i.token = :token"),
            {"kind": kind, "token": token, "id": household_id},
        )
        positions.update({row["household_id"]: row["registered_position"] for row in rows})
        return rows

    if cccd:
        for row in indexed("cccd", cccd):
            found.setdefault(row["household_id"], set()).add("cccd")
    named = indexed("name_skeleton", name)
    if legacy_name:
        named += indexed("name", legacy_name)
    for row in named:
        words = [other["token"] for other in indexed("address", "", row["household_id"])]
        if addresses_match(address, words):
            found.setdefault(row["household_id"], set()).add("name_address")
    return [
        Match(UUID(household_id), tuple(sorted(reasons)))
        for household_id, reasons in sorted(found.items(), key=lambda kv: positions[kv[0]])
    ]


def prior_support(
    tx: Transaction, household_id: str, category: str, year: int, student_key: str | None = None
) -> list[UUID]:
    """The household's entries (and payments awaiting approval) of ``category`` dated in
    ``year``, from any fund, not reversed; with ``student_key``, only that student's."""
    params = {
        "id": household_id,
        "category": category,
        "from": f"{year:04d}-01-01",
        "to": f"{year:04d}-12-31",
        "student": student_key,
    }
    same = "AND student_key = :student " if student_key else ""
    rows = tx.all(
        "SELECT entry_id AS id FROM ledger_entries WHERE household_id = :id "
        "AND kind = 'disbursement' AND category = :category "
        f"AND {counting.counted()} "
        f"AND occurred_on >= :from AND occurred_on <= :to {same}"
        "UNION ALL SELECT pending_id AS id FROM pending_payments WHERE household_id = :id "
        "AND status = 'pending' AND category = :category "
        f"AND occurred_on >= :from AND occurred_on <= :to {same}",
        params,
    )
    return [UUID(row["id"]) for row in rows]


class ReadModelIndex:
    """The case index a write checks against: the read models, brought up to the head of
    the log first, so that what was written before this request is seen."""

    def __init__(self, db: Database, catch_up: Callable[[], None]) -> None:
        self.db = db
        self.catch_up = catch_up

    def household_matches(
        self, cccd: str | None, name: str, address: Sequence[str], legacy_name: str | None = None
    ) -> list[Match]:
        self.catch_up()
        with self.db.transaction() as tx:
            return matches(tx, cccd, name, address, legacy_name)

    def prior_support(
        self, household_id: UUID, category: str, year: int, student_key: str | None = None
    ) -> list[UUID]:
        self.catch_up()
        with self.db.transaction() as tx:
            return prior_support(tx, str(household_id), category, year, student_key)

    def unit_contents(self, unit_id: UUID) -> UnitContents:
        self.catch_up()
        with self.db.transaction() as tx:
            return reorganisation.unit_contents(tx, str(unit_id))

    def books_closed_through(self, unit_ids: Sequence[UUID]) -> date | None:
        self.catch_up()
        with self.db.transaction() as tx:
            return funds.books_closed_through(tx, [str(unit_id) for unit_id in unit_ids])

    def pledge_codes(self, fund_id: UUID) -> set[str]:
        self.catch_up()
        with self.db.transaction() as tx:
            return pledges.codes(tx, str(fund_id))
