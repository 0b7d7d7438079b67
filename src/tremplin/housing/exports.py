"""Exports of the directory: CSV (UTF-8 with BOM, so Excel shows accents), XLSX and PDF."""

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone

from tremplin.core.tabular import neutralise

from .columns import HEADERS, building_row

CSV_BATCH = 2000


def write_csv(buildings, out) -> None:
    """Write rows to a text stream; the BOM is what makes Excel read UTF-8."""
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for b in buildings.iterator(chunk_size=CSV_BATCH):
        # Text a spreadsheet would run as a formula is written as text (CSV injection).
        writer.writerow([neutralise(v) for v in building_row(b)])


def csv_bytes(buildings) -> bytes:
    out = io.StringIO()
    write_csv(buildings, out)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(buildings) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Répertoire")
    widths = [38, 40, 14, 24, 22, 22, 28, 34, 24, 11] + [9] * 6 + [34, 14, 12, 10, 12, 12, 10]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    from openpyxl.cell import WriteOnlyCell

    header = []
    for title in HEADERS:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for b in buildings.iterator(chunk_size=CSV_BATCH):
        ws.append([neutralise(v) for v in building_row(b)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def pdf_bytes(groups: dict, *, totals: dict, base_url: str) -> bytes:
    """The printable Répertoire, grouped by territory then municipality (WeasyPrint)."""
    return pdf_document(groups, totals=totals, base_url=base_url)[0]


def pdf_document(groups: dict, *, totals: dict, base_url: str) -> tuple[bytes, int]:
    """The PDF and its number of pages."""
    from weasyprint import HTML

    html = render_to_string(
        "housing/print.html",
        {"groups": groups, "totals": totals, "generated_at": timezone.localtime()},
    )
    document = HTML(string=html, base_url=base_url).render()
    return document.write_pdf(), len(document.pages)
