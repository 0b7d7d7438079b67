"""The dashboard's indicator table as CSV (UTF-8 with BOM, ``;``: what Excel opens in Québec,
like the other exports of Tremplin) and XLSX (real numbers, formatted by unit).

One row per indicator the user may see: group, indicator, definition, unit, the value of each
of the five periods ending with the chosen one, then (when a region is chosen) the value in
each of its territories for the chosen period. A suppressed small count is written ``< 5``,
never the number; a value hidden so that it cannot be worked out by subtraction, ``masqué``;
no value, an empty cell.
"""

import csv
import io
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tremplin.core.tabular import neutralise

from .catalogue import AVERAGE, MONEY, PERCENT, UNIT_LABELS, Indicator
from .display import format_value
from .selectors import HIDDEN

NUMBER_FORMATS = {MONEY: '#,##0 "$"', PERCENT: '0.0 "%"', AVERAGE: "0.0"}


def headers(period, area_label, periods, territories) -> list[str]:
    columns = [_("Groupe"), _("Indicateur"), _("Définition"), _("Unité")]
    columns += [p.label for p in periods]
    columns += [
        _("%(territory)s (%(period)s)") % {"territory": t.label, "period": period.label}
        for t in territories
    ]
    return [neutralise(c) for c in columns]


def cell_text(indicator: Indicator, value) -> str | Decimal:
    """The cell of one value: the number, or the words that replace it."""
    if value is None:
        return ""
    if value == HIDDEN:
        return _("masqué")
    if indicator.suppressed(value):
        return format_value(indicator, value)  # "< 5"
    value = Decimal(value)
    return value.to_integral_value() if value == value.to_integral_value() else value.normalize()


def _row(row) -> list:
    indicator = row.indicator
    # Text a spreadsheet would run as a formula is written as text (CSV injection).
    return [
        neutralise(c)
        for c in (
            row.group,
            str(indicator.label),
            str(indicator.definition),
            str(UNIT_LABELS.get(indicator.unit, indicator.unit)),
            *(cell_text(indicator, v) for v in row.values),
        )
    ]


def csv_bytes(period, area_label, periods, territories, rows) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")  # what makes Excel read UTF-8
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers(period, area_label, periods, territories))
    french = (get_language() or "fr").startswith("fr")
    for row in rows:
        cells = _row(row)
        # Decimal comma in French (the ``;`` separator is there so that it can be).
        writer.writerow(
            [str(c).replace(".", ",") if french and isinstance(c, Decimal) else c for c in cells]
        )
    return out.getvalue().encode("utf-8")


def xlsx_bytes(period, area_label, periods, territories, rows) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Indicateurs"))
    columns = headers(period, area_label, periods, territories)
    widths = [18, 40, 60, 10] + [14] * (len(columns) - 4)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "C2"
    header = []
    for title in columns:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for row in rows:
        cells = []
        for position, value in enumerate(_row(row)):
            if isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else float(value)
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, int | float):
                cell.number_format = NUMBER_FORMATS.get(row.indicator.unit, "#,##0")
            elif position >= 4:
                cell.alignment = Alignment(horizontal="right")
            cells.append(cell)
        ws.append(cells)
    about = wb.create_sheet(_("À propos"))
    for line in (
        [_("Période"), period.label],
        [_("Du"), period.start],
        [_("Au"), period.end],
        [_("Territoire"), area_label],
        [
            _("Confidentialité"),
            _(
                "Les petits nombres des suivis individuels (1 à 4) sont écrits « < 5 » ; une "
                "autre valeur peut être « masqué » pour qu'on ne puisse pas les retrouver par "
                "soustraction."
            ),
        ],
    ):
        about.append(line)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
