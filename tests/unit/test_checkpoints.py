"""Checkpoints as c2sp.org/tlog-checkpoint notes, and the witnesses who cosign them."""

from __future__ import annotations

import base64
import hashlib

import pytest

from service.domain.actors import Meta
from service.domain.checkpoints import Checkpoint, TreeHead, Witness, open_checkpoint
from service.domain.errors import AlreadyCosigned, InvalidInput
from service.domain.notes import COSIGNATURE, ED25519, EM_DASH, Note, NoteError, Signer

LOG = Signer.generate("sovang.example/log")
ROOT = hashlib.sha256(b"root").digest()
ROOT64 = base64.b64encode(ROOT).decode()
META = Meta(actor_id="inspector", actor="Thanh tra", role="inspector", unit_id=None)


def signed(size: int = 42) -> Checkpoint:
    return Checkpoint.sign(TreeHead(LOG.name, size, ROOT), LOG)


# Tree heads ---------------------------------------------------------------------------


def test_a_tree_head_reads_back_what_it_writes() -> None:
    head = TreeHead("sovang.example/log", 1234, ROOT)
    assert head.text == f"sovang.example/log\n1234\n{ROOT64}\n"
    assert TreeHead.parse(head.text) == head
    assert TreeHead.parse(TreeHead("o", 0, bytes(32)).text) == TreeHead("o", 0, bytes(32))


def test_a_tree_head_may_carry_extension_lines_which_it_ignores() -> None:
    assert TreeHead.parse(f"o\n7\n{ROOT64}\nextension\n") == TreeHead("o", 7, ROOT)


@pytest.mark.parametrize(
    "text",
    [
        f"o\n07\n{ROOT64}\n",  # leading zero
        f"o\n00\n{ROOT64}\n",
        f"o\n-7\n{ROOT64}\n",
        f"o\n+7\n{ROOT64}\n",
        f"o\n 7\n{ROOT64}\n",
        f"o\n7.0\n{ROOT64}\n",
        f"o\n\n{ROOT64}\n",
        f"\n7\n{ROOT64}\n",  # no origin
        f"o\n7\n{ROOT64}",  # no final newline
        "o\n7\n",  # no root
        "o\n7\nnot base64!\n",
        f"o\n7\n{ROOT64[:-1]}\n",  # bad padding
        "o\n7\nAAAA\n",  # 3 bytes
        f"o\n7\n{base64.b64encode(ROOT + b'x').decode()}\n",  # 33 bytes
        f"o\n7\n{base64.b64encode(ROOT[:31]).decode()}\n",  # 31 bytes
    ],
)
def test_malformed_tree_heads_are_refused(text: str) -> None:
    with pytest.raises(NoteError):
        TreeHead.parse(text)


# Signing and opening -------------------------------------------------------------------


def test_a_signed_checkpoint_opens_with_the_log_key_and_states_its_head() -> None:
    checkpoint = signed(42)
    assert (checkpoint.tree_size, checkpoint.root_hash) == (42, ROOT64)
    assert checkpoint.id == Checkpoint.id_for(LOG.name, 42)
    assert checkpoint.note == f"{LOG.name}\n42\n{ROOT64}\n\n{LOG.sign(checkpoint.text)}"
    head, note = open_checkpoint(checkpoint.note, LOG.verifier)
    assert head == TreeHead(LOG.name, 42, ROOT)
    assert [s.name for s in note.signatures] == [LOG.name]


def test_a_checkpoint_does_not_open_with_another_key() -> None:
    note = signed().note
    for other in (
        Signer.generate("sovang.example/log"),  # same name, another key
        Signer.generate("other.example/log"),
        Signer("sovang.example/log", LOG.seed, COSIGNATURE),  # same key, as a cosigner
    ):
        with pytest.raises(NoteError, match="không có chữ ký của"):
            open_checkpoint(note, other.verifier)


def test_a_checkpoint_with_a_changed_size_or_root_does_not_open() -> None:
    note = signed(42).note
    for forged in (
        note.replace("\n42\n", "\n43\n"),
        note.replace(ROOT64, base64.b64encode(bytes(32)).decode()),
    ):
        with pytest.raises(NoteError, match="không khớp"):
            open_checkpoint(forged, LOG.verifier)


def test_a_head_signed_by_the_log_key_for_another_origin_is_refused() -> None:
    text = TreeHead("elsewhere.example/log", 5, ROOT).text
    with pytest.raises(NoteError, match="thuộc nhật ký"):
        open_checkpoint(text + "\n" + LOG.sign(text), LOG.verifier)


def test_a_note_signed_by_the_log_that_is_not_a_tree_head_is_refused() -> None:
    text = "sovang.example/log\n\nhello\n"
    with pytest.raises(NoteError):
        open_checkpoint(text + "\n" + LOG.sign(text), LOG.verifier)


# Witnesses ------------------------------------------------------------------------------


def witness(name: str = "thanhtra.quangtri.example/w") -> tuple[Signer, Witness]:
    key = Signer.generate(name, COSIGNATURE)
    return key, Witness.register(str(key.verifier), None, META)


def test_a_registered_witness_cosignature_is_kept_after_the_log_signature() -> None:
    checkpoint = signed()
    key, board = witness()
    line = key.sign(checkpoint.text, 1_760_000_000)
    checkpoint.cosign(board.verifier, line, META)
    assert checkpoint.cosignatures == {board.name: line}
    assert checkpoint.note == checkpoint.log_note + line
    note = Note.parse(checkpoint.note)
    assert [s.name for s in note.signatures] == [LOG.name, board.name]
    assert note.signed_by(LOG.verifier) is not None
    assert note.signed_by(key.verifier) is not None
    event = checkpoint.collect_events()[-1]
    assert isinstance(event, Checkpoint.Cosigned)
    assert (event.witness, event.cosigned_at, event.tree_size) == (board.name, 1_760_000_000, 42)


def test_two_witnesses_cosign_in_the_order_they_came() -> None:
    checkpoint = signed()
    (first_key, first), (second_key, second) = witness("a.example/w"), witness("b.example/w")
    checkpoint.cosign(second.verifier, second_key.sign(checkpoint.text, 2), META)
    checkpoint.cosign(first.verifier, first_key.sign(checkpoint.text, 3), META)
    names = [s.name for s in Note.parse(checkpoint.note).signatures]
    assert names == [LOG.name, "b.example/w", "a.example/w"]


def test_a_forged_cosignature_is_refused() -> None:
    checkpoint = signed()
    key, board = witness()
    raw = base64.b64decode(key.sign(checkpoint.text, 7).split(" ")[2])
    forged = raw[:-1] + bytes([raw[-1] ^ 1])
    line = f"{EM_DASH} {board.name} {base64.b64encode(forged).decode()}\n"
    with pytest.raises(InvalidInput) as refused:
        checkpoint.cosign(board.verifier, line, META)
    assert refused.value.field == "signature"
    assert checkpoint.cosignatures == {}


def test_a_cosignature_over_another_checkpoint_is_refused() -> None:
    key, board = witness()
    line = key.sign(signed(41).text, 7)
    with pytest.raises(InvalidInput, match="không khớp"):
        signed(42).cosign(board.verifier, line, META)


def test_a_line_by_another_key_under_the_witness_name_is_refused() -> None:
    checkpoint = signed()
    _, board = witness("board.example/w")
    impostor = Signer.generate("board.example/w", COSIGNATURE)
    with pytest.raises(InvalidInput, match="không phải của khóa đã đăng ký"):
        checkpoint.cosign(board.verifier, impostor.sign(checkpoint.text, 7), META)
    # The log's own line is not a cosignature either.
    with pytest.raises(InvalidInput):
        checkpoint.cosign(board.verifier, LOG.sign(checkpoint.text), META)
    assert checkpoint.cosignatures == {}


@pytest.mark.parametrize("line", ["", "garbage", f"{EM_DASH} board.example/w !!!\n"])
def test_a_line_that_is_no_signature_is_refused(line: str) -> None:
    _, board = witness("board.example/w")
    with pytest.raises(InvalidInput):
        signed().cosign(board.verifier, line, META)


def test_a_witness_cosigns_a_checkpoint_once() -> None:
    checkpoint = signed()
    key, board = witness()
    checkpoint.cosign(board.verifier, key.sign(checkpoint.text, 1), META)
    with pytest.raises(AlreadyCosigned):
        checkpoint.cosign(board.verifier, key.sign(checkpoint.text, 2), META)
    assert list(checkpoint.cosignatures) == [board.name]
    assert len(Note.parse(checkpoint.note).signatures) == 2


def test_a_witness_registers_a_cosignature_key_under_its_name() -> None:
    key, board = witness("thanhtra.example/w")
    assert board.name == "thanhtra.example/w"
    assert board.id == Witness.id_for("thanhtra.example/w")
    assert board.verifier == key.verifier
    assert board.verifier.kind == COSIGNATURE


def test_a_witness_may_not_register_a_plain_ed25519_key() -> None:
    plain = Signer.generate("thanhtra.example/w", ED25519)
    with pytest.raises(InvalidInput, match="0x04") as refused:
        Witness.register(str(plain.verifier), None, META)
    assert refused.value.field == "verifier_key"


@pytest.mark.parametrize("key", ["", "nonsense", "PRIVATE+KEY+w+00000000+AAAA"])
def test_a_witness_may_not_register_a_malformed_key(key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        Witness.register(key, None, META)
    assert refused.value.field == "verifier_key"


def test_registering_a_witness_key_with_the_private_key_is_refused() -> None:
    key = Signer.generate("w", COSIGNATURE)
    with pytest.raises(InvalidInput):
        Witness.register(str(key), None, META)
