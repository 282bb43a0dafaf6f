"""``sovang serve``: the API under gunicorn, with a projection runner beside it."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from typing import Any

import click

from service.entrypoints.cli.context import config, require_migrated, store_url
from service.entrypoints.wsgi import create_app


@click.command()
@click.option("--bind", default="127.0.0.1:8000", show_default=True)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64))
def serve(bind: str, workers: int, threads: int) -> None:
    """Chạy API và các trang dưới gunicorn, kèm tiến trình cập nhật các bảng dữ liệu đọc."""
    from gunicorn.app.base import BaseApplication

    from service.entrypoints import gunicorn_conf

    require_migrated(store_url(config()))
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
