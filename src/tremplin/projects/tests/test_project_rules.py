"""Counting rules: fiscal years (April–March), providers accompanied once, participation sums.

Expected values are worked out by hand in each test, not by calling the code under test.
"""

import datetime as dt

import pytest
from django.urls import reverse

from tremplin.projects import counting
from tremplin.projects.filters import fiscal_year_bounds
from tremplin.projects.models import Accompaniment, Project, Status

from .test_project_pages import log, make_project

FY2008 = fiscal_year_bounds(2008)


def test_it_bounds_a_fiscal_year_from_april_to_march():
    assert FY2008 == (dt.date(2008, 4, 1), dt.date(2009, 3, 31))


@pytest.mark.parametrize(
    ("start", "end", "status", "counts_in_2008"),
    [
        (dt.date(2007, 6, 1), dt.date(2008, 4, 1), Status.COMPLETED, True),
        (dt.date(2007, 6, 1), dt.date(2008, 3, 31), Status.COMPLETED, False),
        (dt.date(2009, 3, 31), None, Status.UNDER_WAY, True),
        (dt.date(2009, 4, 1), None, Status.UNDER_WAY, False),
        (dt.date(2005, 1, 1), None, Status.UNDER_WAY, True),
        # One day only, on the first or the last day of the year.
        (dt.date(2008, 4, 1), dt.date(2008, 4, 1), Status.COMPLETED, True),
        (dt.date(2009, 3, 31), dt.date(2009, 3, 31), Status.COMPLETED, True),
        (dt.date(2009, 4, 1), dt.date(2009, 4, 1), Status.COMPLETED, False),
        # Spanning the whole year and more.
        (dt.date(2007, 1, 1), dt.date(2010, 1, 1), Status.COMPLETED, True),
        (dt.date(2008, 5, 1), None, Status.IDEA, False),
        (dt.date(2008, 5, 1), dt.date(2008, 6, 1), Status.ABANDONED, False),
    ],
)
def test_it_counts_a_project_under_way_on_any_day_of_the_year(
    world, start, end, status, counts_in_2008
):
    project = make_project(start=start, end=end, status=status)
    counted = counting.projects_under_way(*FY2008)
    assert (project in counted) is counts_in_2008


def test_it_counts_a_project_without_end_in_every_later_year(world):
    project = make_project(start=dt.date(2008, 9, 1), end=None)
    for year in range(2008, 2016):
        assert project in counting.projects_under_way(*fiscal_year_bounds(year))
    assert project not in counting.projects_under_way(*fiscal_year_bounds(2007))


def test_it_filters_the_list_by_fiscal_year_with_the_same_rule(login, world, personas):
    titles = {
        "ends on April 1st": dict(
            start=dt.date(2007, 6, 1), end=dt.date(2008, 4, 1), status=Status.COMPLETED
        ),
        "ends on March 31st": dict(
            start=dt.date(2007, 6, 1), end=dt.date(2008, 3, 31), status=Status.COMPLETED
        ),
        "starts on March 31st": dict(start=dt.date(2009, 3, 31), status=Status.UNDER_WAY),
        "open-ended": dict(start=dt.date(2004, 1, 1), status=Status.UNDER_WAY),
        "idea started in the year": dict(start=dt.date(2008, 7, 1), status=Status.IDEA),
        "idea of the next year": dict(start=dt.date(2009, 7, 1), status=Status.IDEA),
        "idea without date": dict(start=None, status=Status.IDEA),
        "abandoned in the year": dict(
            start=dt.date(2008, 5, 1), end=dt.date(2008, 6, 1), status=Status.ABANDONED
        ),
    }
    for title, fields in titles.items():
        make_project(title=title, **fields)
    response = login(personas["coordination"]).get(
        reverse("projects:project-list"), {"year": "2008", "per_page": 100}
    )
    # Run projects by overlap; others by their start date within the year.
    assert {p.title for p in response.context["rows"]} == {
        "ends on April 1st",
        "starts on March 31st",
        "open-ended",
        "idea started in the year",
        "abandoned in the year",
    }


def test_it_counts_an_accompanied_provider_once_a_year(world, personas):
    organizer = personas["organizer_a"]
    for start, end in [
        (dt.date(2008, 4, 1), dt.date(2008, 6, 30)),
        (dt.date(2008, 9, 1), None),
        (dt.date(2009, 1, 1), dt.date(2009, 2, 1)),
    ]:
        Accompaniment.objects.create(
            organizer=organizer, provider=world["omh_a"], start_date=start, end_date=end
        )
    # A second organizer accompanying the same office the same year: still once.
    Accompaniment.objects.create(
        organizer=personas["organizer_b"],
        provider=world["omh_a"],
        start_date=dt.date(2008, 11, 1),
        end_date=dt.date(2008, 12, 1),
    )
    Accompaniment.objects.create(
        organizer=personas["organizer_b"],
        provider=world["omh_b"],
        start_date=dt.date(2007, 4, 1),
        end_date=dt.date(2008, 3, 31),
    )
    assert counting.providers_accompanied(*FY2008) == {world["omh_a"].pk}
    assert counting.providers_accompanied(*fiscal_year_bounds(2007)) == {world["omh_b"].pk}
    assert len(counting.providers_accompanied(dt.date(2007, 4, 1), dt.date(2009, 3, 31))) == 2


def test_it_sums_participation_within_the_period(world):
    project = make_project(start=dt.date(2008, 1, 1))
    log(project, date=dt.date(2008, 3, 31), participants=7, tenants=7)  # FY2007
    log(project, date=dt.date(2008, 4, 1), participants=12, tenants=10)
    log(project, date=dt.date(2009, 3, 31), participants=5, tenants=1)
    log(project, date=dt.date(2009, 4, 1), participants=30, tenants=20)  # FY2009
    assert counting.participation(*FY2008) == {"participants": 12 + 5, "tenants": 10 + 1}
    assert counting.participation(*fiscal_year_bounds(2010)) == {"participants": 0, "tenants": 0}


def test_it_counts_every_project_once_in_list_totals_whatever_its_places(login, world, personas):
    # Two sites in two territories and two activities must not double the project or its sums.
    project = make_project(buildings=[world["building_a"], world["building_b"]])
    project.target_groups.set([world["seniors"], world["families"]])
    log(project, participants=4, tenants=2)
    log(project, date=dt.date(2008, 11, 1), participants=6, tenants=3)
    response = login(personas["coordination"]).get(
        reverse("projects:project-list"), {"year": "2008"}
    )
    assert response.context["totals"] == {
        "projects": 1,
        "activities": 2,
        "participants": 10,
        "tenants": 5,
    }
    assert Project.objects.count() == 1


def test_it_keeps_each_projects_activity_summary_equal_to_its_activities(world, personas):
    import datetime as dt

    from tremplin.projects.models import ProjectActivity
    from tremplin.projects.services import activity_log, project_refresh_counts

    project = make_project(buildings=[world["building_a"]], start=dt.date(2024, 1, 1))
    for day, (people, tenants) in enumerate([(12, 10), (8, 8), (5, 0)], start=1):
        activity_log(
            user=personas["organizer_a"],
            activity=ProjectActivity(
                project=project,
                date=dt.date(2024, 2, day),
                title="Atelier",
                participants=people,
                tenants=tenants,
            ),
        )
    project.refresh_from_db()
    assert (project.activity_count, project.participant_sum, project.tenant_sum) == (
        3,
        12 + 8 + 5,
        10 + 8 + 0,
    )
    ProjectActivity.objects.filter(project=project, participants=5).delete()
    project_refresh_counts([project.pk])
    project.refresh_from_db()
    assert (project.activity_count, project.participant_sum, project.tenant_sum) == (2, 20, 18)
