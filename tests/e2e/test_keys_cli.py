"""`sovang keys init` and tokens granted personal data, run as an operator would."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from service.adapters import keyfiles, personal_data
from service.adapters.tokens import authenticate
from service.bootstrap import Services
from service.config import Config
from tests.e2e.cli import run, sovang_env


def test_keys_init_writes_a_master_key_once_and_tokens_may_be_granted_personal_data(
    database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "secret" / "personal-data.key"
    session_key = tmp_path / "secret" / "session.key"
    env = {
        **sovang_env(database_url),
        "SOVANG_PERSONAL_DATA_KEY": str(path),
        "SOVANG_SESSION_KEY": str(session_key),
    }

    def sovang(*args: str) -> subprocess.CompletedProcess[str]:
        return run(env, *args)

    made = sovang("keys", "init")
    again = sovang("keys", "init")
    kept = sovang("keys", "init", "--keep")
    granted = sovang("token", "create", "--role", "admin", "--name", "Kế toán", "--personal-data")
    plain = sovang("token", "create", "--role", "admin", "--name", "Cổng")

    assert made.returncode == 0, made.stderr
    assert path.stat().st_mode & 0o777 == 0o600
    assert session_key.stat().st_mode & 0o777 == 0o600
    personal_data.load(path)
    assert len(keyfiles.read_random(session_key, "sovang keys init")) == 32
    assert again.returncode != 0
    assert "đã có" in again.stderr
    assert kept.returncode == 0
    assert "được xem dữ liệu cá nhân" in granted.stdout
    services = Services(Config(database_url=database_url))
    try:
        first = authenticate(services.db, granted.stdout.strip().splitlines()[-1])
        second = authenticate(services.db, plain.stdout.strip().splitlines()[-1])
    finally:
        services.close()
    assert first is not None
    assert second is not None
    assert (first.personal_data, second.personal_data) == (True, False)


def test_the_demo_records_its_cases_with_a_key_and_leaves_them_out_without_one(
    database_url: str, personal_data_key_path: Path
) -> None:
    env = {**sovang_env(database_url), "SOVANG_PERSONAL_DATA_KEY": str(personal_data_key_path)}

    demo = run(env, "demo")

    assert demo.returncode == 0, demo.stderr
    assert "hồ sơ: 4 hộ, một nhà đã bàn giao, một khoản hỗ trợ sinh kế, một học bổng" in demo.stdout
    slips = re.findall(
        r"^phiếu (P[TC]-\d{4}-\d{6}-[0-9A-F]{12}): /thu-quy/phieu/", demo.stdout, re.M
    )
    assert [ref[:2] for ref in slips] == ["PT", "PC"], demo.stdout
    assert f"bằng chứng công khai của phiếu thu: /cong-khai/bien-lai/{slips[0]}" in demo.stdout
    services = Services(Config(database_url=database_url))
    try:
        with services.db.transaction() as tx:
            houses = tx.all("SELECT status, paid FROM house_projects ORDER BY approved_position")
            grants = tx.all("SELECT status FROM livelihood_grants")
            done = tx.scalar("SELECT COUNT(*) AS n FROM grant_follow_ups WHERE status IS NOT NULL")
    finally:
        services.close()
    # The case followed to its handover, then the house the village's bình xét selected.
    assert houses == [
        {"status": "handed_over", "paid": 40_000_000},
        {"status": "open", "paid": 0},
    ]
    assert grants == [{"status": "delivered"}]
    assert done == 1
