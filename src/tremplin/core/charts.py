"""Bar charts as hand-written SVG: horizontal bars (items, areas, a question's options) and
columns over periods. No style attribute and no script, so that they pass the strict
Content-Security-Policy; labels are escaped. Used by the evaluation pages and the survey
results (matplotlib stays for the PNG of Word reports: it took about 70 ms a chart, these
well under a millisecond).

A value may be ``None`` (no value, or a suppressed one): no bar is drawn and its label (given
by the caller, e.g. ``—`` or ``< 5``) is shown in a muted colour.
"""

import hashlib
import html
import io
import textwrap

from django.core.cache import cache

BAR_COLOR = "#0b5a7a"
LAST_COLOR = "#08425a"
TEXT_COLOR = "#1d2430"
MUTED_COLOR = "#4a5565"
SVG_WIDTH = 640
FONT = "DejaVu Sans, Verdana, sans-serif"
CHAR_WIDTH = 6.6  # an average character at 12 px, for the room a label takes
AXIS_COLOR = "#cfd8e3"
PNG_CACHE_SECONDS = 3600


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


def _scale(numbers, top: float = 0.0):
    drawn = [n or 0.0 for n in numbers]
    low = min([0.0, *drawn])
    high = max([top, *drawn])
    return drawn, low, (high - low) or 1.0


def bars(labels: list[str], numbers: list, value_labels: list[str], *, top: float = 0.0) -> str:
    """Horizontal bars, one per label, top to bottom; the scale reaches at least ``top``
    (100 for percentages, so that 10 % looks like a tenth)."""
    label_width, pad, value_room = 200.0, 8.0, 84.0
    left = pad + label_width + 8
    right = SVG_WIDTH - value_room
    drawn, low, span = _scale(numbers, top)

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


def columns(labels: list[str], numbers: list, value_labels: list[str]) -> str:
    """Columns over periods, oldest first; the last one (the chosen period) darker."""
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


# --- PNG (matplotlib, for the Word reports) -------------------------------------------------


def mathtext_safe(label) -> str:
    """A label for matplotlib, which reads ``$…$`` as mathematics: ``255 000 $`` stays text."""
    return str(label).replace("\\", "\\\\").replace("$", r"\$")


def png(namespace: str, key_parts: tuple, draw) -> bytes:
    """The matplotlib figure ``draw()`` returns, as PNG bytes (150 dpi, DejaVu Sans, no
    software metadata: the same chart gives the same bytes). Kept an hour in the cache under
    ``tremplin:<namespace>:chart:`` and a hash of ``key_parts`` (what the chart shows)."""
    key = f"tremplin:{namespace}:chart:" + hashlib.sha256(repr(key_parts).encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return cached
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import rc_context

    with rc_context({"font.family": "DejaVu Sans"}):
        figure = draw()
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=150, metadata={"Software": None})
        result = out.getvalue()
    cache.set(key, result, PNG_CACHE_SECONDS)
    return result
