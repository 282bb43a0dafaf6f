"""POST /funds/{id}/imports and GET /imports/{id}: a statement file becomes a job."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.api.helpers import (
    API,
    MakeToken,
    auth,
    commune_with_fund,
    get,
    invalid,
    ledger,
    ok,
    problem,
)

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "sao-ke-vietcombank.csv"


def send(
    client: FlaskClient,
    token: str,
    fund_id: str,
    data: bytes | None = None,
    filename: str = "sao-ke.csv",
    **query: Any,
) -> TestResponse:
    form = {} if data is None else {"file": (io.BytesIO(data), filename)}
    return client.post(
        f"{API}/funds/{fund_id}/imports",
        data=form,
        query_string={"preset": "vietcombank", **query},
        headers=auth(token),
        content_type="multipart/form-data",
    )


def finished(client: FlaskClient, token: str, started: TestResponse) -> dict[str, Any]:
    assert started.status_code == 202, started.get_data(as_text=True)
    job_id = started.get_json()["job_id"]
    for _ in range(200):
        job = ok(get(client, f"/imports/{job_id}", token))
        if job["status"] != "running":
            return job
        time.sleep(0.05)
    raise AssertionError("the import did not finish")


def test_an_import_job_records_the_statement_and_reports_its_bad_rows(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    data = SAMPLE.read_bytes()

    dry = finished(
        client, world.treasurer, send(client, world.treasurer, world.fund_id, data, dry_run="true")
    )
    done = finished(client, world.treasurer, send(client, world.treasurer, world.fund_id, data))
    again = finished(client, world.treasurer, send(client, world.treasurer, world.fund_id, data))

    assert (dry["status"], dry["dry_run"], dry["recorded"], dry["position"]) == (
        "done",
        True,
        5,
        None,
    )
    assert (done["status"], done["recorded"], done["amount"], done["bad"]) == (
        "done",
        5,
        13_650_000,
        1,
    )
    assert done["bad_rows"] == [{"row": 12, "reason": "Số tiền (amount) “abc” không phải là số."}]
    assert (again["recorded"], again["duplicates"]) == (0, 5)
    assert [r["row"] for r in again["duplicate_rows"]] == [7, 8, 9, 11, 13]
    entries = ledger(client, world.treasurer, world.fund_id, done["position"])
    assert [(e["bank_ref"], e["slip_no"]) for e in entries] == [
        ("5219.1317", 1),
        ("5219.1318", 2),
        ("5219.1319", 3),
        ("5220.0002", 4),
        ("5221.0101", 5),
    ]
    assert entries[2]["donor"] == {"name": None, "kind": "anonymous"}


def test_columns_can_be_named_for_a_layout_no_preset_knows(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    data = "Ngày,Tiền vào,Ghi chú,Mã\n05/03/2025,1.200.000,Lớp 12A ủng hộ,GD1\n".encode()

    done = finished(
        client,
        world.treasurer,
        send(
            client,
            world.treasurer,
            world.fund_id,
            data,
            preset="sovang",
            columns=json.dumps({"amount": "Tiền vào", "memo": "Ghi chú", "reference": "Mã"}),
        ),
    )

    assert (done["recorded"], done["amount"]) == (1, 1_200_000)


def test_an_import_refuses_what_it_cannot_read_and_who_may_not_write(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    data = SAMPLE.read_bytes()

    invalid(send(client, world.treasurer, world.fund_id), "file")
    problem(
        send(client, world.treasurer, world.fund_id, b"a,b\n1,2\n", preset="bidv"),
        422,
        "unreadable-statement",
    )
    problem(
        send(client, world.treasurer, world.fund_id, data, filename="sao-ke.pdf"),
        422,
        "unreadable-statement",
    )
    invalid(send(client, world.treasurer, world.fund_id, data, preset="acb"), "preset")
    invalid(send(client, world.treasurer, world.fund_id, data, columns="[1]"), "columns")
    problem(send(client, make_token("viewer", world.commune_id), world.fund_id, data), 403)
    problem(send(client, world.treasurer, "00000000-0000-0000-0000-000000000001", data), 404)
    problem(get(client, "/imports/00000000-0000-0000-0000-000000000001", world.treasurer), 404)
    started = send(client, world.treasurer, world.fund_id, data)
    other = make_token("treasurer", commune_with_fund(client, make_token).commune_id)
    finished(client, world.treasurer, started)
    problem(get(client, f"/imports/{started.get_json()['job_id']}", other), 403)
