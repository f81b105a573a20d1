"""Accessible SVG charts drawn on the server (no script): geometry here, markup in templates.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and described by its ``<desc>``
(``aria-labelledby`` points at both), with a data table next to it in the page. The drawing is
decoration for sighted readers; the table is the data. A ``viewBox`` of 320 units wide scales to
the column, so charts stay readable on a 320 px screen.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

WIDTH = 320
BAR_ROW = 34  # a label line, then the bar
COLUMN_AREA = 150


@dataclass
class Bar:
    label: str
    value: float
    display: str
    y: float = 0
    width: float = 0


@dataclass
class Column:
    label: str
    value: float
    display: str
    x: float = 0
    y: float = 0
    height: float = 0
    width: float = 0


@dataclass
class Chart:
    """One chart: ``kind`` picks the template (``bar`` or ``column``)."""

    slug: str
    title: str
    desc: str
    kind: str
    height: float
    width: int = WIDTH
    bars: list[Bar] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    baseline: float = 0

    @property
    def template(self) -> str:
        return f"insights/includes/{self.kind}_chart.html"


def _describe(title: str, items: list[tuple[str, str]], empty: str) -> str:
    if not items:
        return f"{title}: {empty}"
    return f"{title}: " + "; ".join(f"{label}, {display}" for label, display in items) + "."


def bar_chart(
    *, slug: str, title: str, items: list[tuple[str, float, str]], empty: str = "none"
) -> Chart:
    """Horizontal bars, each under its label. ``items`` are (label, value, what to say)."""
    top = max((value for _, value, _ in items), default=0) or 1
    bars = []
    for i, (label, value, display) in enumerate(items):
        bars.append(
            Bar(
                label=label,
                value=value,
                display=display,
                y=i * BAR_ROW,
                width=round((WIDTH - 60) * value / top, 1),
            )
        )
    return Chart(
        slug=slug,
        title=title,
        desc=_describe(title, [(label, display) for label, _, display in items], empty),
        kind="bar",
        height=max(len(items), 1) * BAR_ROW,
        bars=bars,
    )


def month_chart(*, slug: str, title: str, items: list[tuple[datetime.date, float, str]]) -> Chart:
    """One column per month, labelled with the month's short name and the value above it."""
    top = max((value for _, value, _ in items), default=0) or 1
    slot = WIDTH / max(len(items), 1)
    columns = []
    for i, (month, value, display) in enumerate(items):
        height = round(COLUMN_AREA * value / top, 1)
        columns.append(
            Column(
                label=f"{month:%b}" if len(items) > 6 else f"{month:%b %y}",
                value=value,
                display=display,
                x=round(i * slot + slot * 0.15, 1),
                width=round(slot * 0.7, 1),
                y=round(20 + COLUMN_AREA - height, 1),
                height=height,
            )
        )
    return Chart(
        slug=slug,
        title=title,
        desc=_describe(title, [(f"{m:%B %Y}", d) for m, _, d in items], "none"),
        kind="column",
        height=20 + COLUMN_AREA + 24,
        columns=columns,
        baseline=20 + COLUMN_AREA,
    )
