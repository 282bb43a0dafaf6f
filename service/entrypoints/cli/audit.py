"""``sovang audit``: the log's signing key, checkpoints, witnesses, exports and verification.

``verify-export``, ``witness-keygen`` and ``cosign`` need no database: a board runs
them on its own computer, with only the log's public key and its archived files.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from service.domain.logfile import Verification
from service.domain.notes import COSIGNATURE, NoteError, Signer, Verifier
from service.entrypoints.cli.context import config, progress_bar, refusals, services

if TYPE_CHECKING:
    from service.bootstrap import Services

VIETNAM_OFFSET = timedelta(hours=7)


@click.group()
def audit() -> None:
    """Tính toàn vẹn của sổ: khóa, điểm kiểm tra, bên chứng kiến, bản xuất và kiểm chứng."""


def _log_key(value: str | None) -> Verifier:
    """A verifier key given as text or as the path of a file holding it; by default the
    public half of this service's own signing key."""
    from service.adapters import signing

    try:
        if value is None:
            return signing.load(config().signing_key_path).verifier
        path = Path(value)
        return Verifier.parse(path.read_text() if path.is_file() else value)
    except (NoteError, signing.SigningKeyUnavailable, OSError) as error:
        raise click.UsageError(f"Không dùng được khóa nhật ký: {error}") from None


def _archived(paths: tuple[Path, ...]) -> list[tuple[str, str]]:
    return [
        (path.read_text(encoding="utf-8"), f"điểm kiểm tra đã lưu trữ {path}") for path in paths
    ]


def _report(found: Verification, what: str) -> None:
    for line in found.unchecked:
        click.echo(f"chưa đối chiếu: {line}", err=True)
    if not found.ok:
        where = f" ({found.where})" if found.where else ""
        raise click.ClickException(
            f"Sổ KHÔNG khớp: {found.problem}{where}. Đừng sửa hay xóa gì thêm; hãy giữ lại "
            "kết quả này cùng bản sao lưu, tệp xuất và các điểm kiểm tra đã lưu trữ làm bằng "
            "chứng, rồi báo Ban Thanh tra và quản trị viên để tìm xem ai đã sửa."
        )
    click.echo(
        f"đã kiểm chứng {found.size} {what}; {found.checkpoints} điểm kiểm tra khớp; "
        f"gốc cây {found.root.hex()}"
    )


@audit.command("keygen")
@click.option("--origin", default=None, help="Tên của sổ trong các điểm kiểm tra.")
@click.option("--keep", is_flag=True, help="Không làm gì nếu tệp khóa đã có.")
def keygen(origin: str | None, keep: bool) -> None:
    """Tạo khóa ký Ed25519 của sổ trong tệp mà SOVANG_SIGNING_KEY chỉ tới (ngoài cơ sở dữ liệu);
    dòng cuối in khóa kiểm tra công khai để các ban lưu giữ."""
    from service.adapters import signing

    path = config().signing_key_path
    if path.exists():
        if not keep:
            raise click.ClickException(
                f"{path} đã có; mỗi nhật ký giữ một khóa suốt đời. "
                "Muốn giữ khóa cũ, hãy thêm --keep."
            )
        signer = signing.load(path)
        click.echo(f"khóa ký nhật ký đã có ở {path}")
    else:
        signer = Signer.generate(origin or signing.DEFAULT_ORIGIN)
        signing.write(path, signer)
        click.echo(f"đã ghi khóa ký nhật ký vào {path}; hãy giữ bí mật và sao lưu khóa này")
    click.echo(signer.verifier)


@audit.command("key")
def key() -> None:
    """In khóa kiểm tra công khai của sổ."""
    click.echo(_log_key(None))


@audit.command("checkpoint")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
def checkpoint(out: Path | None) -> None:
    """Ký ngay đầu cây hiện tại của sổ và in ra (hoặc ghi vào --out để lưu trữ)."""
    from service.adapters.signing import SigningKeyUnavailable
    from service.application.checkpoints import sign_checkpoint

    try:
        with refusals():
            signed = sign_checkpoint(services())
    except SigningKeyUnavailable as error:
        raise click.ClickException(str(error)) from None
    if out is not None:
        out.write_text(signed.note, encoding="utf-8")
        click.echo(f"đã ghi điểm kiểm tra của {signed.tree_size} sự kiện vào {out}")
    else:
        click.echo(signed.note, nl=False)


@audit.command("verify")
@click.option(
    "--checkpoint",
    "checkpoints",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Một tệp điểm kiểm tra đã lưu trữ để đối chiếu sổ (dùng được nhiều lần).",
)
@click.option("--log-key", default=None, help="Khóa kiểm tra của sổ (chuỗi hoặc tệp).")
def verify(checkpoints: tuple[Path, ...], log_key: str | None) -> None:
    """Đối chiếu mọi sự kiện đã lưu với cây của sổ, các điểm kiểm tra đã ký và các điểm đã lưu
    trữ; nếu có gì bị sửa, thoát với mã khác 0 và nêu vị trí sai đầu tiên."""
    from service.adapters.db import StoreUnavailable
    from service.application.checkpoints import verify_log

    svc = services()
    key = _log_key(log_key)
    try:
        with progress_bar("đang kiểm tra", "sự kiện", svc.runner.head(), disable=None) as reach:
            found = verify_log(svc, key, archived=_archived(checkpoints), progress=reach)
    except NoteError as error:
        raise click.ClickException(str(error)) from None
    except StoreUnavailable as error:
        raise click.ClickException(
            f"Không kết nối được cơ sở dữ liệu để kiểm chứng sổ: {error}"
        ) from None
    _report(
        found,
        f"vị trí của sổ: {found.events} sự kiện và {found.gaps} chỗ trống "
        "(số thứ tự kho đã cấp cho những lần ghi bị từ chối hoặc hoàn tác); "
        f"{found.photos} ảnh chứng cứ đọc lại khớp mã băm trong sổ",
    )


@audit.command("export")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export(date_from: datetime | None, date_to: datetime | None, out: Path) -> None:
    """Xuất các sự kiện ghi trong một khoảng ngày (giờ Việt Nam; mặc định cả sổ) dạng JSON
    Lines, kèm điểm kiểm tra đã ký bao trùm chúng và các mã băm nối chúng với điểm đó, để
    kiểm bằng `sovang audit verify-export`."""
    from service.application.checkpoints import sign_checkpoint
    from service.domain.logfile import checkpoint_line, header_line
    from service.projections import audit as audit_view
    from service.projections import checkpoints as checkpoint_view
    from service.projections.log import Tree

    svc = services()
    svc.runner.catch_up()
    start = _utc(date_from.date()) if date_from else "0001-01-01"
    end = _utc(date_to.date() + timedelta(days=1)) if date_to else "9999-12-31"
    with svc.db.transaction() as tx:
        first, last = audit_view.positions_between(tx, start, end)
        covering = checkpoint_view.covering(tx, last)
    if not first:
        raise click.ClickException(
            "Không có sự kiện nào được ghi trong khoảng thời gian này. Hãy chọn khoảng khác."
        )
    if covering is None:
        signed = sign_checkpoint(svc)
        svc.runner.catch_up()
        covering = {"tree_size": signed.tree_size, "note": signed.log_note}
    with svc.db.transaction() as tx:
        note = checkpoint_view.cosigned_note(tx, covering)
        path = Tree(tx).range_path(first - 1, last, int(covering["tree_size"]))
    lines = _export_lines(svc, first, last)
    with (
        out.open("w", encoding="utf-8") as file,
        progress_bar("đang xuất", "sự kiện", last - first + 1, disable=None) as reach,
    ):
        file.write(json.dumps(header_line(svc.signer().name, first, last)) + "\n")
        for written, line in enumerate(lines, 1):
            file.write(json.dumps(line, ensure_ascii=False) + "\n")
            reach(written)
        file.write(json.dumps(checkpoint_line(note, path), ensure_ascii=False) + "\n")
    click.echo(f"đã xuất các vị trí {first} đến {last} cùng điểm kiểm tra của chúng vào {out}")


def _export_lines(svc: Services, first: int, last: int) -> Iterator[dict[str, Any]]:
    from service.domain.logfile import event_line, gap_line

    position = first - 1
    while position < last:
        page = svc.ledger.recorder.select_notifications(
            start=position, stop=last, limit=1000, inclusive_of_start=False
        )
        for notification in page:
            for skipped in range(position + 1, notification.id):
                yield gap_line(skipped)
            yield event_line(
                notification.id,
                notification.originator_id,
                notification.originator_version,
                notification.topic,
                notification.state,
            )
            position = notification.id
        if not page:
            for skipped in range(position + 1, last + 1):
                yield gap_line(skipped)
            position = last


def _utc(day: date) -> str:
    """Midnight in Vietnam of ``day``, as the audit trail stores times (UTC)."""
    return (datetime(day.year, day.month, day.day, tzinfo=UTC) - VIETNAM_OFFSET).isoformat()


@audit.command("verify-export")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--log-key", required=True, help="Khóa kiểm tra của sổ (chuỗi hoặc tệp).")
@click.option(
    "--checkpoint",
    "checkpoints",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Một tệp điểm kiểm tra đã lưu trữ để đối chiếu bản xuất (dùng được nhiều lần).",
)
def verify_export(file: Path, log_key: str, checkpoints: tuple[Path, ...]) -> None:
    """Kiểm một bản xuất của sổ và các điểm kiểm tra của nó mà không cần cơ sở dữ liệu: từng sự
    kiện với lá của nó, từng điểm kiểm tra với khóa của sổ và các lá."""
    from service.domain.logfile import verify_export as check

    try:
        with file.open(encoding="utf-8") as lines:
            found = check(lines, _log_key(log_key), _archived(checkpoints))
    except NoteError as error:
        raise click.ClickException(str(error)) from None
    _report(found, "vị trí trong tệp xuất")


@audit.command("witness-keygen")
@click.argument("name")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def witness_keygen(name: str, out: Path) -> None:
    """Tạo khóa ký xác nhận của một ban (c2sp cosignature/v1) trong --out; dòng cuối in khóa
    kiểm tra để đăng ký bằng POST /api/v1/audit/witnesses."""
    from service.adapters import signing

    try:
        signer = Signer.generate(name, COSIGNATURE)
        signing.write(out, signer)
    except (NoteError, FileExistsError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"đã ghi khóa ký xác nhận của {name} vào {out}; hãy giữ bí mật khóa này")
    click.echo(signer.verifier)


@audit.command("cosign")
@click.argument(
    "request_file",
    required=False,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option("--key", "key_file", type=click.Path(exists=True, path_type=Path), required=True)
@click.option("--log-key", required=True, help="Khóa kiểm tra của sổ (chuỗi hoặc tệp).")
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Điểm kiểm tra mới nhất ban này đã ký xác nhận (mặc định: tệp KEY.state cạnh khóa).",
)
@click.option("--log", "log_url", default=None, help="Địa chỉ URL của sổ, để lấy các chứng minh.")
def cosign(
    request_file: Path | None,
    key_file: Path,
    log_key: str,
    state_path: Path | None,
    log_url: str | None,
) -> None:
    """Ký xác nhận một điểm kiểm tra với tư cách bên chứng kiến (c2sp.org/tlog-witness): chỉ
    điểm do sổ ký, và chỉ khi có chứng minh nhất quán từ điểm mà ban đã ký xác nhận lần trước
    (giữ trong --state). REQUEST_FILE là một yêu cầu add-checkpoint (kích thước cũ, chứng
    minh, điểm kiểm tra) hoặc chỉ một điểm kiểm tra, khi đó chứng minh được lấy từ --log;
    không có tệp thì lấy điểm kiểm tra mới nhất từ --log. In dòng chữ ký xác nhận, để gửi
    bằng POST /api/v1/audit/checkpoints/{tree_size}/cosignatures."""
    from service.adapters import signing
    from service.adapters.witnessing import LogUnreachable, StateFile
    from service.domain.witness import WitnessRefusal, add_checkpoint

    try:
        signer = signing.load(key_file)
    except signing.SigningKeyUnavailable as error:
        raise click.ClickException(str(error)) from None
    keys = [_log_key(log_key)]
    state_file = StateFile(state_path or key_file.with_name(key_file.name + ".state"))
    try:
        with state_file.locked() as state:
            request = _witness_request(request_file, log_url, keys, state)
            try:
                line, cosigned = add_checkpoint(request, keys, state, signer, int(time.time()))
            except WitnessRefusal as refusal:
                _refused(refusal, state_file, state, request)
            state[keys[0].name] = cosigned
    except (LogUnreachable, WitnessRefusal) as error:
        raise click.ClickException(str(error)) from None
    click.echo(line, nl=False)


def _witness_request(
    request_file: Path | None, log_url: str | None, keys: list[Verifier], state: dict[str, Any]
) -> Any:
    """The add-checkpoint request to check: as given, or made from a bare checkpoint and
    the consistency proof the log gives from the board's last cosigned size."""
    from service.adapters.witnessing import consistency_proof, http_fetch, latest_checkpoint
    from service.domain.witness import AddCheckpoint, open_signed

    fetch = http_fetch(log_url) if log_url else None
    if request_file is not None:
        text = request_file.read_text(encoding="utf-8")
        if text.startswith("old "):
            return AddCheckpoint.parse(text)
    elif fetch is not None:
        text = latest_checkpoint(fetch)
    else:
        raise click.UsageError(
            "Hãy đưa một tệp checkpoint hoặc yêu cầu add-checkpoint, hoặc --log URL của sổ."
        )
    head = open_signed(text, keys)
    latest = state.get(head.origin)
    old = latest.size if latest is not None else 0
    proof: list[bytes] = []
    if 0 < old < head.size:
        if fetch is None:
            raise click.ClickException(
                f"Bảng đã ký checkpoint kích thước {old}; muốn ký kích thước {head.size} cần "
                "bằng chứng nhất quán giữa hai kích thước: chạy lại với --log URL của sổ, "
                "hoặc đưa một yêu cầu add-checkpoint có bằng chứng."
            )
        proof = consistency_proof(fetch, old, head.size)
    return AddCheckpoint(old, tuple(proof), text)


def _refused(refusal: Any, state_file: Any, state: dict[str, Any], request: Any) -> None:
    """Reports a refusal by its protocol status; a split view is kept as evidence."""
    message = f"không ký ({refusal.status}): {refusal.detail}"
    if refusal.split_view:
        kept = next(iter(state.values()), None)
        path = state_file.keep_evidence(
            "split-view",
            {
                "detail": refusal.detail,
                "kept_checkpoint": kept.checkpoint if kept else None,
                "refused_request": str(request),
            },
        )
        message += f" Bằng chứng (hai checkpoint cùng có chữ ký của sổ) đã lưu ở {path}."
    raise click.ClickException(message)


@audit.command("witness-request")
@click.option(
    "--old",
    "old_size",
    type=click.IntRange(min=0),
    required=True,
    help="Kích thước của điểm kiểm tra cuối cùng bên chứng kiến đã ký xác nhận (0 nếu chưa có).",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
def witness_request(old_size: int, out: Path | None) -> None:
    """Yêu cầu add-checkpoint (c2sp.org/tlog-witness) cho điểm kiểm tra mới nhất của sổ: kích
    thước cũ, chứng minh nhất quán từ đó, và điểm kiểm tra. Gửi cho bất kỳ bên chứng kiến nào
    dùng giao thức này (POST <bên chứng kiến>/add-checkpoint), hoặc đưa cho `sovang audit
    cosign`."""
    from service.domain.witness import AddCheckpoint
    from service.projections import checkpoints as checkpoint_view
    from service.projections.log import Tree

    svc = services()
    svc.runner.catch_up()
    with svc.db.transaction() as tx:
        latest = checkpoint_view.latest(tx)
        if latest is None:
            raise click.ClickException(
                "Chưa có checkpoint nào được ký: chạy `sovang audit checkpoint` trước."
            )
        size = int(latest["tree_size"])
        if old_size > size:
            raise click.ClickException(
                f"Checkpoint mới nhất của sổ có kích thước {size}, nhỏ hơn {old_size}."
            )
        proof = Tree(tx).consistency_proof(old_size, size) if 0 < old_size < size else []
        note = checkpoint_view.cosigned_note(tx, latest)
    body = str(AddCheckpoint(old_size, tuple(proof), note))
    if out is None:
        click.echo(body, nl=False)
    else:
        out.write_text(body, encoding="utf-8")
        click.echo(f"đã ghi yêu cầu add-checkpoint từ kích thước {old_size} đến {size} vào {out}")


@audit.command("monitor")
@click.argument("url")
@click.option("--log-key", required=True, help="Khóa kiểm tra của sổ (chuỗi hoặc tệp).")
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Nơi lưu điểm kiểm tra mới nhất đã kiểm.",
)
@click.option(
    "--every",
    type=click.FloatRange(min=1),
    default=None,
    help="Tiếp tục theo dõi, mỗi vòng cách nhau ngần này giây (mặc định chạy một vòng).",
)
def monitor(url: str, log_key: str, state_path: Path, every: float | None) -> None:
    """Theo dõi sổ ở URL: kiểm mọi điểm kiểm tra nó ký bằng khóa của sổ và bằng chứng minh nhất
    quán từ điểm trước, giữ điểm mới nhất trong --state. Một nhánh rẽ (hai điểm kiểm tra đã
    ký mà không chứng minh nào nối được) được báo kèm cả hai làm bằng chứng, thoát với mã 3."""
    from service.adapters.witnessing import LogUnreachable, StateFile, follow, http_fetch

    key = _log_key(log_key)
    state_file = StateFile(state_path)
    fetch = http_fetch(url)
    while True:
        try:
            with state_file.locked() as state:
                seen = follow(fetch, key, state)
        except LogUnreachable as error:
            raise click.ClickException(f"Không đọc được sổ: {error}") from None
        for note in seen.notes:
            click.echo(f"lưu ý: {note}", err=True)
        if seen.fork is not None:
            path = state_file.keep_evidence("fork", seen.fork.evidence(key.name))
            click.echo(
                f"PHÂN NHÁNH: sổ {key.name} đã ký hai checkpoint không nối tiếp nhau. "
                f"{seen.fork.detail}\n"
                f"Checkpoint đã lưu (kích thước {seen.fork.kept.size}):\n"
                f"{seen.fork.kept.checkpoint}\nCheckpoint mới:\n{seen.fork.seen}\n"
                f"Bằng chứng đã lưu ở {path}.",
                err=True,
            )
            raise SystemExit(3)
        latest = seen.latest
        click.echo(
            f"đã kiểm {len(seen.checked)} checkpoint mới; checkpoint mới nhất: "
            + (f"kích thước {latest.size}, gốc {latest.root.hex()}" if latest else "chưa có")
        )
        if every is None:
            return
        time.sleep(every)
