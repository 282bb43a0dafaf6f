"""The committees' own work on the public pages: the list of campaigns, and on a unit's
page the support it counted by beneficiary category with the coverage of the registry,
the house support norms in force, the poverty figures of the year and the emulation
targets against their achievement, each drawn from the read its API route serves."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import render_template

from service.domain.norms import DEFAULT_NORMS
from service.domain.vocabulary import Category
from service.pages.public import bp
from service.projections import distributions as distribution_view
from service.projections import emulation as emulation_view
from service.projections import norms as norm_view
from service.projections import poverty as poverty_view
from service.reads import fresh
from service.reads.campaigns import campaigns_listed

#: Campaigns listed on their page, the latest to start first.
CAMPAIGNS_SHOWN = 200
#: The support whose coverage of the registry a unit's page shows, as the reports give
#: it: "100% hộ cận nghèo được tặng quà Tết".
COVERAGE_OF = Category.TET_GIFT.value


@bp.app_template_filter("whole_number")
def _whole_number(value: int) -> str:
    """A count as Vietnamese readers write it: 2.540."""
    return f"{int(value):,}".replace(",", ".")


@bp.get("/cuoc-van-dong")
def campaigns() -> str:
    """Every campaign with its launching unit and period, the latest first."""
    with fresh({}) as (tx, _):
        rows = campaigns_listed(tx, CAMPAIGNS_SHOWN)
    return render_template("campaigns.html", campaigns=rows, shown=CAMPAIGNS_SHOWN)


@bp.app_template_global()
def committee_figures(unit_id: str, first: date, last: date, whole: bool) -> dict[str, Any]:
    """What a unit's public page shows of its committee's work: support counted in the
    period (with the units below it when ``whole``), coverage of its registry, and for
    the year the period ends in, the house norms, poverty figures and emulation targets."""
    year = last.year
    unit = str(unit_id)
    with fresh({}) as (tx, _):
        counted = distribution_view.unit_counts(
            tx, unit, first.isoformat(), last.isoformat(), whole
        )
        coverage = distribution_view.coverage(
            tx, unit, first.isoformat(), last.isoformat(), COVERAGE_OF
        )
        norms = norm_view.applying(tx, unit, year)
        poverty = poverty_view.figures(tx, unit, year)
        targets = emulation_view.achievement(tx, unit, year)
    set_kinds = {row["kind"] for row in norms}
    return {
        "year": year,
        "counted": counted,
        "coverage": coverage,
        "coverage_of": COVERAGE_OF,
        "norms": norms,
        "default_most": {
            kind.value: most for kind, most in DEFAULT_NORMS.items() if kind.value not in set_kinds
        },
        "poverty": poverty,
        "targets": targets,
    }
