"""Text typed into Tremplin that a spreadsheet would run as a formula (``=``, ``+``, ``-``,
``@`` first) comes out of every export as text: read back with openpyxl and the csv module.
(The directory's exports: ``housing/tests/test_importing.py``; the rejected rows:
``core/tests/test_tabular.py``; survey answers: ``surveys/tests``.)"""

import csv
import datetime as dt
import io
import re

from django.urls import reverse
from openpyxl import load_workbook

from tremplin.evaluation import catalogue
from tremplin.evaluation.tests.fakes import fake_indicator, install
from tremplin.projects.models import Project, Status
from tremplin.projects.services import project_save

FORMULA = '=HYPERLINK("http://exemple.test","Cliquez")'


def csv_cells(content: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
    return [cell for row in rows for cell in row]


def xlsx_cells(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_text_in_xlsx(content: bytes, text: str) -> None:
    cells = xlsx_cells(content)
    found = [c for c in cells if isinstance(c.value, str) and c.value.endswith(text[1:])]
    assert found and all((c.value, c.data_type) == ("'" + text, "s") for c in found)
    assert not any(c.data_type == "f" and text[1:] in str(c.value) for c in cells)


def test_the_project_list_exports_formula_text_as_text(world, personas, login):
    project_save(
        user=personas["organizer_a"],
        project=Project(
            title=FORMULA, kind="food", status=Status.UNDER_WAY, start_date=dt.date(2008, 9, 1)
        ),
        sites=([world["building_a"]], []),
    )
    client = login(personas["coordination"])
    assert "'" + FORMULA in csv_cells(client.get(reverse("projects:export-csv")).content)
    assert_text_in_xlsx(client.get(reverse("projects:export-xlsx")).content, FORMULA)


def test_the_indicator_table_exports_formula_text_as_text(world, personas, login, monkeypatch):
    formula = fake_indicator(
        "test.formula",
        "@SUM(A1:A9)",
        definition="-2+3 personnes",
        rows=lambda period, breakdown: [(world["ta"].pk, None, "", None, 12)],
        audience=catalogue.CASE_STATS,
    )
    install(monkeypatch, formula)
    client = login(personas["coordination"])
    query = f"?kind=fy&year=2023&area=region:{world['region'].pk}"
    cells = csv_cells(client.get(reverse("evaluation:export", args=["csv"]) + query).content)
    assert "'@SUM(A1:A9)" in cells and "'-2+3 personnes" in cells
    content = client.get(reverse("evaluation:export", args=["xlsx"]) + query).content
    assert_text_in_xlsx(content, "@SUM(A1:A9)")
    assert_text_in_xlsx(content, "-2+3 personnes")


def test_the_funding_report_writes_typed_text_as_text_and_keeps_its_own_formulas(db):
    from tremplin.demo.partners_loader import load_partners
    from tremplin.partners import reports
    from tremplin.partners.models import Agreement, Partner

    load_partners()
    agreement = Agreement.objects.get(slug="entente-2008-2011")
    partner = Partner.objects.filter(commitments__agreement=agreement).first()
    Partner.objects.filter(pk=partner.pk).update(name=FORMULA)
    Agreement.objects.filter(pk=agreement.pk).update(table_notes="@SUM(C4:C9) des engagements")
    content, _type, _ext = reports.render_funding(Agreement.objects.get(pk=agreement.pk), "xlsx")
    assert_text_in_xlsx(content, FORMULA)
    assert_text_in_xlsx(content, "@SUM(C4:C9) des engagements")
    formulas = [c.value for c in xlsx_cells(content) if c.data_type == "f"]
    # Only the report's own arithmetic over its cells (=SUM(C5:C10), =C11+C20, …).
    assert formulas and all(re.fullmatch(r"=(SUM\(|[A-Z]+\d+|[:+)])+", f) for f in formulas)
