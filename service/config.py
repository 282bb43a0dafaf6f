"""Configuration read from the environment; tests pass their own."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

#: The service's address when nothing says otherwise: where ``make run`` serves.
LOCAL_ADDRESS = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class Config:
    """Settings of one running service (see the configuration table in the README)."""

    database_url: str
    #: A PostgreSQL hot standby of ``database_url`` (streaming replication) that serves
    #: the public pages, statements, exports and reports. Empty: they read the primary.
    read_database_url: str = ""
    #: Largest request body accepted, in bytes.
    max_body_bytes: int = 64 * 1024
    #: Largest bank-statement file accepted by ``POST /funds/{id}/imports``, in bytes.
    max_import_bytes: int = 200 * 1024 * 1024
    #: How long a read with ``min_position`` waits for the projections, in seconds.
    read_wait_seconds: float = 5.0
    #: Connections each process may open to the store (PostgreSQL).
    pool_size: int = 4
    #: Events a projection runner reads and applies in one transaction.
    projection_page_size: int = 500
    #: The file holding the log's Ed25519 signing key (``sovang audit keygen``); kept
    #: outside the database, so that whoever can write the database cannot sign.
    signing_key_path: Path = Path("var/log-signing.key")
    #: The file holding the master key of beneficiaries' personal data (``sovang keys
    #: init``); kept outside the database, so that a copy of the database reads no name.
    personal_data_key_path: Path = Path("var/personal-data.key")
    #: The file holding the key that signs the inspector pages' session cookies (``sovang
    #: keys init``); kept outside the repository and the database.
    session_key_path: Path = Path("var/session.key")
    #: The folder of the bank notification services' keys, one file a service
    #: (``sepay.key``, ``casso.key``; ``sovang keys bank-feed``), outside the database.
    bank_feed_keys_dir: Path = Path("var/bank-feeds")
    #: The folder of the photos of house stages, each file named by its SHA-256
    #: (docs/PHOTOS.md); back it up with the database.
    photos_path: Path = Path("var/photos")
    #: Largest photo accepted by ``POST /photos``, in bytes (before it is made smaller).
    max_photo_bytes: int = 25 * 1024 * 1024
    #: How long an inspector's login lasts before the pages ask for the token again.
    session_hours: float = 8.0
    #: Unknown, revoked or expired tokens a client may present in a minute before 429,
    #: counted across every worker and host; a valid token is never refused.
    auth_failures_per_minute: int = 20
    #: The reverse proxies whose ``X-Forwarded-For`` names the client: addresses or
    #: networks, comma-separated (``127.0.0.1,10.0.0.0/8``). Empty: the header is ignored.
    trusted_proxies: str = ""
    #: How long an inspector's session may sit unused before the pages ask again.
    session_idle_minutes: float = 30.0
    #: How long a person's one-time activation link works, in hours.
    activation_hours: float = 72.0
    #: argon2id's parameters for people's passwords (RFC 9106's second recommendation):
    #: passes, memory in KiB, lanes. A password hashed with others is hashed again with
    #: these at its next login.
    password_time_cost: int = 3
    password_memory_kib: int = 65536
    password_parallelism: int = 4
    #: Checkpoints one token may ask to be signed in a minute (``POST /audit/checkpoints``).
    checkpoints_per_minute: int = 6
    #: Requests one address may send to the public routes in a minute, in each process...
    public_requests_per_minute: int = 120
    #: ...and at once, after a pause.
    public_burst: int = 20
    #: A public read is stopped (503) after this many seconds.
    public_query_seconds: float = 2.0
    #: Connections each process keeps for public reads, apart from the treasurers' pool.
    public_pool_size: int = 2
    #: How long browsers and caches may keep a public page or statement, in seconds.
    public_max_age: int = 60
    #: /readyz answers 503 while a projection lags the log by more than this many events.
    ready_max_lag: int = 10_000
    #: A checkpoint is signed once the log has grown by this many events...
    checkpoint_every: int = 1000
    #: ...or when this many seconds have passed and the log has grown at all.
    checkpoint_seconds: float = 60.0
    #: A question from the people unanswered after this many days is shown as overdue.
    question_answer_days: int = 15
    #: Questions one address may send in a minute, counted across every worker and host.
    questions_per_minute: int = 3

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        env = os.environ if environ is None else environ
        url = env.get("SOVANG_DATABASE_URL") or default_database_url(env)
        return cls(
            database_url=url,
            read_database_url=env.get("SOVANG_READ_DATABASE_URL", ""),
            max_body_bytes=int(env.get("SOVANG_MAX_BODY_BYTES", cls.max_body_bytes)),
            max_import_bytes=int(env.get("SOVANG_MAX_IMPORT_BYTES", cls.max_import_bytes)),
            read_wait_seconds=float(env.get("SOVANG_READ_WAIT_SECONDS", cls.read_wait_seconds)),
            pool_size=int(env.get("SOVANG_POOL_SIZE", cls.pool_size)),
            projection_page_size=int(
                env.get("SOVANG_PROJECTION_PAGE_SIZE", cls.projection_page_size)
            ),
            signing_key_path=Path(
                env.get("SOVANG_SIGNING_KEY") or data_dir(env) / "log-signing.key"
            ).resolve(),
            personal_data_key_path=Path(
                env.get("SOVANG_PERSONAL_DATA_KEY") or data_dir(env) / "personal-data.key"
            ).resolve(),
            session_key_path=Path(
                env.get("SOVANG_SESSION_KEY") or data_dir(env) / "session.key"
            ).resolve(),
            bank_feed_keys_dir=Path(
                env.get("SOVANG_BANK_FEED_KEYS") or data_dir(env) / "bank-feeds"
            ).resolve(),
            photos_path=Path(env.get("SOVANG_PHOTOS_PATH") or data_dir(env) / "photos").resolve(),
            max_photo_bytes=int(env.get("SOVANG_MAX_PHOTO_BYTES", cls.max_photo_bytes)),
            session_hours=float(env.get("SOVANG_SESSION_HOURS", cls.session_hours)),
            auth_failures_per_minute=int(
                env.get("SOVANG_AUTH_FAILURES_PER_MINUTE", cls.auth_failures_per_minute)
            ),
            trusted_proxies=env.get("SOVANG_TRUSTED_PROXIES", cls.trusted_proxies),
            session_idle_minutes=float(
                env.get("SOVANG_SESSION_IDLE_MINUTES", cls.session_idle_minutes)
            ),
            activation_hours=float(env.get("SOVANG_ACTIVATION_HOURS", cls.activation_hours)),
            password_time_cost=int(env.get("SOVANG_PASSWORD_TIME_COST", cls.password_time_cost)),
            password_memory_kib=int(env.get("SOVANG_PASSWORD_MEMORY_KIB", cls.password_memory_kib)),
            password_parallelism=int(
                env.get("SOVANG_PASSWORD_PARALLELISM", cls.password_parallelism)
            ),
            checkpoints_per_minute=int(
                env.get("SOVANG_CHECKPOINTS_PER_MINUTE", cls.checkpoints_per_minute)
            ),
            public_requests_per_minute=int(
                env.get("SOVANG_PUBLIC_REQUESTS_PER_MINUTE", cls.public_requests_per_minute)
            ),
            public_burst=int(env.get("SOVANG_PUBLIC_BURST", cls.public_burst)),
            public_query_seconds=float(
                env.get("SOVANG_PUBLIC_QUERY_SECONDS", cls.public_query_seconds)
            ),
            public_pool_size=int(env.get("SOVANG_PUBLIC_POOL_SIZE", cls.public_pool_size)),
            public_max_age=int(env.get("SOVANG_PUBLIC_MAX_AGE", cls.public_max_age)),
            ready_max_lag=int(env.get("SOVANG_READY_MAX_LAG", cls.ready_max_lag)),
            checkpoint_every=int(env.get("SOVANG_CHECKPOINT_EVERY", cls.checkpoint_every)),
            checkpoint_seconds=float(env.get("SOVANG_CHECKPOINT_SECONDS", cls.checkpoint_seconds)),
            question_answer_days=int(
                env.get("SOVANG_QUESTION_ANSWER_DAYS", cls.question_answer_days)
            ),
            questions_per_minute=int(
                env.get("SOVANG_QUESTIONS_PER_MINUTE", cls.questions_per_minute)
            ),
        )


def data_dir(env: Mapping[str, str]) -> Path:
    """The local data directory: the embedded store and the keys kept beside it."""
    return Path(env.get("SOVANG_DATA_DIR", "var")).resolve()


def default_database_url(env: Mapping[str, str]) -> str:
    """The embedded SQLite file under the local data directory."""
    directory = data_dir(env)
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{directory / 'sovang.db'}"
