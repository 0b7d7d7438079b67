"""Raw answers of a campaign as CSV (UTF-8 with BOM, semicolons: what Excel opens in Québec)
and XLSX: one row per response, one column per question (named as in the XLSForm), choices by
their French label. Never the volunteers' contact details (they are not linked to answers).

In the CSV, texts that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first)
get a leading apostrophe; in the XLSX every text cell is typed as text. A respondent's text is
data, never a formula.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from . import answering
from .models import AnswerValue, Campaign, QuestionKind, Source

CHUNK = 2000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralize(text: str) -> str:
    return "'" + text if text and text.startswith(FORMULA_START) else text


def headers(struct: answering.Structure) -> list[str]:
    return [
        _("réponse"),
        _("site"),
        _("code du site"),
        _("version"),
        _("date"),
        _("mode"),
        _("no de feuille"),
    ] + [q.name for q in struct.questions]


def rows(campaign: Campaign, struct: answering.Structure):
    """Each response as a list of Python values (numbers stay numbers), in response order."""
    choice_labels = {c.pk: c.label_fr for q in struct.questions for c in q.choices}
    columns = {q.question.pk: i for i, q in enumerate(struct.questions)}
    kinds = {q.question.pk: q.kind for q in struct.questions}
    sources = dict(Source.choices)
    sites = {s.pk: (s.label, s.code) for s in campaign.sites.all()}
    responses = campaign.responses.order_by("id").values_list(
        "id", "site_id", "version__number", "submitted_on", "source", "sheet_number"
    )
    last_id, index = 0, 0
    while True:
        chunk = list(responses.filter(id__gt=last_id)[:CHUNK])
        if not chunk:
            return
        last_id = chunk[-1][0]
        values: dict[int, list] = {}
        for response_id, question_id, choice_id, number, text in (
            AnswerValue.objects.filter(response_id__in=[r[0] for r in chunk])
            .order_by("response_id", "id")
            .values_list("response_id", "question_id", "choice_id", "number", "text")
        ):
            column = columns.get(question_id)
            if column is None:
                continue
            cells = values.setdefault(response_id, [None] * len(columns))
            kind = kinds[question_id]
            if kind == QuestionKind.MULTIPLE:
                label = choice_labels.get(choice_id, "")
                cells[column] = f"{cells[column]} ; {label}" if cells[column] else label
            elif kind == QuestionKind.SINGLE:
                cells[column] = choice_labels.get(choice_id, "")
            elif kind in (QuestionKind.RATING, QuestionKind.NUMBER):
                cells[column] = number
            else:
                cells[column] = text
        for response_id, site_id, version, day, source, sheet in chunk:
            index += 1
            label, code = sites.get(site_id, ("", ""))
            yield [
                index,
                label,
                code,
                version,
                day,
                str(sources.get(source, source)),
                sheet,
            ] + values.get(response_id, [None] * len(columns))


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = str(int(value)) if value == value.to_integral_value() else str(value.normalize())
        return text.replace(".", ",")  # French Excel reads 2,5
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str):
        return neutralize(value)
    return value


def write_csv(campaign: Campaign, out) -> None:
    with translation.override("fr"):
        struct = answering.structure(campaign.version)
        out.write("\ufeff")
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(headers(struct))
        for row in rows(campaign, struct):
            writer.writerow([_csv_cell(v) for v in row])


def csv_bytes(campaign: Campaign) -> bytes:
    out = io.StringIO()
    write_csv(campaign, out)
    return out.getvalue().encode("utf-8")


def _xlsx_cell(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def xlsx_bytes(campaign: Campaign) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    with translation.override("fr"):
        struct = answering.structure(campaign.version)
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Réponses"))
        sheet.freeze_panes = "A2"
        header = []
        for title in headers(struct):
            cell = WriteOnlyCell(sheet, value=title)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in rows(campaign, struct):
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=_xlsx_cell(value))
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                elif hasattr(value, "isoformat"):
                    cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            sheet.append(cells)
        legend = workbook.create_sheet(_("Questions"))
        legend.append([_("nom"), _("no"), _("section"), _("question"), _("type"), _("choix")])
        for section in struct.sections:
            for info in section.questions:
                legend.append(
                    [
                        info.name,
                        info.number,
                        section.section.title_fr,
                        info.question.label_fr,
                        str(info.question.get_kind_display()),
                        " ; ".join(c.label_fr for c in info.choices),
                    ]
                )
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
