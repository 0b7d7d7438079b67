"""A project's activities (#19): the project page shows the latest, the activities page all of
them page by page through keyset cursors: each once, newest first (ties on the date broken by
id), the same number of queries on every page, a tampered cursor is a page, not an error."""

import datetime as dt

import pytest
from django.urls import reverse

from tremplin.projects import views_activities
from tremplin.projects.models import ProjectActivity
from tremplin.projects.services import project_refresh_counts
from tremplin.testing.paging import assert_same_cost_per_page, walk

pytestmark = pytest.mark.django_db
PER_PAGE = 4


@pytest.fixture
def busy(project_a, project_b, monkeypatch):
    """project_a's 2 activities and 21 more, several on the same day; one of project_b."""
    monkeypatch.setattr(views_activities, "ACTIVITIES_PER_PAGE", PER_PAGE)
    ProjectActivity.objects.bulk_create(
        ProjectActivity(
            project=project_a,
            date=dt.date(2009, 1 + i % 5, 1),
            title=f"Séance {i:02}",
            participants=3,
            tenants=2,
        )
        for i in range(21)
    )
    ProjectActivity.objects.create(
        project=project_b, date=dt.date(2010, 6, 1), title="Ailleurs", participants=1
    )
    project_refresh_counts([project_a.pk, project_b.pk])
    project_a.refresh_from_db()
    return project_a


def _titles(response):
    return [a.title for a in response.context["rows"]]


def test_it_pages_through_every_activity_forwards_and_back(login, personas, busy):
    client = login(personas["worker_a"])  # every program role reads projects
    url = reverse("projects:activity-list", args=[busy.public_id])
    first = client.get(url)
    assert first.status_code == 200
    pages = [_titles(r) for r in walk(client, url, first)]
    seen = [title for page in pages for title in page]
    expected = list(busy.activities.order_by("-date", "-id").values_list("title", flat=True))
    assert len(expected) == busy.activity_count == 23
    assert seen == expected
    assert len(pages) == first.context["pages"] == 6
    last = client.get(url, {"page": 6})  # the "Dernière" link: read from the end
    assert _titles(last) == pages[-1]
    assert [_titles(r) for r in walk(client, url, last, "prev")] == pages[::-1]
    assert "23 activités · 83 participations, dont 59 de locataires" in first.text


def test_the_project_page_shows_the_latest_and_links_to_all(login, personas, busy):
    response = login(personas["worker_a"]).get(
        reverse("projects:project-detail", args=[busy.public_id])
    )
    latest = list(busy.activities.order_by("-date", "-id")[:10])
    assert response.context["activities"] == latest
    assert response.context["participation"] == {
        "activities": 23,
        "participants": 83,
        "tenants": 59,
    }
    assert reverse("projects:activity-list", args=[busy.public_id]) in response.text


def test_every_page_costs_the_same_number_of_queries(login, personas, busy):
    client = login(personas["worker_a"])
    url = reverse("projects:activity-list", args=[busy.public_id])
    assert_same_cost_per_page(client, url, pages=5, page_param=6)


def test_a_tampered_cursor_or_page_is_a_page_not_an_error(login, personas, busy, project_b):
    client = login(personas["worker_a"])
    url = reverse("projects:activity-list", args=[busy.public_id])
    second = _titles(client.get(url, {"page": 2}))
    other = project_b.activities.get()
    for params in (
        {"page": 2, "apres": "pas-un-uuid"},
        {"page": 2, "avant": "00000000-0000-0000-0000-000000000000"},
        {"page": 2, "apres": str(other.public_id)},  # another project's activity
        {"page": 2, "avant": "1 OR 1=1"},
    ):
        response = client.get(url, params)
        assert response.status_code == 200, params
        assert _titles(response) == second, params
    for params in ({"page": "abc"}, {"page": "-4"}, {"page": 10**12}):
        response = client.get(url, params)
        assert response.status_code == 200, params
        assert response.context["rows"], params


def test_outside_the_program_the_activities_are_a_404(login, personas, busy):
    url = reverse("projects:activity-list", args=[busy.public_id])
    assert login(personas["no_role"]).get(url).status_code == 404
