"""The `log_tree` projection (each stored event a leaf of the log's Merkle tree, only
complete subtrees kept) and the `checkpoints` projection (signed tree heads, the
witnesses' keys and their cosignatures)."""

from __future__ import annotations

import base64

import pytest

from service.application.checkpoints import sign_checkpoint
from service.bootstrap import Services
from service.domain import merkle
from service.domain.errors import Conflict
from service.domain.notes import COSIGNATURE, Note, Signer
from service.projections.checkpoints import CheckpointsProjection
from service.projections.log import LogTreeProjection, Tree, leaf_of
from tests.conftest import ADMIN
from tests.projections.conftest import Commune, one, replay, rows


def leaves(services: Services) -> list[bytes]:
    """The leaf of every stored event, computed from the event store."""
    return [leaf_of(n) for n in services.ledger.recorder.select_notifications(start=1, limit=100)]


def test_every_stored_event_is_a_leaf_and_only_complete_subtrees_are_stored(
    services: Services, commune: Commune
) -> None:
    for amount in (1_000_000, 2_000_000, 3_000_000, 4_000_000):
        commune.receive(amount)
    expected = leaves(services)
    assert len(expected) == 6  # the unit, the fund and four receipts

    replay(services, LogTreeProjection())

    nodes = rows(services, "SELECT level, idx, hash FROM log_nodes ORDER BY level, idx")
    assert [(n["level"], n["idx"]) for n in nodes] == [
        *((0, i) for i in range(6)),
        (1, 0),
        (1, 1),
        (1, 2),
        (2, 0),
    ]
    assert [bytes(n["hash"]) for n in nodes if n["level"] == 0] == expected
    with services.db.transaction() as tx:
        tree = Tree(tx)
        assert tree.size() == 6
        assert [tree.root(size) for size in (1, 5, 6)] == [
            merkle.root(expected[:size]) for size in (1, 5, 6)
        ]


def test_the_tree_is_the_same_fed_one_event_a_page(services: Services, commune: Commune) -> None:
    for amount in (1_000_000, 2_000_000, 3_000_000):
        commune.receive(amount)
    replay(services, LogTreeProjection())
    whole = rows(services, "SELECT level, idx, hash FROM log_nodes ORDER BY level, idx")

    replay(services, LogTreeProjection(), page_size=1)

    assert rows(services, "SELECT level, idx, hash FROM log_nodes ORDER BY level, idx") == whole


def test_a_checkpoint_a_witness_and_its_cosignature_are_rows(
    services: Services, commune: Commune
) -> None:
    commune.receive(1_000_000)
    board = Signer.generate("thanhtra.xamau.example/w", COSIGNATURE)
    services.ledger.register_witness(ADMIN, str(board.verifier), commune.unit)
    checkpoint = sign_checkpoint(services)
    line = board.sign(Note.parse(checkpoint.log_note).text, 1_760_000_000)
    services.ledger.cosign_checkpoint(ADMIN, checkpoint.tree_size, line)

    position = replay(services, CheckpointsProjection())

    witness = one(services, "SELECT * FROM witnesses")
    assert (witness["name"], witness["verifier_key"], witness["unit_id"]) == (
        board.name,
        str(board.verifier),
        str(commune.unit),
    )
    signed = one(services, "SELECT * FROM checkpoints")
    assert (signed["tree_size"], signed["note"]) == (4, checkpoint.log_note)
    with services.db.transaction() as tx:
        assert base64.b64decode(signed["root_hash"]) == Tree(tx).root(4)
    assert signed["position"] == 5  # the checkpoint covers every event before its own
    cosigned = one(services, "SELECT * FROM checkpoint_cosignatures")
    assert (cosigned["tree_size"], cosigned["witness"], cosigned["signature"]) == (
        4,
        board.name,
        line,
    )
    assert (cosigned["cosigned_at"], cosigned["position"]) == (1_760_000_000, position)


def test_an_empty_log_is_not_signed_and_the_refusal_says_when_to_sign(
    services: Services,
) -> None:
    with pytest.raises(Conflict) as refused:
        sign_checkpoint(services)
    assert refused.value.detail == (
        "Nhật ký chưa có sự kiện nào; chưa có gì để ký. Hãy ký sau khi đã ghi giao dịch đầu tiên."
    )
