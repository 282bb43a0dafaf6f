"""The README's worked example of a gift in USD, run as written: the bodies its curl
commands send, read from the README itself, on both stores; the figures it shows are
those the service answers."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

from tests.api.helpers import MakeToken, created, get, ok, post, register_unit

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## Gifts in foreign currency (ngoại tệ)"
#: A POST of the example: its path under the fund and the JSON body it sends.
_POST = re.compile(r"-X POST \$API/funds/\$FX/([a-z-]+).*?-d '(\{.*?\})'", re.DOTALL)
_READ = re.compile(r'curl -s "\$API/funds/\$FX/trial-balance\?([^"]+)"')


def _example() -> tuple[list[tuple[str, dict[str, Any]]], dict[str, str], list[str]]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index(SECTION) :]
    section = section[: section.index("\n## ", len(SECTION))]
    block = section[section.index("```sh") : section.index("```\n", section.index("```sh") + 5)]
    posts = [(path, json.loads(body)) for path, body in _POST.findall(block)]
    query = dict(part.split("=") for part in _READ.findall(block)[0].split("&"))
    table = [line for line in section.splitlines() if line.startswith("| ") and "|---" not in line]
    return posts, query, table


def _dong(text: str) -> int:
    return int(text.replace(".", "")) if text.strip() not in ("", "0") else 0


def test_the_readme_records_a_usd_gift_sells_it_and_reads_the_trial_balance(
    client: FlaskClient, make_token: MakeToken
) -> None:
    posts, query, table = _example()
    assert [path for path, _ in posts] == ["receipts", "currency-sales"]

    admin = make_token("admin", name="Quản trị")
    unit = register_unit(client, admin, "Ủy ban MTTQ xã Cẩm Bình", "commune")["id"]
    treasurer = make_token("treasurer", unit, name="Thủ quỹ xã Cẩm Bình")
    fund = created(
        post(
            client,
            "/funds",
            treasurer,
            {"unit_id": unit, "name": "Quỹ cứu trợ xã Cẩm Bình - ngoại tệ", "kind": "relief"},
        )
    )["id"]

    gift = created(post(client, f"/funds/{fund}/receipts", treasurer, posts[0][1]))
    assert (gift["balance"], gift["available"]) == (6_325_000, 0)
    sold = created(post(client, f"/funds/{fund}/currency-sales", treasurer, posts[1][1]))
    assert sold["carrying_value"] == 3_795_000
    assert sold["exchange_difference"] == 15_000
    assert sold["dong"] == 3_810_000
    assert sold["holdings"] == [
        {
            "currency": "USD",
            "held_in": "bank",
            "amount": 10_000,
            "carrying_value": 2_530_000,
            "shown": "100,00 USD",
        }
    ]

    balance = ok(
        get(
            client,
            f"/funds/{fund}/trial-balance",
            treasurer,
            min_position=sold["position"],
            from_=query["from"],
            to=query["to"],
        )
    )
    assert balance["balanced"] is True
    moved = {
        line["account"]: line
        for line in balance["lines"]
        if line["period_debit"] or line["period_credit"]
    }
    rows = [[cell.strip() for cell in row.strip("|").split("|")] for row in table[1:]]
    shown = {row[0]: row for row in rows if row[0]}
    assert set(shown) == set(moved)
    for account, (_, name, debit, credit, closing) in shown.items():
        line = moved[account]
        assert line["name"] == name
        assert (line["period_debit"], line["period_credit"]) == (_dong(debit), _dong(credit))
        side, amount = closing.split(" ")
        column = "closing_debit" if side == "Nợ" else "closing_credit"
        assert line[column] == _dong(amount)
    total = next(row for row in rows if not row[0])
    assert balance["totals"]["period_debit"] == _dong(total[2].strip("*"))
    assert balance["totals"]["period_credit"] == _dong(total[3].strip("*"))
    assert balance["totals"]["closing_debit"] == _dong(total[4].split(" / ")[0])

    read = ok(get(client, f"/funds/{fund}", treasurer, min_position=sold["position"]))
    assert (read["dong"], read["balance"]) == (3_810_000, 6_340_000)
    report = ok(
        get(
            client,
            f"/units/{unit}/report",
            treasurer,
            min_position=sold["position"],
            from_=query["from"],
            to=query["to"],
        )
    )
    assert (report["exchange_difference"], report["closing_balance"]) == (15_000, 6_340_000)
