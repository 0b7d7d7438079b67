"""The demo projects: Year-1 figures of seed 000, the labs of seed 003, consistent activities."""

import datetime as dt
import time

import pytest
from django.db.models import Count

from tremplin.audit.models import AuditEntry
from tremplin.demo.loader import load_demo
from tremplin.demo.projects_loader import projects_data
from tremplin.housing.models import ProviderKind
from tremplin.projects import counting
from tremplin.projects.models import (
    Accompaniment,
    AccompanimentHours,
    BoardMember,
    Project,
    ProjectActivity,
    ProjectFunding,
    ProjectPartner,
    TenantAssociation,
)
from tremplin.testing.demo import DEMO_PASSWORD as PASSWORD
from tremplin.testing.demo import row_counts

FY2008 = (dt.date(2008, 4, 1), dt.date(2009, 3, 31))


@pytest.fixture
def loaded(db, demo_data):
    return demo_data


MODELS = (
    Project,
    ProjectActivity,
    ProjectPartner,
    ProjectFunding,
    Accompaniment,
    AccompanimentHours,
    TenantAssociation,
    BoardMember,
    Project.buildings.through,
    Project.providers.through,
    Project.territories.through,
    Project.determinants.through,
)


def test_it_counts_28_offices_accompanied_in_year_one(loaded):
    assert len(counting.providers_accompanied(*FY2008)) == 28

    # Worked out independently: overlap of [start, end or ∞] with the fiscal year, in Python.
    start, end = FY2008
    rows = list(Accompaniment.objects.select_related("provider"))
    overlapping = [
        a for a in rows if a.start_date <= end and (a.end_date is None or a.end_date >= start)
    ]
    offices = {a.provider_id for a in overlapping}
    assert len(offices) == 28
    assert len(overlapping) > 28  # some offices were accompanied twice: the count is distinct
    assert all(a.provider.kind in (ProviderKind.OMH, ProviderKind.OH) for a in overlapping)
    assert {a.organizer.username for a in overlapping} == {
        "organisateur",
        "organisatrice-beauce",
    }
    assert loaded["projects"]["accompaniments"] == len(rows)
    assert AccompanimentHours.objects.filter(accompaniment__in=overlapping).exists()


def test_it_starts_the_enquete_mobilisante_in_10_sites(loaded):
    enquete = Project.objects.get(title="Enquête mobilisante")
    buildings = list(enquete.buildings.all())
    assert len(buildings) == 10
    assert len({b.provider_id for b in buildings}) == 10
    assert enquete.providers.count() == 10
    assert FY2008[0] <= enquete.start_date <= FY2008[1]
    launches = enquete.activities.filter(date__lte=FY2008[1])
    assert launches.count() == 10
    funding = enquete.funding.select_related("commitment__partner").get()
    assert funding.commitment.partner.name == "Emploi-Québec"
    assert enquete.territories.count() == 5  # the 10 sites cover the 5 territories of 2008


def test_it_has_the_three_labs_since_2021(loaded):
    labs = Project.objects.filter(kind="lab")
    assert set(labs.values_list("title", flat=True)) == {
        "Espace Lafleur",
        "Lab-Emploi",
        "Projet CLIC",
    }
    for lab in labs:
        assert lab.start_date.year == 2021
        assert lab.status == "under_way"
        assert lab.activities.exists()


def test_it_has_year_one_examples_and_associations(loaded):
    kinds = set(
        Project.objects.filter(start_date__lte=FY2008[1], end_date__gte=FY2008[0]).values_list(
            "kind", flat=True
        )
    )
    assert {
        "association",
        "common_spaces",
        "leisure",
        "health",
        "referral",
        "courtesy",
        "barter",
        "employability",
        "concertation",
    } <= kinds
    assert Project.objects.filter(title="Journée de l'employabilité").exists()
    associations = TenantAssociation.objects.annotate(n=Count("board"))
    assert associations.count() == len(projects_data()["associations"])
    for association in associations:
        assert association.is_demo and association.n >= 2
        assert dt.date(2008, 4, 1) <= association.founded_on <= dt.date(2009, 3, 31)
    assert Project.objects.filter(start_date__year__gte=2010).count() >= 24


def test_it_keeps_every_project_fictitious_and_consistent(loaded):
    today = dt.date.today()
    for project in Project.objects.all():
        assert project.is_demo
        assert "Donnée fictive" in project.summary
        assert project.lead_organizer.username in ("organisateur", "organisatrice-beauce")
        project.full_clean()
        if project.status in ("under_way", "completed"):
            assert project.determinants.exists() and project.target_groups.exists()
            assert project.search_key
    activities = ProjectActivity.objects.select_related("project")
    assert activities.count() == loaded["projects"]["project_activities"] > 200
    for activity in activities:
        project = activity.project
        assert project.start_date <= activity.date <= (project.end_date or today)
        assert activity.date <= today
        assert 0 <= activity.tenants <= activity.participants
        activity.full_clean()
    assert ProjectPartner.objects.exists()
    assert (
        ProjectFunding.objects.filter(commitment__agreement__slug="entente-2008-2011").count() >= 4
    )


def test_it_loads_twice_without_duplicates_or_audit_entries(db):
    # The module's demo may already be loaded (demo_data is loaded once per module).
    before = Project.objects.filter(is_demo=True).count()
    started = time.monotonic()
    first = load_demo(PASSWORD)
    elapsed = time.monotonic() - started
    counts = row_counts(MODELS)
    second = load_demo(PASSWORD)
    assert row_counts(MODELS) == counts
    assert second["projects"] == first["projects"]
    assert all(second["created"][key] == 0 for key in second["created"])
    assert before + first["created"]["projects"] == first["projects"]["projects"]
    assert AuditEntry.objects.count() == 0
    assert elapsed < 15


def test_it_never_touches_real_projects(loaded):
    project = Project.objects.get(title="Local de troc")
    Project.objects.filter(pk=project.pk).update(is_demo=False, summary="Vrai projet")
    load_demo(PASSWORD)
    project.refresh_from_db()
    assert project.summary == "Vrai projet" and not project.is_demo
