"""A workflow drawn as server-rendered SVG: states as boxes, buttons as labelled arrows.

Why SVG from the server: the admin runs under ``script-src 'self'`` with no third-party
scripts, and a drawing made here needs neither. It uses presentation attributes only (no
``style`` attributes, no ``<style>``), so ``style-src 'self'`` holds too.

The layout is deliberately simple and deterministic, so the same definition always gives the
same picture and a small edit moves little:

- States are placed in rows by their distance (in buttons) from the starting state; states
  that cannot be reached come last. Within a row they keep the editor's order.
- "When a case is created" buttons start from a "New case" marker above the starting state;
  "from any open state" buttons start from one dashed "Any open state" box on the top row.
- Buttons between the same two states share one arrow, with one label line per button:
  "Accept and schedule sessions · staff, supervisor". A forward arrow's label sits in the gap
  below the row it leaves (labels that would overlap are stacked; an arrow to a state on the
  same row comes back up into that state's bottom); an arrow back up the diagram leaves
  through the gap below its row, runs up its own lane on the right and enters its target from
  the gap above, with its label beside the lanes; a button that
  keeps the case where it is draws a small loop on the box's right with its label beside it.

The drawing is one half of the picture; ``diagram_context`` also gives the text alternative
(every button in words), which templates show beside it.
"""

from __future__ import annotations

import textwrap
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from workflows.definition import StateSpec, WorkflowDefinition
from workflows.describe import WhatHappens, describe_workflow, who_short
from workflows.enums import ANY_OPEN_STATE, ON_CREATE

NEW_NODE = "__new__"
ANY_NODE = "__any__"

BOX_W = 190
BOX_H = 60
PSEUDO_H = 36
H_GAP = 48
MARGIN = 24
CHAR_W = 6.4  # average advance of the 12 px sans-serif label font, for sizing boxes
LINE_H = 15
WRAP = 40  # characters per label line
LANE_GAP = 16
MIN_BAND = 56

INK = "#1d1d1d"
LINE = "#4d4d4d"
CURRENT_FILL = "#fff1a8"
CURRENT_STROKE = "#8a4b00"
FINAL_FILL = "#ececec"


@dataclass
class _Node:
    key: str
    title: str
    row: int
    kind: str = "state"  # "state", "new" or "any"
    state: StateSpec | None = None
    loop_lines: list[str] = field(default_factory=list)
    x: float = 0.0
    y: float = 0.0

    @property
    def height(self) -> int:
        return BOX_H if self.kind == "state" else PSEUDO_H

    @property
    def loop_width(self) -> float:
        if not self.loop_lines:
            return 0.0
        return 34 + max(len(line) for line in self.loop_lines) * CHAR_W

    @property
    def reserved_width(self) -> float:
        return BOX_W + self.loop_width

    @property
    def cx(self) -> float:
        return self.x + BOX_W / 2


@dataclass
class _Edge:
    source: str
    target: str
    lines: list[str]
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0

    @property
    def height(self) -> float:
        return len(self.lines) * LINE_H + 6


def _label_lines(labels: list[tuple[str, str]]) -> list[str]:
    lines: list[str] = []
    for label, who in labels:
        lines += textwrap.wrap(f"{label} · {who}", WRAP) or [""]
    return lines


def _rows(definition: WorkflowDefinition) -> dict[str, int]:
    """Each state's row: its distance from the starting state; unreachable states last."""
    keys = [s.key for s in definition.states]
    open_keys = [s.key for s in definition.states if not s.final]
    edges: dict[str, list[str]] = {k: [] for k in keys}
    for t in definition.transitions:
        if t.to_key not in edges:
            continue
        if t.from_key == ANY_OPEN_STATE:
            for k in open_keys:
                edges[k].append(t.to_key)
        elif t.from_key in edges:
            edges[t.from_key].append(t.to_key)
    start = definition.initial.key if definition.initial else (keys[0] if keys else None)
    rows: dict[str, int] = {}
    if start is not None:
        rows[start] = 0
        queue = deque([start])
        while queue:
            here = queue.popleft()
            for nxt in edges[here]:
                if nxt not in rows:
                    rows[nxt] = rows[here] + 1
                    queue.append(nxt)
    last = max(rows.values(), default=-1) + 1
    for k in keys:
        rows.setdefault(k, last)
    return rows


def _boxes_overlap(a: _Edge, b: _Edge) -> bool:
    return (
        a.x < b.x + b.width + 8
        and b.x < a.x + a.width + 8
        and a.y < b.y + b.height + 4
        and (b.y < a.y + a.height + 4)
    )


def _text(x: float, y: float, lines: list[str], *, anchor: str = "start", weight: str = "") -> str:
    spans = "".join(
        format_html('<tspan x="{}" dy="{}">{}</tspan>', f"{x:.0f}", 0 if i == 0 else LINE_H, line)
        for i, line in enumerate(lines)
    )
    bold = ' font-weight="bold"' if weight else ""
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="{anchor}" fill="{INK}" font-size="12" '
        f'font-family="sans-serif"{bold}>{spans}</text>'
    )


def render_svg(
    definition: WorkflowDefinition, *, current: str | None = None, id_prefix: str = "wf"
) -> SafeString:
    """The SVG of ``definition``; ``current`` (a state key) is highlighted and marked in words."""
    rows = _rows(definition)
    nodes: dict[str, _Node] = {}
    has_new = any(t.from_key == ON_CREATE for t in definition.transitions)
    shift = 1 if has_new else 0
    if has_new:
        nodes[NEW_NODE] = _Node(NEW_NODE, "New case", 0, kind="new")
    for s in definition.states:
        title = s.label + (" (current state)" if s.key == current else "")
        nodes[s.key] = _Node(s.key, title, rows[s.key] + shift, state=s)
    if any(t.from_key == ANY_OPEN_STATE for t in definition.transitions):
        nodes[ANY_NODE] = _Node(ANY_NODE, "Any open state", shift, kind="any")

    # Group buttons into arrows (one per pair of ends), and loops (a button that stays put).
    grouped: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for t in definition.transitions:
        source = {ON_CREATE: NEW_NODE, ANY_OPEN_STATE: ANY_NODE}.get(t.from_key, t.from_key)
        if source not in nodes or t.to_key not in nodes:
            continue  # a configuration error; the text alternative still lists it
        grouped.setdefault((source, t.to_key), []).append((t.label, who_short(t.roles)))
    forward: list[_Edge] = []
    back: list[_Edge] = []
    for (source, target), labels in grouped.items():
        if source == target:
            nodes[source].loop_lines += _label_lines(labels)
            continue
        edge = _Edge(source, target, _label_lines(labels))
        edge.width = max(len(line) for line in edge.lines) * CHAR_W + 10
        (forward if nodes[target].row >= nodes[source].row else back).append(edge)

    # Columns: each row left to right in editor order, rows centred on the widest.
    by_row: dict[int, list[_Node]] = {}
    for node in nodes.values():
        by_row.setdefault(node.row, []).append(node)
    row_widths = {
        r: sum(n.reserved_width for n in ns) + H_GAP * (len(ns) - 1) for r, ns in by_row.items()
    }
    content_w = max(row_widths.values(), default=BOX_W)
    for r, ns in by_row.items():
        x = MARGIN + (content_w - row_widths[r]) / 2
        for node in ns:
            node.x = x
            x += node.reserved_width + H_GAP

    # Forward labels: in the band below the source's row, centred between the two ends,
    # stacked downwards where they would overlap. Then each row's y from the bands above it.
    row_heights = {
        r: max(max(n.height, len(n.loop_lines) * LINE_H + 8) for n in ns)
        for r, ns in by_row.items()
    }
    placed: dict[int, list[_Edge]] = {}
    for edge in sorted(forward, key=lambda e: (nodes[e.source].row, nodes[e.source].x)):
        anchor = (nodes[edge.source].cx + nodes[edge.target].cx) / 2
        edge.x = max(anchor - edge.width / 2, 6.0)  # a wide label never leaves the drawing
        edge.y = 20.0 + (12 if back else 0)  # offset within the band (below any back lanes)
        band = placed.setdefault(nodes[edge.source].row, [])
        while any(_boxes_overlap(edge, other) for other in band):
            edge.y += 12
        band.append(edge)
    top = MARGIN
    row_top: dict[int, float] = {}
    for r in sorted(by_row):
        row_top[r] = top
        band_h = max((e.y + e.height for e in placed.get(r, [])), default=0) + 20
        top += row_heights[r] + max(MIN_BAND, band_h)
    for node in nodes.values():
        node.y = row_top[node.row]
    for edge in forward:
        edge.y += row_top[nodes[edge.source].row] + row_heights[nodes[edge.source].row]

    # Arrows back up (or across) the diagram: one lane each on the right, labels beside them.
    right = max([MARGIN + content_w, *(e.x + e.width for e in forward)])
    lanes_x = right + 24
    notes_x = lanes_x + LANE_GAP * len(back) + 12
    note_y = 0.0
    for edge in back:
        src, dst = nodes[edge.source], nodes[edge.target]
        mid = (src.y + src.height / 2 + dst.y + dst.height / 2) / 2
        edge.x = notes_x
        edge.y = max(mid - edge.height / 2, note_y)
        note_y = edge.y + edge.height + 8
    width = max(
        [notes_x + max((e.width for e in back), default=0) + MARGIN, right + MARGIN]
        + [n.x + n.reserved_width + MARGIN for n in nodes.values()]
    )
    height = max([top, *(e.y + e.height + MARGIN for e in back)])

    arrow = f"{id_prefix}-arrow"
    parts: list[str] = [
        f'<defs><marker id="{arrow}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" '
        f'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="{LINE}"/></marker></defs>'
    ]
    edge_attrs = f'fill="none" stroke="{LINE}" stroke-width="1.5" marker-end="url(#{arrow})"'
    for edge in forward:
        # Down to the label, then into the target's top (or, on the same row, its bottom).
        src, dst = nodes[edge.source], nodes[edge.target]
        ax, ay = edge.x + edge.width / 2, edge.y + edge.height / 2
        end = dst.y - 2 if dst.row > src.row else dst.y + dst.height + 2
        parts.append(
            f'<path data-edge="{escape(edge.source)}:{escape(edge.target)}" '
            f'd="M{src.cx:.0f},{src.y + src.height:.0f} L{ax:.0f},{ay:.0f} '
            f'L{dst.cx:.0f},{end:.0f}" {edge_attrs}/>'
        )
    for i, edge in enumerate(back):
        # Out of the source's bottom into the gap below it, right to its own lane, up to the
        # gap above the target, and down into the target's top: never across another box.
        src, dst = nodes[edge.source], nodes[edge.target]
        lane = lanes_x + LANE_GAP * i
        sx, dx = src.cx + 20 + 4 * i, dst.cx + 20 + 4 * i
        sy = src.y + row_heights[src.row] + 8 + 3 * i
        dy = dst.y - 10 - 3 * i
        parts.append(
            f'<path data-edge="{escape(edge.source)}:{escape(edge.target)}" '
            f'd="M{sx:.0f},{src.y + src.height:.0f} L{sx:.0f},{sy:.0f} L{lane:.0f},{sy:.0f} '
            f'L{lane:.0f},{dy:.0f} L{dx:.0f},{dy:.0f} L{dx:.0f},{dst.y - 2:.0f}" {edge_attrs}/>'
        )
        parts.append(
            f'<path d="M{lane:.0f},{edge.y + edge.height / 2:.0f} '
            f'L{edge.x - 4:.0f},{edge.y + edge.height / 2:.0f}" fill="none" stroke="{LINE}" '
            f'stroke-dasharray="2 3"/>'
        )
    for edge in [*forward, *back]:
        parts.append(
            f'<rect x="{edge.x:.0f}" y="{edge.y:.0f}" width="{edge.width:.0f}" '
            f'height="{edge.height:.0f}" fill="#ffffff" stroke="#c8c8c8" rx="3"/>'
        )
        parts.append(_text(edge.x + 5, edge.y + 14, edge.lines))
    for node in nodes.values():
        parts.append(_node_svg(node, current=current, edge_attrs=edge_attrs))
    state_count = len(definition.states)
    button_count = len(definition.transitions)
    current_label = definition.state_label(current) if current else ""
    desc = (
        f"{state_count} states and {button_count} buttons."
        + (f" The case is now in “{current_label}”, highlighted." if current else "")
        + " Every button is listed in words beside the diagram."
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" '
        'height="{h}" role="img" aria-labelledby="{p}-title {p}-desc" focusable="false" '
        'data-workflow-diagram="true">'
        '<title id="{p}-title">Diagram of “{name}”</title><desc id="{p}-desc">{desc}</desc>'
        "{body}</svg>",
        w=f"{width:.0f}",
        h=f"{height:.0f}",
        p=id_prefix,
        name=definition.name,
        desc=desc,
        # Reviewed: every part above is numbers, fixed markup, or text through escape/format_html.
        body=mark_safe("".join(parts)),  # noqa: S308 # nosec B308 B703
    )


def _node_svg(node: _Node, *, current: str | None, edge_attrs: str) -> str:
    x, y = node.x, node.y
    out = [f'<g data-state="{escape(node.key)}"']
    if node.kind == "new":
        out.append(
            f'><rect x="{x + 35:.0f}" y="{y:.0f}" width="{BOX_W - 70}" height="{PSEUDO_H}" '
            f'rx="18" fill="#ffffff" stroke="{LINE}" stroke-width="1.5"/>'
        )
        out.append(_text(node.cx, y + 22, ["New case"], anchor="middle"))
        return "".join(out) + "</g>"
    if node.kind == "any":
        out.append(
            f'><rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{PSEUDO_H}" rx="4" '
            f'fill="#ffffff" stroke="{LINE}" stroke-dasharray="5 4" stroke-width="1.5"/>'
        )
        out.append(_text(node.cx, y + 22, ["Any open state"], anchor="middle"))
        return "".join(out) + "</g>"
    state = node.state
    assert state is not None
    is_current = node.key == current
    fill = CURRENT_FILL if is_current else (FINAL_FILL if state.final else "#ffffff")
    stroke = CURRENT_STROKE if is_current else LINE
    width = 4 if is_current else (2.5 if state.initial else 1.5)
    out.append(' data-current="true">' if is_current else ">")
    out.append(
        f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="{width}"/>'
    )
    if state.final:  # a double border: the case ends here
        out.append(
            f'<rect x="{x + 4:.0f}" y="{y + 4:.0f}" width="{BOX_W - 8}" height="{BOX_H - 8}" '
            f'rx="4" fill="none" stroke="{stroke}"/>'
        )
    tags = [t for t, on in (("start", state.initial), ("final", state.final)) if on]
    if is_current:
        tags.insert(0, "current state")
    lines = textwrap.wrap(state.label, 26)[:2] or [""]
    if tags:
        lines = [*lines[:2], f"({', '.join(tags)})"][-3:]
    first_y = y + BOX_H / 2 - (len(lines) - 1) * LINE_H / 2 + 4
    out.append(_text(node.cx, first_y, lines, anchor="middle", weight="bold"))
    if node.loop_lines:
        lx = x + BOX_W
        out.append(
            f'<path d="M{lx:.0f},{y + 12:.0f} C{lx + 30:.0f},{y + 4:.0f} {lx + 30:.0f},'
            f'{y + BOX_H - 4:.0f} {lx + 2:.0f},{y + BOX_H - 12:.0f}" {edge_attrs}/>'
        )
        out.append(_text(lx + 34, y + 14, node.loop_lines))
    return "".join(out) + "</g>"


@dataclass(frozen=True)
class DiagramRow:
    """One line of the text alternative: a button, from where to where, and what it does."""

    summary: WhatHappens
    source: str
    target: str
    who: str


def text_alternative(definition: WorkflowDefinition) -> list[DiagramRow]:
    """Every button in words, in the editor's order: the diagram's text alternative."""
    rows = []
    for transition, summary in zip(
        definition.transitions, describe_workflow(definition), strict=True
    ):
        source = {
            ON_CREATE: "a new case",
            ANY_OPEN_STATE: "any open state",
        }.get(transition.from_key, definition.state_label(transition.from_key))
        rows.append(
            DiagramRow(
                summary=summary,
                source=source,
                target=definition.state_label(transition.to_key),
                who=who_short(transition.roles),
            )
        )
    return rows


def diagram_context(
    definition: WorkflowDefinition, *, current: str | None = None, id_prefix: str = "wf"
) -> dict[str, Any]:
    """What ``workflows/includes/workflow_diagram.html`` needs."""
    return {
        "definition": definition,
        "svg": render_svg(definition, current=current, id_prefix=id_prefix),
        "rows": text_alternative(definition),
        "current_label": definition.state_label(current) if current else "",
        "id_prefix": id_prefix,
    }
