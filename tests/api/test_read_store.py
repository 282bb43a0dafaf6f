"""SOVANG_READ_DATABASE_URL: which store the public pages, statements, exports and
reports read (a streaming standby is exercised for real in tests/e2e/test_standby.py)."""

from __future__ import annotations

import pytest

from service.adapters.db import BadDatabaseUrl
from service.bootstrap import Services
from service.config import Config

PRIMARY = "postgresql://sovang@db-primary:5432/sovang"
STANDBY = "postgresql://sovang@db-standby:5432/sovang"


def test_the_read_database_url_is_read_from_the_environment() -> None:
    config = Config.from_env({"SOVANG_DATABASE_URL": PRIMARY, "SOVANG_READ_DATABASE_URL": STANDBY})
    assert config.read_database_url == STANDBY
    assert Config.from_env({"SOVANG_DATABASE_URL": PRIMARY}).read_database_url == ""


def test_without_a_read_database_url_every_read_is_served_by_the_primary(
    database_url: str,
) -> None:
    services = Services(Config(database_url=database_url))
    try:
        assert not services.on_standby
        assert services.read_url == services.url
        assert services.reports_db is services.db
        assert services.public_db.url == services.url
    finally:
        services.close()


def test_a_read_database_url_sends_public_and_bulk_reads_to_the_standby() -> None:
    services = Services(Config(database_url=PRIMARY, read_database_url=STANDBY))
    assert services.on_standby
    assert services.read_url.url == STANDBY
    assert services.url.url == PRIMARY


@pytest.mark.parametrize(
    ("primary", "standby"),
    [
        ("sqlite:///var/sovang.db", STANDBY),
        (PRIMARY, "sqlite:///var/replica.db"),
        (PRIMARY, "mysql://db-standby/sovang"),
    ],
)
def test_a_read_database_url_must_name_a_postgresql_standby_of_a_postgresql_store(
    primary: str, standby: str
) -> None:
    with pytest.raises(BadDatabaseUrl, match="SOVANG_READ_DATABASE_URL"):
        Services(Config(database_url=primary, read_database_url=standby))
