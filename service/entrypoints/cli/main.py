"""The ``sovang`` command: migrate, tokens, serve, projections and the demo data set."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

import click
from tqdm import tqdm

from service.adapters.bank_files import PRESETS
from service.adapters.db import BadDatabaseUrl, Database, StoreUrl
from service.application.statement_import import ImportReport
from service.bootstrap import Services
from service.config import Config
from service.domain.errors import DomainError
from service.domain.vocabulary import Role
from service.entrypoints.cli.audit import audit
from service.entrypoints.cli.controls import fund
from service.entrypoints.wsgi import create_app
from service.version import VERSION

if TYPE_CHECKING:
    from service.application.statement_import import ImportReport


class Refused(click.ClickException):
    """A refusal the operator reads as it is: one Vietnamese sentence, no traceback."""

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), err=True, file=file)


def store_url(config: Config) -> StoreUrl:
    try:
        return StoreUrl.parse(config.database_url)
    except BadDatabaseUrl as error:
        raise click.UsageError(str(error)) from None


def require_migrated(url: StoreUrl) -> None:
    """Refuses a store that lacks any migration of this release (never migrated, or
    migrated by an older release)."""
    from service.adapters import schema

    try:
        schema.check_store(url)
    except (schema.StoreNotMigrated, schema.MigrationsMissing, schema.StoreUnreachable) as error:
        raise Refused(str(error)) from None


def services() -> Services:
    """The services of a command that reads or writes the store, once the store is
    known to have every migration of this release."""
    config = Config.from_env()
    require_migrated(store_url(config))
    return Services(config)


@click.group()
@click.version_option(VERSION, prog_name="sovang", message="%(prog)s %(version)s")
def main() -> None:
    """Sổ Vàng: the ledger of the Fund for the Poor and the Great Solidarity houses."""


@main.command()
def migrate() -> None:
    """Create or upgrade every table (event store and read models); safe to run twice."""
    from service.adapters.migrate import migrate as run_migrations
    from service.adapters.schema import MigrationsMissing

    try:
        applied = run_migrations(store_url(Config.from_env()))
    except MigrationsMissing as error:
        raise Refused(str(error)) from None
    click.echo(
        f"đã nâng cấp kho dữ liệu: áp dụng {len(applied)} migration"
        + (f" ({', '.join(applied)})" if applied else "; kho đã ở bản mới nhất")
    )


@main.group()
def token() -> None:
    """API tokens."""


@token.command("create")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option(
    "--unit",
    "unit_id",
    type=click.UUID,
    default=None,
    help="The unit the token belongs to (all roles but admin).",
)
@click.option("--name", required=True, help="Who holds the token, e.g. 'Thủ quỹ xã Mẫu'.")
@click.option(
    "--personal-data",
    is_flag=True,
    help="Let the token read beneficiaries' personal data in its reach (admins always may).",
)
@click.option(
    "--expires-in-days",
    type=click.IntRange(1, 3650),
    default=None,
    help="The token stops working after this many days (by default it works until revoked).",
)
@click.option(
    "--same-person-as",
    "same_person_as",
    default=None,
    metavar="TOKEN_ID",
    help="The token is held by the person who holds TOKEN_ID: they never approve what they "
    "recorded with either token.",
)
def token_create(
    role: str,
    unit_id: UUID | None,
    name: str,
    personal_data: bool,
    expires_in_days: int | None,
    same_person_as: str | None,
) -> None:
    """Make an API token; the token alone is printed on the last line."""
    from service.adapters import tokens

    svc = services()
    chosen = Role(role)
    if chosen is not Role.ADMIN and unit_id is None:
        raise click.UsageError(
            f"Token vai trò {role} phải thuộc một đơn vị: hãy thêm --unit MÃ_ĐƠN_VỊ."
        )
    if unit_id is not None:
        try:
            svc.ledger.unit(unit_id)
        except DomainError:
            raise click.UsageError(
                f"Không có đơn vị nào mang mã {unit_id}. Hãy kiểm tra lại mã đơn vị."
            ) from None
    person_id = _token_person(svc.db, name, same_person_as)
    expires_at = datetime.now(UTC) + timedelta(days=expires_in_days) if expires_in_days else None
    token_id, secret = tokens.create(
        svc.db,
        name=name,
        role=chosen,
        unit_id=unit_id,
        personal_data=personal_data,
        expires_at=expires_at,
        person_id=person_id,
    )
    granted = ", được xem dữ liệu cá nhân" if personal_data else ""
    if expires_at is not None:
        granted += f", dùng được đến {expires_at:%d/%m/%Y %H:%M} UTC"
    click.echo(
        f"token mã {token_id} cho {name} ({role}{granted}); token chỉ hiện một lần, "
        "hãy cất giữ cẩn thận:"
    )
    click.echo(secret)


def _token_person(db: Database, name: str, same_person_as: str | None) -> str | None:
    """The person a new token is for: another token's holder, or else a new person.
    Maker-checker tells people apart by who holds a token, never by name, so a name that
    looks like an existing token's is pointed out."""
    from service.adapters import tokens

    if same_person_as is not None:
        person_id = tokens.person_of(db, same_person_as)
        if person_id is None:
            raise click.UsageError(f"Không có token nào mang id {same_person_as}.")
        return person_id
    alike = tokens.look_alikes(db, name)
    if alike:
        listed = ", ".join(f"{token_id} ({held})" for token_id, held in alike)
        click.echo(
            f"Lưu ý: tên này giống tên người giữ token đã có: {listed}. Token mới được coi là "
            "của một người khác; nếu là cùng một người, hãy thu hồi nó và tạo lại với "
            "--same-person-as TOKEN_ID để người đó không tự duyệt khoản mình ghi.",
            err=True,
        )
    return None


@token.command("revoke")
@click.argument("token_id")
def token_revoke(token_id: str) -> None:
    """Revoke a token by its id."""
    from service.adapters import tokens

    if not tokens.revoke(services().db, token_id):
        raise click.ClickException(
            f"Không có token nào đang dùng mang mã {token_id}. Hãy kiểm tra lại mã."
        )
    click.echo(f"đã thu hồi token {token_id}")


@main.group()
def keys() -> None:
    """The master key of beneficiaries' personal data and the inspector pages' session key."""


@keys.command("init")
@click.option("--keep", is_flag=True, help="Keep the key files that already exist.")
def keys_init(keep: bool) -> None:
    """Make the master key of beneficiaries' personal data (the file SOVANG_PERSONAL_DATA_KEY
    names) and the key of the inspector pages' sessions (SOVANG_SESSION_KEY), outside the
    database. Keep them secret; back up the master key: without it no household's name,
    address, CCCD or phone can be read."""
    from service.adapters import keyfiles, personal_data

    config = Config.from_env()
    existing = [p for p in (config.personal_data_key_path, config.session_key_path) if p.exists()]
    if existing and not keep:
        raise click.ClickException(
            f"{existing[0]} đã có; khóa không bao giờ bị thay. Muốn giữ khóa cũ, hãy thêm --keep."
        )
    if config.personal_data_key_path.exists():
        personal_data.load(config.personal_data_key_path)
        click.echo(f"khóa chính dữ liệu cá nhân đã có ở {config.personal_data_key_path}")
    else:
        personal_data.write(config.personal_data_key_path)
        click.echo(
            f"đã ghi khóa chính dữ liệu cá nhân vào {config.personal_data_key_path}; "
            "hãy giữ bí mật và sao lưu khóa này"
        )
    if config.session_key_path.exists():
        keyfiles.read_random(config.session_key_path, "sovang keys init")
        click.echo(f"khóa phiên đã có ở {config.session_key_path}")
    else:
        keyfiles.write_random(config.session_key_path)
        click.echo(f"đã ghi khóa phiên vào {config.session_key_path}; hãy giữ bí mật khóa này")


@main.command()
@click.option("--bind", default="127.0.0.1:8000", show_default=True)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64))
def serve(bind: str, workers: int, threads: int) -> None:
    """Run the API under gunicorn, with a projection runner keeping the read models current."""
    from gunicorn.app.base import BaseApplication

    from service.entrypoints import gunicorn_conf

    require_migrated(store_url(Config.from_env()))
    runner = RunnerSupervisor()
    master = os.getpid()

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in vars(gunicorn_conf).items():
                if key in self.cfg.settings and value is not None:
                    self.cfg.set(key, value)
            self.cfg.set("accesslog", None)
            for key, value in {"bind": bind, "workers": workers, "threads": threads}.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return create_app()

    try:
        Server().run()
    finally:
        # Workers are forked from here and leave through this block too: only the
        # server itself stops the runner.
        if os.getpid() == master:
            runner.stop()


class RunnerSupervisor:
    """The projection runner of ``sovang serve`` as a child process, started again when
    it dies (killed, or exited on a store error such as a PostgreSQL restart), so that
    the read models never stop following the log while the API serves. It runs in a
    session of its own, so that a signal to the server's process group is no reason to
    replace it: it stops when told to by ``stop``, or when the server is gone."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stopping = False
        self._process = self._start()
        threading.Thread(target=self._watch, name="projection-runner", daemon=True).start()

    def _watch(self) -> None:
        while True:
            code = self._process.wait()
            time.sleep(1.0)
            with self._lock:
                if self._stopping:
                    return
                logging.getLogger("sovang.runner").warning(
                    "the projection runner exited (%s); starting another", code
                )
                self._process = self._start()

    @staticmethod
    def _start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "service.entrypoints.cli",
                "projections",
                "run",
                "--exit-with-parent",
            ],
            start_new_session=True,
        )

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._process.terminate()
        self._process.wait(10)


@main.group()
def projections() -> None:
    """The read models: run, rebuild, status."""


@projections.command("run")
@click.option("--exit-with-parent", is_flag=True, hidden=True)
def projections_run(exit_with_parent: bool) -> None:
    """Follow the event log and keep every projection up to date, until stopped (SIGTERM or
    Ctrl-C: the runner leaves at once, whatever it is doing, and exits 0)."""
    from service.entrypoints.cli.stopping import leave_when_told

    leave_when_told(with_parent=exit_with_parent)
    svc = services()
    from service.application.checkpoints import Schedule
    from service.projections.leadership import Leadership

    schedule = Schedule(svc)
    leadership = Leadership(svc.url, [p.name for p in svc.runner.projections])

    def after_catch_up(reached: int, led: frozenset[str]) -> None:
        if "checkpoints" in led:  # the checkpoints' leader signs them
            schedule.tick(reached)

    click.echo("đang theo dõi nhật ký sự kiện; dừng bằng SIGTERM hoặc Ctrl-C", err=True)
    try:
        svc.runner.run_forever(
            threading.Event(), after_catch_up=after_catch_up, leading=leadership.held
        )
    finally:
        leadership.close()


@projections.command("rebuild")
@click.argument("chosen", metavar="[NAME]...", nargs=-1)
def projections_rebuild(chosen: tuple[str, ...]) -> None:
    """Rebuild the named projections (or all) from the event log, with a progress bar."""
    svc = services()
    names = [p.name for p in svc.runner.projections]
    unknown = [name for name in chosen if name not in names]
    if unknown:
        raise click.UsageError(
            f"Không có bảng dữ liệu đọc nào tên {', '.join(map(repr, unknown))}; "
            f"hãy chọn trong: {', '.join(names)}."
        )
    which = ", ".join(chosen) or "mọi bảng dữ liệu đọc"
    head = svc.runner.head()
    with tqdm(total=head, unit="event", desc=f"rebuilding {which}") as bar:

        def progress(position: int) -> None:
            bar.update(position - bar.n)

        svc.runner.rebuild(list(chosen) or None, progress=progress)
        bar.update(head - bar.n)
    click.echo(f"đã dựng lại {which} đến vị trí {svc.runner.position()}")


@projections.command("status")
def projections_status() -> None:
    """Each projection's position, how far it lags the log, and which runner leads it."""
    from service.projections.leadership import leaders

    svc = services()
    head = svc.runner.head()
    positions = svc.runner.positions()
    led = leaders(svc.db, list(positions))
    click.echo(f"{'projection':<18} {'position':>10} {'lag':>8}  runner")
    for name, position in positions.items():
        runner = f"pid {led[name]}" if led[name] else "-"
        click.echo(f"{name:<18} {position:>10} {head - position:>8}  {runner}")
    click.echo(f"{'log head':<18} {head:>10}")


@projections.command("check")
@click.option(
    "--workdir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Where the shadow tables go (the system's temporary folder by default).",
)
def projections_check(workdir: Path | None) -> None:
    """Recompute every read model from the log into shadow tables and compare; exit
    non-zero naming the first difference (a balance or an entry changed by hand)."""
    from service.adapters.db import StoreUnavailable
    from service.application.read_model_check import check

    svc = services()
    try:
        with tqdm(total=svc.runner.head(), unit="event", desc="recomputing", disable=None) as bar:
            found = check(
                svc, progress=lambda position: bar.update(position - bar.n), workdir=workdir
            )
    except StoreUnavailable as error:
        raise click.ClickException(
            f"Không kết nối được cơ sở dữ liệu để đối chiếu: {error}"
        ) from None
    for note in found.notes:
        click.echo(f"lưu ý: {note}", err=True)
    if found.difference is not None:
        raise click.ClickException(
            f"Bảng đọc khác với sổ sự kiện: {found.difference.describe()}. "
            "Chạy `sovang projections rebuild` để tính lại từ sổ, rồi tìm xem ai đã sửa."
        )
    click.echo(
        f"các bảng đọc khớp với sổ sự kiện đến vị trí {found.position}: "
        f"{found.tables} bảng, {found.rows} dòng"
    )


@main.command()
def demo() -> None:
    """Load a realistic demo data set: a province, wards, funds, donors and a year of entries."""
    from service.adapters.personal_data import PersonalDataKeyUnavailable
    from service.entrypoints.cli.demo import load

    svc = services()
    if svc.runner.head() > 0:
        click.echo("Kho đã có dữ liệu; bộ dữ liệu mẫu chỉ nạp vào kho trống.")
        return
    try:
        svc.keyring()
    except PersonalDataKeyUnavailable:
        click.echo(
            "Chưa có khóa dữ liệu cá nhân (sovang keys init): bỏ qua hộ gia đình và hồ sơ hỗ trợ."
        )
        summary = load(svc.ledger, cases=False)
    else:
        summary = load(svc.ledger)
    svc.runner.catch_up()
    for line in summary:
        click.echo(line)


@main.command("backup")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def backup_command(out: Path) -> None:
    """Copy the whole store to a file, safely while the service runs (SQLite's online
    backup, or pg_dump); the signing key is backed up on its own."""
    from service.adapters.backup import BackupFailed, backup

    try:
        backup(StoreUrl.parse(Config.from_env().database_url), out)
    except BackupFailed as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"đã sao lưu kho dữ liệu vào {out}")


@main.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(file: Path) -> None:
    """Restore a backup into the (empty) store SOVANG_DATABASE_URL names; then run
    `sovang audit verify` and `sovang projections rebuild`."""
    from service.adapters.backup import BackupFailed, restore

    try:
        restore(StoreUrl.parse(Config.from_env().database_url), file)
    except BackupFailed as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"đã khôi phục {file}; bây giờ hãy chạy `sovang audit verify`")


@main.group("import")
def import_() -> None:
    """Bring outside records in: bank statements."""


@import_.command("receipts")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--fund", "fund_id", type=click.UUID, required=True, help="The fund to record into.")
@click.option(
    "--preset",
    type=click.Choice(sorted(PRESETS)),
    default="sovang",
    show_default=True,
    help="The bank's layout.",
)
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="FIELD=LABEL",
    help="Name a column by its header label, e.g. --column 'amount=Số tiền ghi có'.",
)
@click.option("--dry-run", is_flag=True, help="Record nothing; report what would be recorded.")
@click.option(
    "--confirm-repeats",
    "confirm",
    multiple=True,
    metavar="LINES",
    help="Line numbers (e.g. 32,45) of lines identical to an earlier one that are gifts "
    "of their own; the dry run's report names them.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write every line not recorded, as CSV "
    "(default: FILE's name with .bao-cao.csv, in the current folder).",
)
@click.option(
    "--by",
    default=lambda: os.environ.get("USER") or "operator",
    help="Who imports, as the receipts will name them.",
)
def import_receipts(
    file: Path,
    fund_id: UUID,
    preset: str,
    columns: tuple[str, ...],
    dry_run: bool,
    confirm: tuple[str, ...],
    report_path: Path | None,
    by: str,
) -> None:
    """Record every credit of a CSV or XLSX bank statement as a bank receipt, once; report
    every other line (already recorded, identical to an earlier line, debits, bad lines,
    lines that hold no transaction) by its line number, in a CSV file."""
    from service.application import Request
    from service.application import import_jobs as imports
    from service.domain.actors import Actor

    svc = services()
    try:
        named = dict(column.split("=", 1) for column in columns)
    except ValueError:
        raise click.UsageError(
            "Hãy ghi mỗi --column theo dạng TRƯỜNG=TIÊU_ĐỀ_CỘT, ví dụ date='Ngày GD'."
        ) from None
    try:
        confirmed = {int(n) for part in confirm for n in part.replace(" ", "").split(",") if n}
    except ValueError:
        raise click.UsageError("Give --confirm-repeats as line numbers, e.g. 32,45.") from None
    try:
        fund = svc.ledger.fund(fund_id)
        operator = Request(
            Actor(f"cli:{by}", by, Role.TREASURER, fund.unit_id),
            request_id=f"import:{file.name}",
        )
        prepared = imports.prepare(file, file.name, imports.layout_of(preset, named))
        with tqdm(unit="row", desc="chạy thử" if dry_run else "đang nhập") as bar:

            def progress(report: ImportReport) -> None:
                bar.update(report.lines - bar.n)

            report = imports.run(
                svc,
                operator,
                fund_id,
                prepared,
                dry_run=dry_run,
                confirmed=confirmed,
                progress=progress,
            )
    except DomainError as error:
        raise click.ClickException(error.detail) from None
    svc.runner.catch_up()
    path = report_path or Path(f"{file.stem}.bao-cao.csv")
    path.write_text(imports.report_csv(report.not_recorded), encoding="utf-8")
    for line in imports.summary(report):
        click.echo(line)
    for line in imports.repeat_notes(report):
        click.echo(line)
    listed = [row for row in report.not_recorded if row["outcome"] != "not_a_transaction"]
    for row in listed[:20]:
        click.echo(f"  dòng {row['row']}: {row['reason']}")
    if len(listed) > 20:
        click.echo(f"  … và {len(listed) - 20} dòng nữa")
    click.echo(f"báo cáo từng dòng không ghi: {path}")


main.add_command(audit)
main.add_command(fund)

if __name__ == "__main__":
    main()
