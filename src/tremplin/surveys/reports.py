"""The results report of a campaign, to hand to partners: PDF (WeasyPrint) and Word (DOCX).

Both are built from the same ``results.campaign_results`` as the results page, with the same
small-cell suppression, and show every chart next to its data table. No free-text answer and
no contact detail goes into a report: themes are counted, not quoted. Reports are in French,
like the program's other reports.
"""

from __future__ import annotations

import base64
import io

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tremplin.core.docx import to_bytes
from tremplin.core.formatting import date_long, number

from . import charts, results
from .models import Campaign

REPORT_LANGUAGE = "fr"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _percent(value) -> str:
    return "" if value is None else f"{number(value, 1)} %"


def produced_by() -> str:
    return _("Produit par Tremplin le %(date)s.") % {"date": date_long(timezone.localdate())}


def period(campaign: Campaign) -> str:
    return f"{date_long(campaign.opens_on)} – {date_long(campaign.closes_on)}"


def report_html(campaign: Campaign, res: results.Results) -> str:
    chart_uris = {}
    for q in res.questions:
        if q.has_chart:
            svg = charts.question_chart(q)
            chart_uris[q.question.pk] = "data:image/svg+xml;base64," + base64.b64encode(
                svg.encode("utf-8")
            ).decode("ascii")
    return render_to_string(
        "surveys/report.html",
        {
            "campaign": campaign,
            "results": res,
            "chart_uris": chart_uris,
            "period": period(campaign),
            "produced_by": produced_by(),
            "min_cell": results.MIN_CELL,
        },
    )


def report_pdf(campaign: Campaign) -> bytes:
    from weasyprint import CSS, HTML

    with translation.override(REPORT_LANGUAGE):
        res = results.campaign_results(campaign)
        html = report_html(campaign, res)
        stylesheet = finders.find("surveys/report.css")
        return HTML(string=html).write_pdf(stylesheets=[CSS(filename=stylesheet)])


def _table(doc, header: list[str], rows: list[list[str]], numeric_from: int = 1):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=False):
        cell.paragraphs[0].add_run(text).bold = True
    for values in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, values, strict=False)):
            cell.paragraphs[0].add_run(str(text))
            if i >= numeric_from:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return table


def report_docx(campaign: Campaign) -> bytes:
    from docx import Document
    from docx.shared import Inches, Pt

    with translation.override(REPORT_LANGUAGE):
        res = results.campaign_results(campaign)
        version = campaign.version
        doc = Document()
        doc.styles["Normal"].font.size = Pt(10)
        doc.core_properties.title = campaign.title
        doc.core_properties.language = "fr-CA"
        doc.add_heading(campaign.title, level=1)
        doc.add_paragraph(
            _("Questionnaire : %(title)s, version %(number)s.")
            % {"title": version.title_fr, "number": version.number}
        )
        doc.add_paragraph(f"{_('Période')} : {period(campaign)}")
        if campaign.is_demo:
            doc.add_paragraph().add_run(
                _("Données fictives de démonstration : sites, réponses et personnes inventés.")
            ).bold = True
        doc.add_paragraph(
            _(
                "Pour protéger la confidentialité, aucun résultat n'est montré pour un groupe de "
                "moins de %(n)s réponses."
            )
            % {"n": results.MIN_CELL}
        )
        doc.add_heading(_("Réponses par site"), level=2)
        site_rows = [
            [
                s.site.label,
                number(s.responses),
                number(s.goal) if s.goal else "–",
                _percent(s.goal_percent),
            ]
            for s in res.sites
        ]
        site_rows.append(
            [
                _("Total"),
                number(res.responses),
                number(res.goal) if res.goal else "–",
                _percent(res.goal_percent),
            ]
        )
        _table(doc, [_("Site"), _("Réponses"), _("Objectif"), _("% de l'objectif")], site_rows)
        current_section = None
        for q in res.questions:
            section = q.question.section_id
            if section != current_section:
                current_section = section
                section_title = next(
                    (s.section.title_fr for s in res.struct.sections if s.section.pk == section), ""
                )
                doc.add_heading(section_title, level=2)
            doc.add_heading(f"{q.number}. {q.question.label_fr}", level=3)
            doc.add_paragraph(_("Personnes ayant répondu : %(n)s") % {"n": number(q.respondents)})
            if q.suppressed:
                doc.add_paragraph(
                    _("Résultat masqué : moins de %(n)s réponses.") % {"n": results.MIN_CELL}
                    if q.respondents
                    else _("Aucune réponse.")
                )
                continue
            if q.is_closed:
                _table(
                    doc,
                    [_("Réponse"), _("Nombre"), _("%")],
                    [[o.label, number(o.count), _percent(o.percent)] for o in q.options],
                )
                if q.has_chart:
                    doc.add_picture(
                        io.BytesIO(charts.question_chart(q, fmt="png")), width=Inches(5.5)
                    )
            if q.mean is not None:
                doc.add_paragraph(_("Moyenne : %(mean)s") % {"mean": number(q.mean, 2)})
            if q.themes:
                _table(
                    doc,
                    [_("Thème"), _("Réponses")],
                    [[t.name, number(t.count)] for t in q.themes],
                )
        doc.add_paragraph(produced_by())
        return to_bytes(doc)
