"""A write to a fund whose stored events include one outside the log is refused."""

from __future__ import annotations

from uuid import UUID

from flask.testing import FlaskClient

from service.bootstrap import Services
from tests.api.helpers import MakeToken, commune_with_fund, post, problem, receipt, receive


def test_a_receipt_on_a_fund_with_an_event_outside_the_log_is_refused(
    client: FlaskClient, make_token: MakeToken, services: Services
) -> None:
    commune = commune_with_fund(client, make_token)
    receive(client, commune.treasurer, commune.fund_id, 1_000_000)
    services.runner.catch_up()
    sqlite = services.db.dialect == "sqlite"
    table, column = ("stored_events", "rowid") if sqlite else ("sovang_events", "notification_id")
    key = UUID(commune.fund_id).hex if sqlite else UUID(commune.fund_id)
    with services.db.transaction(write=True) as tx:
        last = tx.one(
            f"SELECT originator_version, topic, state FROM {table} WHERE originator_id = :id "
            "ORDER BY originator_version DESC LIMIT 1",
            {"id": key},
        )
        assert last is not None
        tx.execute(
            f"INSERT INTO {table} ({column}, originator_id, originator_version, topic, state) "
            "VALUES (-5, :id, :version, :topic, :state)",
            {
                "id": key,
                "version": int(last["originator_version"]) + 1,
                "topic": last["topic"],
                "state": bytes(last["state"]),
            },
        )
    answer = post(client, f"/funds/{commune.fund_id}/receipts", commune.treasurer, receipt(5))
    body = problem(answer, 500, "event-outside-log")
    assert body["notification_id"] == -5
    assert "sovang audit verify" in body["detail"]
