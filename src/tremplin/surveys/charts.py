"""Bar charts of a closed question: hand-written SVG for pages and PDFs (``core.charts``), PNG
drawn with matplotlib (Agg backend) for the Word report, cached (Django's cache) by the
figures they show.

Every chart comes with its data table on the page and in the reports: the chart is never the
only place a number is.
"""

from __future__ import annotations

import textwrap

from tremplin.core import charts as svg_charts
from tremplin.core.formatting import number

BAR_COLOR = svg_charts.BAR_COLOR


_escape_mathtext = svg_charts.mathtext_safe


def _figure(labels: list[str], percents: list[float], value_labels: list[str]):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    wrapped = ["\n".join(textwrap.wrap(_escape_mathtext(label), 30)) or " " for label in labels]
    lines = sum(max(1, w.count("\n") + 1) for w in wrapped)
    height = max(1.4, 0.32 * lines + 0.25 * len(labels) + 0.6)
    figure = Figure(figsize=(6.4, height), dpi=100)
    axes = figure.add_subplot()
    positions = list(range(len(labels)))[::-1]
    axes.barh(positions, percents, color=BAR_COLOR, height=0.62)
    axes.set_yticks(positions, wrapped, fontsize=9)
    top = max([100.0, *percents]) if percents else 100.0
    axes.set_xlim(0, top * 1.18)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.set_xticklabels([f"{n} %" for n in (0, 25, 50, 75, 100)], fontsize=8)
    for position, value, text in zip(positions, percents, value_labels, strict=False):
        axes.text(value + top * 0.01, position, text, va="center", fontsize=8.5, color="#1d2430")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="y", length=0)
    figure.tight_layout()
    return figure


def bar_chart(labels: list[str], percents: list, *, fmt: str = "svg") -> bytes | str:
    """A horizontal bar chart of percentages: SVG text (``fmt="svg"``) or PNG bytes."""
    values = [float(p or 0) for p in percents]
    value_labels = [f"{number(p or 0, 1)} %" for p in percents]
    if fmt != "png":
        return svg_charts.bars([str(label) for label in labels], values, value_labels, top=100.0)
    return svg_charts.png(
        "surveys",
        (fmt, labels, values, value_labels),
        lambda: _figure(labels, values, value_labels),
    )


def question_chart(result, *, fmt: str = "svg"):
    """The chart of a ``results.QuestionResult`` (closed, not suppressed)."""
    return bar_chart(
        [o.label for o in result.options], [o.percent or 0 for o in result.options], fmt=fmt
    )
