"""The funding table of an agreement as a report to hand to funders: HTML, PDF, XLSX and DOCX.

Every format is built from the same ``FundingTable`` (computed from the commitments, never
typed in) and shows the same lines, subtotals and totals as the agreement's page:

- HTML and PDF render ``partners/funding_report.html``, which includes the page's own table
  fragment (``partners/includes/funding_table.html``), so page and report cannot diverge;
- XLSX and DOCX walk ``report_lines(table)``, the same lines in the same order with the same
  labels. In the workbook, subtotals and totals are formulas over the cells above them, so a
  funder can check (or extend) the arithmetic.

Reports are always in French: funders receive French documents.
"""

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tremplin.core.docx import repeat_as_header, set_language, shade, to_bytes
from tremplin.core.formatting import date_long, money
from tremplin.core.tabular import neutralise

from .funding import FundingTable, funding_table
from .models import Agreement

FORMATS = ("html", "pdf", "xlsx", "docx")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
REPORT_LANGUAGE = "fr"
XLSX_SHEET = "Financement"
XLSX_MONEY_FORMAT = '#,##0 "$"'  # Excel shows its locale's separators: 255 000 $ in French


def render_funding(agreement: Agreement, fmt: str, *, base_url=None) -> tuple[bytes, str, str]:
    """The funding report of ``agreement`` in ``fmt``: (content, content type, extension)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format: {fmt!r}")
    with translation.override(REPORT_LANGUAGE):
        table = funding_table(agreement)
        if fmt == "html":
            content = funding_html(table).encode("utf-8")
        elif fmt == "pdf":
            content = funding_pdf(table, base_url=base_url)
        elif fmt == "xlsx":
            content = funding_xlsx(table)
        else:
            content = funding_docx(table)
    return content, CONTENT_TYPES[fmt], fmt


# --- the shared content ------------------------------------------------------------------


@dataclass
class ReportLine:
    """One line of the table. ``kind``: section, row, subtotal, total or grand_total."""

    kind: str
    label: str
    purpose: str = ""
    initial: Decimal | None = None
    top_ups: list[Decimal | None] = field(default_factory=list)


def column_headers(table: FundingTable) -> list[str]:
    return [
        _("Partenaires"),
        _("Engagements"),
        _("Investissements initiaux"),
        *(
            _("Investissements bonifiés pour l'An %(n)s (%(label)s)")
            % {"n": col.year_number, "label": col.label}
            for col in table.columns
        ),
    ]


def caption(table: FundingTable) -> str:
    agreement = table.agreement
    return _("Financement %(start)s-%(end)s") % {
        "start": agreement.start_date.year,
        "end": agreement.end_date.year,
    }


def period(agreement: Agreement) -> str:
    return f"{date_long(agreement.start_date)} – {date_long(agreement.end_date)}"


def fictitious_notice(agreement: Agreement) -> str:
    if not agreement.is_fictitious:
        return ""
    return _("Entente fictive : données de démonstration.")


def produced_by() -> str:
    return _("Produit par Tremplin le %(date)s.") % {"date": date_long(timezone.localdate())}


def report_lines(table: FundingTable) -> list[ReportLine]:
    """The table's lines in display order, labelled as on the page."""
    years = [col.fiscal_year for col in table.columns]
    lines = []
    for section in table.sections:
        lines.append(ReportLine("section", section.label))
        for row in section.rows:
            lines.append(
                ReportLine(
                    "row",
                    row.partner,
                    row.purpose,
                    row.initial,
                    [row.top_ups.get(year) for year in years],
                )
            )
        lines.append(
            ReportLine(
                "subtotal",
                _("Sous-total — %(label)s") % {"label": section.label.lower()},
                initial=section.initial,
                top_ups=[section.top_up(year) for year in years],
            )
        )
    lines.append(
        ReportLine(
            "total",
            _("Total des investissements initiaux et des bonifications"),
            initial=table.initial,
            top_ups=[table.top_up(year) for year in years],
        )
    )
    lines.append(ReportLine("grand_total", _("Grand total"), initial=table.grand_total))
    return lines


# --- HTML and PDF --------------------------------------------------------------------------


def funding_html(table: FundingTable) -> str:
    agreement = table.agreement
    return render_to_string(
        "partners/funding_report.html",
        {
            "agreement": agreement,
            "table": table,
            "period": period(agreement),
            "fictitious_notice": fictitious_notice(agreement),
            "landscape": len(table.columns) >= 2,
            "produced_by": produced_by(),
        },
    )


def funding_pdf(table: FundingTable, *, base_url=None) -> bytes:
    from weasyprint import HTML

    return HTML(string=funding_html(table), base_url=base_url).write_pdf()


# --- XLSX ------------------------------------------------------------------------------------


def _number(value: Decimal | None):
    """A cell value: whole dollars as int, cents as float, not quantified as empty."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def funding_xlsx(table: FundingTable) -> bytes:
    """Laid out like seed 000: title, header, sections with their rows and subtotal formulas,
    total and grand total formulas, then the notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.properties import CalcProperties

    agreement = table.agreement
    headers = column_headers(table)
    n_cols = len(headers)
    last_letter = get_column_letter(n_cols)
    amount_letters = [get_column_letter(i) for i in range(3, n_cols + 1)]  # C, D, …
    bold = Font(bold=True)
    thin = Side(style="thin", color="999999")
    fill = PatternFill("solid", fgColor="EEF2F6")
    wrap = Alignment(wrap_text=True, vertical="top")

    wb = Workbook()
    ws = wb.active
    ws.title = XLSX_SHEET
    wb.calculation = CalcProperties(fullCalcOnLoad=True)  # Excel computes on opening

    # Typed text (titles, partners, purposes, notes) that a spreadsheet would run as a formula
    # is written as text; the subtotals and totals are the report's own formulas.
    ws["A1"] = neutralise(agreement.title)
    ws["A1"].font = Font(bold=True, size=13)
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(f"A1:{last_letter}1")
    ws.row_dimensions[1].height = 48
    ws["A2"] = neutralise(f"{caption(table)} · {period(agreement)}")
    ws.merge_cells(f"A2:{last_letter}2")

    header_row = 3
    for i, title in enumerate(headers, start=1):
        cell = ws.cell(row=header_row, column=i, value=title)
        cell.font = bold
        cell.fill = fill
        cell.border = Border(bottom=thin)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom", horizontal="left")
    ws.row_dimensions[header_row].height = 45

    def put_amount(row: int, column: int, value):
        cell = ws.cell(row=row, column=column, value=value)
        cell.number_format = XLSX_MONEY_FORMAT
        cell.alignment = Alignment(horizontal="right", vertical="top")
        return cell

    row = header_row + 1
    first_data = None
    subtotal_rows = []
    total_row = None
    for line in report_lines(table):
        if line.kind == "section":
            cell = ws.cell(row=row, column=1, value=neutralise(line.label))
            cell.font = bold
            ws.merge_cells(f"A{row}:{last_letter}{row}")
            first_data = row + 1
        elif line.kind == "row":
            ws.cell(row=row, column=1, value=neutralise(line.label)).alignment = wrap
            ws.cell(row=row, column=2, value=neutralise(line.purpose)).alignment = wrap
            for i, value in enumerate([line.initial, *line.top_ups], start=3):
                put_amount(row, i, _number(value))
        elif line.kind == "subtotal":
            last_data = row - 1
            ws.cell(row=row, column=1, value=line.label).font = bold
            ws.merge_cells(f"A{row}:B{row}")
            for i, letter in enumerate(amount_letters, start=3):
                formula = f"=SUM({letter}{first_data}:{letter}{last_data})"
                cell = put_amount(row, i, formula if last_data >= first_data else 0)
                cell.font = bold
                cell.border = Border(top=thin)
            subtotal_rows.append(row)
        elif line.kind == "total":
            ws.cell(row=row, column=1, value=line.label).font = bold
            ws.merge_cells(f"A{row}:B{row}")
            for i, letter in enumerate(amount_letters, start=3):
                formula = "=" + "+".join(f"{letter}{r}" for r in subtotal_rows)
                cell = put_amount(row, i, formula)
                cell.font = bold
                cell.border = Border(top=thin)
            total_row = row
        elif line.kind == "grand_total":
            ws.cell(row=row, column=1, value=line.label).font = bold
            ws.merge_cells(f"A{row}:B{row}")
            formula = f"=C{total_row}"
            if len(amount_letters) > 1:
                formula += f"+SUM(D{total_row}:{last_letter}{total_row})"
            cell = put_amount(row, 3, formula)
            cell.font = Font(bold=True, size=12)
            cell.border = Border(top=thin, bottom=Side(style="double"))
        row += 1

    row += 1
    for note in [*agreement.table_notes.splitlines(), fictitious_notice(agreement)]:
        if note.strip():
            ws.cell(row=row, column=1, value=neutralise(note.strip())).font = Font(italic=True)
            row += 1
    ws.cell(row=row + 1, column=1, value=produced_by())

    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 46
    for letter in amount_letters:
        ws.column_dimensions[letter].width = 20
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    wb.properties.title = caption(table)
    wb.properties.language = "fr-CA"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- DOCX ------------------------------------------------------------------------------------


DOCX_HEADER_FILL = "EEF2F6"
DOCX_SECTION_FILL = "F5F5F5"


def funding_grid_docx(doc, table: FundingTable, *, label_width, purpose_width, amount_width):
    """The funding table as a Word table (widths in ``docx.shared`` lengths): the header row
    repeated on every page, shaded sections, amounts on the right, the subtotals and totals as
    on the page; then the agreement's table notes, in italics."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    headers = column_headers(table)
    n_cols = len(headers)
    grid = doc.add_table(rows=1, cols=n_cols)
    grid.style = "Table Grid"

    def fill(cells, values, *, bold=False, amounts_from=2):
        for i, (cell, value) in enumerate(zip(cells, values, strict=False)):
            paragraph = cell.paragraphs[0]
            paragraph.add_run(value).bold = bold
            if i >= amounts_from:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    header = grid.rows[0]
    repeat_as_header(header)
    fill(header.cells, headers, bold=True, amounts_from=n_cols)
    for cell in header.cells:
        shade(cell, DOCX_HEADER_FILL)

    for line in report_lines(table):
        cells = grid.add_row().cells
        amounts = [money(v) for v in [line.initial, *line.top_ups]]
        if line.kind == "section":
            merged = cells[0].merge(cells[-1])
            merged.paragraphs[0].add_run(line.label).bold = True
            shade(merged, DOCX_SECTION_FILL)
        elif line.kind == "row":
            fill(cells, [line.label, line.purpose, *amounts])
        elif line.kind in {"subtotal", "total"}:
            label_cell = cells[0].merge(cells[1])
            label_cell.paragraphs[0].add_run(line.label).bold = True
            fill(cells[2:], amounts, bold=True, amounts_from=0)
        else:  # grand total: one amount across the amount columns, as on the page
            label_cell = cells[0].merge(cells[1])
            label_cell.paragraphs[0].add_run(line.label).bold = True
            amount_cell = cells[2].merge(cells[-1]) if n_cols > 3 else cells[2]
            fill([amount_cell], amounts[:1], bold=True, amounts_from=0)
    widths = [label_width, purpose_width] + [amount_width] * (n_cols - 2)
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width

    for note in table.agreement.table_notes.splitlines():
        if note.strip():
            doc.add_paragraph().add_run(note.strip()).italic = True


def funding_docx(table: FundingTable) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Inches, Pt

    agreement = table.agreement

    doc = Document()
    set_language(doc, "fr-CA")
    doc.styles["Normal"].font.size = Pt(9.5)
    doc.core_properties.title = caption(table)
    doc.core_properties.language = "fr-CA"
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Inches(11), Inches(8.5)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(0.7))

    doc.add_heading(agreement.title, level=1)
    doc.add_paragraph(f"{_('Période')} : {period(agreement)}")
    notice = fictitious_notice(agreement)
    if notice:
        doc.add_paragraph().add_run(notice).bold = True
    doc.add_heading(caption(table), level=2)
    funding_grid_docx(
        doc, table, label_width=Inches(2.9), purpose_width=Inches(2.8), amount_width=Inches(1.3)
    )
    doc.add_paragraph(produced_by())
    return to_bytes(doc)
