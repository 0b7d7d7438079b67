"""Charts of indicators: hand-written SVG for pages (and the highlights report's PDF), PNG
drawn with matplotlib (Agg backend) for Word reports, and the tiny trend lines of the
dashboard's tiles.

``bars`` (horizontal bars: breakdown items, areas) and ``trend`` (columns over periods) give
SVG text safe for the Content-Security-Policy (no style, no script) or PNG bytes (the
highlights report imports both: keep their signatures). SVG is written by hand because an
indicator's page draws up to seven charts and matplotlib took about 70 ms each (0.5 s for a
page the first time a process drew it); the hand-written ones take well under a millisecond.
A value may be ``None`` (no value, or a suppressed one): it is drawn as a gap and labelled
``—`` unless ``value_labels`` says otherwise (``< 5``). Every chart is shown with its data
table beside it; the chart is never the only place a number is.
"""

from __future__ import annotations

import html
import textwrap
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe

from tremplin.core import charts as svg_charts
from tremplin.core.formatting import money, number

from .catalogue import AVERAGE, MONEY, PERCENT

BAR_COLOR, LAST_COLOR = svg_charts.BAR_COLOR, svg_charts.LAST_COLOR
TEXT_COLOR, MUTED_COLOR = svg_charts.TEXT_COLOR, svg_charts.MUTED_COLOR
NO_VALUE = "—"


def format_number(value, unit: str) -> str:
    """A bare value in its unit (no suppression rule: callers pass what may be shown)."""
    if value is None:
        return NO_VALUE
    value = Decimal(value)
    if unit == MONEY:
        return money(value, 0 if value == value.to_integral_value() else 2)
    if unit == PERCENT:
        return f"{number(value, 1)} %"
    if unit == AVERAGE:
        return number(value, 1)
    return number(value)


_text = svg_charts.mathtext_safe


def _prepare(labels, values, unit, value_labels):
    numbers = [None if v is None else float(v) for v in values]
    if value_labels is None:
        value_labels = [format_number(v, unit) for v in values]
    return [str(label) for label in labels], numbers, [str(t) for t in value_labels]


def _png(kind: str, draw, labels, numbers, value_labels, unit: str) -> bytes:
    return svg_charts.png(
        "evaluation",
        (kind, "png", unit, labels, numbers, value_labels),
        lambda: draw(labels, numbers, value_labels),
    )


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100)


def _bars_figure(labels, numbers, value_labels):
    wrapped = ["\n".join(textwrap.wrap(_text(label), 28)) or " " for label in labels]
    lines = sum(w.count("\n") + 1 for w in wrapped)
    figure = _figure(6.4, max(1.4, 0.3 * lines + 0.22 * len(labels) + 0.5))
    axes = figure.add_subplot()
    positions = list(range(len(labels)))[::-1]
    drawn = [n or 0.0 for n in numbers]
    top = max([0.0, *drawn]) or 1.0
    axes.barh(positions, drawn, color=BAR_COLOR, height=0.62)
    axes.set_yticks(positions, wrapped, fontsize=9)
    axes.set_xlim(min([0.0, *drawn]), top * 1.3)
    for position, value, text in zip(positions, drawn, value_labels, strict=False):
        axes.text(
            max(value, 0) + top * 0.01,
            position,
            _text(text),
            va="center",
            fontsize=8.5,
            color=TEXT_COLOR,
        )
    axes.set_xticks([])
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="y", length=0)
    figure.tight_layout()
    return figure


def _trend_figure(labels, numbers, value_labels):
    figure = _figure(6.4, 2.9)
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    drawn = [n or 0.0 for n in numbers]
    top = max([0.0, *drawn]) or 1.0
    colors = [BAR_COLOR] * len(labels)
    if colors:
        colors[-1] = LAST_COLOR  # the chosen period, last
    axes.bar(positions, drawn, color=colors, width=0.62)
    for position, value, text, n in zip(positions, drawn, value_labels, numbers, strict=False):
        axes.text(
            position,
            max(value, 0) + top * 0.02,
            _text(text),
            ha="center",
            va="bottom",
            fontsize=8,
            color=TEXT_COLOR if n is not None else MUTED_COLOR,
        )
    long_labels = sum(len(label) for label in labels) > 60
    axes.set_xticks(
        positions,
        [_text(label) for label in labels],
        fontsize=8,
        rotation=35 if long_labels else 0,
        ha="right" if long_labels else "center",
    )
    axes.set_ylim(min([0.0, *drawn]), top * 1.22)
    axes.set_yticks([])
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="x", length=0)
    figure.tight_layout()
    return figure


def _chart(kind: str, figure, svg, labels, values, unit, fmt, value_labels) -> str | bytes:
    labels, numbers, texts = _prepare(labels, values, unit, value_labels)
    if fmt == "png":
        return _png(kind, figure, labels, numbers, texts, unit)
    return svg(labels, numbers, texts)


def bars(
    labels: list[str],
    values: list,
    *,
    unit: str,
    fmt: str = "svg",
    value_labels: list[str] | None = None,
) -> str | bytes:
    """Horizontal bars, one per label (top to bottom in the given order): SVG text or PNG."""
    return _chart("bars", _bars_figure, svg_charts.bars, labels, values, unit, fmt, value_labels)


def trend(
    labels: list[str],
    values: list,
    *,
    unit: str,
    fmt: str = "svg",
    value_labels: list[str] | None = None,
) -> str | bytes:
    """Columns over periods (oldest first, the last one darker): SVG text or PNG."""
    return _chart(
        "trend", _trend_figure, svg_charts.columns, labels, values, unit, fmt, value_labels
    )


def data_uri(svg: str) -> str:
    """An SVG as an ``<img src>``: one request for the page, ids that cannot collide with the
    page's, and a text alternative in ``alt`` (the CSP allows ``data:`` images)."""
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


# --- sparklines ---------------------------------------------------------------------------

SPARK_WIDTH = 96
SPARK_HEIGHT = 28
SPARK_PAD = 3


def sparkline(values: list, description: str) -> SafeString:
    """A tiny trend line (no style attribute: the CSP forbids them), oldest value first;
    gaps where a value is ``None``. ``description`` is its accessible name (the values)."""
    numbers = [None if v is None else float(v) for v in values]
    present = [n for n in numbers if n is not None]
    low, high = (min(present), max(present)) if present else (0.0, 1.0)
    low = min(low, 0.0)
    span = (high - low) or 1.0
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(1, len(numbers) - 1)

    def point(i, n):
        x = SPARK_PAD + i * step
        y = SPARK_HEIGHT - SPARK_PAD - (n - low) / span * (SPARK_HEIGHT - 2 * SPARK_PAD)
        return f"{x:.1f},{y:.1f}"

    segments, current = [], []
    for i, n in enumerate(numbers):
        if n is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(point(i, n))
    if current:
        segments.append(current)
    parts = [
        f'<line x1="{SPARK_PAD}" y1="{SPARK_HEIGHT - SPARK_PAD}" x2="{SPARK_WIDTH - SPARK_PAD}" '
        f'y2="{SPARK_HEIGHT - SPARK_PAD}" stroke="#cfd8e3" stroke-width="1"/>'
    ]
    for segment in segments:
        if len(segment) > 1:
            parts.append(
                f'<polyline points="{" ".join(segment)}" fill="none" stroke="{BAR_COLOR}" '
                'stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>'
            )
    for i, n in enumerate(numbers):
        if n is not None:
            x, y = point(i, n).split(",")
            last = i == len(numbers) - 1
            parts.append(
                f'<circle cx="{x}" cy="{y}" r="{3 if last else 2}" '
                f'fill="{LAST_COLOR if last else BAR_COLOR}"/>'
            )
    return mark_safe(  # noqa: S308  (numbers and an escaped description only)
        f'<svg class="sparkline" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="{html.escape(description, quote=True)}" focusable="false" '
        f'width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}" '
        f'viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}">{"".join(parts)}</svg>'
    )
