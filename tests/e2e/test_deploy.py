"""The production way to run the API: gunicorn itself with the service's settings module,
as docs/OPERATIONS.md and the systemd units in deploy/ do."""

from __future__ import annotations

import re
import signal
import subprocess
import urllib.request
from pathlib import Path

from tests.e2e.cli import BIN, free_port, sovang, sovang_env, wait_until_healthy


def test_gunicorn_runs_the_api_with_the_services_settings_module(
    database_url: str, tmp_path: Path, signing_key_path: Path
) -> None:
    sovang(database_url, "migrate")
    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = {
        **sovang_env(database_url, signing_key_path),
        "SOVANG_BIND": f"127.0.0.1:{port}",
        "SOVANG_WORKERS": "2",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "-c",
                "python:service.entrypoints.gunicorn_conf",
                "service.entrypoints.wsgi:create_app()",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    root = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(root, process, log)
        for _ in range(4):
            urllib.request.urlopen(root + "/healthz", timeout=10).read()
        metrics = urllib.request.urlopen(root + "/metrics", timeout=10).read().decode()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(20)

    counted = re.search(
        r'^sovang_http_requests_total\{method="GET",route="/healthz",status="200"\} (\S+)$',
        metrics,
        re.M,
    )
    assert counted is not None, metrics
    assert float(counted.group(1)) >= 4
    assert '"route": "/healthz"' in log.read_text()
    assert process.returncode == 0
