"""`sovang audit export` and `verify-export`: a board checks an exported log on its own
computer, with the log's public key and the checkpoints it archived, and no database."""

from __future__ import annotations

import base64
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from service.adapters import tokens
from service.config import Config
from service.domain.checkpoints import open_checkpoint
from service.domain.logfile import event_leaf
from service.domain.notes import COSIGNATURE, Note, Signer, Verifier, parse_signature
from service.domain.vocabulary import Level, Role
from service.entrypoints.wsgi import create_app
from tests.conftest import ADMIN
from tests.e2e.cli import run, sovang_env, sovang_here
from tests.e2e.conftest import DemoStores


@pytest.fixture
def database_url(database_url: str, demo_stores: DemoStores) -> Iterator[str]:
    """A store of each kind with the demo loaded (`sovang demo`, run once a session)."""
    yield from demo_stores.copied(database_url)


def offline(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Runs `sovang ARGS` where no database can be opened: SOVANG_DATABASE_URL names a file
    in a directory that does not exist, and there is no signing key."""
    nowhere = tmp_path / "no-such-directory" / "sovang.db"
    env = sovang_env(f"sqlite:///{nowhere}")
    env.pop("SOVANG_SIGNING_KEY", None)
    env["SOVANG_DATA_DIR"] = str(tmp_path / "no-such-data-dir")
    result = run(env, *args)
    assert not nowhere.parent.exists()
    assert "Traceback" not in result.stderr, result.stderr
    return result


def lines_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def write_lines(path: Path, lines: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")


def archive(database_url: str, key: Path, out: Path) -> int:
    said = sovang_here(
        database_url, "audit", "checkpoint", "--out", str(out), signing_key=key
    ).stdout
    return int(said.split("điểm kiểm tra của ")[1].split(" ")[0])


def log_key_file(database_url: str, key: Path, tmp_path: Path) -> Path:
    printed = sovang_here(database_url, "audit", "key", signing_key=key).stdout.strip()
    path = tmp_path / "log.vkey"
    path.write_text(printed + "\n", encoding="utf-8")
    return path


def test_a_whole_export_verifies_offline_against_an_archived_checkpoint_and_an_edit_is_found(
    database_url: str, signing_key_path: Path, tmp_path: Path, log_signer: Signer
) -> None:
    archived = tmp_path / "archived.txt"
    size = archive(database_url, signing_key_path, archived)
    export = tmp_path / "log.jsonl"
    sovang_here(database_url, "audit", "export", "--out", str(export), signing_key=signing_key_path)
    key = log_key_file(database_url, signing_key_path, tmp_path)
    assert key.read_text().strip() == str(log_signer.verifier)

    lines = lines_of(export)
    header, events, checkpoints = lines[0], lines[1:-1], lines[-1:]
    assert (header["type"], header["first"], header["last"]) == ("log", 1, size + 1)
    assert [e["position"] for e in events] == list(range(1, size + 2))
    assert [c["type"] for c in checkpoints] == ["checkpoint"]
    assert open_checkpoint(checkpoints[0]["checkpoint"], log_signer.verifier)[0].size >= size + 1

    passed = offline(
        tmp_path,
        "audit",
        "verify-export",
        str(export),
        "--log-key",
        str(key),
        "--checkpoint",
        str(archived),
    )
    assert passed.returncode == 0, passed.stderr
    assert passed.stdout.startswith(
        f"đã kiểm chứng {size + 1} vị trí trong tệp xuất; 2 điểm kiểm tra khớp"
    )
    # The key may be given as text too.
    as_text = offline(
        tmp_path, "audit", "verify-export", str(export), "--log-key", str(log_signer.verifier)
    )
    assert as_text.returncode == 0, as_text.stderr

    position = next(e["position"] for e in events if b'"amount":' in base64.b64decode(e["state"]))
    edited = [dict(line) for line in lines]
    state = base64.b64decode(edited[position]["state"])
    edited[position]["state"] = base64.b64encode(
        state.replace(b'"amount":', b'"amount":1', 1)
    ).decode()
    forged = tmp_path / "edited.jsonl"
    write_lines(forged, edited)
    refused = offline(
        tmp_path,
        "audit",
        "verify-export",
        str(forged),
        "--log-key",
        str(key),
        "--checkpoint",
        str(archived),
    )
    assert refused.returncode != 0
    assert f"vị trí hỏng đầu tiên: {position}" in refused.stderr, refused.stderr


def test_an_export_whose_leaf_hash_was_edited_too_is_refused_by_its_checkpoints(
    database_url: str, signing_key_path: Path, tmp_path: Path, log_signer: Signer
) -> None:
    archived = tmp_path / "archived.txt"
    size = archive(database_url, signing_key_path, archived)
    export = tmp_path / "log.jsonl"
    sovang_here(database_url, "audit", "export", "--out", str(export), signing_key=signing_key_path)
    lines = lines_of(export)
    position = 10
    line = lines[position]
    state = base64.b64decode(line["state"]).replace(b'":', b'": ', 1)
    line["state"] = base64.b64encode(state).decode()
    line["leaf_hash"] = base64.b64encode(
        event_leaf(
            position, line["originator_id"], line["originator_version"], line["topic"], state
        )
    ).decode()
    forged = tmp_path / "forged.jsonl"
    write_lines(forged, lines)
    for extra in ([], ["--checkpoint", str(archived)]):
        refused = offline(
            tmp_path,
            "audit",
            "verify-export",
            str(forged),
            "--log-key",
            str(log_signer.verifier),
            *extra,
        )
        assert refused.returncode != 0
        assert "bị viết lại" in refused.stderr or "không khớp với khoảng" in refused.stderr, (
            refused.stderr
        )
    refused = offline(
        tmp_path,
        "audit",
        "verify-export",
        str(forged),
        "--log-key",
        str(log_signer.verifier),
        "--checkpoint",
        str(archived),
    )
    assert f"giữa vị trí 1 và {size}" in refused.stderr, refused.stderr


def test_a_checkpoint_signed_by_another_key_is_refused(
    database_url: str, signing_key_path: Path, tmp_path: Path, log_signer: Signer
) -> None:
    archived = tmp_path / "archived.txt"
    archive(database_url, signing_key_path, archived)
    export = tmp_path / "log.jsonl"
    sovang_here(database_url, "audit", "export", "--out", str(export), signing_key=signing_key_path)

    impostor = Signer.generate(log_signer.name)  # the same name, another key
    text = Note.parse(archived.read_text(encoding="utf-8")).text
    forged = tmp_path / "forged.txt"
    forged.write_text(text + "\n" + impostor.sign(text), encoding="utf-8")
    refused = offline(
        tmp_path,
        "audit",
        "verify-export",
        str(export),
        "--log-key",
        str(log_signer.verifier),
        "--checkpoint",
        str(forged),
    )
    assert refused.returncode != 0
    assert "không có chữ ký của" in refused.stderr, refused.stderr
    # Verified with the impostor's key instead, the export's own checkpoint is refused.
    wrong_key = offline(
        tmp_path, "audit", "verify-export", str(export), "--log-key", str(impostor.verifier)
    )
    assert wrong_key.returncode != 0
    assert "không có chữ ký của" in wrong_key.stderr, wrong_key.stderr


def test_a_checkpoint_archived_before_more_was_recorded_verifies_a_later_export(
    database_url: str, signing_key_path: Path, tmp_path: Path, log_signer: Signer
) -> None:
    archived = tmp_path / "archived-in-march.txt"
    size = archive(database_url, signing_key_path, archived)

    app = create_app(Config(database_url=database_url, signing_key_path=signing_key_path))
    try:
        services = app.extensions["sovang"]

        for i in range(7):
            services.ledger.register_unit(ADMIN, f"Xã Sau {i}", Level.COMMUNE, None, None)
        services.runner.catch_up()
    finally:
        app.extensions["sovang"].close()

    export = tmp_path / "later.jsonl"
    sovang_here(database_url, "audit", "export", "--out", str(export), signing_key=signing_key_path)
    assert lines_of(export)[0]["last"] == size + 8
    passed = offline(
        tmp_path,
        "audit",
        "verify-export",
        str(export),
        "--log-key",
        str(log_signer.verifier),
        "--checkpoint",
        str(archived),
    )
    assert passed.returncode == 0, passed.stderr
    assert "2 điểm kiểm tra khớp" in passed.stdout
    assert passed.stderr.count("chưa đối chiếu") == 0


def test_a_period_export_verifies_with_the_checkpoint_that_covers_it(
    database_url: str, signing_key_path: Path, tmp_path: Path, log_signer: Signer
) -> None:
    app = create_app(Config(database_url=database_url, signing_key_path=signing_key_path))
    try:
        # The demo is recorded in one go; spread its recording times over three months.
        with app.extensions["sovang"].db.transaction(write=True) as tx:
            for low, high, at in ((1, 99, "2025-01-10"), (100, 199, "2025-02-15")):
                tx.execute(
                    "UPDATE audit_events SET recorded_at = :at "
                    "WHERE position >= :low AND position <= :high",
                    {"at": f"{at}T03:00:00+00:00", "low": low, "high": high},
                )
    finally:
        app.extensions["sovang"].close()
    earlier, covering = tmp_path / "earlier.txt", tmp_path / "covering.txt"
    earlier_size = archive(database_url, signing_key_path, earlier)
    assert archive(database_url, signing_key_path, covering) == earlier_size + 1

    export = tmp_path / "february.jsonl"
    sovang_here(
        database_url,
        "audit",
        "export",
        "--from",
        "2025-02-01",
        "--to",
        "2025-02-28",
        "--out",
        str(export),
        signing_key=signing_key_path,
    )
    lines = lines_of(export)
    assert (lines[0]["first"], lines[0]["last"]) == (100, 199)
    assert [line["position"] for line in lines[1:-1]] == list(range(100, 200))
    assert lines[-1]["type"] == "checkpoint"
    assert lines[-1]["range_path"]

    passed = offline(
        tmp_path,
        "audit",
        "verify-export",
        str(export),
        "--log-key",
        str(log_signer.verifier),
        "--checkpoint",
        str(covering),
        "--checkpoint",
        str(earlier),
    )
    assert passed.returncode == 0, passed.stderr
    # The exported checkpoint and the archived one of the same size, through the range path.
    assert "đã kiểm chứng 199 vị trí trong tệp xuất; 2 điểm kiểm tra khớp" in passed.stdout
    # The earlier one would need every leaf from position 1.
    assert passed.stderr.count("chưa đối chiếu") == 1, passed.stderr
    assert str(earlier) in passed.stderr

    edited = [dict(line) for line in lines]
    edited[50]["state"] = base64.b64encode(
        base64.b64decode(edited[50]["state"]).replace(b'":', b'":  ', 1)
    ).decode()
    forged = tmp_path / "forged.jsonl"
    write_lines(forged, edited)
    refused = offline(
        tmp_path, "audit", "verify-export", str(forged), "--log-key", str(log_signer.verifier)
    )
    assert refused.returncode != 0
    assert f"vị trí hỏng đầu tiên: {edited[50]['position']}" in refused.stderr
    assert edited[50]["position"] == 149


def test_a_board_makes_a_key_cosigns_an_archived_checkpoint_and_the_service_takes_it(
    database_url: str, signing_key_path: Path, tmp_path: Path, log_signer: Signer
) -> None:
    archived = tmp_path / "archived.txt"
    size = archive(database_url, signing_key_path, archived)
    board_key = tmp_path / "board" / "witness.key"
    made = offline(
        tmp_path, "audit", "witness-keygen", "thanhtra.hatinh.example/w", "--out", str(board_key)
    )
    assert made.returncode == 0, made.stderr
    verifier = Verifier.parse(made.stdout.strip().splitlines()[-1])
    assert (verifier.name, verifier.kind) == ("thanhtra.hatinh.example/w", COSIGNATURE)
    assert oct(board_key.stat().st_mode & 0o777) == "0o600"
    again = offline(tmp_path, "audit", "witness-keygen", "x", "--out", str(board_key))
    assert again.returncode != 0  # a key file is never overwritten

    cosigned = offline(
        tmp_path,
        "audit",
        "cosign",
        str(archived),
        "--key",
        str(board_key),
        "--log-key",
        str(log_signer.verifier),
    )
    assert cosigned.returncode == 0, cosigned.stderr
    line = cosigned.stdout
    note = Note.parse(archived.read_text(encoding="utf-8"))
    signature = parse_signature(line)
    assert signature.by(verifier)
    assert verifier.verify(note.text, signature.signature) is not None

    stranger = Signer.generate(log_signer.name)
    refused = offline(
        tmp_path,
        "audit",
        "cosign",
        str(archived),
        "--key",
        str(board_key),
        "--log-key",
        str(stranger.verifier),
    )
    assert refused.returncode != 0  # a board cosigns only what the log's key signed

    app = create_app(Config(database_url=database_url, signing_key_path=signing_key_path))
    try:
        client = app.test_client()
        _, admin = tokens.create(
            app.extensions["sovang"].db, name="Quản trị", role=Role.ADMIN, unit_id=None
        )
        auth = {"Authorization": f"Bearer {admin}"}
        registered = client.post(
            "/api/v1/audit/witnesses", json={"verifier_key": str(verifier)}, headers=auth
        )
        assert registered.status_code == 201, registered.get_data(as_text=True)
        answer = client.post(
            f"/api/v1/audit/checkpoints/{size}/cosignatures", json={"signature": line}, headers=auth
        )
        assert answer.status_code == 201, answer.get_data(as_text=True)
        served = client.get(
            f"/api/v1/audit/checkpoints/{size}",
            query_string={"min_position": answer.get_json()["position"]},
        ).get_json()
    finally:
        app.extensions["sovang"].close()
    assert served["checkpoint"] == archived.read_text(encoding="utf-8") + line
    served_note = Note.parse(served["checkpoint"])
    assert [s.name for s in served_note.signatures] == [log_signer.name, verifier.name]
    assert served_note.signed_by(verifier) is not None
    assert open_checkpoint(served["checkpoint"], log_signer.verifier)[0].size == size
