"""The fairness chart: bar geometry for a server-side SVG, one bar per person and a mean line."""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDE = (720, 170)  # viewBox width and name column of the laptop chart
NARROW = (360, 116)  # and of the phone chart, so its text stays readable when scaled down
VALUE_WIDTH = 44
ROW = 26
BAR = 16
TOP = 24
BOTTOM = 28


@dataclass(frozen=True)
class Bar:
    name: str
    value: float
    y: float
    width: float
    above_mean: bool


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    mean: float
    mean_x: float
    height: int
    plot_x: int
    plot_width: int
    ticks: list[tuple[float, float]]
    width: int
    name_chars: int


def _nice_max(value: float) -> float:
    """Return a round axis maximum at or above value."""
    if value <= 0:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * exponent >= value:
            return step * exponent
    return 10 * exponent


def fairness_chart(
    values: list[tuple[str, float]], mean: float, size: tuple[int, int] = WIDE
) -> Chart:
    """Lay out horizontal bars of load per person with the team mean as a line."""
    width, label_width = size
    plot_width = width - label_width - VALUE_WIDTH
    top = _nice_max(max([v for _, v in values] + [mean], default=0))
    scale = plot_width / top
    bars = [
        Bar(
            name=name,
            value=value,
            y=TOP + i * ROW,
            width=round(value * scale, 1),
            above_mean=value > mean * 1.15,
        )
        for i, (name, value) in enumerate(values)
    ]
    ticks = [(round(top * i / 4, 2), round(label_width + plot_width * i / 4, 1)) for i in range(5)]
    return Chart(
        bars=bars,
        mean=mean,
        mean_x=round(label_width + mean * scale, 1),
        height=TOP + max(len(values), 1) * ROW + BOTTOM,
        plot_x=label_width,
        plot_width=plot_width,
        ticks=ticks,
        width=width,
        name_chars=24 if width > 500 else 13,
    )
