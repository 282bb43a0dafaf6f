"""The HTTP floor: the service's own stack (Flask under gunicorn, psycopg 3 on PostgreSQL)
doing the least a receipt can cost. A view parses the receipt's JSON and stores it as one
event-sized row, one ``INSERT`` + ``COMMIT`` on the worker thread's own connection, and a
view reads one row back by primary key. No tokens, no rules, no log: what Sổ Vàng does
over this is what the bench's ratio against it measures.

    SOVANG_BENCH_FLOOR_URL=postgresql://... gunicorn 'bench.floor_app:create_app()'
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from typing import Any

import psycopg
from flask import Flask, request

TOPIC = "service.domain.funds:Fund.ReceiptRecorded"
#: The stored receipt's size in the service, measured by the bench (bench/write_path.py).
ROW_BYTES = int(os.environ.get("SOVANG_BENCH_FLOOR_ROW_BYTES", "500"))


def create_table(url: str) -> None:
    """Run once before the workers start."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS floor_events (id bigserial PRIMARY KEY, "
            "fund_id uuid NOT NULL, topic text NOT NULL, state bytea NOT NULL)"
        )


def create_app() -> Flask:
    url = os.environ["SOVANG_BENCH_FLOOR_URL"]
    local = threading.local()

    def connection() -> psycopg.Connection[Any]:
        conn: psycopg.Connection[Any] | None = getattr(local, "conn", None)
        if conn is None or conn.closed:
            conn = local.conn = psycopg.connect(url)
        return conn

    app = Flask(__name__)

    @app.get("/healthz")
    def healthz() -> tuple[dict[str, str], int]:
        return {"status": "ok"}, 200

    @app.post("/funds/<uuid:fund_id>/receipts")
    def receive(fund_id: uuid.UUID) -> tuple[dict[str, Any], int]:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("amount"), int):
            return {"error": "a receipt is a JSON object with an integer amount"}, 400
        state = json.dumps(body, ensure_ascii=False).encode().ljust(ROW_BYTES)
        conn = connection()
        row = conn.execute(
            "INSERT INTO floor_events (fund_id, topic, state) VALUES (%s, %s, %s) RETURNING id",
            (fund_id, TOPIC, state),
        ).fetchone()
        conn.commit()
        assert row is not None
        return {"id": row[0]}, 201

    @app.get("/rows/<int:row_id>")
    def one_row(row_id: int) -> tuple[dict[str, Any], int]:
        conn = connection()
        row = conn.execute(
            "SELECT id, fund_id, topic, state FROM floor_events WHERE id = %s", (row_id,)
        ).fetchone()
        conn.commit()
        if row is None:
            return {"error": "no such row"}, 404
        return {
            "id": row[0],
            "fund_id": str(row[1]),
            "topic": row[2],
            "state": json.loads(bytes(row[3]).rstrip()),
        }, 200

    return app
