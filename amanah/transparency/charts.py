"""Charts drawn on the server as small SVG documents: no JavaScript, no third-party requests, readable on
a phone. Every chart has a title and description for screen readers, and the page puts the same figures
beside it in a table."""

from __future__ import annotations

import itertools
import math

from django.utils.html import escape
from django.utils.safestring import mark_safe

from amanah.core.templatetags.core_lang import DATA_LANGUAGE, page_is_indonesian

_ids = itertools.count(1)
BAR = "#0b5d3b"
# 4.0:1 against white (WCAG 1.4.11 asks 3:1 for parts of a graphic), and another hue than BAR.
BAR2 = "#c2671c"
TEXT = "#1b1b1b"
#: About how wide one character of a 15-unit axis label is (for keeping the last label inside).
AXIS_CHAR_WIDTH = 8.5
#: The least room between two axis labels.
AXIS_GAP = 8


def contrast_on_white(colour: str) -> float:
    """The WCAG contrast ratio of ``#rrggbb`` against the white page (1 … 21)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def _num(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        text = f"{value:,.1f}"
    else:
        text = f"{value:,}"
    return text.replace(",", "\u2009").replace(".", ",")


def bars(
    rows: list[tuple[str, float | int | None]],
    title: str,
    suffix: str = "",
    width: int = 320,
    data_labels: bool = False,
) -> str:
    """A horizontal bar chart: one bar per (label, value), label above its bar, value at its end.

    ``data_labels``: the labels are names from data (agencies, units), which stay Indonesian; on a page in
    another language each label's ``<text>`` then says ``lang="id"`` (WCAG 2.1 SC 3.1.2), as
    ``core_lang.id_text`` does for the names in the table beside the chart. The chart's ``<title>`` and
    ``<desc>`` hold plain text only and are left in the page's language."""
    n = len(rows)
    label_lang = "" if not data_labels or page_is_indonesian() else f' lang="{DATA_LANGUAGE}"'
    uid = f"chart{next(_ids)}"
    row_h = 40
    height = max(row_h * n + 6, 30)
    top = max((v or 0 for _l, v in rows), default=0) or 1
    room = width - 64
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{uid}-t {uid}-d" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape("; ".join(f"{label}: {_num(v)}{suffix}" for label, v in rows))}</desc>',
    ]
    for i, (label, value) in enumerate(rows):
        y = i * row_h + 4
        w = 0 if not value else max(2, round(room * value / top))
        parts.append(
            f'<text x="0" y="{y + 13}" font-size="14" fill="{TEXT}"{label_lang}>'
            f"{escape(label[:44])}</text>"
        )
        parts.append(f'<rect x="0" y="{y + 18}" width="{w}" height="14" fill="{BAR}" rx="2"/>')
        parts.append(
            f'<text x="{w + 4}" y="{y + 30}" font-size="14" fill="{TEXT}">{_num(value)}{escape(suffix)}'
            f"</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def columns(
    rows: list[tuple[str, int, int]],
    title: str,
    names: tuple[str, str],
    width: int = 320,
    height: int = 170,
) -> str:
    """Paired columns per period (e.g. received and closed per month), with a legend."""
    uid = f"chart{next(_ids)}"
    n = max(len(rows), 1)
    top = max((max(a, b) for _l, a, b in rows), default=0) or 1
    plot_h, base = height - 46, height - 24
    slot = (width - 10) / n
    bw = max(1.5, slot * 0.38)
    desc = "; ".join(f"{label}: {names[0]} {a}, {names[1]} {b}" for label, a, b in rows)
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{uid}-t {uid}-d" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>',
        f'<rect x="4" y="2" width="12" height="12" fill="{BAR}"/><text x="20" y="13" font-size="14" '
        f'fill="{TEXT}">{escape(names[0])}</text>',
        f'<rect x="150" y="2" width="12" height="12" fill="{BAR2}"/><text x="166" y="13" font-size="14" '
        f'fill="{TEXT}">{escape(names[1])}</text>',
        f'<line x1="0" y1="{base}" x2="{width}" y2="{base}" stroke="#999" stroke-width="1"/>',
    ]
    # Every step-th period is labelled, the step wide enough for the longest label and a gap, and the last.
    longest = max((len(label) for label, _a, _b in rows), default=0)
    step = max(1, math.ceil((AXIS_CHAR_WIDTH * longest + AXIS_GAP) / slot))
    labels: list[tuple[float, float, str]] = []  # (left, right, the <text> element)
    for i, (label, a, b) in enumerate(rows):
        x = 5 + i * slot
        for j, (v, color) in enumerate(((a, BAR), (b, BAR2))):
            h = 0 if not v else max(1, round(plot_h * v / top))
            parts.append(
                f'<rect x="{x + j * bw:.1f}" y="{base - h}" width="{bw:.1f}" height="{h}" fill="{color}"/>'
            )
        if i % step == 0 or i == len(rows) - 1:  # the period's last one always
            # 15 units stay above 12 px where a phone draws the chart at 288 px; a label that would run
            # past the right edge ends there instead.
            wide = AXIS_CHAR_WIDTH * len(label)
            past_edge = x + wide > width
            left = width - 1 - wide if past_edge else x
            anchor = f' x="{width - 1}" text-anchor="end"' if past_edge else f' x="{x:.1f}"'
            text = f'<text{anchor} y="{height - 6}" font-size="15" fill="{TEXT}">{escape(label)}</text>'
            # The last label, moved in from the edge, may reach the one before it: that one gives way,
            # so the period's end stays named and no two labels run into each other.
            while labels and left < labels[-1][1] + AXIS_GAP:
                labels.pop()
            labels.append((left, left + wide, text))
    parts.extend(text for _l, _r, text in labels)
    parts.append("</svg>")
    return mark_safe("".join(parts))
