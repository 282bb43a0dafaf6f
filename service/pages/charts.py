"""Small bar charts drawn as SVG on the server: no script, no fetch, readable without
colour (each series has a pattern-free distinct shade and a text legend, and every bar
has a title read out by screen readers)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

#: Dark enough against white for WCAG's 3:1 for graphics.
COLOURS = ("#1f5f9e", "#b3261e", "#2e7d32", "#6a1b9a")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int]


def _nice_top(largest: int) -> int:
    """A round number at least ``largest``: 1, 2 or 5 times a power of ten."""
    if largest <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= largest:
                return step * factor
        step *= 10


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    value_text: Callable[[int], str] = str,
    axis_text: Callable[[int], str] | None = None,
    width: int = 640,
    height: int = 240,
) -> str:
    """A grouped bar chart: one group per label, one bar per series, a scale of four
    steps. Scales with its container (viewBox); ``value_text`` writes a bar's value."""
    if any(len(s.values) != len(labels) for s in series):
        raise ValueError("Mỗi dãy số cần đúng một giá trị cho mỗi nhãn.")
    axis_text = axis_text or value_text
    left, right, top, bottom = 64, 8, 28, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_top(max((v for s in series for v in s.values), default=0))
    group = plot_w / max(len(labels), 1)
    bar = group * 0.8 / max(len(series), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for step in range(5):
        value = peak * step // 4
        y = top + plot_h - plot_h * step / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#ccc" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#333">{escape(axis_text(value))}</text>'
        )
    for i, label in enumerate(labels):
        x0 = left + group * i + group * 0.1
        for j, one in enumerate(series):
            value = one.values[i]
            h = plot_h * value / peak
            parts.append(
                f'<rect x="{x0 + bar * j:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="{COLOURS[j % len(COLOURS)]}">'
                f"<title>{escape(label)} - {escape(one.name)}: {escape(value_text(value))}"
                "</title></rect>"
            )
        parts.append(
            f'<text x="{left + group * (i + 0.5):.1f}" y="{height - bottom + 14}" '
            f'text-anchor="middle" font-size="11" fill="#333">{escape(label)}</text>'
        )
    for j, one in enumerate(series):
        x = left + j * 160
        parts.append(
            f'<rect x="{x}" y="6" width="12" height="12" fill="{COLOURS[j % len(COLOURS)]}"/>'
            f'<text x="{x + 16}" y="16" font-size="12" fill="#222">{escape(one.name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
