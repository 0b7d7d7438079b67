"""The rejected rows of an import as a workbook: the file's own columns, then the reasons,
ready to be corrected and imported again (the reasons column is ignored on the way back)."""

import io

from django.utils.translation import gettext as _

from .cells import neutralise

REASONS_HEADER = "Motifs du rejet"


def rejected_xlsx(headers: list[str], rows: list[dict]) -> bytes:
    """``rows``: ``{"line", "cells", "reasons"}``. Every cell is neutralised (text that looks
    like a formula stays text), so the file opens safely in any spreadsheet program."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Lignes rejetées"))
    header = []
    for title in [*headers, REASONS_HEADER, _("Ligne d'origine")]:
        cell = WriteOnlyCell(ws, value=neutralise(title))
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    width = len(headers)
    for row in rows:
        values = (list(row["cells"]) + [""] * width)[:width]
        ws.append(
            [neutralise(v) for v in values] + [neutralise(" ; ".join(row["reasons"])), row["line"]]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
