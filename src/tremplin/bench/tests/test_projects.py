"""Synthetic projects for `tremplin bench projects` (tiny scales)."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from tremplin.accounts.services import membership_set
from tremplin.accounts.two_factor import sign_in_verified
from tremplin.bench.directory import ProjectsSuite
from tremplin.bench.management.commands.bench import SUITES
from tremplin.bench.synthetic.projects import TODAY, generate_projects
from tremplin.bench.synthetic.province import generate_province
from tremplin.housing.models import HousingProvider
from tremplin.projects.models import Project, ProjectActivity
from tremplin.territories.models import Mrc, Municipality, Region, Territory


def _generate(scale):
    generate_province(scale)
    return generate_projects(scale)


def test_it_generates_counts_consistent_with_the_rows(db):
    summary = _generate("tiny")

    assert summary["projects"] == Project.objects.count() == 24
    assert summary["activities"] == ProjectActivity.objects.count() == 200
    assert summary["site_links"] == Project.buildings.through.objects.count()
    assert get_user_model().objects.filter(username__startswith="bench-oc-").count() == 4
    for project in Project.objects.annotate(
        n_providers=Count("providers", distinct=True), n_buildings=Count("buildings", distinct=True)
    ):
        assert project.is_demo and project.search_key
        assert project.n_providers == 1 and 1 <= project.n_buildings <= 3
        assert project.determinants.exists() and project.target_groups.exists()
        # Territories as project_refresh_places derives them from the buildings.
        expected = set(
            Territory.objects.filter(mrcs__municipalities__buildings__projects=project).values_list(
                "pk", flat=True
            )
        )
        assert set(project.territories.values_list("pk", flat=True)) == expected
        project.full_clean()
    for activity in ProjectActivity.objects.select_related("project"):
        project = activity.project
        assert project.status in ("under_way", "completed")
        assert project.start_date <= activity.date <= min(project.end_date or TODAY, TODAY)
        assert 0 <= activity.tenants <= activity.participants
    # Over 10 fiscal years.
    assert not ProjectActivity.objects.filter(
        Q(date__lt=dt.date(2016, 4, 1)) | Q(date__gt=TODAY)
    ).exists()


def _wipe():
    """The generated projects and province, so that another scale may be generated."""
    ProjectActivity.objects.all().delete()
    Project.objects.all().delete()
    get_user_model().objects.filter(username__startswith="bench-oc-").delete()
    HousingProvider.objects.all().delete()
    for model in (Municipality, Mrc, Territory, Region):
        model.objects.all().delete()


def test_it_is_deterministic(db):
    _generate("tiny")
    first = list(Project.objects.order_by("public_id").values_list("public_id", "title"))
    _wipe()
    _generate("tiny")
    assert list(Project.objects.order_by("public_id").values_list("public_id", "title")) == first


def test_it_registers_the_projects_suite():
    assert isinstance(SUITES["projects"], ProjectsSuite)


def _list_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/projets/", params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "cuisine", "status": "completed", "sort": "-participants"},
        {"sort": "title", "per_page": "100", "page": "1"},
        {"year": "2020"},
    ],
)
def test_it_keeps_the_list_query_count_constant_between_scales(db, client, params):
    try:
        from tremplin.projects import views  # noqa: F401
    except ImportError:
        pytest.skip("the project list view does not exist yet")
    user = get_user_model().objects.create_user("bench-coordination-test")
    membership_set(user=user, role="coordination")
    sign_in_verified(client, user)
    _generate("tiny")
    client.get("/projets/", params)  # warm-up
    tiny = _list_queries(client, params)
    # Wipe and regenerate at the next scale.
    _wipe()
    _generate("small")
    assert Project.objects.count() == 90
    assert _list_queries(client, params) == tiny
