"""A simulated bank notification service, as SePay and Casso send, for the live-giving
tests: a giving account, its key, and notifications signed (or not) as the service does."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from service.adapters import bank_feeds, keyfiles
from tests.api.helpers import API, Commune, auth, ok

ACCOUNT = "0011001932418"
BIN = "970436"


def connect(client: FlaskClient, world: Commune, number: str = ACCOUNT) -> dict[str, Any]:
    body = {"bank_bin": BIN, "account_number": number, "account_name": "UB MTTQ XA VINH LINH"}
    return ok(
        client.put(
            f"{API}/funds/{world.fund_id}/giving-account", json=body, headers=auth(world.treasurer)
        )
    )


def make_keys(app: Flask) -> dict[str, str]:
    """Makes each source's key file, as ``sovang keys bank-feed`` does; returns the keys."""
    folder = app.extensions["sovang"].config.bank_feed_keys_dir
    made = {}
    for source in bank_feeds.FEEDS:
        keyfiles.write_random(bank_feeds.key_path(folder, source))
        made[source] = bank_feeds.load_key(folder, source).decode()
    return made


@dataclass(frozen=True)
class Credit:
    """A transfer into the giving account, as the bank booked it."""

    txid: int
    amount: int
    on: str
    time: str
    reference: str
    memo: str

    def sepay(self, account: str = ACCOUNT) -> dict[str, Any]:
        return {
            "id": self.txid,
            "gateway": "Vietcombank",
            "transactionDate": f"{self.on} {self.time}",
            "accountNumber": account,
            "code": None,
            "content": self.memo,
            "transferType": "in",
            "transferAmount": self.amount,
            "accumulated": 0,
            "subAccount": None,
            "referenceCode": self.reference,
            "description": f"BankAPINotify {self.memo}",
        }

    def casso(self, account: str = ACCOUNT) -> dict[str, Any]:
        return {
            "id": self.txid,
            "tid": self.reference,
            "description": self.memo,
            "amount": self.amount,
            "cusum_balance": 0,
            "when": f"{self.on} {self.time}",
            "bank_sub_acc_id": account,
        }


def send_sepay(client: FlaskClient, key: str | None, body: Any) -> TestResponse:
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Authorization"] = f"Apikey {key}"
    return client.post(f"{API}/bank-notifications/sepay", data=json.dumps(body), headers=headers)


def send_casso(client: FlaskClient, key: str | None, rows: list[dict[str, Any]]) -> TestResponse:
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Secure-Token"] = key
    body = json.dumps({"error": 0, "data": rows})
    return client.post(f"{API}/bank-notifications/casso", data=body, headers=headers)
