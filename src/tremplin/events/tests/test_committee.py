"""An event may belong to a committee (``Event.committee``): chosen in the event form among the
committees the user may read, shown on the event's page, listed on the committee's page to
each reader as far as they may see events."""

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from tremplin.concertation.models import (
    Committee,
    CommitteeMembership,
    OrganizationKind,
)
from tremplin.concertation.tests.conftest import three_committees
from tremplin.events.models import Event, EventStatus, Scope
from tremplin.testing.queries import query_count

from .conftest import make_event, soon
from .test_pages import _form_data

D = dt.date


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def committees(world, personas):
    """The ÉLÉ de Lévis (territory A), the regional partners' committee (the partner persona
    sits on it) and a working group of territory B."""
    committees = three_committees(world)
    CommitteeMembership.objects.create(
        committee=committees["regional"],
        person_name="Sophie Partenaire",
        organization_kind=OrganizationKind.COMMUNITY,
        community_organization="Réseau fictif",
        start_date=D(2016, 4, 1),
        user=personas["partner"],
    )
    return committees


def _committee_page(client, committee):
    return client.get(reverse("concertation:committee-detail", args=[committee.public_id]))


def test_it_links_an_event_to_a_committee_from_the_form(login, world, personas, committees):
    client = login(personas["organizer_a"])
    ele = committees["ele"]
    form = client.get(reverse("events:event-create")).context["form"]
    # Organizer A reads the ÉLÉ of A and the regional committee, not B's working group.
    assert {c.pk for c in form.fields["committee"].queryset} == {
        ele.pk,
        committees["regional"].pk,
    }
    data = _form_data(committee=str(ele.public_id), **{"stops-0-municipality": world["levis"].pk})
    response = client.post(reverse("events:event-create"), data)
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.committee == ele
    assert event.organizing_committee == ele.name  # the public page's « Organisé par »
    detail = client.get(reverse("events:event-detail", args=[event.public_id]))
    committee_url = reverse("concertation:committee-detail", args=[ele.public_id])
    assert f'href="{committee_url}"' in detail.content.decode()
    page = _committee_page(client, ele)
    [row] = page.context["events"]
    assert row.event == event and row.staff_page
    assert row.day == timezone.localtime(event.starts_at).date()
    html = page.content.decode()
    assert f'href="{reverse("events:event-detail", args=[event.public_id])}"' in html
    assert event.title in _text(page)
    # The form shows the choice when the event is edited; choosing none unlinks it.
    edit = reverse("events:event-edit", args=[event.public_id])
    assert client.get(edit).context["form"]["committee"].value() == ele.public_id


@pytest.mark.parametrize("value", ["committee-of-b", "not-a-uuid", "00000000-0000-0000-0000-0"])
def test_it_refuses_a_committee_the_user_may_not_see(login, world, personas, committees, value):
    client = login(personas["organizer_b"])
    if value == "committee-of-b":
        value = str(committees["ele"].public_id)  # territory A's ÉLÉ
    data = _form_data(committee=value, **{"stops-0-municipality": world["st_georges"].pk})
    response = client.post(reverse("events:event-create"), data)
    assert response.status_code == 400
    assert "Choisissez un comité parmi ceux que vous pouvez consulter." in _text(response)
    assert not Event.objects.exists()


def test_the_service_refuses_a_committee_its_user_may_not_read(world, personas, committees):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        make_event(
            stops=[(world["st_georges"], soon(10))],
            user=personas["organizer_b"],
            committee=committees["ele"],
        )
    assert error.value.message_dict["committee"] == [
        "Choisissez un comité parmi ceux que vous pouvez consulter."
    ]
    assert not Event.objects.exists()


def test_it_refuses_an_event_outside_the_committees_period(login, world, personas, committees):
    client = login(personas["coordination"])
    ele = committees["ele"]
    data = _form_data(
        status="held",
        scope="local",
        committee=str(ele.public_id),
        **{
            "stops-0-municipality": world["levis"].pk,
            "stops-0-starts_at": "2022-06-01T18:00",
            "stops-0-ends_at": "2022-06-01T20:00",
        },
    )
    response = client.post(reverse("events:event-create"), data)
    assert response.status_code == 400
    assert "L'événement commence avant la création du comité (le 15 février 2023)." in _text(
        response
    )
    assert not Event.objects.exists()
    Committee.objects.filter(pk=ele.pk).update(end_date=D(2024, 12, 31))
    data["stops-0-starts_at"], data["stops-0-ends_at"] = "2025-03-01T18:00", "2025-03-01T20:00"
    response = client.post(reverse("events:event-create"), data)
    assert "L'événement commence après la fin du comité (le 31 décembre 2024)." in _text(response)
    assert not Event.objects.exists()


def test_it_keeps_a_committee_the_editor_cannot_see(login, world, personas, committees):
    """The coordination linked territory A's event to B's working group; organizer A edits the
    event: the link stays, shown without a link to a page they may not open."""
    beauce = committees["beauce"]
    event = make_event(
        stops=[(world["levis"], soon(10))], user=personas["coordination"], committee=beauce
    )
    client = login(personas["organizer_a"])
    edit = reverse("events:event-edit", args=[event.public_id])
    form = client.get(edit).context["form"]
    assert form["committee"].value() == beauce.public_id
    stop = event.stops.get()
    start = timezone.localtime(stop.starts_at)
    data = _form_data(
        title="Atelier renommé",
        committee=str(beauce.public_id),
        **{
            "stops-TOTAL_FORMS": "2",
            "stops-INITIAL_FORMS": "1",
            "stops-0-id": stop.pk,
            "stops-0-event": event.pk,
            "stops-0-municipality": world["levis"].pk,
            "stops-0-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "stops-0-ends_at": timezone.localtime(stop.ends_at).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert client.post(edit, data).status_code == 302
    event.refresh_from_db()
    assert event.title == "Atelier renommé" and event.committee == beauce
    detail = client.get(reverse("events:event-detail", args=[event.public_id]))
    assert beauce.name in _text(detail)
    assert reverse("concertation:committee-detail", args=[beauce.public_id]) not in (
        detail.content.decode()
    )


def test_it_lists_a_committees_events_as_each_reader_may_see_them(
    login, world, personas, committees
):
    regional = committees["regional"]
    tour = make_event(
        title="Tournée régionale",
        kind="tour",
        scope=Scope.REGIONAL,
        stops=[(world["levis"], soon(40)), (world["st_georges"], soon(41))],
        committee=regional,
    )
    local = make_event(title="Atelier de Lévis", stops=[(world["levis"], soon(20))])
    draft = make_event(
        title="Forum en préparation",
        status=EventStatus.DRAFT,
        stops=[(world["levis"], soon(90))],
    )
    Event.objects.filter(pk__in=[local.pk, draft.pk]).update(committee=regional)
    make_event(title="Sans comité", stops=[(world["levis"], soon(5))])

    def rows(who):
        page = _committee_page(login(personas[who]), regional)
        assert page.status_code == 200
        return {r.event.title: (r.url, r.staff_page) for r in page.context["events"]}

    def staff(event):
        return reverse("events:event-detail", args=[event.public_id]), True

    def public(event):
        return reverse("events:public-detail", args=[event.public_id]), False

    assert rows("coordination") == {
        tour.title: staff(tour),
        local.title: staff(local),
        draft.title: staff(draft),
    }
    assert rows("organizer_a") == rows("coordination")
    # B: the regional tour's staff page; A's local event only through its public page.
    assert rows("organizer_b") == {tour.title: staff(tour), local.title: public(local)}
    # A partner has no staff page of events: the published ones' public pages.
    assert rows("partner") == {tour.title: public(tour), local.title: public(local)}
    page = _committee_page(login(personas["partner"]), regional)
    tour_row = next(r for r in page.context["events"] if r.event == tour)
    assert (tour_row.day, tour_row.last_day) == (
        timezone.localtime(tour.starts_at).date(),
        timezone.localtime(tour.ends_at).date(),
    )
    assert "Forum en préparation" not in _text(page)


def test_it_shows_a_committees_events_in_a_constant_number_of_queries(
    login, world, personas, committees, django_assert_max_num_queries
):
    client = login(personas["organizer_b"])
    regional = committees["regional"]
    make_event(stops=[(world["levis"], soon(3))], committee=regional)
    few = query_count(client, reverse("concertation:committee-detail", args=[regional.public_id]))
    for i in range(15):
        make_event(
            title=f"Forum {i}",
            scope=Scope.REGIONAL if i % 2 else Scope.LOCAL,
            status=EventStatus.DRAFT if i % 3 == 0 else EventStatus.PUBLISHED,
            stops=[(world["levis"] if i % 2 else world["st_georges"], soon(10 + i))],
            committee=regional,
        )
    with django_assert_max_num_queries(few):
        response = _committee_page(client, regional)
    assert len(response.context["events"]) > 10
