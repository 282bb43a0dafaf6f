"""POST /funds/{id}/imports and GET /imports/{id}: a bank file becomes a job."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
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
BANK_FILES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "bank_files"


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


def test_an_import_job_records_the_bank_file_and_reports_every_other_line(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    data = SAMPLE.read_bytes()

    dry = finished(
        client, world.treasurer, send(client, world.treasurer, world.fund_id, data, dry_run="true")
    )
    done = finished(client, world.treasurer, send(client, world.treasurer, world.fund_id, data))
    again = finished(client, world.treasurer, send(client, world.treasurer, world.fund_id, data))

    figures = ("recorded", "amount", "duplicates", "repeats", "debits", "debits_amount", "bad")
    assert (dry["status"], dry["dry_run"], dry["position"]) == ("done", True, None)
    assert (
        [dry[f] for f in figures]
        == [done[f] for f in figures]
        == [6, 15_650_000, 0, 1, 2, 5_002_200, 1]
    )
    assert dry["not_recorded"] == done["not_recorded"]
    assert (done["lines"], done["skipped"], done["rows_read"]) == (17, 7, 17)
    assert done["repeat_groups"] == [
        {"rows": [12, 13], "outcomes": {"12": "recorded", "13": "repeated"}, "confirmed": []}
    ]
    assert (again["recorded"], again["duplicates"], again["duplicates_amount"]) == (
        0,
        6,
        15_650_000,
    )
    entries = ledger(client, world.treasurer, world.fund_id, done["position"])
    # bank credits carry the bank's document, never a cash receipt slip (phiếu thu)
    assert [(e["bank_ref"], e["slip_no"]) for e in entries] == [
        ("5219.1317", None),
        ("5219.1318", None),
        ("5219.1318", None),
        ("5219.1319", None),
        ("5220.0002", None),
        ("5221.0101", None),
    ]
    assert entries[2]["donor"] == {"name": "LE VAN CUONG", "kind": "individual"}

    report = client.get(again["report_csv"], headers=auth(world.treasurer))
    assert report.status_code == 200
    assert report.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(report.get_data(as_text=True))))
    assert lines[0] == ["Dòng", "Kết quả", "Lý do", "Ngày", "Số chứng từ", "Số tiền"]
    assert [int(line[0]) for line in lines[1:]] == [n for n in range(1, 18)]
    assert lines[9][:2] == ["9", "already_recorded"]
    assert (lines[11][1], lines[11][5]) == ("debit", "2200")


def test_an_import_job_loads_its_fund_once_from_the_request_to_the_last_batch(
    client: FlaskClient, make_token: MakeToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = commune_with_fund(client, make_token)
    ledger_ = client.application.extensions["sovang"].ledger
    loaded: list[str] = []
    load = ledger_.fund

    def fund_loaded(fund_id: UUID) -> Any:
        loaded.append(str(fund_id))
        return load(fund_id)

    monkeypatch.setattr(ledger_, "fund", fund_loaded)
    done = finished(
        client, world.treasurer, send(client, world.treasurer, world.fund_id, SAMPLE.read_bytes())
    )

    assert done["recorded"] == 6
    assert loaded == [world.fund_id]


def test_a_repeated_line_is_recorded_when_the_treasurer_confirms_it(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    data = SAMPLE.read_bytes()

    done = finished(
        client,
        world.treasurer,
        send(client, world.treasurer, world.fund_id, data, confirm_repeats="13"),
    )

    assert (done["recorded"], done["repeats"], done["amount"]) == (7, 0, 15_800_000)
    assert done["repeat_groups"][0]["confirmed"] == [13]
    invalid(
        send(client, world.treasurer, world.fund_id, data, confirm_repeats="13;x"),
        "confirm_repeats",
    )


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
    problem(get(client, f"/imports/{started.get_json()['job_id']}/report.csv", other), 403)


def test_the_json_lists_the_first_thousand_lines_not_recorded_and_the_csv_every_one(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    data = (BANK_FILES / "vcb-a.csv").read_bytes()
    finished(client, world.treasurer, send(client, world.treasurer, world.fund_id, data))

    again = finished(client, world.treasurer, send(client, world.treasurer, world.fund_id, data))

    assert (again["lines"], again["duplicates"], again["debits"], again["skipped"]) == (
        1_202,
        1_200,
        1,
        1,
    )
    assert (again["duplicates_amount"], again["debits_amount"]) == (963_817_000, 55_000)
    assert len(again["not_recorded"]) == 1_000
    report = client.get(again["report_csv"], headers=auth(world.treasurer))
    lines = list(csv.reader(io.StringIO(report.get_data(as_text=True))))
    assert [int(line[0]) for line in lines[1:]] == list(range(1, 1_203))
    assert lines[602][1] == "debit"


def test_a_file_the_preset_cannot_read_is_refused_naming_the_columns_wanted_and_found(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    data = "Ngày,Số tiền,Ghi chú\n01/09/2026,50.000,IBFT VO HUU HANH\n".encode()

    refused = problem(
        send(client, world.treasurer, world.fund_id, data), 422, "unreadable-statement"
    )

    assert "“Ngày”, “Số tiền”, “Ghi chú”" in refused["detail"]
    assert "“ghi co” hoặc “credit”" in refused["detail"]
