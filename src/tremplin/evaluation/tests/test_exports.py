"""Exports of the indicator table, read back with openpyxl and the csv module and compared to
the values worked out by hand from the dataset of test_dashboard.py."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tremplin.evaluation import catalogue

from .fakes import fake_indicator, install
from .test_dashboard import build_reach

PERIODS = ["2019-2020", "2020-2021", "2021-2022", "2022-2023", "2023-2024"]
HEADER = ["Groupe", "Indicateur", "Définition", "Unité", *PERIODS]


@pytest.fixture
def reach_data(world, personas):
    return build_reach(world)


@pytest.fixture
def small(monkeypatch, world):
    """Individual support: Grand Littoral 3 (suppressed), Beauce 16; 19 in the region."""
    ta, tb = world["ta"].pk, world["tb"].pk
    indicator = fake_indicator(
        "test.small",
        "Petits nombres d'essai",
        rows=lambda period, breakdown: [(ta, None, "", None, 3), (tb, None, "", None, 16)],
        audience=catalogue.CASE_STATS,
        suppress_below=5,
    )
    return install(monkeypatch, indicator)


def export(client, fmt, query):
    response = client.get(reverse("evaluation:export", args=[fmt]) + query)
    assert response.status_code == 200
    return response


def xlsx_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def csv_rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def by_indicator(rows):
    return {row[1]: row for row in rows[1:]}


def test_it_exports_the_table_of_a_region_with_its_territories(
    client, login, personas, world, reach_data
):
    login(personas["coordination"])
    query = f"?kind=fy&year=2023&area=region:{world['region'].pk}"
    response = export(client, "xlsx", query)
    assert f"indicateurs-fy2023-region-{world['region'].pk}.xlsx" in response["Content-Disposition"]
    rows = xlsx_rows(response)
    assert rows[0] == [*HEADER, "Beauce (2023-2024)", "Grand Littoral (2023-2024)"]
    people = by_indicator(rows)["Personnes rejointes"]
    assert people[0] == "Rejoindre" and people[3] == "nombre"
    assert people[2].startswith("Personnes présentes aux étapes")
    assert people[4:] == [0, 0, 0, 5, 32, 9, 23]
    assert all(isinstance(v, int) for v in people[4:])  # real numbers
    assert by_indicator(rows)["Organismes d'habitation rejoints"][4:] == [0, 0, 0, 0, 2, 1, 1]
    # One row per indicator the user may see, in the dashboard's order.
    visible = [i for i in catalogue.visible_to(personas["coordination"])]
    assert len(rows) == 1 + len(visible)
    groups = [catalogue.GROUPS[g].label for g in catalogue.GROUP_ORDER if g in catalogue.GROUPS]
    seen = [row[0] for row in rows[1:]]
    assert sorted(seen, key=lambda g: [str(x) for x in groups].index(g)) == seen
    # The same table in CSV.
    rows = csv_rows(export(client, "csv", query))
    assert rows[0] == [*HEADER, "Beauce (2023-2024)", "Grand Littoral (2023-2024)"]
    assert by_indicator(rows)["Personnes rejointes"][4:] == ["0", "0", "0", "5", "32", "9", "23"]


def test_it_exports_the_whole_program_without_territories(client, login, personas, reach_data):
    login(personas["partner"])
    rows = xlsx_rows(export(client, "xlsx", "?kind=fy&year=2023"))
    assert rows[0] == HEADER
    assert by_indicator(rows)["Personnes rejointes"][4:] == [0, 0, 0, 5, 35]
    assert by_indicator(rows)["Locataires rejoints"][4:] == [0, 0, 0, 4, 23]


def test_it_never_writes_a_suppressed_count(client, login, personas, world, small):
    login(personas["supervisor_a"])
    query = f"?kind=fy&year=2023&area=region:{world['region'].pk}"
    row = by_indicator(xlsx_rows(export(client, "xlsx", query)))["Petits nombres d'essai"]
    # Region 19 in each year; Grand Littoral 3 is suppressed, and Beauce (16 = 19 − 3) too.
    assert row[4:] == [19, 19, 19, 19, 19, "masqué", "< 5"]
    row = by_indicator(csv_rows(export(client, "csv", query)))["Petits nombres d'essai"]
    assert row[4:] == ["19", "19", "19", "19", "19", "masqué", "< 5"]
    query = f"?kind=fy&year=2023&area=territory:{world['ta'].pk}"
    row = by_indicator(csv_rows(export(client, "csv", query)))["Petits nombres d'essai"]
    assert row[4:] == ["< 5"] * 5


def test_it_writes_decimals_and_blank_cells(client, login, personas, monkeypatch, db):
    def ratio_rows(period, breakdown):
        return [(None, None, "", None, 5)] if period.year == 2023 else []

    install(
        monkeypatch,
        fake_indicator("test.num", "Num", rows=ratio_rows),
        fake_indicator("test.den", "Den", value=8),
        fake_indicator(
            "test.pct",
            "Pourcentage d'essai",
            unit=catalogue.PERCENT,
            ratio_of=("test.num", "test.den", 100),
        ),
        fake_indicator("test.whole", "Programme seulement", value=4, territorial=False),
    )
    login(personas["coordination"])
    rows = by_indicator(xlsx_rows(export(client, "xlsx", "?kind=fy&year=2023")))
    assert rows["Pourcentage d'essai"][4:] == [0, 0, 0, 0, 62.5]
    rows = by_indicator(csv_rows(export(client, "csv", "?kind=fy&year=2023")))
    assert rows["Pourcentage d'essai"][4:] == ["0", "0", "0", "0", "62,5"]
    assert rows["Programme seulement"][4:] == ["4"] * 5
    area = f"?kind=fy&year=2023&area=territory:{personas['organizer_a'].membership.territory_ids().pop()}"
    rows = by_indicator(csv_rows(export(client, "csv", area)))
    assert rows["Programme seulement"][4:] == [""] * 5  # counted for the whole program only


def test_it_exports_with_a_constant_number_of_queries(
    client, login, personas, world, reach_data, django_assert_max_num_queries
):
    login(personas["coordination"])
    query = f"?kind=fy&year=2023&area=region:{world['region'].pk}"
    export(client, "xlsx", query)
    # As the dashboard (12), and the territories of the region: one more engine read (3).
    with django_assert_max_num_queries(15):
        export(client, "xlsx", query)
