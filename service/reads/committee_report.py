"""The report a committee writes for its year (báo cáo tổng kết), laid out as the news
reports are: money raised against the target, houses built and repaired, livelihood
support, scholarships, Tết gifts, the campaigns, the balance left and the supervisions
held; every figure from the same reads as the API's (the unit report over the unit and
the units below it, the campaigns, the counted support, the reviews)."""

from __future__ import annotations

from typing import Any

from service.adapters.db import Transaction
from service.adapters.documents import Section
from service.domain.money import vnd
from service.projections import campaigns as campaign_view
from service.projections import distributions as distribution_view
from service.projections import emulation as emulation_view
from service.projections import poverty as poverty_view
from service.projections import reports
from service.projections.counting import units_within
from service.web import labels


def committee_report(
    tx: Transaction, unit: dict[str, Any], year: int
) -> tuple[str, str, list[Section]]:
    """The title, the line under it and the sections of ``unit``'s report for ``year``."""
    unit_id = str(unit["id"])
    first, last = f"{year}-01-01", f"{year}-12-31"
    r = reports.unit_report(tx, unit_id, first, last, True)
    spent = r["disbursements"]["by_category"]
    counts = r["counts"]
    target = r["target"]
    raised = [f"Vận động được {vnd(r['receipts']['total'])} tiền mặt và chuyển khoản."]
    if r["receipts"]["in_kind_value"]:
        raised.append(f"Hiện vật được ủng hộ trị giá {vnd(r['receipts']['in_kind_value'])}.")
    if target["amount"]:
        raised.append(
            f"Chỉ tiêu được giao {vnd(target['amount'])}; đã vận động {vnd(target['raised'])}, "
            f"đạt {labels.percent(target['achievement_pct'])} chỉ tiêu."
        )
    counted = distribution_view.unit_counts(tx, unit_id, first, last, True)["by_category"]
    tet = counted["tet_gift"]
    gifts = [f"Chi quà Tết {vnd(spent['tet_gift'])}."]
    if tet["packages"] or tet["household_times"]:
        gifts.append(
            f"Trao {tet['packages']:,} suất quà, {tet['household_times']:,} lượt hộ, "
            f"{tet['people']:,} người.".replace(",", ".")
        )
    sections: list[Section] = [
        ("Công tác vận động", raised),
        (
            "Nhà Đại đoàn kết",
            [
                f"Xây mới {counts['houses_new_build']} nhà, sửa chữa {counts['houses_repair']} "
                "nhà bàn giao trong năm.",
                f"Chi hỗ trợ xây mới {vnd(spent['house_new_build'])}, sửa chữa "
                f"{vnd(spent['house_repair'])}; tổng cộng "
                f"{vnd(spent['house_new_build'] + spent['house_repair'])}.",
            ],
        ),
        (
            "Hỗ trợ sinh kế",
            [
                f"Trao {counts['livelihood_grants']} phương tiện sinh kế; chi "
                f"{vnd(spent['livelihood'])}."
            ],
        ),
        ("Học bổng", [f"{counts['students']} suất học bổng, {vnd(spent['scholarship'])}."]),
        ("Quà Tết", gifts),
        ("Hỗ trợ đột xuất và hỗ trợ khác", _other_support(counted)),
        ("Giảm nghèo", _poverty(tx, unit_id, year)),
        ("Các cuộc vận động", _campaigns(tx, unit_id, first, last)),
        (
            "Số dư",
            [
                f"Tồn quỹ đầu năm {vnd(r['opening_balance'])}; tổng chi "
                f"{vnd(r['disbursements']['total'])}; tồn quỹ cuối năm "
                f"{vnd(r['closing_balance'])}."
            ],
        ),
        (
            "Công tác giám sát",
            [f"Tổ chức {emulation_view.supervisions_held(tx, unit_id, year)} cuộc giám sát."],
        ),
    ]
    title = f"BÁO CÁO KẾT QUẢ CÔNG TÁC MẶT TRẬN NĂM {year}"
    subtitle = (
        f"{unit['name']}, gồm các đơn vị trực thuộc; số liệu từ 01/01/{year} đến 31/12/{year}."
    )
    return title, subtitle, sections


def _other_support(counted: dict[str, dict[str, int]]) -> list[str]:
    """A line per purpose other than Tết gifts for which support was counted (suất quà,
    lượt hộ, người), as the distributions recorded it."""
    lines = [
        f"{labels.CATEGORIES[category]}: trao {_count(c['packages'])} suất quà, "
        f"{_count(c['household_times'])} lượt hộ, {_count(c['people'])} người."
        for category, c in counted.items()
        if category != "tet_gift" and any(c.values())
    ]
    return lines or ["Không có đợt trao hỗ trợ nào khác được ghi trong năm."]


def _poverty(tx: Transaction, unit_id: str, year: int) -> list[str]:
    """The poverty figures of the year from the registry, with the rates against the
    households the unit recorded for the year."""
    p = poverty_view.figures(tx, unit_id, year)
    lines = [
        f"Thoát nghèo {p['escaped_poverty']} hộ; phát sinh {p['fell_into_poverty']} hộ nghèo "
        f"mới, {p['fell_into_near_poverty']} hộ cận nghèo mới."
    ]
    if p["households"] is None:
        lines.append(
            f"Cuối năm còn {p['poor_at_year_end']} hộ nghèo, {p['near_poor_at_year_end']} hộ "
            "cận nghèo (đơn vị chưa ghi tổng số hộ của năm nên chưa tính tỷ lệ)."
        )
    else:
        lines.append(
            f"Cuối năm còn {p['poor_at_year_end']} hộ nghèo, tỷ lệ hộ nghèo "
            f"{labels.rate_percent(p['poverty_rate_pct'])}; {p['near_poor_at_year_end']} hộ "
            f"cận nghèo, tỷ lệ hộ cận nghèo {labels.rate_percent(p['near_poverty_rate_pct'])}; "
            f"trên tổng số {_count(p['households'])} hộ."
        )
    if p["first_supported"]:
        escaped = p["first_supported_escaped"]["within_1_years"]
        lines.append(
            f"Trong {p['first_supported']} hộ được hỗ trợ lần đầu trong năm, {escaped} hộ đã "
            "thoát nghèo trong vòng một năm."
        )
    return lines


def _count(n: int) -> str:
    """A count with dots between thousands: 12.450."""
    return f"{n:,}".replace(",", ".")


def _campaigns(tx: Transaction, unit_id: str, first: str, last: str) -> list[str]:
    """A line per campaign of the unit or a unit below it that ran in the period."""
    rows = tx.all(
        f"SELECT id FROM campaigns WHERE unit_id IN ({units_within(':unit')}) "
        "AND starts_on <= :last AND ends_on >= :first ORDER BY starts_on, code",
        {"unit": unit_id, "first": first, "last": last},
    )
    lines = []
    for row in rows:
        campaign = campaign_view.get(tx, str(row["id"]))
        assert campaign is not None
        shown = campaign_view.figures(tx, campaign)
        line = f"{campaign['name']}: vận động được {vnd(shown['raised'])}"
        if shown["in_kind_value"]:
            line += f", hiện vật trị giá {vnd(shown['in_kind_value'])}"
        if shown["achievement_pct"] is not None:
            line += f", đạt {labels.percent(shown['achievement_pct'])} chỉ tiêu"
        lines.append(line + ".")
    return lines or ["Không có cuộc vận động nào trong năm."]
