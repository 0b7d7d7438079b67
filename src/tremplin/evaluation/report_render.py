"""The highlights report as documents: HTML (a standalone file), PDF (WeasyPrint) and Word.

Every format is built from one ``Highlights`` (``report.build_highlights``). The page, the PDF
and the HTML file render the same template (``evaluation/highlights_body.html``) and the same
stylesheet (``evaluation/highlights.css``, print rules included): the PDF is printed by
WeasyPrint from it, tagged (PDF/UA structure) and in French, titled after the report. The
Word file (``report_docx``) walks the same ``Highlights``, with the same sentences, the same
figures, the same examples and the funding table's lines of ``partners.reports``.

Documents are always in French, like the program's other reports: funders receive French
documents.
"""

from __future__ import annotations

import logging

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

from .report import Highlights, build_highlights

FORMATS = ("pdf", "docx", "html")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
REPORT_LANGUAGE = "fr"
STYLESHEET = "evaluation/highlights.css"


logger = logging.getLogger(__name__)


def stylesheet_path() -> str:
    path = finders.find(STYLESHEET)
    if not path:  # pragma: no cover - a broken installation
        raise FileNotFoundError(STYLESHEET)
    return path


def chart_image(h: Highlights, fmt: str):
    """The report's chart as SVG text or PNG bytes (``charts.bars``), or None."""
    if h.chart is None:
        return None
    from . import charts

    return charts.bars(
        h.chart.labels,
        h.chart.values,
        unit=h.chart.indicator.unit,
        fmt=fmt,
        value_labels=h.chart.shown,
    )


def chart_uri(h: Highlights) -> str:
    svg = chart_image(h, "svg")
    if not svg:
        return ""
    from . import charts

    return charts.data_uri(svg)


def document_html(h: Highlights, *, embed_css: bool = True) -> str:
    """The standalone document; with ``embed_css`` it carries the stylesheet (a downloaded file
    reads alike offline), without it the stylesheet is given to WeasyPrint."""
    embedded = ""
    if embed_css:
        with open(stylesheet_path(), encoding="utf-8") as handle:
            embedded = handle.read()
    return render_to_string(
        "evaluation/highlights_document.html",
        {"h": h, "chart_uri": chart_uri(h), "embedded_css": embedded},
    )


def document_pdf(h: Highlights) -> bytes:
    from weasyprint import CSS, HTML

    html = document_html(h, embed_css=False)
    document = HTML(string=html, base_url=None)
    stylesheets = [CSS(filename=stylesheet_path())]
    try:
        return document.write_pdf(stylesheets=stylesheets, pdf_tags=True)
    except ValueError:
        # WeasyPrint's tagging fails on some tables split across pages ("Table wrapper
        # without a table", seen at province scale): the report without tags beats no report.
        logger.warning("highlights PDF: tagging failed, written without tags", exc_info=True)
        return document.write_pdf(stylesheets=stylesheets)


def render(h: Highlights, fmt: str) -> bytes:
    """``h`` (built in French) as ``fmt``: pdf, docx or html."""
    if fmt == "pdf":
        return document_pdf(h)
    if fmt == "docx":
        from .report_docx import document_docx

        return document_docx(h, chart_png=chart_image(h, "png"))
    if fmt == "html":
        return document_html(h).encode("utf-8")
    raise ValueError(f"unknown report format: {fmt!r}")


def file_name(h: Highlights, fmt: str) -> str:
    """``faits-saillants-an-1-fy2008.pdf``."""
    base = slugify(h.title)[:60].strip("-") or "rapport"
    if not base.startswith("faits-saillants"):
        base = f"faits-saillants-{base}"
    period = h.period.key.replace("..", "_")
    area = f"-{h.territory.slug}" if h.territory is not None else ""
    return f"{base}{area}-{period}.{fmt}"


def export(report_or_params, fmt: str, user=None) -> tuple[bytes, str, str]:
    """Build and render in French: (content, content type, file name)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format: {fmt!r}")
    with translation.override(REPORT_LANGUAGE):
        h = build_highlights(report_or_params, user=user)
        return render(h, fmt), CONTENT_TYPES[fmt], file_name(h, fmt)
