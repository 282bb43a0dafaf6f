"""Checkpoints: signed heads of the log's Merkle tree, and the witnesses who cosign them.

A checkpoint is a c2sp.org/tlog-checkpoint signed note: the log's origin, the tree
size and the base64 root hash, one line each, then a blank line and the
signatures: the service's own first, then any witness's cosignature. Checkpoints
are events of the log themselves, so deleting one later is found like any change.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, cast
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, AggregateCreated, AggregateEvent

from service.domain.actors import Meta
from service.domain.errors import AlreadyCosigned, InvalidInput
from service.domain.notes import COSIGNATURE, Note, NoteError, Signer, Verifier, parse_signature

_NAMESPACE = uuid5(NAMESPACE_URL, "https://sovang.vn/checkpoints")


@dataclass(frozen=True)
class TreeHead:
    """What a checkpoint states: the log named ``origin`` had ``size`` leaves and this root."""

    origin: str
    size: int
    root: bytes

    @property
    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"

    @classmethod
    def parse(cls, text: str) -> TreeHead:
        lines = text.split("\n")
        if len(lines) < 4 or not lines[0] or not lines[1].isdigit():
            raise NoteError(
                "Điểm kiểm tra phải gồm: tên nhật ký, kích thước cây, mã băm gốc dạng base64."
            )
        if lines[1] != str(int(lines[1])):
            raise NoteError("Kích thước cây của điểm kiểm tra không được có số 0 ở đầu.")
        try:
            root = base64.b64decode(lines[2], validate=True)
        except (binascii.Error, ValueError):
            raise NoteError("Mã băm gốc của điểm kiểm tra không phải base64.") from None
        if len(root) != 32:
            raise NoteError("Mã băm gốc của điểm kiểm tra phải dài 32 byte.")
        return cls(lines[0], int(lines[1]), root)


def open_checkpoint(note: str, log: Verifier) -> tuple[TreeHead, Note]:
    """Reads a checkpoint and checks the log's signature on it; raises NoteError."""
    parsed = Note.parse(note)
    if parsed.signed_by(log) is None:
        raise NoteError(f"Điểm kiểm tra không có chữ ký của {log.name}.")
    head = TreeHead.parse(parsed.text)
    if head.origin != log.name:
        raise NoteError(f"Điểm kiểm tra thuộc nhật ký {head.origin!r}, không phải {log.name!r}.")
    return head, parsed


class Checkpoint(Aggregate):
    """One signed tree head; witnesses add their cosignatures to it."""

    class Signed(AggregateCreated):
        tree_size: int
        root_hash: str
        note: str

    class Cosigned(AggregateEvent):
        tree_size: int
        witness: str
        signature: str
        cosigned_at: int
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            checkpoint = cast(Checkpoint, aggregate)
            checkpoint.cosignatures[self.witness] = self.signature

    def __init__(self, tree_size: int, root_hash: str, note: str) -> None:
        self.tree_size = tree_size
        self.root_hash = root_hash
        self.log_note = note
        self.cosignatures: dict[str, str] = {}

    @staticmethod
    def id_for(origin: str, tree_size: int) -> UUID:
        return uuid5(_NAMESPACE, f"{origin}\n{tree_size}")

    @classmethod
    def sign(cls, head: TreeHead, log: Signer) -> Checkpoint:
        return cls._create(
            cls.Signed,
            id=cls.id_for(head.origin, head.size),
            tree_size=head.size,
            root_hash=base64.b64encode(head.root).decode(),
            note=head.text + "\n" + log.sign(head.text),
        )

    @property
    def text(self) -> str:
        return Note.parse(self.log_note).text

    @property
    def note(self) -> str:
        """The signed note: the log's signature first, then each witness's."""
        return self.log_note + "".join(self.cosignatures.values())

    def cosign(self, witness: Verifier, line: str, meta: Meta) -> None:
        """Adds a witness's cosignature, after checking it over this checkpoint."""
        try:
            signature = parse_signature(line)
            if not signature.by(witness):
                raise NoteError(f"Chữ ký không phải của khóa đã đăng ký cho {witness.name}.")
            cosigned_at = witness.verify(self.text, signature.signature)
        except NoteError as error:
            raise InvalidInput("signature", str(error)) from None
        if witness.name in self.cosignatures:
            raise AlreadyCosigned(
                f"{witness.name} đã ký xác nhận điểm kiểm tra này rồi; không cần ký lại.",
                witness=witness.name,
            )
        self.trigger_event(
            self.Cosigned,
            tree_size=self.tree_size,
            witness=witness.name,
            signature=signature.line,
            cosigned_at=cosigned_at or 0,
            meta=meta,
        )


class Witness(Aggregate):
    """A board's (or an outside witness's) public key, registered to cosign checkpoints."""

    class Registered(AggregateCreated):
        name: str
        verifier_key: str
        unit_id: UUID | None
        meta: Meta

    def __init__(self, name: str, verifier_key: str, unit_id: UUID | None, meta: Meta) -> None:
        self.name = name
        self.verifier_key = verifier_key
        self.unit_id = unit_id

    @staticmethod
    def id_for(name: str) -> UUID:
        return uuid5(_NAMESPACE, f"witness\n{name}")

    @classmethod
    def register(cls, verifier_key: str, unit_id: UUID | None, meta: Meta) -> Witness:
        try:
            verifier = Verifier.parse(verifier_key)
        except NoteError as error:
            raise InvalidInput("verifier_key", str(error)) from None
        if verifier.kind != COSIGNATURE:
            raise InvalidInput(
                "verifier_key",
                "Bên chứng kiến phải ký bằng khóa cosignature/v1 (loại 0x04); "
                "hãy tạo khóa bằng lệnh `sovang audit witness-keygen`.",
            )
        return cls._create(
            cls.Registered,
            id=cls.id_for(verifier.name),
            name=verifier.name,
            verifier_key=str(verifier),
            unit_id=unit_id,
            meta=meta,
        )

    @property
    def verifier(self) -> Verifier:
        return Verifier.parse(self.verifier_key)
