"""Exports of the filtered project list: CSV (UTF-8 with BOM, ``;``) and XLSX, one row a project;
text that a spreadsheet would run as a formula is written as text (``neutralise``)."""

import csv
import io

from django.utils.translation import gettext as _

from tremplin.core.tabular import neutralise

BATCH = 1000


def headers() -> list[str]:
    return [
        _("Titre"),
        _("Type"),
        _("Statut"),
        _("Début"),
        _("Fin"),
        _("Territoires"),
        _("Sites"),
        _("Organisateur·trice responsable"),
        _("Activités"),
        _("Participant·es"),
        _("Dont locataires"),
    ]


def _site(building) -> str:
    place = f"{building.address}, {building.municipality.name}"
    return f"{building.name} ({place})" if building.name else place


def project_row(p) -> list:
    sites = [_site(b) for b in p.buildings.all()] + [pr.name for pr in p.providers.all()]
    lead = p.lead_organizer
    return [
        p.title,
        p.get_kind_display(),
        p.get_status_display(),
        p.start_date.isoformat() if p.start_date else "",
        p.end_date.isoformat() if p.end_date else "",
        p.territory_names,
        " | ".join(sites),
        (lead.get_full_name() or lead.username) if lead else "",
        p.activity_count,
        p.participant_sum,
        p.tenant_sum,
    ]


def write_csv(projects, out) -> None:
    out.write("\ufeff")  # what makes Excel read UTF-8
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers())
    for p in projects.iterator(chunk_size=BATCH):
        # Text a spreadsheet would run as a formula is written as text (CSV injection).
        writer.writerow([neutralise(v) for v in project_row(p)])


def csv_bytes(projects) -> bytes:
    out = io.StringIO()
    write_csv(projects, out)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(projects) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Projets"))
    for i, width in enumerate([40, 28, 14, 12, 12, 28, 50, 28, 10, 14, 14], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    header = []
    for title in headers():
        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for p in projects.iterator(chunk_size=BATCH):
        row = [neutralise(v) for v in project_row(p)]
        # Dates as real dates in Excel.
        row[3] = p.start_date
        row[4] = p.end_date
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
