"""core.keyset: a page read after a row (or before it, or from the end) holds exactly the
rows of the same page read by offset, on both databases, NULLs and ties included."""

import datetime as dt

import pytest
from django.urls import reverse

from tremplin.core import keyset
from tremplin.projects.filters import SORTS
from tremplin.projects.models import Project, ProjectKind

pytestmark = pytest.mark.django_db
PER_PAGE = 4


@pytest.fixture
def projects():
    # 30 projects: titles repeat (ties broken by id), a third without a start date (NULLs).
    Project.objects.bulk_create(
        Project(
            title=f"Projet {i % 5}",
            kind=ProjectKind.LEISURE,
            start_date=None if i % 3 == 0 else dt.date(2020, 1 + i % 4, 1),
            participant_sum=i % 6,
        )
        for i in range(30)
    )


def _ids(ids_qs, ordering):
    return list(
        Project.objects.filter(pk__in=ids_qs).order_by(*ordering).values_list("pk", flat=True)
    )


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_it_pages_forwards_backwards_and_from_the_end_like_offsets(projects, sort):
    ordering = SORTS[sort]
    qs = Project.objects.order_by(*ordering)
    everything = list(qs.values_list("pk", "public_id"))
    total = len(everything)
    pages = -(-total // PER_PAGE)
    by_offset = [[pk for pk, _ in everything[i : i + PER_PAGE]] for i in range(0, total, PER_PAGE)]
    public = dict(everything)

    def page(n, **params):
        return _ids(
            keyset.page_ids(qs, ordering, per_page=PER_PAGE, page=n, total=total, params=params),
            ordering,
        )

    for n in range(1, pages + 1):
        assert page(n) == by_offset[n - 1], f"page {n} by number"
    for n in range(1, pages):
        assert page(n + 1, apres=public[by_offset[n - 1][-1]]) == by_offset[n], f"after {n}"
        assert page(n, avant=public[by_offset[n][0]]) == by_offset[n - 1], f"before {n + 1}"
    # A cursor that is not a row of the list, or not a UUID: the page by number.
    assert page(2, apres="pas-un-uuid") == by_offset[1]
    assert page(2, avant="00000000-0000-0000-0000-000000000000") == by_offset[1]


def test_the_list_links_carry_the_cursor(projects, personas, login):
    client = login(personas["coordination"])
    url = reverse("projects:project-list")
    first = client.get(url, {"sort": "title"})
    rows = first.context["rows"]
    html = first.content.decode()
    assert f"apres={rows[-1].public_id}" in html and "page=2" in html
    second = client.get(url, {"sort": "title", "page": 2, "apres": rows[-1].public_id})
    by_number = client.get(url, {"sort": "title", "page": 2})
    assert [p.pk for p in second.context["rows"]] == [p.pk for p in by_number.context["rows"]]
    assert second.context["page"] == 2
