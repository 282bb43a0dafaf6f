"""A store that lacks a migration of this release: /readyz says so, and why; and a
package that holds no migrations is never reported as migrated."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from service.adapters import schema
from service.adapters.db import StoreUrl
from service.config import Config
from service.entrypoints.cli.main import main
from service.entrypoints.wsgi import create_app


@pytest.fixture
def lacking_app(lacking_store: tuple[str, list[str]], config: Config) -> Iterator[Flask]:
    app = create_app(Config(**{**vars(config), "database_url": lacking_store[0]}))
    yield app
    app.extensions["sovang"].close()


def test_readyz_answers_503_naming_the_missing_migrations_on_a_store_that_lacks_them(
    lacking_app: Flask, lacking_store: tuple[str, list[str]]
) -> None:
    response = lacking_app.test_client().get("/readyz")

    assert response.status_code == 503
    problem = response.get_json()
    assert problem["type"].endswith("/store-not-migrated")
    assert problem["detail"] == "Kho dữ liệu chưa được khởi tạo/nâng cấp: chạy sovang migrate"
    assert problem["pending"] == lacking_store[1]


@pytest.mark.parametrize("lacking_store", ["never migrated"], indirect=True)
def test_readyz_answers_200_once_the_store_is_migrated(
    lacking_app: Flask, lacking_store: tuple[str, list[str]]
) -> None:
    from service.adapters.migrate import migrate

    Path(StoreUrl.parse(lacking_store[0]).path or ".").parent.mkdir(exist_ok=True)
    migrate(StoreUrl.parse(lacking_store[0]))

    assert lacking_app.test_client().get("/readyz").status_code == 200


@pytest.fixture
def no_migrations(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """The package as a faulty build leaves it: no numbered SQL beside the code."""
    empty = tmp_path / "installed" / "migrations"
    (empty / "sqlite").mkdir(parents=True)
    monkeypatch.setattr(schema, "MIGRATIONS", empty)
    schema.shipped.cache_clear()
    yield empty
    schema.shipped.cache_clear()


def test_migrate_fails_naming_the_folder_when_the_package_holds_no_migrations(
    no_migrations: Path, tmp_path: Path
) -> None:
    store = tmp_path / "sovang.db"

    result = CliRunner().invoke(
        main, ["migrate"], env={"SOVANG_DATABASE_URL": f"sqlite:///{store}"}
    )

    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Không tìm thấy tệp migration nào trong {no_migrations / 'sqlite'}: bản cài đặt "
        "sovang bị thiếu, hãy cài lại gói rồi chạy lại sovang migrate."
    )
    assert not store.exists()
