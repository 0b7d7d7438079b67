"""The highlights report as a Word document (python-docx), from the same ``Highlights`` as the
page and the PDF: headings, lists, the achievements, the chart (PNG) with its caption and its
data table, the examples, the indicators, and the funding table with its subtotals and totals
(the lines of ``partners.reports.report_lines``, labelled as on the agreement's page)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from tremplin.core.docx import repeat_as_header, set_language, shade, to_bytes
from tremplin.partners.reports import (
    DOCX_HEADER_FILL,
    DOCX_SECTION_FILL,
    caption,
    funding_grid_docx,
)

from .report import Block, Highlights


def _blocks(doc, blocks: list[Block]) -> None:
    for block in blocks:
        if block.is_list:
            for item in block.items:
                doc.add_paragraph(item, style="List Bullet")
        else:
            doc.add_paragraph(block.text)


def _bullets(doc, items: list[str], style: str = "List Bullet") -> None:
    for item in items:
        doc.add_paragraph(item, style=style)


def _simple_table(doc, headers: list[str], rows: list[list[str]], *, numeric_from: int = 1):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    header = table.rows[0]
    repeat_as_header(header)
    for i, (cell, text) in enumerate(zip(header.cells, headers, strict=True)):
        cell.paragraphs[0].add_run(text).bold = True
        shade(cell, DOCX_HEADER_FILL)
        if i >= numeric_from:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for values in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
            cell.paragraphs[0].add_run(text)
            if i >= numeric_from:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return table


def _chart(doc, h: Highlights, png: bytes | None) -> None:
    from docx.shared import Inches

    chart = h.chart
    if png:
        doc.add_picture(io.BytesIO(png), width=Inches(6))
    doc.add_paragraph(chart.title, style="Caption")
    _simple_table(doc, [_("Territoire"), str(chart.indicator.label)], [list(r) for r in chart.rows])


def _indicators(doc, h: Highlights) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc.add_paragraph(
        _("Indicateurs, %(period)s — %(area)s") % {"period": h.period.label, "area": h.area_label},
        style="Caption",
    )
    table = _simple_table(doc, [_("Indicateur"), _("Valeur")], [])
    group = None
    for line in h.indicators:
        if line.group != group:
            group = line.group
            cells = table.add_row().cells
            merged = cells[0].merge(cells[1])
            merged.paragraphs[0].add_run(group).bold = True
            shade(merged, DOCX_SECTION_FILL)
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(line.label)
        cells[1].paragraphs[0].add_run(line.value)
        cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _funding(doc, h: Highlights) -> None:
    """The funding table, laid out as ``partners.reports.funding_docx`` lays it out."""
    from docx.shared import Inches

    doc.add_paragraph(caption(h.funding), style="Caption")
    funding_grid_docx(
        doc, h.funding, label_width=Inches(2.1), purpose_width=Inches(2.0), amount_width=Inches(1.2)
    )


def document_docx(h: Highlights, *, chart_png: bytes | None = None) -> bytes:
    from docx import Document
    from docx.shared import Inches, Pt

    doc = Document()
    set_language(doc, "fr-CA")
    doc.styles["Normal"].font.size = Pt(10)
    doc.core_properties.title = h.title
    doc.core_properties.subject = _("Faits saillants %(period)s") % {"period": h.period.label}
    doc.core_properties.language = "fr-CA"
    doc.core_properties.author = "Tremplin"
    section = doc.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(0.8))

    doc.add_paragraph().add_run(_("Faits saillants").upper()).bold = True
    doc.add_heading(h.title, level=0)
    if h.subtitle:
        doc.add_paragraph(h.subtitle)
    doc.add_paragraph(f"{_('Période')} : {h.period_text}")
    doc.add_paragraph(f"{_('Territoire')} : {h.area_label}")
    if h.fictitious_notice:
        doc.add_paragraph().add_run(h.fictitious_notice).bold = True

    if h.context:
        doc.add_heading(_("Mise en contexte"), level=1)
        _blocks(doc, h.context)
    if h.partners:
        doc.add_heading(_("Partenaires de l'entente"), level=1)
        _bullets(doc, h.partners)
    if h.target_clientele:
        doc.add_heading(_("Clientèle visée"), level=1)
        _blocks(doc, h.target_clientele)
    if h.objectives:
        doc.add_heading(_("Objectifs"), level=1)
        _bullets(doc, h.objectives)

    doc.add_heading(h.achievements_heading, level=1)
    _blocks(doc, h.achievements_intro)
    for statement in h.achievements:
        doc.add_paragraph(style="List Bullet").add_run(statement.text).bold = True
    if not h.achievements and not h.achievements_intro:
        doc.add_paragraph(_("Aucune réalisation chiffrée pour cette période."))
    if h.chart:
        _chart(doc, h, chart_png)

    if h.examples or h.extra_examples:
        doc.add_heading(_("Exemples de réalisations"), level=1)
        for example in h.examples:
            paragraph = doc.add_paragraph(style="List Number")
            paragraph.add_run(example.title).bold = True
            paragraph.add_run(f" — {example.places} · {example.dates}")
            if example.summary:
                paragraph.add_run(f"\n{example.summary}").italic = True
        for line in h.extra_examples:
            doc.add_paragraph(style="List Number").add_run(line).bold = True

    if h.indicators:
        doc.add_heading(_("Indicateurs de la période"), level=1)
        _indicators(doc, h)

    if h.funding is not None:
        doc.add_heading(_("Financement"), level=1)
        _funding(doc, h)
    elif h.funding_hidden:
        doc.add_heading(_("Financement"), level=1)
        doc.add_paragraph(
            _(
                "Le tableau de financement de l'entente est réservé aux rôles qui consultent le "
                "financement."
            )
        )

    doc.add_paragraph()
    doc.add_paragraph(h.produced_by)
    if h.fictitious_notice:
        doc.add_paragraph(h.fictitious_notice)
    return to_bytes(doc)
