"""The attendance chart: one stacked bar per session (present, late, excused, sick, absent,
not recorded), drawn on the server as an SVG fragment to place inline in a page.

A pure function of counts and the words to write: no store, no language lookup (the caller
passes the translated words), no script, nothing fetched. Every text it writes is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

STATUSES = ("present", "late", "excused", "sick", "absent")
UNRECORDED = "unrecorded"
# Colours that stay apart for the common colour-blindnesses and on a grey-scale printout
# (dark to light: present darkest, not recorded lightest).
COLOURS = {
    "present": "#1b5e20",
    "late": "#f9a825",
    "excused": "#1565c0",
    "sick": "#8e24aa",
    "absent": "#c62828",
    UNRECORDED: "#d5dbe0",
}

_PLOT_TOP = 12
_PLOT_HEIGHT = 160
_LEFT = 40  # room for the axis numbers
_RIGHT = 12
_FONT = 12
_CHAR = 7.0  # the width of one character at _FONT, roughly, for laying out the legend


@dataclass(frozen=True)
class SessionBar:
    """One session: how many participants had each status, and how many have none yet."""

    number: int
    counts: Mapping[str, int] = field(default_factory=dict)
    unrecorded: int = 0

    def parts(self) -> list[tuple[str, int]]:
        """(status, count) from the bottom of the bar up, empty ones left out."""
        found = [(s, int(self.counts.get(s, 0))) for s in STATUSES]
        found.append((UNRECORDED, self.unrecorded))
        return [(s, n) for s, n in found if n > 0]


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def attendance_chart(
    bars: Sequence[SessionBar],
    words: Mapping[str, str],
    *,
    title: str,
    session_word: str,
) -> str:
    """The SVG markup (one ``<svg>`` element) of the chart.

    ``words`` names each status and ``unrecorded`` in the reader's language; ``title`` is the
    chart's accessible name; ``session_word`` ("Session") labels each bar's tooltip."""
    count = max(len(bars), 1)
    slot = max(18.0, min(48.0, 720.0 / count))
    bar_width = slot * 0.68
    width = max(480.0, _LEFT + slot * count + _RIGHT)
    top_value = max([1, *(sum(n for _s, n in b.parts()) for b in bars)])
    scale = _PLOT_HEIGHT / top_value
    base = _PLOT_TOP + _PLOT_HEIGHT

    out: list[str] = []
    # Axis: 0, the middle and the top value, with faint guide lines.
    for value in sorted({0, top_value // 2, top_value}):
        y = base - value * scale
        out.append(
            f'<line x1="{_LEFT}" y1="{_num(y)}" x2="{_num(width - _RIGHT)}" y2="{_num(y)}" '
            f'stroke="#b0bec5" stroke-width="{1 if value == 0 else 0.5}"/>'
        )
        out.append(
            f'<text x="{_LEFT - 6}" y="{_num(y + 4)}" text-anchor="end" '
            f'font-size="{_FONT - 1}" fill="#455a64">{value}</text>'
        )
    for index, bar in enumerate(bars):
        x = _LEFT + index * slot + (slot - bar_width) / 2
        y = float(base)
        for status, n in bar.parts():
            height = n * scale
            y -= height
            label = f"{session_word} {bar.number} · {words.get(status, status)}: {n}"
            out.append(
                f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(bar_width)}" '
                f'height="{_num(height)}" fill="{COLOURS[status]}" data-status="{_e(status)}">'
                f"<title>{_e(label)}</title></rect>"
            )
        out.append(
            f'<text x="{_num(x + bar_width / 2)}" y="{base + 16}" text-anchor="middle" '
            f'font-size="{_FONT - 1}" fill="#263238">{bar.number}</text>'
        )
    # The legend, wrapped onto as many rows as the width needs.
    legend_y = base + 38
    x = float(_LEFT)
    rows = 1
    for status in (*STATUSES, UNRECORDED):
        text = words.get(status, status)
        item = 18 + len(text) * _CHAR + 16
        if x + item > width and x > _LEFT:
            x = float(_LEFT)
            rows += 1
        y = legend_y + (rows - 1) * 20
        out.append(
            f'<rect x="{_num(x)}" y="{y - 10}" width="12" height="12" '
            f'fill="{COLOURS[status]}"/>'
            f'<text x="{_num(x + 18)}" y="{y}" font-size="{_FONT}" fill="#263238">'
            f"{_e(text)}</text>"
        )
        x += item
    height = legend_y + (rows - 1) * 20 + 10
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {_num(width)} {height}" width="{_num(width)}" height="{height}" '
        f'font-family="system-ui, sans-serif"><title>{_e(title)}</title>' + "".join(out) + "</svg>"
    )
