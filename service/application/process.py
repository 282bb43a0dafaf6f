"""What the use cases that span the whole process need of it: the application, the
read-model store, the projection runner, the configuration and the log's key.
``service.bootstrap.Services`` is one; tests may pass another."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from service.adapters.db import Database
    from service.adapters.photo_store import PhotoStore
    from service.application import Ledger
    from service.config import Config
    from service.domain.notes import Signer
    from service.projections.runner import ProjectionRunner


class Process(Protocol):
    """The services of one process, as the use cases across them see them."""

    @property
    def config(self) -> Config: ...

    @property
    def ledger(self) -> Ledger: ...

    @property
    def db(self) -> Database: ...

    @property
    def runner(self) -> ProjectionRunner: ...

    @property
    def photos(self) -> PhotoStore: ...

    def signer(self) -> Signer: ...
