"""The bench's reference apps (bench/floor_app.py, bench/plain_app.py) answer as the
write-path bench expects: a receipt stored is a 201, the floor's row reads back by its
key, and the plain app's fund gains one event a receipt."""

from __future__ import annotations

import random
import uuid
from datetime import date

import pytest

from bench import floor_app, plain_app
from bench.common import gift_body


def test_the_floor_stores_a_receipt_as_one_row_and_reads_it_back(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    floor_app.create_table(postgres_url)
    monkeypatch.setenv("SOVANG_BENCH_FLOOR_URL", postgres_url)
    client = floor_app.create_app().test_client()
    body = gift_body(random.Random(1), date(2024, 9, 8))
    fund = uuid.uuid4()

    stored = client.post(f"/funds/{fund}/receipts", json=body)
    read = client.get(f"/rows/{stored.json['id']}")  # type: ignore[index]

    assert stored.status_code == 201
    assert read.status_code == 200
    assert read.json == {
        "id": stored.json["id"],  # type: ignore[index]
        "fund_id": str(fund),
        "topic": floor_app.TOPIC,
        "state": body,
    }
    assert client.post(f"/funds/{fund}/receipts", json=["no"]).status_code == 400
    assert client.get("/rows/999999").status_code == 404


def test_the_plain_app_saves_one_event_a_receipt(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain_app.PlainFunds(
        env=plain_app.library_env(postgres_url, create_table=True, pool_size=1)
    ).close()
    monkeypatch.setenv("SOVANG_BENCH_PLAIN_URL", postgres_url)
    client = plain_app.create_app().test_client()
    rng = random.Random(2)

    fund = client.post("/funds", json={"name": "Quỹ vì người nghèo"}).json["id"]  # type: ignore[index]
    answers = [
        client.post(f"/funds/{fund}/receipts", json=gift_body(rng, date(2024, 9, 8)))
        for _ in range(3)
    ]

    assert [a.status_code for a in answers] == [201, 201, 201]
    assert [a.json["version"] for a in answers] == [2, 3, 4]  # type: ignore[index]
