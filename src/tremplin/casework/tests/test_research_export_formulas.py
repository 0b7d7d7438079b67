"""The research export neutralises text a spreadsheet would run as a formula (#18): a territory
named "=…" (reference data typed by hand) comes out as text in the CSV and in Excel."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from .test_deidentified_export import population  # noqa: F401 - the fixture

NAME = '=HYPERLINK("http://example.org","Grand Littoral")'


def test_a_formula_in_a_territory_name_is_exported_as_text(login, personas, population, world):  # noqa: F811
    world["ta"].name = NAME
    world["ta"].save()
    client = login(personas["researcher"])

    text = client.get(reverse("casework:privacy-research-export", args=["csv"])).content
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))
    territories = {row[1] for row in rows[1:]}
    assert "'" + NAME in territories and NAME not in territories

    content = client.get(reverse("casework:privacy-research-export", args=["xlsx"])).content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert any(c.value == "'" + NAME for c in cells)
    assert all(c.data_type != "f" for c in cells)
