"""A closed period never changes: its report, books and exports read the same, byte for
byte, before and after any later write, reversals of its own entries included; the
reversal counts where and when it was made, so the balances of today stay right."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.helpers import (
    MakeToken,
    created,
    disbursement,
    get,
    ok,
    open_fund,
    post,
    receipt,
    register_unit,
    report,
    transfer,
)

YEAR = 2025
THROUGH = f"{YEAR}-12-31"
BOOKS = ("receipts", "payments", "cash", "bank")

days = st.integers(0, 364).map(lambda n: (date(YEAR, 1, 1) + timedelta(days=n)).isoformat())
amounts = st.integers(1, 40).map(lambda n: n * 50_000)
funds = st.integers(0, 2)
money_in = st.tuples(
    st.just("receipt"), funds, amounts, st.sampled_from(["cash", "bank", "in_kind", "payroll"])
)
money_out = st.tuples(st.just("disburse"), funds, amounts, st.sampled_from(["cash", "bank"]))
moved = st.tuples(st.just("transfer"), funds, funds, amounts)
closed_writes = st.lists(
    st.tuples(st.one_of(money_in, money_in, money_out, moved), days), min_size=3, max_size=14
)
later_writes = st.lists(
    st.one_of(
        st.tuples(st.just("reverse"), st.integers(0, 1_000)),
        st.tuples(st.just("reverse"), st.integers(0, 1_000)),
        money_in,
        money_out,
        moved,
    ),
    min_size=1,
    max_size=8,
)


def today() -> str:
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()


class World:
    """A province and a commune; the commune holds two funds, the province one."""

    def __init__(self, client: FlaskClient, make_token: MakeToken) -> None:
        self.client = client
        self.admin = make_token("admin", name="Quản trị viên")
        self.province = register_unit(client, self.admin, "Tỉnh Mẫu", "province")["id"]
        self.commune = register_unit(client, self.admin, "Xã Mẫu", "commune", self.province)["id"]
        # The province's treasurer reaches the province's fund and the commune's.
        self.treasurer = make_token("treasurer", self.province, name="Kế toán tỉnh")
        self.funds = [
            open_fund(client, self.treasurer, self.commune)["id"],
            open_fund(client, self.treasurer, self.commune, "Quỹ cứu trợ", "relief")["id"],
            open_fund(client, self.treasurer, self.province, "Quỹ tỉnh")["id"],
        ]
        self.entries: list[tuple[str, str]] = []
        self.position = 0

    def write(self, command: tuple[Any, ...], on: str) -> None:
        """Runs one command as the province's treasurer; a refusal (too little money,
        already reversed) is part of the stream and changes nothing."""
        name, *args = command
        if name == "receipt":
            index, amount, channel = args
            self._post(index, "receipts", receipt(amount, occurred_on=on, channel=channel))
        elif name == "disburse":
            index, amount, channel = args
            body = disbursement(amount, occurred_on=on, channel=channel)
            self._post(index, "disbursements", body)
        elif name == "transfer":
            source, destination, amount = args
            if source != destination:
                body = transfer(self.funds[destination], amount, occurred_on=on)
                self._post(source, "transfers", body)
        elif self.entries:
            fund, entry = self.entries[args[0] % len(self.entries)]
            path = f"/funds/{fund}/entries/{entry}/reversal"
            self._answered(post(self.client, path, self.treasurer, {"reason": "Ghi nhầm"}))

    def _post(self, index: int, what: str, body: dict[str, Any]) -> None:
        fund = self.funds[index]
        answer = self._answered(post(self.client, f"/funds/{fund}/{what}", self.treasurer, body))
        if answer is not None:
            self.entries.append((fund, answer["entry_id"]))

    def _answered(self, response: Any) -> dict[str, Any] | None:
        if response.status_code == 409:
            return None
        body = created(response)
        self.position = max(self.position, body["position"])
        return body

    def close(self) -> None:
        for fund in self.funds:
            body = {"through": THROUGH}
            self._answered(post(self.client, f"/funds/{fund}/period-closes", self.treasurer, body))

    def read(self, path: str, **params: Any) -> bytes:
        response = get(self.client, path, self.admin, min_position=self.position, **params)
        assert response.status_code == 200, response.get_data(as_text=True)
        if response.mimetype == "application/json":
            body = response.get_json()
            body.pop("position", None)  # the position read, not a figure of the period
            return repr(body).encode()
        return response.get_data()

    def closed_period(self) -> dict[str, bytes]:
        """Every figure of the closed year: reports, books and summaries, as JSON and as
        the files people download."""
        shown: dict[str, bytes] = {}
        year = {"from_": f"{YEAR}-01-01", "to": THROUGH}
        quarter = {"from_": f"{YEAR}-04-01", "to": f"{YEAR}-06-30"}
        for unit in (self.commune, self.province):
            for children in ("false", "true"):
                for label, period in (("year", year), ("quarter", quarter)):
                    for fmt in ("json", "csv-vi", "xlsx"):
                        shown[f"report {unit} {children} {label} {fmt}"] = self.read(
                            f"/units/{unit}/report", include_children=children, format=fmt, **period
                        )
                shown[f"summary {unit} {children}"] = self.read(
                    f"/units/{unit}/summary", year=YEAR, include_children=children, format="xlsx"
                )
        for fund in self.funds:
            for book in BOOKS:
                for fmt in ("json", "csv-vi", "xlsx"):
                    shown[f"{book} {fund} {fmt}"] = self.read(
                        f"/funds/{fund}/books/{book}", year=YEAR, format=fmt
                    )
        shown["disclosure"] = self.read(
            f"/public/units/{self.province}/disclosure", from_=f"{YEAR}-01-01", to=THROUGH
        )
        return shown


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(before=closed_writes, after=later_writes)
def test_a_closed_period_reads_the_same_byte_for_byte_after_any_later_write(
    client: FlaskClient,
    make_token: MakeToken,
    before: list[tuple[tuple[Any, ...], str]],
    after: list[tuple[Any, ...]],
) -> None:
    world = World(client, make_token)
    for command, on in sorted(before, key=lambda pair: pair[1]):
        world.write(command, on)
    world.close()
    closed = world.closed_period()

    for command in after:
        world.write(command, today())

    assert world.closed_period() == closed
    # Today's balances are right: a reversal counts on the day it was made.
    whole = report(
        world.client,
        world.admin,
        world.province,
        world.position,
        f"{YEAR}-01-01",
        today(),
        include_children="true",
    )
    balances = [
        ok(get(world.client, f"/funds/{fund}", world.admin, min_position=world.position))
        for fund in world.funds
    ]
    assert whole["closing_balance"] == sum(fund["balance"] for fund in balances)
