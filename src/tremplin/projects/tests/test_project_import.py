"""Projects import from a spreadsheet that is not Tremplin's (#18): the columns mapped, types
and statuses read from their French or English labels, housing providers by name (limited to
an organizer's territories), the lead organizer by name, e-mail or username; undo."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from tremplin.audit.models import AuditEntry
from tremplin.core.tabular.rejects import rejected_xlsx
from tremplin.imports import services
from tremplin.projects.models import Project, ProjectActivity, Status
from tremplin.projects.services import activity_log

HEADERS = ["Intitulé", "Genre", "Statut", "Date de début", "Date de fin", "OMH", "Responsable"]
MAP = {"Intitulé": "title", "Genre": "Type"}  # the others are found by their aliases


def workbook(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["Projets 2024-2025 — Grand Littoral"])  # a title line above the header
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def rows(world):
    levis, st_georges = world["omh_a"].name, world["omh_b"].name
    return [
        ["Potager collectif", "Sécurité alimentaire", "En cours", dt.date(2024, 5, 1), None,
         levis, "organizer_a"],
        ["Fête des voisins", "Leisure and community life", "terminé", "06/06/2024",
         "2024-06-30", f"{levis} ; {st_georges}", "organizer_a@example.org"],
        ["Potager collectif", "food", "under_way", "2024-05-01", None, None, None],
        ["Atelier", "Cuisine", "idée", None, None, "Coop inconnue", "Personne"],
        ["Club de marche", "leisure", "Terminé", "2024-04-01", None, None, None],
        ["=HYPERLINK(\"http://x\")", "other", None, None, None, None, None],
    ]  # fmt: skip


def test_the_coordination_imports_projects_from_its_own_spreadsheet(world, personas, rows):
    user = personas["coordination"]
    before = Project.objects.count()
    report, record = services.import_file(
        user=user, entity="projects", content=workbook(rows), filename="projets.xlsx", chosen=MAP
    )
    assert [r.action for r in report.rows] == [
        "create", "create", "reject", "reject", "reject", "create"
    ]  # fmt: skip
    assert report.rows[2].reasons == ["Doublon de la ligne 3"]  # line 3: under the title line
    assert len(report.rows[3].reasons) == 3  # the type, the provider and the organizer
    assert "« Cuisine » inconnu dans la colonne « Genre »" in report.rows[3].reasons[0]
    assert report.rows[4].reasons == ["Un projet terminé a une date de fin."]
    assert Project.objects.count() == before + 3

    garden = Project.objects.get(title="Potager collectif")
    assert (garden.kind, garden.status, garden.start_date) == ("food", Status.UNDER_WAY,
                                                               dt.date(2024, 5, 1))  # fmt: skip
    assert list(garden.providers.all()) == [world["omh_a"]]
    assert list(garden.territories.all()) == [world["ta"]]  # derived from the site
    assert garden.lead_organizer == personas["organizer_a"]
    party = Project.objects.get(title="Fête des voisins")
    assert (party.kind, party.status, party.end_date) == ("leisure", Status.COMPLETED,
                                                          dt.date(2024, 6, 30))  # fmt: skip
    assert set(party.territories.all()) == {world["ta"], world["tb"]}
    # A formula is kept as text, never evaluated.
    assert Project.objects.filter(title='=HYPERLINK("http://x")').exists()
    assert AuditEntry.objects.filter(action="projects.project.create").count() >= 3

    # The rejected rows come back as a spreadsheet with their reasons.
    rejected = load_workbook(io.BytesIO(rejected_xlsx(record.headers, record.rejected)))
    values = [[c.value for c in row] for row in rejected.active.iter_rows()]
    assert len(values) == 1 + 3 and values[0][-1]

    # The same file again: what is there is left unchanged, nothing created twice.
    again, _ = services.import_file(
        user=user, entity="projects", content=workbook(rows), filename="projets.xlsx",
        chosen=MAP, dry_run=True,
    )  # fmt: skip
    assert [r.action for r in again.rows].count("unchanged") == 3

    # Undo is refused once an activity was logged in an imported project, then allowed.
    activity = activity_log(
        user=user,
        activity=ProjectActivity(
            project=garden, date=dt.date(2024, 6, 1), title="Semis", participants=8
        ),
    )
    reasons = services.import_undo(user=user, record=record)
    assert len(reasons) == 1 and "Potager collectif" in reasons[0]
    assert Project.objects.count() == before + 3
    activity.delete()
    assert services.import_undo(user=user, record=record) == []
    assert Project.objects.count() == before


def test_an_organizer_imports_only_with_providers_of_their_territories(world, personas, rows):
    report, _record = services.import_file(
        user=personas["organizer_b"],
        entity="projects",
        content=workbook(rows[:2]),
        filename="projets.xlsx",
        chosen=MAP,
        dry_run=True,
    )
    assert [r.action for r in report.rows] == ["reject", "reject"]
    assert all("sites de vos territoires" in r.reasons[0] for r in report.rows)
    report, _record = services.import_file(
        user=personas["organizer_a"],
        entity="projects",
        content=workbook([["Jardin", "food", None, None, None, world["omh_a"].name, None]]),
        filename="projets.xlsx",
        chosen=MAP,
    )
    project = Project.objects.get(title="Jardin")
    # With no lead named, the organizer who imports leads the project (as on the form).
    assert project.lead_organizer == personas["organizer_a"]
    assert project.status == Status.IDEA


@pytest.mark.parametrize("role", ["worker_a", "partner", "researcher", "housing_manager",
                                  "privacy_officer", "supervisor_a", "no_role"])  # fmt: skip
def test_other_roles_may_not_import_projects(world, personas, rows, role):
    with pytest.raises(PermissionDenied):
        services.import_file(
            user=personas[role], entity="projects", content=workbook(rows),
            filename="projets.xlsx", chosen=MAP, dry_run=True,
        )  # fmt: skip
    assert not Project.objects.filter(title="Potager collectif").exists()
