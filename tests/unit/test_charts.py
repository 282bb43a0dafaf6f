"""The server's SVG bar charts: well-formed, scaled to a round top, every bar titled."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from service.pages.charts import Series, _nice_top, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)


@pytest.mark.parametrize(
    ("largest", "top"), [(0, 1), (1, 1), (3, 5), (7, 10), (12, 20), (2_300_000, 5_000_000)]
)
def test_the_scale_ends_on_a_round_number_at_least_the_largest_value(
    largest: int, top: int
) -> None:
    assert _nice_top(largest) == top


def test_a_grouped_chart_has_one_titled_bar_per_value_and_a_legend() -> None:
    svg = bar_chart(
        "Thu và chi <theo> tháng",
        ["01/25", "02/25"],
        [Series("Thu", [2_300_000, 700_000]), Series("Chi", [0, 1_500_000])],
        value_text=lambda v: f"{v:,} đ".replace(",", "."),
    )

    root = _parsed(svg)
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Thu và chi <theo> tháng"
    assert len(bars) == 4
    titles = [bar.find(f"{SVG}title").text for bar in bars]  # type: ignore[union-attr]
    assert titles[0] == "01/25 - Thu: 2.300.000 đ"
    assert titles[3] == "02/25 - Chi: 1.500.000 đ"
    heights = [float(bar.get("height", "0")) for bar in bars]
    assert heights[1] == 0.0
    # 2.300.000 of a 5.000.000 scale: 46% of the plot's height (240 - 28 - 36 = 176).
    assert heights[0] == pytest.approx(176 * 0.46, abs=0.1)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"Thu", "Chi", "01/25", "02/25"} <= set(texts)


def test_a_chart_of_nothing_still_draws_and_refuses_series_of_the_wrong_length() -> None:
    assert _parsed(bar_chart("Trống", [], [])).tag == f"{SVG}svg"
    with pytest.raises(ValueError, match="một giá trị cho mỗi nhãn"):
        bar_chart("Sai", ["a", "b"], [Series("x", [1])])
