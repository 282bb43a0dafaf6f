"""The plain same-stack app: Flask under gunicorn and the eventsourcing library (the
service's version, its PostgreSQL recorder), written as the library's documentation
teaches. A fund is an aggregate; a receipt loads it from the repository (the library's
aggregate cache, brought up to date with one query, as the service configures it), calls
one method and saves: one aggregate save per request. None of Sổ Vàng's rules: no
tokens, idempotency, overdraft checks, log leaves or projections.

    SOVANG_BENCH_PLAIN_URL=postgresql://... gunicorn 'bench.plain_app:create_app()'
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from flask import Flask, request

from service.adapters.db import StoreUrl


class PlainFund(Aggregate):
    @event("Opened")
    def __init__(self, name: str) -> None:
        self.name = name
        self.balance = 0
        self.receipts = 0

    @event("ReceiptRecorded")
    def record_receipt(
        self,
        amount: int,
        occurred_on: str,
        channel: str,
        donor: dict[str, str],
        bank_ref: str,
        note: str,
    ) -> None:
        self.balance += amount
        self.receipts += 1


class PlainFunds(Application[uuid.UUID]):
    def open_fund(self, name: str) -> uuid.UUID:
        fund = PlainFund(name)
        self.save(fund)
        return fund.id

    def record_receipt(self, fund_id: uuid.UUID, body: dict[str, Any]) -> int:
        fund: PlainFund = self.repository.get(fund_id)
        fund.record_receipt(
            amount=body["amount"],
            occurred_on=body["occurred_on"],
            channel=body["channel"],
            donor=body["donor"],
            bank_ref=body.get("bank_ref", ""),
            note=body.get("note", ""),
        )
        self.save(fund)
        return int(fund.version)


def library_env(url: str, *, create_table: bool, pool_size: int) -> dict[str, str]:
    """The library's settings as the service gives them (connection, pool, aggregate
    cache), without the service's own recorder or snapshots."""
    env = StoreUrl.parse(url).eventsourcing_env(create_table=create_table, pool_size=pool_size)
    env.pop("APPLICATION_RECORDER_TOPIC", None)
    env["IS_SNAPSHOTTING_ENABLED"] = "n"
    return env


def create_app() -> Flask:
    url = os.environ["SOVANG_BENCH_PLAIN_URL"]
    threads = int(os.environ.get("SOVANG_BENCH_PLAIN_THREADS", "4"))
    funds = PlainFunds(env=library_env(url, create_table=False, pool_size=threads))
    app = Flask(__name__)

    @app.get("/healthz")
    def healthz() -> tuple[dict[str, str], int]:
        return {"status": "ok"}, 200

    @app.post("/funds")
    def open_fund() -> tuple[dict[str, str], int]:
        body = request.get_json(silent=True) or {}
        return {"id": str(funds.open_fund(str(body.get("name", "Quỹ"))))}, 201

    @app.post("/funds/<uuid:fund_id>/receipts")
    def receive(fund_id: uuid.UUID) -> tuple[dict[str, Any], int]:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("amount"), int):
            return {"error": "a receipt is a JSON object with an integer amount"}, 400
        return {"version": funds.record_receipt(fund_id, body)}, 201

    return app
