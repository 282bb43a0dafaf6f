"""A closed period's counts and targets never change either: a house stage or a grant's
delivery dated in it is refused, a target of its year cannot be assigned again, and a
grant whose delivery is reversed later counts -1 where the reversal is made, not by
leaving the period it was delivered in."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.api.helpers import (
    MakeToken,
    created,
    disbursement,
    every_item,
    get,
    open_fund,
    post,
    problem,
    receipt,
    register_household,
    register_unit,
    report,
    selecting_meeting,
)

YEAR = 2025
THROUGH = f"{YEAR}-12-31"
APPROVED_ON = f"{YEAR}-01-02"
GRANT_VALUE = 2_000_000
#: The stages each house goes through to its handover, one per write.
STAGES = ("completed", "accepted", "handed_over")

days = st.integers(1, 363).map(lambda n: (date(YEAR, 1, 1) + timedelta(days=n)).isoformat())
funds = st.integers(0, 1)
households = st.integers(0, 2)
cases = st.integers(0, 1_000)
money_in = st.tuples(st.just("receipt"), funds, st.integers(20, 60).map(lambda n: n * 100_000))
support = st.tuples(
    st.just("support"),
    funds,
    households,
    st.sampled_from(["tet_gift", "medical", "scholarship"]),
    st.integers(1, 10).map(lambda n: n * 50_000),
)
house = st.tuples(st.just("house"), households, st.sampled_from(["new_build", "repair"]))
stage = st.tuples(st.just("stage"), cases)
grant = st.tuples(st.just("grant"), households)
in_kind = st.tuples(st.just("in_kind"), cases)
paid = st.tuples(st.just("deliver"), funds, cases)
target = st.tuples(
    st.just("target"),
    st.integers(0, 1),
    st.sampled_from([YEAR, YEAR + 1]),
    st.integers(1, 40).map(lambda n: n * 1_000_000),
)
case_writes = st.one_of(money_in, money_in, support, house, stage, stage, grant, in_kind, paid)
closed_writes = st.lists(st.tuples(st.one_of(case_writes, target), days), min_size=4, max_size=16)
later_writes = st.lists(
    st.tuples(
        st.one_of(
            st.tuples(st.just("reverse"), cases),
            st.tuples(st.just("reverse"), cases),
            case_writes,
            target,
        ),
        st.one_of(st.none(), days),  # today, or a day of the closed year
    ),
    min_size=1,
    max_size=10,
)


def today() -> str:
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()


class World:
    """A province and a commune with a fund each, three households (two of the commune,
    one of the province), and the houses, grants and entries the stream makes."""

    def __init__(self, client: FlaskClient, make_token: MakeToken) -> None:
        self.client = client
        self.admin = make_token("admin", name="Quản trị viên")
        self.province = register_unit(client, self.admin, "Tỉnh Mẫu", "province")["id"]
        self.commune = register_unit(client, self.admin, "Xã Mẫu", "commune", self.province)["id"]
        self.treasurer = make_token("treasurer", self.province, name="Kế toán tỉnh")
        self.units = [self.commune, self.province]
        self.funds = [
            open_fund(client, self.treasurer, self.commune)["id"],
            open_fund(client, self.treasurer, self.province, "Quỹ tỉnh")["id"],
        ]
        self.households = [
            register_household(
                client,
                self.treasurer,
                unit,
                name,
                address,
                # Hypothesis runs every example on one store.
                duplicate_reason="Hộ khác, cùng tên và địa chỉ",
            )
            for unit, name, address in (
                (self.commune, "Phạm Thị Lan", "Thôn Tân Lập, xã Mẫu"),
                (self.commune, "Lê Văn Hùng", "Thôn Đông, xã Mẫu"),
                (self.province, "Trần Thị Mai", "Tổ 5, phường Bắc, tỉnh Mẫu"),
            )
        ]
        #: The bình xét meeting that selected each household, named by its approvals.
        self.meetings = [
            selecting_meeting(client, self.treasurer, household, APPROVED_ON)
            for household in self.households
        ]
        self.houses: list[tuple[str, int]] = []  # id, stages reached of STAGES
        self.grants: list[tuple[str, int]] = []  # id, household
        self.entries: list[tuple[str, str]] = []
        self.position = 0
        self.refused_in_closed_year: list[str] = []

    def write(self, command: tuple[Any, ...], on: str) -> None:
        """Runs one command as the province's treasurer (targets as the administrator);
        a refusal (too little money, a grant already delivered, a house handed over) is
        part of the stream and changes nothing."""
        name, *args = command
        if name == "receipt":
            index, amount = args
            self._entry(index, "receipts", receipt(amount, occurred_on=on, channel="bank"))
        elif name == "support":
            index, household, category, amount = args
            index = 1 if household == 2 else index  # the province's household, its fund
            body = disbursement(amount, on, category, household_id=self.households[household])
            if category == "scholarship":
                body["student"] = {
                    "name": f"Học sinh {household}",
                    "school": "THCS Mẫu",
                    "school_year": "2025-2026",
                }
            self._entry(index, "disbursements", body)
        elif name == "house":
            household, kind = args
            body = {
                "household_id": self.households[household],
                "kind": kind,
                "budget": {"fund": 50_000_000},
                "approved_on": APPROVED_ON,
                "meeting_id": self.meetings[household],
            }
            self.houses.append((self._post("/houses", body, self.treasurer)["id"], 0))
        elif name == "stage" and self.houses:
            index = args[0] % len(self.houses)
            project, reached = self.houses[index]
            body = {"stage": STAGES[min(reached, 2)], "on": on, "board_members": ["Ban xã"]}
            if self._post(f"/houses/{project}/stages", body, self.treasurer):
                self.houses[index] = (project, reached + 1)
        elif name == "grant":
            body = {
                "household_id": self.households[args[0]],
                "item": "Bò cái sinh sản",
                "value": GRANT_VALUE,
                "approved_on": APPROVED_ON,
                "meeting_id": self.meetings[args[0]],
            }
            self.grants.append((self._post("/grants", body, self.treasurer)["id"], args[0]))
        elif name == "in_kind" and self.grants:
            chosen = self.grants[args[0] % len(self.grants)][0]
            self._post(f"/grants/{chosen}/delivery", {"on": on}, self.treasurer)
        elif name == "deliver" and self.grants:
            chosen, household = self.grants[args[1] % len(self.grants)]
            # A fund delivers the grants of its unit and of the units below it.
            index = 1 if household == 2 else args[0]
            self._entry(
                index, "disbursements", disbursement(GRANT_VALUE, on, "livelihood", grant_id=chosen)
            )
        elif name == "target":
            unit, year, amount = args
            body = {"year": year, "fund_kind": "for_the_poor", "amount": amount}
            self._post(f"/units/{self.units[unit]}/targets", body, self.admin)
        elif name == "reverse" and self.entries:
            fund, entry = self.entries[args[0] % len(self.entries)]
            path = f"/funds/{fund}/entries/{entry}/reversal"
            self._post(path, {"reason": "Ghi nhầm"}, self.treasurer)

    def _entry(self, index: int, what: str, body: dict[str, Any]) -> None:
        fund = self.funds[index]
        answer = self._post(f"/funds/{fund}/{what}", body, self.treasurer)
        if answer:
            self.entries.append((fund, answer["entry_id"]))

    def _post(self, path: str, body: dict[str, Any], token: str) -> dict[str, Any]:
        response = post(self.client, path, token, body)
        if response.status_code == 409:
            if response.get_json()["type"].endswith("/period-closed"):
                self.refused_in_closed_year.append(path)
            return {}
        answer = created(response)
        self.position = max(self.position, answer["position"])
        return answer

    def close(self) -> None:
        for fund in self.funds:
            self._post(f"/funds/{fund}/period-closes", {"through": THROUGH}, self.treasurer)

    def read(self, path: str, **params: Any) -> bytes:
        response = get(self.client, path, self.admin, min_position=self.position, **params)
        assert response.status_code == 200, response.get_data(as_text=True)
        if response.mimetype == "application/json":
            body = response.get_json()
            body.pop("position", None)  # the position read, not a figure of the period
            return repr(body).encode()
        return response.get_data()

    def closed_period(self) -> dict[str, bytes]:
        """The closed year's reports, with their counts and targets, as JSON and as the
        files people download."""
        shown: dict[str, bytes] = {}
        year = {"from_": f"{YEAR}-01-01", "to": THROUGH}
        quarter = {"from_": f"{YEAR}-04-01", "to": f"{YEAR}-06-30"}
        for unit in self.units:
            for children in ("false", "true"):
                for label, period in (("year", year), ("quarter", quarter)):
                    for fmt in ("json", "csv-vi"):
                        shown[f"report {unit} {children} {label} {fmt}"] = self.read(
                            f"/units/{unit}/report", include_children=children, format=fmt, **period
                        )
        return shown

    def delivered_now(self) -> int:
        grants = every_item(
            self.client, "/grants", self.admin, self.position, unit_id=self.province
        )
        return sum(grant["status"] in ("delivered", "closed") for grant in grants)


@settings(
    max_examples=6,
    # Shrinking a stream of HTTP writes takes minutes; a failing stream is shown as found.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(before=closed_writes, after=later_writes)
def test_a_closed_periods_counts_and_targets_read_the_same_after_any_later_write(
    client: FlaskClient,
    make_token: MakeToken,
    before: list[tuple[tuple[Any, ...], str]],
    after: list[tuple[tuple[Any, ...], str | None]],
) -> None:
    world = World(client, make_token)
    for command, on in sorted(before, key=lambda pair: pair[1]):
        world.write(command, on)
    assert world.refused_in_closed_year == []
    world.close()
    closed = world.closed_period()

    for command, on in after:
        world.write(command, on or today())

    assert world.closed_period() == closed
    # A reversed delivery counts -1 in the open period: from the first day to today, the
    # count is the number of grants delivered now.
    whole = report(
        client,
        world.admin,
        world.province,
        world.position,
        f"{YEAR}-01-01",
        today(),
        include_children="true",
    )
    assert whole["counts"]["livelihood_grants"] == world.delivered_now()


def test_a_grant_delivered_in_a_closed_year_and_reversed_later_counts_minus_one_where_reversed(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = World(client, make_token)
    world.write(("receipt", 0, 5_000_000), "2025-03-01")
    world.write(("grant", 0), APPROVED_ON)
    world.write(("deliver", 0, 0), "2025-05-10")
    world.write(("grant", 1), APPROVED_ON)
    world.write(("house", 0, "repair"), APPROVED_ON)
    world.write(("target", 0, YEAR, 10_000_000), APPROVED_ON)
    world.close()
    world.write(("reverse", len(world.entries) - 1), today())
    assert world.refused_in_closed_year == []

    def counts(from_: str, to: str) -> int:
        answer = report(client, world.admin, world.commune, world.position, from_, to)
        count: int = answer["counts"]["livelihood_grants"]
        return count

    assert counts(f"{YEAR}-01-01", THROUGH) == 1
    assert counts(f"{YEAR + 1}-01-01", today()) == -1
    assert counts(f"{YEAR}-01-01", today()) == 0

    late = {"on": "2025-12-20", "board_members": ["Ban xã"], "stage": "completed"}
    refused = problem(
        post(client, f"/houses/{world.houses[0][0]}/stages", world.treasurer, late),
        409,
        "period-closed",
    )
    assert "31/12/2025" in refused["detail"]
    assert "kỳ đang mở" in refused["detail"]
    assert refused["closed_through"] == THROUGH
    in_kind = post(
        client, f"/grants/{world.grants[1][0]}/delivery", world.treasurer, {"on": late["on"]}
    )
    problem(in_kind, 409, "period-closed")
    again = {"year": YEAR, "fund_kind": "for_the_poor", "amount": 20_000_000}
    target = problem(
        post(client, f"/units/{world.commune}/targets", world.admin, again), 409, "period-closed"
    )
    assert "năm 2025" in target["detail"]
    # The open period takes them.
    created(
        post(
            client, f"/houses/{world.houses[0][0]}/stages", world.treasurer, {**late, "on": today()}
        )
    )
    created(
        post(client, f"/grants/{world.grants[1][0]}/delivery", world.treasurer, {"on": today()})
    )
    created(
        post(client, f"/units/{world.commune}/targets", world.admin, {**again, "year": YEAR + 1})
    )


def test_a_close_above_a_unit_closes_its_cases_and_a_close_below_leaves_the_unit_open(
    client: FlaskClient, make_token: MakeToken
) -> None:
    stage = {"stage": "completed", "on": "2025-06-01"}
    for closed, refused, taken in ((1, 0, None), (0, 0, 2)):
        world = World(client, make_token)
        world.write(("house", refused, "repair"), APPROVED_ON)
        if taken is not None:
            world.write(("house", taken, "repair"), APPROVED_ON)
        path = f"/funds/{world.funds[closed]}/period-closes"
        world._post(path, {"through": THROUGH}, world.treasurer)
        answer = post(client, f"/houses/{world.houses[0][0]}/stages", world.treasurer, stage)
        # The province's fund closed: the commune's house below it, its own fund open.
        # The commune's fund closed: the commune's house; the province's stays open.
        assert problem(answer, 409, "period-closed")["closed_through"] == THROUGH
        if taken is not None:
            path = f"/houses/{world.houses[1][0]}/stages"
            created(post(client, path, world.treasurer, stage))
