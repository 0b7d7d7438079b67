"""Exports read back with the libraries users' tools rely on: csv (Excel-style), openpyxl, pypdf."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tremplin.conftest import make_building
from tremplin.housing.columns import HEADERS
from tremplin.housing.models import Building


@pytest.fixture
def coordination(personas, login):
    return login(personas["coordination"])


def read_csv(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith("\ufeff".encode()), "UTF-8 BOM so that Excel reads accents"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_it_exports_every_building_to_csv_with_a_bom(coordination, world):
    response = coordination.get(reverse("housing:export-csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == HEADERS
    by_address = {r[HEADERS.index("Adresse")]: r for r in rows[1:]}
    assert set(by_address) == {"25, rue Saint-Louis", "150, 18e Rue"}
    levis = by_address["25, rue Saint-Louis"]
    assert levis[HEADERS.index("Municipalité")] == "Lévis"
    assert levis[HEADERS.index("Territoire")] == "Grand Littoral"
    assert levis[HEADERS.index("Total des logements")] == "24"
    assert levis[HEADERS.index("Clientèles")] == "Aînés"
    assert levis[HEADERS.index("Ascenseur")] == "oui"


def test_it_exports_only_the_filtered_list(coordination, world):
    rows = read_csv(coordination.get(reverse("housing:export-csv"), {"territory": "beauce"}))
    assert [r[HEADERS.index("Adresse")] for r in rows[1:]] == ["150, 18e Rue"]
    rows = read_csv(coordination.get(reverse("housing:export-csv"), {"q": "levis"}))
    assert [r[HEADERS.index("Adresse")] for r in rows[1:]] == ["25, rue Saint-Louis"]


def test_it_exports_xlsx_with_numbers_as_numbers(coordination, world):
    response = coordination.get(reverse("housing:export-xlsx"))
    assert (
        response["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    totals = {
        r[HEADERS.index("Adresse")]: r[HEADERS.index("Total des logements")] for r in rows[1:]
    }
    assert totals == {"25, rue Saint-Louis": 24, "150, 18e Rue": 14}
    assert sum(totals.values()) == sum(b.total_units for b in Building.objects.all())


def test_it_prints_the_directory_grouped_by_territory_then_municipality(coordination, world):
    response = coordination.get(reverse("housing:print-pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Répertoire des organismes d'habitation" in text
    # Territories in alphabetical order, each followed by its municipalities.
    assert (
        text.index("Beauce")
        < text.index("Saint-Georges")
        < text.index("Grand Littoral")
        < text.index("Lévis")
    )
    assert "25, rue Saint-Louis" in text and "150, 18e Rue" in text


@pytest.mark.parametrize("name", ["housing:export-csv", "housing:export-xlsx", "housing:print-pdf"])
def test_it_refuses_exports_to_anonymous_visitors_and_users_without_a_role(
    client, personas, login, name
):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "connexion" in response["Location"]
    assert login(personas["no_role"]).get(reverse(name)).status_code == 404


def test_it_exports_in_a_constant_number_of_queries(
    coordination, world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as few:
        read_csv(coordination.get(reverse("housing:export-csv")))
    for i in range(40):
        make_building(
            world["omh_b"],
            f"{i}, rue des Érables",
            world["st_georges"],
            clienteles=[world["seniors"], world["families"]],
            postal_code="G5Y 1A1",
            units_1br=2,
        )
    with django_assert_max_num_queries(20) as many:
        rows = read_csv(coordination.get(reverse("housing:export-csv")))
    assert len(rows) == 1 + 42
    assert len(many.captured_queries) == len(few.captured_queries)
