"""Signed notes (c2sp.org/signed-note): text followed by one signature line per signer.

The log signs its checkpoints with an Ed25519 key (signature type 0x01); witnesses
cosign them with timestamped Ed25519 cosignatures (type 0x04,
c2sp.org/tlog-cosignature). Keys travel in the reference implementation's text
forms, so that existing tools read them:

- signer key:   ``PRIVATE+KEY+<name>+<key id, hex>+<base64(type || 32-byte seed)>``
- verifier key: ``<name>+<key id, hex>+<base64(type || 32-byte public key)>``
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = 0x01
COSIGNATURE = 0x04
EM_DASH = "\u2014"
#: A note with more signatures than this is refused unread.
MAX_SIGNATURES = 100


class NoteError(ValueError):
    """A key or a note that is malformed, or a signature that does not verify."""


def key_id(name: str, kind: int, public_key: bytes) -> bytes:
    """The four bytes that name a key in signature lines."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([kind]) + public_key).digest()[:4]


def _check_name(name: str) -> str:
    if not name or any(c.isspace() or c == "+" for c in name):
        raise NoteError("Tên khóa không được để trống, không có dấu cách hay dấu '+'.")
    return name


def _decode(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise NoteError("Đây không phải chuỗi base64 hợp lệ.") from None


@dataclass(frozen=True)
class Verifier:
    """A public key that checks one signer's signature lines."""

    name: str
    kind: int
    public_key: bytes

    @property
    def id(self) -> bytes:
        return key_id(self.name, self.kind, self.public_key)

    @classmethod
    def parse(cls, text: str) -> Verifier:
        parts = text.strip().split("+", 2)
        if len(parts) != 3:
            raise NoteError("Khóa kiểm tra phải có dạng <tên>+<mã khóa>+<khóa base64>.")
        name, hex_id, encoded = parts
        raw = _decode(encoded)
        if len(raw) != 33 or raw[0] not in (ED25519, COSIGNATURE):
            raise NoteError("Chỉ nhận khóa Ed25519 (loại 0x01 hoặc 0x04).")
        verifier = cls(_check_name(name), raw[0], raw[1:])
        if verifier.id.hex() != hex_id.lower() or len(hex_id) != 8:
            raise NoteError("Mã khóa không khớp với khóa.")
        return verifier

    def __str__(self) -> str:
        encoded = base64.b64encode(bytes([self.kind]) + self.public_key).decode()
        return f"{self.name}+{self.id.hex()}+{encoded}"

    def verify(self, text: str, signature: bytes) -> int | None:
        """Checks a signature (without its key id) over the note text.

        Returns the cosignature's timestamp for a cosigner, None for a plain signer;
        raises NoteError when the signature does not verify.
        """
        message, timestamp, raw = text.encode(), None, signature
        if self.kind == COSIGNATURE:
            if len(signature) != 8 + 64:
                raise NoteError(f"Chữ ký xác nhận của {self.name} có độ dài sai.")
            timestamp, raw = int.from_bytes(signature[:8], "big"), signature[8:]
            message = _cosigned_message(text, timestamp)
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(raw, message)
        except InvalidSignature:
            raise NoteError(f"Chữ ký của {self.name} không khớp.") from None
        return timestamp


@dataclass(frozen=True)
class Signer:
    """A private Ed25519 key with its name: the log's key, or a witness's."""

    name: str
    seed: bytes
    kind: int = ED25519

    @classmethod
    def generate(cls, name: str, kind: int = ED25519) -> Signer:
        seed = Ed25519PrivateKey.generate().private_bytes_raw()
        return cls(_check_name(name), seed, kind)

    @classmethod
    def parse(cls, text: str) -> Signer:
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("Khóa ký phải có dạng PRIVATE+KEY+<tên>+<mã khóa>+<khóa base64>.")
        name, hex_id, encoded = parts[2:]
        raw = _decode(encoded)
        if len(raw) != 33 or raw[0] not in (ED25519, COSIGNATURE):
            raise NoteError("Chỉ nhận khóa Ed25519 (loại 0x01 hoặc 0x04).")
        signer = cls(_check_name(name), raw[1:], raw[0])
        if signer.verifier.id.hex() != hex_id.lower() or len(hex_id) != 8:
            raise NoteError("Mã khóa không khớp với khóa.")
        return signer

    def __str__(self) -> str:
        encoded = base64.b64encode(bytes([self.kind]) + self.seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.id.hex()}+{encoded}"

    @property
    def verifier(self) -> Verifier:
        public = self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return Verifier(self.name, self.kind, public)

    @property
    def _key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    def sign(self, text: str, timestamp: int | None = None) -> str:
        """The signature line of this key over ``text``; a cosigner needs a timestamp."""
        if self.kind == COSIGNATURE:
            if timestamp is None:
                raise NoteError("Chữ ký xác nhận cần có thời điểm ký.")
            signed = timestamp.to_bytes(8, "big") + self._key.sign(
                _cosigned_message(text, timestamp)
            )
        else:
            signed = self._key.sign(text.encode())
        encoded = base64.b64encode(self.verifier.id + signed).decode()
        return f"{EM_DASH} {self.name} {encoded}\n"


@dataclass(frozen=True)
class Signature:
    """One signature line of a note."""

    name: str
    key_id: bytes
    signature: bytes

    @property
    def line(self) -> str:
        encoded = base64.b64encode(self.key_id + self.signature).decode()
        return f"{EM_DASH} {self.name} {encoded}\n"

    def by(self, verifier: Verifier) -> bool:
        return self.name == verifier.name and self.key_id == verifier.id


@dataclass(frozen=True)
class Note:
    """A note's text (ending in a newline) and its signatures, in order."""

    text: str
    signatures: tuple[Signature, ...]

    @classmethod
    def parse(cls, note: str) -> Note:
        if any(ord(c) < 0x20 and c != "\n" for c in note):
            raise NoteError("Bản ghi không được chứa ký tự điều khiển, trừ dấu xuống dòng.")
        text, separator, block = note.rpartition("\n\n")
        if not separator or not block.endswith("\n"):
            raise NoteError("Bản ghi gồm phần nội dung, một dòng trống, rồi các dòng chữ ký.")
        lines = block[:-1].split("\n")
        if len(lines) > MAX_SIGNATURES:
            raise NoteError(f"Bản ghi chỉ được mang tối đa {MAX_SIGNATURES} chữ ký.")
        return cls(text + "\n", tuple(parse_signature(line) for line in lines))

    def __str__(self) -> str:
        return self.text + "\n" + "".join(s.line for s in self.signatures)

    def signed_by(self, verifier: Verifier) -> Signature | None:
        """The signature of ``verifier`` on this note, checked; None if it has none."""
        for signature in self.signatures:
            if signature.by(verifier):
                verifier.verify(self.text, signature.signature)
                return signature
        return None


def parse_signature(line: str) -> Signature:
    """Reads one signature line (with or without its final newline)."""
    parts = line.rstrip("\n").split(" ")
    if len(parts) != 3 or parts[0] != EM_DASH:
        raise NoteError("Dòng chữ ký phải có dạng '\u2014 <tên khóa> <chữ ký base64>'.")
    raw = _decode(parts[2])
    if len(raw) < 5:
        raise NoteError("Chữ ký quá ngắn.")
    return Signature(_check_name(parts[1]), raw[:4], raw[4:])


def _cosigned_message(text: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n{text}".encode()
