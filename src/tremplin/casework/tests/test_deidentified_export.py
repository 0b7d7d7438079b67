"""The de-identified research export: only consenting persons, nothing identifying, and
every combination of values shared by at least 5 people (recomputed here on the output)."""

import csv
import datetime as dt
import io
import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tremplin.audit.models import AuditEntry
from tremplin.casework.models import ConsentKind, Household, Outcome, Person
from tremplin.casework.privacy import research

from .test_privacy_support import (
    make_consent,
    make_follow_up,
    make_intervention,
    make_person,
)

HEADERS = [
    "Années de naissance",
    "Territoire",
    "Ménage",
    "Première année de suivi",
    "Motifs",
    "Situation",
    "Interventions",
    "Références",
]
K = 5


def _person(world, worker, i, *, research_consent=True, territory="ta", birth_year=1952,
            reasons="isolation", household=Household.ALONE, started=dt.date(2021, 5, 3),
            closed=None, withdrawn=None, interventions=2, tag="p"):  # fmt: skip
    person = make_person(
        world,
        f"Prénom{tag}{i}",
        f"Nom{tag}{i}",
        territory=territory,
        birth_year=birth_year,
        household=household,
        phone=f"418 555-{i:04d}",
    )
    fu = make_follow_up(
        person,
        worker,
        started_on=started,
        reasons=reasons,
        closed_on=closed,
        outcome=Outcome.KEPT if closed else "",
        goals="Objectif confidentiel",
    )
    for day in range(interventions):
        make_intervention(fu, worker, started + dt.timedelta(days=day), note="Note confidentielle")
    if research_consent:
        make_consent(person, worker, ConsentKind.RESEARCH, withdrawn_on=withdrawn)
    return person


@pytest.fixture
def population(world, personas):
    w_a, w_b = personas["worker_a"], personas["worker_b"]
    # 12 alike (born 1950-1959, Grand Littoral, alone, 2021, isolation, under way, 1-4
    # interventions, no referral): exported in full detail.
    alike = [_person(world, w_a, i, birth_year=1950 + i % 10, tag="a") for i in range(12)]
    # 6 alike except for their reasons (each combination unique): exported with the
    # reasons masked.
    combos = ["food", "mental_health", "neighbours", "isolation,food", "services", "unsanitary"]
    varied = [_person(world, w_a, i, reasons=r, tag="v") for i, r in enumerate(combos)]
    # 2 in Beauce, unlike anyone else: no level of generalization makes 5 of them: left out.
    rare = [
        _person(world, w_b, 0, territory="tb", birth_year=1931, tag="r"),
        _person(
            world, w_b, 1, territory="tb", birth_year=1999, household=Household.COUPLE, tag="r"
        ),
    ]
    # Not in the export though identical to the first group: no research consent, consent
    # withdrawn, or anonymized.
    absent = [_person(world, w_a, i, research_consent=False, tag="n") for i in range(5)]
    absent += [_person(world, w_a, i, withdrawn=dt.date(2022, 1, 1), tag="w") for i in range(5)]
    anonymized = _person(world, w_a, 0, tag="x")
    Person.objects.filter(pk=anonymized.pk).update(anonymized_at=timezone.now())
    return {"alike": alike, "varied": varied, "rare": rare, "absent": absent}


def _csv_rows(client):
    response = client.get(reverse("casework:privacy-research-export", args=["csv"]))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    return rows[0], [tuple(r) for r in rows[1:]]


def test_it_exports_only_groups_of_at_least_five(login, personas, population):
    header, rows = _csv_rows(login(personas["researcher"]))
    assert header == HEADERS
    sizes = Counter(rows)
    assert sizes, "the export should not be empty"
    assert min(sizes.values()) >= K, sizes
    # The 12 alike persons in full detail; the 6 others with their reasons masked.
    detailed = (
        "1950-1959",
        "Grand Littoral",
        "Vit seul·e",
        "2021",
        "Isolement",
        "Suivi en cours",
        "1 à 4",
        "0",
    )
    masked = detailed[:4] + ("masqué",) + detailed[5:]
    assert sizes == {detailed: 12, masked: 6}
    # Nobody without an active research consent, nobody from Beauce (the rare pair).
    assert len(rows) == 18


def test_it_holds_nothing_identifying(login, personas, population):
    header, rows = _csv_rows(login(personas["privacy_officer"]))
    text = ";".join(header) + "\n" + "\n".join(";".join(r) for r in rows)
    for person in population["alike"] + population["varied"]:
        assert person.last_name not in text and person.phone not in text
    assert "Lévis" not in text  # municipality: finer than the territory
    assert "confidentiel" not in text.lower()  # free text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # exact dates
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", text)  # identifiers
    for row in rows:
        assert re.fullmatch(r"\d{4}-\d{4}|inconnue|masqué", row[0])
        assert row[1] in {"Grand Littoral", "Beauce", "Québec"}


def test_it_gives_the_same_rows_in_excel(login, personas, population):
    client = login(personas["researcher"])
    _header, csv_rows = _csv_rows(client)
    response = client.get(reverse("casework:privacy-research-export", args=["xlsx"]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    values = [
        tuple("" if v is None else str(v) for v in row) for row in sheet.iter_rows(values_only=True)
    ]
    assert list(values[0]) == HEADERS
    assert sorted(values[1:]) == sorted(csv_rows)
    assert min(Counter(values[1:]).values()) >= K
    notes = " ".join(str(r[0]) for r in workbook["Notes"].iter_rows(values_only=True))
    assert "Personnes admissibles : 20." in notes
    assert "Lignes retirées (groupes de moins de 5) : 2." in notes


def test_it_counts_eligible_generalized_and_suppressed(personas, population):
    export = research.research_export(personas["researcher"])
    assert (export.eligible, len(export.rows), export.generalized, export.suppressed) == (
        20,
        18,
        6,
        2,
    )


def test_it_logs_every_download(login, personas, population):
    client = login(personas["researcher"])
    _csv_rows(client)
    client.get(reverse("casework:privacy-research-export", args=["xlsx"]))
    entries = AuditEntry.objects.filter(action="casework.research.export").order_by("id")
    assert [(e.user, e.data["format"], e.data["rows"], e.data["suppressed"]) for e in entries] == [
        (personas["researcher"], "csv", 18, 2),
        (personas["researcher"], "xlsx", 18, 2),
    ]


def test_it_shows_what_the_export_holds(login, personas, population):
    response = login(personas["researcher"]).get(reverse("casework:privacy-research"))
    html = response.content.decode()
    assert "Première année de suivi" in html
    assert response.context["export"].suppressed == 2


def test_it_bands_birth_years_and_counts():
    assert research.age_band(1957) == "1950-1959"
    assert research.age_band(1960) == "1960-1969"
    assert research.age_band(None) == "inconnue"
    bands = research.INTERVENTION_BANDS
    assert [research.count_band(n, bands) for n in (0, 1, 4, 5, 9, 10, 19, 20, 300)] == [
        "0", "1 à 4", "1 à 4", "5 à 9", "5 à 9", "10 à 19", "10 à 19", "20 et plus", "20 et plus",
    ]  # fmt: skip
    assert [research.count_band(n, research.REFERRAL_BANDS) for n in (0, 1, 2, 4, 5)] == [
        "0", "1", "2 à 4", "2 à 4", "5 et plus",
    ]  # fmt: skip


VALUES = st.tuples(*[st.sampled_from(["a", "b", "c"]) for _ in research.COLUMNS])


@settings(max_examples=200, deadline=None)
@given(st.lists(VALUES, max_size=80))
def test_it_makes_any_table_k_anonymous(rows):
    from django.utils import translation

    with translation.override("fr"):
        export = research.anonymize_rows(rows)
    sizes = Counter(export.rows)
    assert all(size >= K for size in sizes.values())
    assert len(export.rows) + export.suppressed == len(rows)
    # Generalizing only masks values: every kept row matches an input row on what it shows.
    for row in export.rows:
        assert any(
            all(v == "masqué" or v == o for v, o in zip(row, original, strict=True))
            for original in rows
        )
