"""Configuration read from the environment; tests pass their own."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Config:
    """Settings of one running service (see the configuration table in the README)."""

    database_url: str
    #: Largest request body accepted, in bytes.
    max_body_bytes: int = 64 * 1024
    #: How long a read with ``min_position`` waits for the projections, in seconds.
    read_wait_seconds: float = 5.0
    #: Connections each process may open to the store (PostgreSQL).
    pool_size: int = 4

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        env = os.environ if environ is None else environ
        url = env.get("SOVANG_DATABASE_URL") or default_database_url(env)
        return cls(
            database_url=url,
            max_body_bytes=int(env.get("SOVANG_MAX_BODY_BYTES", cls.max_body_bytes)),
            read_wait_seconds=float(env.get("SOVANG_READ_WAIT_SECONDS", cls.read_wait_seconds)),
            pool_size=int(env.get("SOVANG_POOL_SIZE", cls.pool_size)),
        )


def default_database_url(env: Mapping[str, str]) -> str:
    """The embedded SQLite file under the local data directory."""
    data_dir = Path(env.get("SOVANG_DATA_DIR", "var")).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'sovang.db'}"
