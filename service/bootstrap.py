"""The composition root: the application, the stores and the projection runner of one
process, built from the configuration. The API, the pages and the CLI each start here."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from uuid import UUID

from argon2 import PasswordHasher

from service import projections
from service.adapters import keyfiles, personal_data, signing
from service.adapters.db import Database, StoreUrl, standby_url
from service.adapters.fund_locks import FundLocks
from service.adapters.personal_data import Keyring
from service.adapters.photo_store import FilesystemPhotoStore, PhotoStore
from service.adapters.throttle import SharedCount, TooManyFailures
from service.adapters.token_cache import TokenCache
from service.application import Ledger
from service.config import Config
from service.domain.notes import Signer
from service.projections import audit as audit_view
from service.projections.households import ReadModelIndex
from service.projections.runner import ProjectionRunner


class Services:
    """The application, the read-model store and the projection runner of one process.

    Built lazily, and again after a fork, so that no two processes share a pool
    of connections (gunicorn workers each build their own).
    """

    def __init__(self, config: Config) -> None:
        self.config = config
        self.url = StoreUrl.parse(config.database_url)
        #: Where public pages, statements, exports and reports are read: a hot standby
        #: (SOVANG_READ_DATABASE_URL), or the primary itself.
        self.read_url = standby_url(config.read_database_url, self.url)
        self._pid = -1
        self._lock = threading.Lock()
        self._ledger: Ledger | None = None
        self._fund_locks: FundLocks | None = None
        self._db: Database | None = None
        self._token_cache: TokenCache | None = None
        self._runner: ProjectionRunner | None = None
        self._signer: Signer | None = None

        #: The wall clock of sessions and shared counts (tests may turn it).
        self.clock: Callable[[], float] = time.time
        self.failed_authentications = SharedCount(
            lambda: self.db,
            "auth-failure",
            config.auth_failures_per_minute,
            clock=lambda: self.clock(),
            refusal=TooManyFailures,
        )
        self.checkpoint_requests = SharedCount(
            lambda: self.db,
            "checkpoint",
            config.checkpoints_per_minute,
            clock=lambda: self.clock(),
        )
        self.questions_asked = SharedCount(
            lambda: self.db,
            "question",
            config.questions_per_minute,
            clock=lambda: self.clock(),
        )
        self._public_db: Database | None = None
        self._reports_db: Database | None = None
        self._keyring: Keyring | None = None
        self._session_key: bytes | None = None
        self._password_hasher: PasswordHasher | None = None

    def _build(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return

            self._db = Database(self.url, pool_size=self.config.pool_size)
            self._public_db = Database(
                self.read_url,
                pool_size=self.config.public_pool_size,
                statement_seconds=self.config.public_query_seconds,
            )
            self._reports_db = (
                Database(self.read_url, pool_size=self.config.pool_size)
                if self.on_standby
                else self._db
            )
            self._keyring = None
            self._token_cache = TokenCache(self._db)
            self._fund_locks = FundLocks(self.url)
            self._ledger = Ledger(
                env=self.url.eventsourcing_env(create_table=False, pool_size=self.config.pool_size),
                position_of=self._position_of,
                log_signer=self.signer,
                keyring=self.keyring,
                request_keys=self.request_keys,
                case_index=ReadModelIndex(self._db, self._catch_up),
                fund_locks=self._fund_locks,
                photo_stored=self.photos.has,
            )
            self._runner = ProjectionRunner(
                self._ledger.recorder,
                self._ledger.mapper,
                self._db,
                projections.all_projections(),
                page_size=self.config.projection_page_size,
            )
            self._pid = os.getpid()

    def _position_of(self, record_id: UUID) -> int | None:

        with self.db.transaction() as tx:
            position = audit_view.position_of(tx, str(record_id), 1)
        if position is None:
            # The audit trail has not reached the record yet: help it along (bounded),
            # so that a replay gives the first answer's own position, not the log's head.
            self.runner.catch_up(
                deadline=time.monotonic() + self.config.read_wait_seconds, nowait=True
            )
            with self.db.transaction() as tx:
                position = audit_view.position_of(tx, str(record_id), 1)
        return position

    def _catch_up(self) -> None:
        """Brings the read models to the head of the log (bounded) before a write checks
        against them."""
        self.runner.catch_up(deadline=time.monotonic() + self.config.read_wait_seconds, nowait=True)

    @property
    def photos(self) -> PhotoStore:
        """The photos of house stages, kept by content (``SOVANG_PHOTOS_PATH``)."""
        return FilesystemPhotoStore(self.config.photos_path)

    def keyring(self) -> Keyring:
        """The keys of beneficiaries' personal data; the master key is read from its file
        when first needed."""

        if self._keyring is None:
            master = personal_data.load(self.config.personal_data_key_path)
            self._keyring = personal_data.Keyring(self.db, master)
        return self._keyring

    def request_keys(self) -> Keyring | None:
        """The keys of requests' fingerprints: the personal-data keys; None on a service
        installed without a personal-data master key, whose requests carry no personal
        data and keep plain digests."""
        if self._keyring is None and not self.config.personal_data_key_path.exists():
            return None
        return self.keyring()

    @property
    def password_hasher(self) -> PasswordHasher:
        """The hasher of people's passwords, with the configured parameters."""
        if self._password_hasher is None:
            self._password_hasher = PasswordHasher(
                time_cost=self.config.password_time_cost,
                memory_cost=self.config.password_memory_kib,
                parallelism=self.config.password_parallelism,
            )
        return self._password_hasher

    def session_key(self) -> bytes:
        """The key that signs the inspector pages' session cookies, read from its file
        when first needed."""

        if self._session_key is None:
            self._session_key = keyfiles.read_random(
                self.config.session_key_path, "sovang keys init"
            )
        return self._session_key

    def signer(self) -> Signer:
        """The log's signing key, read from its file when first needed."""

        if self._signer is None:
            self._signer = signing.load(self.config.signing_key_path)
        return self._signer

    @property
    def ledger(self) -> Ledger:
        if self._pid != os.getpid():
            self._build()
        assert self._ledger is not None
        return self._ledger

    @property
    def db(self) -> Database:
        if self._pid != os.getpid():
            self._build()
        assert self._db is not None
        return self._db

    @property
    def token_cache(self) -> TokenCache:
        """The API tokens this process has seen, forgotten when one is revoked."""
        if self._pid != os.getpid():
            self._build()
        assert self._token_cache is not None
        return self._token_cache

    @property
    def public_db(self) -> Database:
        """The public routes' own small pool, whose reads stop after
        ``public_query_seconds``: a flood of public reads cannot take the connections
        of those who keep the books. On the hot standby when there is one."""
        if self._pid != os.getpid():
            self._build()
        assert self._public_db is not None
        return self._public_db

    @property
    def reports_db(self) -> Database:
        """The pool of signed-in readers' statements, exports and reports: on the hot
        standby when there is one, otherwise the primary's own pool."""
        if self._pid != os.getpid():
            self._build()
        assert self._reports_db is not None
        return self._reports_db

    @property
    def on_standby(self) -> bool:
        """Whether the public pages, statements, exports and reports read a hot standby
        rather than the primary."""
        return self.read_url != self.url

    @property
    def runner(self) -> ProjectionRunner:
        if self._pid != os.getpid():
            self._build()
        assert self._runner is not None
        return self._runner

    def close(self) -> None:
        if self._pid == os.getpid():
            if self._ledger is not None:
                self._ledger.close()
            if self._fund_locks is not None:
                self._fund_locks.close()
            if self._token_cache is not None:
                self._token_cache.close()
            if self._db is not None:
                self._db.close()
            if self._public_db is not None:
                self._public_db.close()
            if self._reports_db is not None and self._reports_db is not self._db:
                self._reports_db.close()
        self._pid = -1
