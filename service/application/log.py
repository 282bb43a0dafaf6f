"""The log's checkpoints: signed tree heads, the witnesses registered to cosign them,
and their cosignatures."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from service.application.answers import witness_body
from service.application.core import LedgerCore
from service.application.engine import Changes, Request, Written
from service.application.loading import find
from service.application.roles import AUDITORS
from service.domain.actors import Meta
from service.domain.checkpoints import Checkpoint, TreeHead, Witness
from service.domain.errors import AlreadyRegistered, Forbidden, InvalidInput, NotFound
from service.domain.notes import NoteError, parse_signature
from service.domain.vocabulary import Role
from service.domain.words import word


class LogUseCases(LedgerCore):
    """The use cases of the log's checkpoints."""

    def sign_checkpoint(self, size: int, root: bytes) -> Checkpoint:
        """Signs the tree head of ``size`` leaves; signing the same size again gives the
        checkpoint already made."""
        head = TreeHead(self.log_signer.name, size, root)
        checkpoint = Checkpoint.sign(head, self.log_signer)
        try:
            self.save(checkpoint)
        except IntegrityError:
            return self.checkpoint(size)
        return checkpoint

    def checkpoint(self, tree_size: int) -> Checkpoint:
        checkpoint_id = Checkpoint.id_for(self.log_signer.name, tree_size)
        checkpoint = find(self.repository, checkpoint_id, Checkpoint)
        if checkpoint is None:
            raise NotFound(f"Chưa có điểm kiểm tra nào với kích thước cây {tree_size}.")
        return checkpoint

    def register_witness(
        self, request: Request, verifier_key: str, unit_id: UUID | None
    ) -> Written:
        def register(meta: Meta, today: date) -> Changes:
            path = self._unit(unit_id, field="unit_id").path if unit_id else []
            if unit_id is None and request.actor.role is not Role.ADMIN:
                raise InvalidInput("unit_id", "Hãy chọn đơn vị có ban giữ khóa này.")
            request.actor.require(AUDITORS, path, "đăng ký bên chứng kiến")
            witness = Witness.register(verifier_key, unit_id, meta)
            if find(self.repository, witness.id, Witness) is not None:
                raise AlreadyRegistered(
                    f"Đã có bên chứng kiến tên {witness.name}. Hãy dùng tên khác.",
                    name=witness.name,
                )
            return Changes([witness], witness_body(witness))

        return self._write(request, register)

    def cosign_checkpoint(self, request: Request, tree_size: int, signature: str) -> Written:
        def cosign(meta: Meta, today: date) -> Changes:
            if request.actor.role not in AUDITORS:
                raise Forbidden(
                    f"Mã truy cập có vai trò “{word(request.actor.role)}” không được ký xác nhận "
                    "điểm kiểm tra."
                )
            checkpoint = self.checkpoint(tree_size)
            try:
                name = parse_signature(signature).name
            except NoteError as error:
                raise InvalidInput("signature", str(error)) from None
            witness = find(self.repository, Witness.id_for(name), Witness)
            if witness is None:
                raise InvalidInput(
                    "signature",
                    f"Chưa có bên chứng kiến nào tên {name} được đăng ký. Hãy đăng ký trước.",
                )
            checkpoint.cosign(witness.verifier, signature, meta)
            return Changes(
                [checkpoint],
                {"tree_size": tree_size, "witness": witness.name, "checkpoint": checkpoint.note},
            )

        return self._write(request, cosign)
