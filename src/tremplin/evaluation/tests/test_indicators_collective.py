"""Collective-action indicators on a small hand-built world (fiscal year 2008: 2008-04-01 to
2009-03-31), with records behind the values, staleness after a write, and the seed's figure
from the demo."""

import datetime as dt

import pytest
from django.http import Http404
from django.urls import reverse

from tremplin.conftest import make_provider
from tremplin.evaluation import catalogue, engine
from tremplin.evaluation.periods import Area, Period
from tremplin.housing.models import ProviderKind
from tremplin.projects import services
from tremplin.projects.models import (
    Accompaniment,
    AssociationMeeting,
    AssociationStatus,
    Determinant,
    ProjectActivity,
    Status,
    TenantAssociation,
)
from tremplin.projects.tests.test_project_pages import make_project

from .fakes import areas

FY2008 = Period.fiscal(2008)
WHOLE = Area()
D = dt.date


def value(indicator_id, area=WHOLE, period=FY2008):
    return engine.compute_one(catalogue.get(indicator_id), period, area)


def split(indicator_id, breakdown, area=WHOLE, period=FY2008):
    return engine.compute_one(catalogue.get(indicator_id), period, area, breakdown)


def provider(world, name, kind, municipality):
    return make_provider(
        name, world[municipality], kind, address="1, rue Principale", postal_code="G0R 1A0"
    )


def accompany(provider, organizer, start, end=None, themes=()):
    return services.accompaniment_save(
        user=organizer,
        accompaniment=Accompaniment(
            organizer=organizer, provider=provider, start_date=start, end_date=end, themes=themes
        ),
    )


def project(title, *, kind="food", status=Status.UNDER_WAY, start=None, end=None, **sites):
    return make_project(
        title=title,
        kind=kind,
        status=status,
        start=start,
        end=end,
        buildings=sites.get("buildings", []),
        providers=sites.get("providers", []),
        determinants=Determinant.objects.filter(code__in=sites.get("determinants", [])),
        target_groups=sites.get("target_groups", []),
    )


def activity(project, date, participants, tenants):
    return services.activity_log(
        user=None,
        activity=ProjectActivity(
            project=project, date=date, title="Atelier", participants=participants, tenants=tenants
        ),
    )


def association(name, provider, founded_on, status):
    return services.association_save(
        user=None,
        association=TenantAssociation(
            name=name, provider=provider, founded_on=founded_on, status=status
        ),
    )


@pytest.fixture
def data(world, personas):
    """Providers: omh_a (territory A), omh_b and a co-op (territory B), an OMH in the other
    region. Projects, activities and associations around the fiscal year's boundaries."""
    coop_b = provider(world, "Coopérative du Rocher", ProviderKind.COOP, "st_georges")
    omh_q = provider(world, "Office municipal d'habitation de Québec", ProviderKind.OMH, "quebec")
    organizer_a, organizer_b = personas["organizer_a"], personas["organizer_b"]
    omh_a, omh_b = world["omh_a"], world["omh_b"]

    # Accompaniments.
    accompany(omh_a, organizer_a, D(2008, 5, 1), D(2008, 6, 30), ["association", "participation"])
    accompany(omh_a, organizer_a, D(2009, 1, 10), None, ["association"])  # omh_a again
    accompany(omh_b, organizer_b, D(2007, 9, 1), D(2008, 3, 31))  # ends the day before
    accompany(coop_b, organizer_b, D(2009, 3, 31), None, ["common_spaces"])  # last day
    accompany(omh_q, organizer_a, D(2008, 4, 1), D(2008, 4, 1), ["association"])  # first day
    accompany(omh_b, organizer_b, D(2009, 4, 1))  # the day after

    # Projects.
    p1 = project(  # two territories of region 12
        "Cuisine collective",
        kind="food",
        start=D(2008, 9, 1),
        buildings=[world["building_a"], world["building_b"]],
        determinants=["securite-alimentaire", "inclusion-sociale"],
        target_groups=[world["seniors"]],
    )
    p2 = project(  # the other region; completed in the period, started before
        "Jardin de Québec",
        kind="leisure",
        status=Status.COMPLETED,
        start=D(2007, 5, 1),
        end=D(2008, 6, 30),
        providers=[omh_q],
        determinants=["inclusion-sociale"],
    )
    p3 = project(  # territory B, a co-op, started on the last day
        "Local de troc",
        kind="barter",
        start=D(2009, 3, 31),
        providers=[coop_b],
        target_groups=[world["families"]],
    )
    project(  # ended the day before the period
        "Salle commune",
        kind="common_spaces",
        status=Status.COMPLETED,
        start=D(2006, 1, 1),
        end=D(2008, 3, 31),
        buildings=[world["building_a"]],
    )
    project("Idée de potager", status=Status.IDEA, start=D(2008, 10, 1), providers=[omh_a])
    project("Projet abandonné", status=Status.ABANDONED, start=D(2008, 5, 1), providers=[omh_b])
    p7 = project(  # regional: no site; under way, its end in the period but not completed
        "Concertation régionale", kind="concertation", start=D(2008, 4, 1), end=D(2009, 1, 31)
    )
    project("Trop tard", start=D(2009, 4, 1), providers=[omh_a])  # starts the day after

    # Activities.
    activity(p1, D(2008, 9, 1), 10, 8)
    activity(p1, D(2009, 3, 31), 6, 6)  # last day
    activity(p1, D(2009, 4, 1), 50, 40)  # the day after
    activity(p2, D(2008, 3, 31), 30, 20)  # the day before
    activity(p2, D(2008, 4, 1), 12, 7)  # first day
    activity(p7, D(2008, 6, 1), 20, 5)

    # Tenant associations.
    association("A1", omh_a, D(2008, 10, 21), AssociationStatus.ACTIVE)
    association("A2", omh_b, D(2009, 4, 1), AssociationStatus.ACTIVE)  # founded after
    a3 = association("A3", omh_q, D(2005, 1, 1), AssociationStatus.INACTIVE)
    AssociationMeeting.objects.create(association=a3, date=D(2008, 6, 1))  # met in the period
    association("A4", coop_b, D(2009, 3, 31), AssociationStatus.FORMING)
    association("A5", omh_a, None, AssociationStatus.ACTIVE)  # no founding date
    a6 = association("A6", omh_b, D(2006, 1, 1), AssociationStatus.INACTIVE)
    AssociationMeeting.objects.create(association=a6, date=D(2008, 3, 31))  # the day before
    return {"coop_b": coop_b, "omh_q": omh_q, "p1": p1, "p2": p2, "p3": p3, "p7": p7}


def test_it_counts_providers_accompanied_once_in_their_territory(world, data):
    a = areas(world)
    # omh_a (twice, once), coop_b (from the last day), omh_q (the first day only); omh_b's
    # accompaniments end the day before and start the day after.
    assert value("collective.providers_accompanied") == 3
    assert value("collective.providers_accompanied", a["region"]) == 2  # omh_a, coop_b
    assert value("collective.providers_accompanied", a["ta"]) == 1  # omh_a
    assert value("collective.providers_accompanied", a["tb"]) == 1  # coop_b
    assert value("collective.providers_accompanied", a["other"]) == 1  # omh_q
    by_kind = split("collective.providers_accompanied", "provider_kind")
    assert by_kind == {ProviderKind.OMH: 2, ProviderKind.COOP: 1}  # omh_a, omh_q; coop_b
    by_theme = split("collective.providers_accompanied", "theme")
    # association: omh_a (in both of its accompaniments, once) and omh_q.
    assert by_theme == {"association": 2, "participation": 1, "common_spaces": 1}


def test_it_counts_projects_under_way_once_per_area(world, data):
    a = areas(world)
    # Cuisine (A and B), Jardin (other region), Troc (B), Concertation (no site). Not: the one
    # ended the day before, the idea, the abandoned one, the one starting the day after.
    assert value("collective.projects_under_way") == 4
    assert value("collective.projects_under_way", a["region"]) == 2  # Cuisine once, Troc
    assert value("collective.projects_under_way", a["ta"]) == 1  # Cuisine
    assert value("collective.projects_under_way", a["tb"]) == 2  # Cuisine, Troc
    assert value("collective.projects_under_way", a["other_region"]) == 1  # Jardin


def test_it_breaks_projects_under_way_down(world, data):
    indicator = "collective.projects_under_way"
    assert split(indicator, "project_kind") == {
        "food": 1,
        "leisure": 1,
        "barter": 1,
        "concertation": 1,
    }
    # Cuisine has two determinants and counts in each; Jardin has one.
    assert split(indicator, "determinant") == {"securite-alimentaire": 1, "inclusion-sociale": 2}
    assert split(indicator, "determinant", areas(world)["region"]) == {
        "securite-alimentaire": 1,
        "inclusion-sociale": 1,
    }
    # Only Cuisine is in a municipality of the ÉLÉ de Lévis.
    assert split(indicator, "local_team") == {str(world["team"].public_id): 1}
    # OMH: Cuisine (the buildings of two OMH: once), Jardin; co-op: Troc.
    assert split(indicator, "provider_kind") == {ProviderKind.OMH: 2, ProviderKind.COOP: 1}
    assert split(indicator, "target_group") == {"aines": 1, "familles": 1}


def test_it_counts_projects_started_and_completed(world, data):
    a = areas(world)
    # Started: Cuisine (2008-09-01), Troc (the last day), Concertation (the first day).
    assert value("collective.projects_started") == 3
    assert value("collective.projects_started", a["region"]) == 2  # Cuisine, Troc
    assert value("collective.projects_started", a["other_region"]) == 0
    assert split("collective.projects_started", "project_kind") == {
        "food": 1,
        "barter": 1,
        "concertation": 1,
    }
    # Completed: Jardin only (Salle commune ended the day before; Concertation's end date is
    # in the period but it is still under way).
    assert value("collective.projects_completed") == 1
    assert value("collective.projects_completed", a["other_region"]) == 1
    assert value("collective.projects_completed", a["region"]) == 0
    assert split("collective.projects_completed", "determinant") == {"inclusion-sociale": 1}


def test_it_sums_participation_in_the_period(world, data):
    a = areas(world)
    # Cuisine 10 + 6 (not the 50 of the day after), Jardin 12 (not the 30 of the day before),
    # Concertation 20.
    assert value("collective.participations") == 10 + 6 + 12 + 20
    assert value("collective.participations", a["region"]) == 10 + 6  # Cuisine, once
    assert value("collective.participations", a["ta"]) == 10 + 6
    assert value("collective.participations", a["tb"]) == 10 + 6
    assert value("collective.participations", a["other_region"]) == 12
    assert split("collective.participations", "project_kind") == {
        "food": 16,
        "leisure": 12,
        "concertation": 20,
    }
    assert value("collective.tenant_participations") == 8 + 6 + 7 + 5
    assert value("collective.tenant_participations", a["region"]) == 8 + 6
    assert split("collective.tenant_participations", "project_kind") == {
        "food": 14,
        "leisure": 7,
        "concertation": 5,
    }


def test_it_counts_active_and_founded_associations(world, data):
    a = areas(world)
    # Active: A1 (active, founded in the period), A3 (inactive now, met in the period),
    # A5 (active, no founding date). Not: A2 (founded after), A4 (forming), A6 (met the day
    # before).
    assert value("collective.associations_active") == 3
    assert value("collective.associations_active", a["region"]) == 2  # A1, A5
    assert value("collective.associations_active", a["ta"]) == 2
    assert value("collective.associations_active", a["tb"]) == 0
    assert value("collective.associations_active", a["other"]) == 1  # A3
    assert split("collective.associations_active", "provider_kind") == {ProviderKind.OMH: 3}
    # Founded: A1 (2008-10-21) and A4 (the last day); A2 the day after.
    assert value("collective.associations_founded") == 2
    assert value("collective.associations_founded", a["ta"]) == 1
    assert value("collective.associations_founded", a["tb"]) == 1
    assert split("collective.associations_founded", "provider_kind") == {
        ProviderKind.OMH: 1,
        ProviderKind.COOP: 1,
    }
    # Calendar year 2009: A1, A2 (founded 2009-04-01) and A5 are active now and founded by its
    # end; A3 did not meet in 2009.
    assert value("collective.associations_active", period=Period.calendar(2009)) == 3


def test_it_stores_the_same_values_as_computed(world, data):
    indicators = catalogue.of_group("collective")
    stored = engine.values(indicators, [FY2008], areas(world)["region"])
    for indicator in indicators:
        assert stored[(indicator.id, FY2008.key)] == value(indicator.id, areas(world)["region"])


def test_it_lists_the_projects_behind_a_value(world, data, personas):
    indicator = catalogue.get("collective.projects_under_way")
    a = areas(world)
    table = indicator.records(personas["organizer_a"], FY2008, a["ta"], "", "")
    assert [row[0][0] for row in table.rows] == ["Cuisine collective"]
    assert table.rows[0][1] == reverse("projects:project-detail", args=[data["p1"].public_id])
    table = indicator.records(
        personas["coordination"], FY2008, Area(), "determinant", "inclusion-sociale"
    )
    assert {row[0][0] for row in table.rows} == {"Cuisine collective", "Jardin de Québec"}
    assert table.total == 2
    # Projects are read by every program role (projects.permissions): an organizer of
    # territory B sees the projects of territory A as well; no role at all is a 404.
    table = indicator.records(personas["organizer_b"], FY2008, a["region"], "", "")
    assert {row[0][0] for row in table.rows} == {"Cuisine collective", "Local de troc"}
    with pytest.raises(Http404):
        indicator.records(personas["no_role"], FY2008, a["region"], "", "")


def test_it_lists_providers_and_associations_behind_values(world, data, personas):
    providers = catalogue.get("collective.providers_accompanied").records(
        personas["organizer_b"], FY2008, areas(world)["region"], "provider_kind", ProviderKind.COOP
    )
    assert [row[0][0] for row in providers.rows] == ["Coopérative du Rocher"]
    associations = catalogue.get("collective.associations_active").records(
        personas["supervisor_a"], FY2008, Area(), "", ""
    )
    assert [row[0][0] for row in associations.rows] == ["A1", "A3", "A5"]
    participation = catalogue.get("collective.participations").records(
        personas["coordination"], FY2008, areas(world)["region"], "", ""
    )
    # Only Cuisine is in region 12 with activities in the period: 10 + 6, tenants 8 + 6.
    assert [(r[0][0], r[0][2], r[0][3]) for r in participation.rows] == [
        ("Cuisine collective", 16, 14)
    ]


def test_it_updates_the_stored_value_after_a_new_accompaniment(
    world, data, personas, django_capture_on_commit_callbacks
):
    indicator = catalogue.get("collective.providers_accompanied")
    region = areas(world)["region"]
    assert engine.values([indicator], [FY2008], region)[(indicator.id, FY2008.key)] == 2
    with django_capture_on_commit_callbacks(execute=True):
        accompany(world["omh_b"], personas["organizer_b"], D(2008, 11, 1), D(2008, 12, 15))
    # omh_b joins omh_a and coop_b.
    assert engine.values([indicator], [FY2008], region)[(indicator.id, FY2008.key)] == 2 + 1
