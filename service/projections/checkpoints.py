"""The log's checkpoints, their cosignatures, and the witnesses' keys."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from service.adapters.db import Row, Transaction
from service.domain.checkpoints import Checkpoint, Witness
from service.projections.base import Projection, text_id


class CheckpointsProjection(Projection):
    name = "checkpoints"
    tables = ("checkpoints", "checkpoint_cosignatures", "witnesses")

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Events of other aggregates change nothing here."""

    @apply.register
    def _signed(self, event: Checkpoint.Signed, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO checkpoints (tree_size, root_hash, note, made_at, position) "
            "VALUES (:size, :root, :note, :at, :position)",
            {
                "size": event.tree_size,
                "root": event.root_hash,
                "note": event.note,
                "at": event.timestamp.isoformat(),
                "position": position,
            },
        )

    @apply.register
    def _cosigned(self, event: Checkpoint.Cosigned, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO checkpoint_cosignatures (tree_size, witness, signature, cosigned_at, "
            "position) VALUES (:size, :witness, :signature, :at, :position)",
            {
                "size": event.tree_size,
                "witness": event.witness,
                "signature": event.signature,
                "at": event.cosigned_at,
                "position": position,
            },
        )

    @apply.register
    def _witness(self, event: Witness.Registered, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO witnesses (name, verifier_key, unit_id, registered_at, position) "
            "VALUES (:name, :key, :unit_id, :at, :position)",
            {
                "name": event.name,
                "key": event.verifier_key,
                "unit_id": text_id(event.unit_id),
                "at": event.timestamp.isoformat(),
                "position": position,
            },
        )


def latest(tx: Transaction) -> Row | None:
    return tx.one(
        "SELECT tree_size, root_hash, note, made_at FROM checkpoints "
        "ORDER BY tree_size DESC LIMIT 1"
    )


def covering(tx: Transaction, position: int) -> Row | None:
    """The latest checkpoint, if its tree includes the event at ``position``."""
    row = latest(tx)
    return row if row is not None and int(row["tree_size"]) >= position else None


def first_covering(tx: Transaction, position: int) -> Row | None:
    """The earliest checkpoint whose tree includes the event at ``position``: once one
    exists, the same for every later reader."""
    return tx.one(
        "SELECT tree_size, root_hash, note, made_at FROM checkpoints WHERE tree_size >= :size "
        "ORDER BY tree_size LIMIT 1",
        {"size": position},
    )


def of_size(tx: Transaction, tree_size: int) -> Row | None:
    return tx.one(
        "SELECT tree_size, root_hash, note, made_at FROM checkpoints WHERE tree_size = :size",
        {"size": tree_size},
    )


def cosigned_note(tx: Transaction, checkpoint: Row | dict[str, Any]) -> str:
    """The checkpoint's note with every witness's cosignature, in the order received."""
    lines = tx.all(
        "SELECT signature FROM checkpoint_cosignatures WHERE tree_size = :size ORDER BY position",
        {"size": checkpoint["tree_size"]},
    )
    return str(checkpoint["note"]) + "".join(row["signature"] for row in lines)


def cosignatures(tx: Transaction, tree_size: int) -> list[Row]:
    """The witnesses who cosigned the checkpoint of ``tree_size``, and when (Unix time)."""
    return tx.all(
        "SELECT witness, cosigned_at FROM checkpoint_cosignatures WHERE tree_size = :size "
        "ORDER BY position",
        {"size": tree_size},
    )


def page(tx: Transaction, *, after_size: int, limit: int) -> list[Row]:
    return tx.all(
        "SELECT tree_size, root_hash, note, made_at FROM checkpoints "
        "WHERE tree_size > :after ORDER BY tree_size LIMIT :limit",
        {"after": after_size, "limit": limit},
    )


def witnesses(tx: Transaction) -> list[Row]:
    return tx.all("SELECT name, verifier_key, unit_id, position FROM witnesses ORDER BY name")
