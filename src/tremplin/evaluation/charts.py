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

import hashlib
import html
import io
import textwrap
from decimal import Decimal

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from tremplin.core.formatting import money, number

from .catalogue import AVERAGE, MONEY, PERCENT

BAR_COLOR = "#0b5a7a"
LAST_COLOR = "#08425a"
TEXT_COLOR = "#1d2430"
MUTED_COLOR = "#4a5565"
CACHE_SECONDS = 3600
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


def _text(label: str) -> str:
    # matplotlib reads $…$ as mathematics: "255 000 $" must stay text.
    return str(label).replace("\\", "\\\\").replace("$", r"\$")


def _prepare(labels, values, unit, value_labels):
    numbers = [None if v is None else float(v) for v in values]
    if value_labels is None:
        value_labels = [format_number(v, unit) for v in values]
    return [str(label) for label in labels], numbers, [str(t) for t in value_labels]


def _png(kind: str, draw, labels, numbers, value_labels, unit: str) -> bytes:
    raw = repr((kind, "png", unit, labels, numbers, value_labels)).encode()
    key = "tremplin:evaluation:chart:" + hashlib.sha256(raw).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return cached
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import rc_context

    with rc_context({"font.family": "DejaVu Sans"}):
        figure = draw(labels, numbers, value_labels)
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=150, metadata={"Software": None})
        result = out.getvalue()
    cache.set(key, result, CACHE_SECONDS)
    return result


# --- SVG by hand ----------------------------------------------------------------------------

SVG_WIDTH = 640
FONT = "DejaVu Sans, Verdana, sans-serif"
CHAR_WIDTH = 6.6  # an average character at 12 px, for the room a label takes
AXIS_COLOR = "#cfd8e3"


def _escape(text: str) -> str:
    return html.escape(str(text), quote=False)


def _svg(width: float, height: float, parts: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{FONT}">'
        + "".join(parts)
        + "</svg>\n"
    )


def _text_svg(x, y, text, *, size=12, anchor="start", color=TEXT_COLOR, extra="") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{color}" '
        f'text-anchor="{anchor}"{extra}>{_escape(text)}</text>'
    )


def _scale(numbers):
    drawn = [n or 0.0 for n in numbers]
    low = min([0.0, *drawn])
    high = max([0.0, *drawn])
    return drawn, low, (high - low) or 1.0


def _bars_svg(labels, numbers, value_labels) -> str:
    label_width, pad, value_room = 200.0, 8.0, 84.0
    left = pad + label_width + 8
    right = SVG_WIDTH - value_room
    drawn, low, span = _scale(numbers)

    def x_of(value):
        return left + (value - low) / span * (right - left)

    parts, y = [], pad
    for label, value, number_, text in zip(labels, drawn, numbers, value_labels, strict=False):
        lines = textwrap.wrap(label, 28) or [" "]
        row = max(24.0, 15.0 * len(lines) + 9)
        middle = y + row / 2
        first = middle - 7.5 * (len(lines) - 1) + 4
        for i, line in enumerate(lines):
            parts.append(_text_svg(pad + label_width, first + 15 * i, line, anchor="end"))
        if number_ is not None:
            x0, x1 = sorted((x_of(0.0), x_of(value)))
            parts.append(
                f'<rect x="{x0:.1f}" y="{middle - 8:.1f}" width="{max(x1 - x0, 0.0):.1f}" '
                f'height="16" fill="{BAR_COLOR}"/>'
            )
        color = TEXT_COLOR if number_ is not None else MUTED_COLOR
        parts.append(_text_svg(x_of(max(value, 0.0)) + 5, middle + 4, text, size=11, color=color))
        y += row
    height = max(y + pad, 40.0)
    parts.append(
        f'<line x1="{x_of(0.0):.1f}" y1="{pad:.1f}" x2="{x_of(0.0):.1f}" '
        f'y2="{height - pad:.1f}" stroke="{AXIS_COLOR}" stroke-width="1"/>'
    )
    return _svg(SVG_WIDTH, height, parts)


def _trend_svg(labels, numbers, value_labels) -> str:
    long_labels = sum(len(label) for label in labels) > 60
    height = 300.0 if long_labels else 260.0
    top, bottom = 26.0, height - (76.0 if long_labels else 34.0)
    pad = 12.0
    drawn, low, span = _scale(numbers)
    slot = (SVG_WIDTH - 2 * pad) / max(1, len(labels))

    def y_of(value):
        return bottom - (value - low) / span * (bottom - top)

    parts = []
    for i, (label, value, number_, text) in enumerate(
        zip(labels, drawn, numbers, value_labels, strict=False)
    ):
        center = pad + slot * (i + 0.5)
        if number_ is not None:
            y0, y1 = sorted((y_of(0.0), y_of(value)))
            color = LAST_COLOR if i == len(labels) - 1 else BAR_COLOR
            parts.append(
                f'<rect x="{center - slot * 0.31:.1f}" y="{y0:.1f}" width="{slot * 0.62:.1f}" '
                f'height="{max(y1 - y0, 0.0):.1f}" fill="{color}"/>'
            )
        color = TEXT_COLOR if number_ is not None else MUTED_COLOR
        parts.append(
            _text_svg(
                center, y_of(max(value, 0.0)) - 5, text, size=11, anchor="middle", color=color
            )
        )
        if long_labels:
            parts.append(
                _text_svg(
                    center,
                    bottom + 16,
                    label,
                    size=11,
                    anchor="end",
                    extra=f' transform="rotate(-35 {center:.1f} {bottom + 16:.1f})"',
                )
            )
        else:
            parts.append(_text_svg(center, bottom + 18, label, size=11, anchor="middle"))
    parts.append(
        f'<line x1="{pad:.1f}" y1="{y_of(0.0):.1f}" x2="{SVG_WIDTH - pad:.1f}" '
        f'y2="{y_of(0.0):.1f}" stroke="{AXIS_COLOR}" stroke-width="1"/>'
    )
    return _svg(SVG_WIDTH, height, parts)


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


def bars(
    labels: list[str],
    values: list,
    *,
    unit: str,
    fmt: str = "svg",
    value_labels: list[str] | None = None,
) -> str | bytes:
    """Horizontal bars, one per label (top to bottom in the given order): SVG text or PNG."""
    labels, numbers, texts = _prepare(labels, values, unit, value_labels)
    if fmt == "png":
        return _png("bars", _bars_figure, labels, numbers, texts, unit)
    return _bars_svg(labels, numbers, texts)


def trend(
    labels: list[str],
    values: list,
    *,
    unit: str,
    fmt: str = "svg",
    value_labels: list[str] | None = None,
) -> str | bytes:
    """Columns over periods (oldest first, the last one darker): SVG text or PNG."""
    labels, numbers, texts = _prepare(labels, values, unit, value_labels)
    if fmt == "png":
        return _png("trend", _trend_figure, labels, numbers, texts, unit)
    return _trend_svg(labels, numbers, texts)


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
