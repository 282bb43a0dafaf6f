"""A board's witness and anyone's monitor, run as commands: `sovang audit cosign` keeps the
last checkpoint it cosigned and refuses a split view; `sovang audit monitor` follows a
served log and reports a fork with both signed checkpoints."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from service.adapters.signing import write
from service.domain import merkle
from service.domain.checkpoints import TreeHead
from service.domain.notes import COSIGNATURE, Note, Signer
from service.domain.witness import AddCheckpoint
from tests.e2e.cli import run, sovang_env
from tests.e2e.test_audit_export import offline
from tests.e2e.test_serve import serving
from tests.e2e.test_tampering import Store, rewrite_with_tree


def leaves(count: int, salt: bytes = b"") -> list[bytes]:
    return [merkle.leaf_hash(salt + hashlib.sha256(bytes([i])).digest()) for i in range(count)]


def signed(tree: list[bytes], log: Signer) -> str:
    head = TreeHead(log.name, len(tree), merkle.root(tree))
    return head.text + "\n" + log.sign(head.text)


def test_a_board_cosigns_only_checkpoints_that_grow_from_the_last_it_cosigned(
    tmp_path: Path, log_signer: Signer
) -> None:
    key = tmp_path / "board" / "witness.key"
    write(key, Signer.generate("thanhtra.example/w", COSIGNATURE))
    log_key = tmp_path / "log.vkey"
    log_key.write_text(str(log_signer.verifier) + "\n", encoding="utf-8")
    honest = leaves(30)

    def cosign(name: str, body: str) -> subprocess.CompletedProcess[str]:
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        return offline(
            tmp_path, "audit", "cosign", str(path), "--key", str(key), "--log-key", str(log_key)
        )

    first = cosign("first.txt", signed(honest[:10], log_signer))  # a bare checkpoint
    assert first.returncode == 0, first.stderr
    state = json.loads(key.with_name("witness.key.state").read_text(encoding="utf-8"))
    assert state["logs"][log_signer.name]["size"] == 10

    # A later checkpoint with no proof from 10: the board needs one.
    bare = cosign("bare.txt", signed(honest[:20], log_signer))
    assert bare.returncode != 0
    assert "--log" in bare.stderr

    grown = AddCheckpoint(
        10, tuple(merkle.consistency_proof(honest[:20], 10)), signed(honest[:20], log_signer)
    )
    cosigned = cosign("grown.txt", str(grown))
    assert cosigned.returncode == 0, cosigned.stderr
    note = Note.parse(grown.checkpoint + cosigned.stdout)
    assert [s.name for s in note.signatures] == [log_signer.name, "thanhtra.example/w"]

    # The log shows another history of 25 events, with a proof of its own: refused.
    forked = honest[:15] + leaves(10, b"fork")
    split = AddCheckpoint(
        20, tuple(merkle.consistency_proof(forked, 20)), signed(forked, log_signer)
    )
    refused = cosign("split.txt", str(split))
    assert refused.returncode != 0
    assert "(422)" in refused.stderr
    assert "split view" in refused.stderr
    evidence = list(key.parent.glob("witness.key.state.split-view-*.json"))
    assert len(evidence) == 1
    kept = json.loads(evidence[0].read_text(encoding="utf-8"))
    assert kept["kept_checkpoint"] == grown.checkpoint
    assert kept["refused_request"] == str(split)

    stale = cosign("stale.txt", str(AddCheckpoint(10, (), signed(honest[:10], log_signer))))
    assert stale.returncode != 0
    assert "(409)" in stale.stderr
    state = json.loads(key.with_name("witness.key.state").read_text(encoding="utf-8"))
    assert state["logs"][log_signer.name]["size"] == 20


@pytest.mark.e2e
def test_a_monitor_follows_the_served_log_and_reports_a_rewritten_history(
    database_url: str,
    tmp_path: Path,
    signing_key_path: Path,
    log_signer: Signer,
    personal_data_key_path: Path,
    session_key_path: Path,
) -> None:
    store = Store(database_url, signing_key_path, tmp_path)
    if database_url.startswith("sqlite"):
        store.table, store.column = "stored_events", "rowid"
    store.write_more(6)
    store.archive("first.txt")
    log_key = tmp_path / "log.vkey"
    log_key.write_text(str(log_signer.verifier) + "\n", encoding="utf-8")
    state = tmp_path / "monitor" / "state.json"

    env = sovang_env(
        database_url,
        signing_key_path,
        personal_data_key=personal_data_key_path,
        session_key=session_key_path,
    )
    with serving(database_url, tmp_path, env) as server:

        def monitor() -> subprocess.CompletedProcess[str]:
            return run(
                sovang_env(database_url),
                "audit",
                "monitor",
                server.root,
                "--log-key",
                str(log_key),
                "--state",
                str(state),
            )

        def sign() -> int:
            # The served runner applies the checkpoint before the monitor reads it.
            _, size = store.archive(f"checkpoint-{len(list(tmp_path.glob('*.txt')))}.txt")
            path = f"/api/v1/audit/checkpoints/{size}?min_position={size + 1}"
            assert server.call("GET", path).status == 200
            return size

        sign()
        seen = monitor()
        assert seen.returncode == 0, seen.stderr
        assert "đã kiểm 2 checkpoint mới" in seen.stdout, seen.stdout
        store.write_more(3)
        grown = sign()
        seen = monitor()
        assert seen.returncode == 0, seen.stderr
        assert f"kích thước {grown}" in seen.stdout
        kept = json.loads(state.read_text(encoding="utf-8"))["logs"][log_signer.name]

        rewrite_with_tree(store, 3)  # history rewritten, tree and all, then signed again
        store.write_more(1)
        sign()
        forked = monitor()
        assert forked.returncode == 3, forked.stdout + forked.stderr
        assert "Traceback" not in forked.stderr
        assert "PHÂN NHÁNH" in forked.stderr
        [evidence] = state.parent.glob("state.json.fork-*.json")
        found = json.loads(evidence.read_text(encoding="utf-8"))
        assert found["kept_checkpoint"] == kept["checkpoint"]
        assert Note.parse(found["new_checkpoint"]).signed_by(log_signer.verifier)
        assert json.loads(state.read_text(encoding="utf-8"))["logs"][log_signer.name] == kept


def test_the_log_makes_add_checkpoint_requests_that_the_boards_witness_cosigns(
    database_url: str, tmp_path: Path, signing_key_path: Path, log_signer: Signer
) -> None:
    store = Store(database_url, signing_key_path, tmp_path)
    store.write_more(3)
    first, size = store.archive("first.txt")
    key = tmp_path / "board" / "witness.key"
    write(key, Signer.generate("thanhtra.example/w", COSIGNATURE))
    log_key = tmp_path / "log.vkey"
    log_key.write_text(str(log_signer.verifier) + "\n", encoding="utf-8")

    def cosign(request: Path) -> subprocess.CompletedProcess[str]:
        return offline(
            tmp_path, "audit", "cosign", str(request), "--key", str(key), "--log-key", str(log_key)
        )

    assert cosign(first).returncode == 0
    store.write_more(5)
    _, grown = store.archive("second.txt")
    request = tmp_path / "request.txt"
    store.sovang("audit", "witness-request", "--old", str(size), "--out", str(request))
    body = request.read_text(encoding="utf-8")
    assert body.startswith(f"old {size}\n")
    assert AddCheckpoint.parse(body).checkpoint.split("\n")[1] == str(grown)
    cosigned = cosign(request)
    assert cosigned.returncode == 0, cosigned.stderr
    state = json.loads(key.with_name("witness.key.state").read_text(encoding="utf-8"))
    assert state["logs"][log_signer.name]["size"] == grown

    stale = tmp_path / "stale.txt"
    store.sovang("audit", "witness-request", "--old", str(size), "--out", str(stale))
    refused = cosign(stale)
    assert refused.returncode != 0
    assert "(409)" in refused.stderr
    assert f"kích thước {grown}" in refused.stderr
