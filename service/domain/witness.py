"""A witness that cosigns a log's checkpoints only as the log grows: c2sp.org/tlog-witness.

A witness keeps, for each log it follows (by origin), the latest checkpoint it cosigned.
It cosigns a new checkpoint only with a consistency proof (RFC 6962) from that one, so a
log cannot show two histories (a split view) and have both cosigned. Requests and
answers are those of the protocol's ``add-checkpoint`` call, so that a log can ask any
witness that speaks it, and existing tools can ask this one:

    old <size of the witness's latest checkpoint>
    <zero or more base64 hashes of the consistency proof, one a line>
    <empty line>
    <the checkpoint, a signed note>

A monitor follows a log the same way, without signing: every checkpoint it sees must be
consistent with the previous one, or the two signed checkpoints prove a fork.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from service.domain import merkle
from service.domain.checkpoints import TreeHead
from service.domain.notes import Note, NoteError, Signer, Verifier

#: The protocol allows no more proof lines than this.
MAX_PROOF_LINES = 63
#: The media type of a 409 answer's body: the witness's latest size.
SIZE_MEDIA_TYPE = "text/x.tlog.size"


class WitnessRefusal(Exception):
    """The witness does not cosign: ``status`` is the protocol's HTTP status."""

    def __init__(self, status: int, detail: str, *, latest_size: int | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.latest_size = latest_size

    @property
    def split_view(self) -> bool:
        """Whether the refused checkpoint, validly signed, contradicts the witness's own:
        evidence that the log shows two histories."""
        return self.status == 422 or (self.status == 409 and self.latest_size is None)


@dataclass(frozen=True)
class AddCheckpoint:
    """An ``add-checkpoint`` request body."""

    old_size: int
    proof: tuple[bytes, ...]
    checkpoint: str

    @classmethod
    def parse(cls, body: str) -> AddCheckpoint:
        head, separator, checkpoint = body.partition("\n\n")
        lines = head.split("\n")
        if not separator or not lines[0].startswith("old "):
            raise WitnessRefusal(
                400,
                "Yêu cầu add-checkpoint gồm dòng 'old N', các dòng băm, một dòng trống, "
                "rồi checkpoint.",
            )
        size = lines[0][len("old ") :]
        if not size.isdigit() or size != str(int(size)):
            raise WitnessRefusal(400, "Dòng 'old' phải là một số thập phân không có số 0 ở đầu.")
        if len(lines) - 1 > MAX_PROOF_LINES:
            raise WitnessRefusal(400, f"Bằng chứng nhất quán có quá {MAX_PROOF_LINES} dòng.")
        try:
            proof = tuple(base64.b64decode(line, validate=True) for line in lines[1:])
        except (binascii.Error, ValueError):
            raise WitnessRefusal(400, "Một dòng của bằng chứng không phải base64.") from None
        return cls(int(size), proof, checkpoint)

    def __str__(self) -> str:
        proof = "".join(base64.b64encode(h).decode() + "\n" for h in self.proof)
        return f"old {self.old_size}\n{proof}\n{self.checkpoint}"


@dataclass(frozen=True)
class Cosigned:
    """The latest checkpoint a witness (or a monitor) accepted for one log."""

    size: int
    root: bytes
    checkpoint: str

    def to_json(self) -> dict[str, Any]:
        return {
            "size": self.size,
            "root": base64.b64encode(self.root).decode(),
            "checkpoint": self.checkpoint,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Cosigned:
        return cls(int(data["size"]), base64.b64decode(data["root"]), str(data["checkpoint"]))


def read_state(text: str) -> dict[str, Cosigned]:
    """A witness's or monitor's state file: the latest checkpoint of each log, by origin."""
    if not text.strip():
        return {}
    data = json.loads(text)
    return {origin: Cosigned.from_json(value) for origin, value in data["logs"].items()}


def write_state(state: dict[str, Cosigned]) -> str:
    logs = {origin: value.to_json() for origin, value in sorted(state.items())}
    return json.dumps({"logs": logs}, ensure_ascii=False, indent=2) + "\n"


def open_signed(checkpoint: str, log_keys: Sequence[Verifier]) -> TreeHead:
    """The tree head of a checkpoint signed by one of ``log_keys`` for its origin; the
    protocol's 404 for an unknown origin, 403 with no valid signature, 400 if malformed."""
    try:
        note = Note.parse(checkpoint)
    except NoteError as error:
        raise WitnessRefusal(400, f"Checkpoint không đọc được: {error}") from None
    origin = note.text.split("\n", 1)[0]
    trusted = [key for key in log_keys if key.name == origin]
    if not trusted:
        raise WitnessRefusal(404, f"Nhân chứng không theo dõi sổ {origin!r}.")
    signed = False
    for key in trusted:
        try:
            signed = signed or note.signed_by(key) is not None
        except NoteError:
            continue
    if not signed:
        raise WitnessRefusal(403, f"Checkpoint không có chữ ký hợp lệ của sổ {origin}.")
    try:
        return TreeHead.parse(note.text)
    except NoteError as error:
        raise WitnessRefusal(400, f"Checkpoint không đọc được: {error}") from None


def check_growth(
    latest: Cosigned | None, head: TreeHead, old_size: int, proof: Sequence[bytes]
) -> None:
    """The protocol's checks of a new head against the latest accepted one."""
    if old_size > head.size:
        raise WitnessRefusal(
            400, f"Kích thước cũ {old_size} lớn hơn kích thước checkpoint {head.size}."
        )
    known = latest.size if latest is not None else 0
    if old_size != known:
        raise WitnessRefusal(
            409,
            f"Nhân chứng đã ký checkpoint kích thước {known}, không phải {old_size}: "
            f"gửi lại với 'old {known}' và bằng chứng nhất quán từ kích thước đó.",
            latest_size=known,
        )
    if latest is None:
        if proof:
            raise WitnessRefusal(422, "Từ kích thước 0, bằng chứng nhất quán phải rỗng.")
        return
    if old_size == head.size:
        if latest.root != head.root or proof:
            raise WitnessRefusal(
                409,
                f"Hai checkpoint cùng kích thước {head.size} có gốc khác nhau: sổ đang cho "
                "thấy hai lịch sử (split view).",
            )
        return
    if not merkle.verify_consistency(old_size, head.size, latest.root, head.root, proof):
        raise WitnessRefusal(
            422,
            f"Bằng chứng nhất quán từ kích thước {old_size} đến {head.size} không khớp: "
            "checkpoint mới không phải phần nối dài của checkpoint đã ký; sổ có thể đang "
            "cho thấy hai lịch sử (split view).",
        )


def add_checkpoint(
    request: AddCheckpoint,
    log_keys: Sequence[Verifier],
    state: dict[str, Cosigned],
    witness: Signer,
    now: int,
) -> tuple[str, Cosigned]:
    """Checks a request as c2sp.org/tlog-witness says and cosigns it: returns the
    cosignature line and the witness's new latest checkpoint for that log (which the
    caller persists, atomically with the check, before answering)."""
    head = open_signed(request.checkpoint, log_keys)
    check_growth(state.get(head.origin), head, request.old_size, request.proof)
    text = Note.parse(request.checkpoint).text
    return witness.sign(text, now), Cosigned(head.size, head.root, request.checkpoint)
