"""The registrations page (#19): one status at a time, page by page through keyset cursors:
every registration once, in order of arrival (ties on the time broken by id), the same number
of queries on every page, and a cursor that was tampered with is a page, not an error."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tremplin.events import views_running
from tremplin.events.models import Registration, RegistrationStatus
from tremplin.testing.paging import assert_same_cost_per_page, walk

pytestmark = pytest.mark.django_db
PER_PAGE = 4


@pytest.fixture
def crowded(workshop, monkeypatch):
    """11 confirmed, 9 on the waiting list, 3 cancelled; a third share one arrival time."""
    monkeypatch.setattr(views_running, "REGISTRATIONS_PER_PAGE", PER_PAGE)
    stop = workshop.stops.get()
    statuses = [RegistrationStatus.CONFIRMED] * 11 + [RegistrationStatus.WAITLISTED] * 9
    statuses += [RegistrationStatus.CANCELLED] * 3
    Registration.objects.bulk_create(
        Registration(event=workshop, stop=stop, name=f"Personne {i:02}", status=status)
        for i, status in enumerate(statuses)
    )
    tied = Registration.objects.filter(event=workshop).order_by("id").values("id")[::3]
    Registration.objects.filter(id__in=[r["id"] for r in tied]).update(created_at=timezone.now())
    return workshop


def _names(response):
    return [r.name for r in response.context["rows"]]


@pytest.mark.parametrize("status", RegistrationStatus.values)
def test_it_pages_through_each_status_forwards_and_back(login, personas, crowded, status):
    client = login(personas["organizer_a"])
    url = reverse("events:registration-list", args=[crowded.public_id])
    first = client.get(url, {"status": status})
    assert first.context["status"] == status
    pages = [_names(r) for r in walk(client, url, first)]
    seen = [name for page in pages for name in page]
    expected = list(
        crowded.registrations.filter(status=status)
        .order_by("created_at", "id")
        .values_list("name", flat=True)
    )
    assert seen == expected and len(set(seen)) == len(expected)
    assert len(pages) == -(-len(expected) // PER_PAGE)
    # Back from the last page, by the "previous" links: the same pages in reverse.
    last = client.get(url, {"status": status, "page": len(pages)})  # read from the end
    assert _names(last) == pages[-1]
    assert [_names(r) for r in walk(client, url, last, "prev")] == pages[::-1]


def test_every_page_costs_the_same_number_of_queries(login, personas, crowded):
    client = login(personas["organizer_a"])
    url = reverse("events:registration-list", args=[crowded.public_id])
    assert_same_cost_per_page(client, url, pages=2, page_param=3)


def test_a_tampered_cursor_or_page_is_a_page_not_an_error(login, personas, crowded, tour):
    client = login(personas["organizer_a"])
    url = reverse("events:registration-list", args=[crowded.public_id])
    second = _names(client.get(url, {"page": 2}))
    elsewhere = Registration.objects.create(
        event=tour, stop=tour.stops.first(), name="Ailleurs", status=RegistrationStatus.CONFIRMED
    )
    for params in (
        {"page": 2, "apres": "pas-un-uuid"},
        {"page": 2, "avant": "00000000-0000-0000-0000-000000000000"},
        {"page": 2, "apres": str(elsewhere.public_id)},  # another event's registration
        {"page": 2, "apres": "'; DROP TABLE events_registration; --"},
    ):
        response = client.get(url, params)
        assert response.status_code == 200, params
        assert _names(response) == second, params
    for params in ({"page": "abc"}, {"page": "-4"}, {"page": 10**12}, {"status": "autre"}):
        response = client.get(url, params)
        assert response.status_code == 200, params
        assert response.context["rows"], params
    assert "no-store" in response["Cache-Control"]
