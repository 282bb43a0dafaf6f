"""`sovang audit verify`, run as an operator would, finds a photo of a house stage that was
replaced in the photo store after its stage was recorded."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from service.adapters import images
from service.config import Config
from tests.api.helpers import MakeToken
from tests.api.test_photos import house_with_photo
from tests.e2e.cli import run, sovang_env
from tests.photos import phone_photo

pytestmark = pytest.mark.e2e


def verify(config: Config) -> subprocess.CompletedProcess[str]:
    env = {
        **sovang_env(config.database_url, config.signing_key_path),
        "SOVANG_PHOTOS_PATH": str(config.photos_path),
    }
    return run(env, "audit", "verify")


def test_audit_verify_reads_every_photo_back_and_names_one_replaced(
    client: FlaskClient, make_token: MakeToken, config: Config
) -> None:
    _, _, digest = house_with_photo(client, make_token)

    before = verify(config)
    kept: Path = config.photos_path / digest[:2] / f"{digest}.jpg"
    kept.write_bytes(images.prepare(phone_photo(colour="#00ff00")).data)
    after = verify(config)

    assert before.returncode == 0, before.stderr
    assert "1 ảnh chứng cứ đọc lại khớp mã băm trong sổ" in before.stdout
    assert after.returncode != 0
    assert f"sha256:{digest}" in after.stderr
    assert "đã bị thay" in after.stderr
