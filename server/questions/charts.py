"""The report's charts as inline SVG, drawn on the server: no script, no CDN, nothing the CSP forbids.

Colours and fonts come from classes styled in static/admin.css (inline `style` attributes would be
blocked by the policy); each bar and point carries a <title> (a tooltip, read by screen readers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Sequence

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 14, 40
TICKS = 5  # gridline intervals: a 1-2-5 axis maximum then has round steps


@dataclass(frozen=True)
class Series:
    """One named series of values (None: no value that day), drawn with CSS class `css`."""

    label: str
    values: tuple[float | None, ...]
    css: str


def _nice_top(value: float) -> float:
    """The axis maximum: `value` rounded up to 1, 2 or 5 × a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _frame(title: str, days: Sequence[date], top: float, unit: str) -> tuple[list[str], float, float]:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in range(TICKS + 1):
        value = top * tick / TICKS
        y = TOP + plot_h - plot_h * tick / TICKS
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(_fmt(value, unit))}</text>')
    step = max(1, math.ceil(len(days) / 10))
    slot = plot_w / max(len(days), 1)
    for i, day in enumerate(days):
        if i % step == 0:
            x = LEFT + slot * (i + 0.5)
            parts.append(f'<text class="axis" x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{day:%m-%d}</text>')
    return parts, plot_h, slot


def _fmt(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value:.0f}%"
    return f"{value:,.0f}{unit}" if value >= 10 or value == 0 else f"{value:.1f}{unit}"


def _legend(parts: list[str], series: Sequence[Series]) -> None:
    x = LEFT
    for s in series:
        parts.append(f'<rect class="{s.css}" x="{x}" y="{HEIGHT - 14}" width="10" height="10"/>')
        parts.append(f'<text class="legend" x="{x + 14}" y="{HEIGHT - 5}">{escape(s.label)}</text>')
        x += 24 + 7 * len(s.label)


def stacked_bars(title: str, days: Sequence[date], series: Sequence[Series], *, unit: str = "") -> str:
    """A bar per day, the series stacked bottom-up."""
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(days))]
    top = _nice_top(max(totals, default=0))
    parts, plot_h, slot = _frame(title, days, top, unit)
    for i, day in enumerate(days):
        base = TOP + plot_h
        for s in series:
            value = s.values[i] or 0
            height = plot_h * value / top
            if height > 0:
                x = LEFT + slot * i + slot * 0.15
                parts.append(
                    f'<rect class="{s.css}" x="{x:.1f}" y="{base - height:.1f}" width="{slot * 0.7:.1f}" height="{height:.1f}">'
                    f"<title>{day:%Y-%m-%d}: {escape(s.label)} {_fmt(value, unit)}</title></rect>"
                )
                base -= height
    _legend(parts, series)
    parts.append("</svg>")
    return "".join(parts)


def lines(title: str, days: Sequence[date], series: Sequence[Series], *, unit: str = "", top: float | None = None) -> str:
    """A line per series (broken where a day has no value), with a dot per value."""
    values = [v for s in series for v in s.values if v is not None]
    top = top or _nice_top(max(values, default=0))
    parts, plot_h, slot = _frame(title, days, top, unit)
    for s in series:
        points = [(LEFT + slot * (i + 0.5), TOP + plot_h - plot_h * min(v, top) / top, days[i], v) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
            parts.append(f'<polyline class="line {s.css}" points="{path}"/>')
        for x, y, day, v in points:
            parts.append(f'<circle class="dot {s.css}" cx="{x:.1f}" cy="{y:.1f}" r="3"><title>{day:%Y-%m-%d}: {escape(s.label)} {_fmt(v, unit)}</title></circle>')
    _legend(parts, series)
    parts.append("</svg>")
    return "".join(parts)
