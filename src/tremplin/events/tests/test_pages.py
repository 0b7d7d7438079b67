"""Staff pages of events: who sees what (every persona and anonymous), the list and its query
count, the event form with its stops, registrations by the staff, check-in at the door."""

import datetime as dt
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from tremplin.audit.models import AuditEntry
from tremplin.conftest import all_personas_but
from tremplin.events import services
from tremplin.events.models import (
    Event,
    EventStatus,
    EventStop,
    Registration,
    RegistrationStatus,
    Scope,
)
from tremplin.testing.forms import formset

from .conftest import at, make_event, register, soon

READERS = ("coordination", "organizer_a", "organizer_b")
OTHERS = all_personas_but(*READERS)


@pytest.fixture
def local_a(world, personas):
    """A local event of territory A with one registration."""
    event = make_event(
        title="Atelier de Lévis",
        capacity=2,
        stops=[(world["levis"], soon(15))],
        user=personas["organizer_a"],
    )
    register(event, name="Rita Gagnon", email="rita@example.org", accessibility_needs="LSQ")
    return event


def _urls(event):
    stop = event.stops.first()
    registration = event.registrations.first()
    pid = event.public_id
    return {
        "detail": reverse("events:event-detail", args=[pid]),
        "edit": reverse("events:event-edit", args=[pid]),
        "registrations": reverse("events:registration-list", args=[pid]),
        "registration-create": reverse("events:registration-create", args=[pid]),
        "check-in": reverse("events:check-in", args=[pid]),
        "sheet": reverse("events:sign-in-sheet", args=[pid]),
        "attendance": reverse("events:attendance-edit", args=[stop.public_id]),
        "registration-edit": reverse("events:registration-edit", args=[registration.public_id]),
    }


POST_ONLY = ("registration-cancel", "registration-check-in", "walk-in")


def _post_urls(event):
    registration = event.registrations.first()
    return {
        "registration-cancel": reverse("events:registration-cancel", args=[registration.public_id]),
        "registration-check-in": reverse(
            "events:registration-check-in", args=[registration.public_id]
        ),
        "walk-in": reverse("events:walk-in", args=[event.stops.first().public_id]),
    }


# --------------------------------------------------------------------------- who sees what


@pytest.mark.parametrize("who", READERS)
def test_it_lets_the_coordination_and_organizers_open_the_list_reach_and_form(login, personas, who):
    client = login(personas[who])
    for name in ("events:event-list", "events:reach", "events:event-create"):
        assert client.get(reverse(name)).status_code == 200, name


@pytest.mark.parametrize("who", OTHERS)
def test_it_answers_404_to_every_other_role_on_every_staff_page(
    login, personas, local_a, tour, who
):
    register(tour, email="t@example.org")
    client = login(personas[who])
    for name in ("events:event-list", "events:reach", "events:event-create"):
        assert client.get(reverse(name)).status_code == 404, (who, name)
    for event in (local_a, tour):
        for label, url in _urls(event).items():
            assert client.get(url).status_code == 404, (who, label)
        for label, url in _post_urls(event).items():
            assert client.post(url, {"present": "1", "name": "X Y"}).status_code == 404, label
    assert Registration.objects.filter(status="cancelled").count() == 0
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


def test_it_sends_anonymous_visitors_to_the_login_page(client, local_a):
    for url in [reverse("events:event-list"), reverse("events:reach"), *_urls(local_a).values()]:
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]


def test_it_gives_organizers_their_territories_events_and_regional_ones_read_only(
    login, personas, local_a, tour
):
    register(tour, email="t@example.org")
    organizer_a, organizer_b = login(personas["organizer_a"]), None
    for url in _urls(local_a).values():
        assert organizer_a.get(url).status_code == 200, url
    # Territory B's organizer does not see territory A's local event.
    organizer_b = login(personas["organizer_b"])
    for url in _urls(local_a).values():
        assert organizer_b.get(url).status_code == 404, url
    # Regional events: read only, without the registrants.
    tour_urls = _urls(tour)
    response = organizer_b.get(tour_urls.pop("detail"))
    assert response.status_code == 200
    assert "Vous consultez cet événement sans pouvoir le modifier." in unescape(
        response.content.decode()
    )
    for url in tour_urls.values():
        assert organizer_b.get(url).status_code == 404, url


def test_it_lets_an_organizer_on_a_regional_events_staff_run_its_door(login, personas, tour):
    register(tour, email="t@example.org")
    tour.staff.add(personas["organizer_b"])
    client = login(personas["organizer_b"])
    urls = _urls(tour)
    assert client.get(urls.pop("edit")).status_code == 404
    for url in urls.values():
        assert client.get(url).status_code == 200, url


def test_it_lists_events_in_scope_with_a_constant_number_of_queries(
    login, world, personas, local_a, tour, django_assert_max_num_queries
):
    client = login(personas["organizer_b"])
    url = reverse("events:event-list")
    with django_assert_max_num_queries(11):
        html = client.get(url).content.decode()
    assert "Tournée régionale d&#x27;information" in html
    assert "Atelier de Lévis" not in html
    for i in range(8):
        event = make_event(title=f"Café-rencontre {i}", stops=[(world["st_georges"], soon(5 + i))])
        register(event, email=f"p{i}@example.org")
    with django_assert_max_num_queries(11):
        html = client.get(url).content.decode()
    assert html.count("Café-rencontre") == 8


def test_it_filters_and_searches_the_list(login, world, personas, local_a, tour):
    client = login(personas["coordination"])
    url = reverse("events:event-list")
    assert "Atelier de Lévis" not in client.get(url, {"q": "tournee"}).content.decode()
    assert "Tournée régionale" in unescape(client.get(url, {"q": "tournee"}).content.decode())
    assert "Tournée régionale" not in unescape(
        client.get(url, {"kind": "workshop"}).content.decode()
    )
    assert "Atelier de Lévis" in client.get(url, {"when": "upcoming"}).content.decode()
    assert "Atelier de Lévis" not in client.get(url, {"when": "past"}).content.decode()
    htmx = client.get(url, {"q": "levis"}, HTTP_HX_REQUEST="true").content.decode()
    assert htmx.lstrip().startswith('<div id="results"')


# --------------------------------------------------------------------------- the event form


def _form_data(**changes):
    start = timezone.localtime(soon(20))
    data = {
        "title": "Café-rencontre des aînés",
        "kind": "workshop",
        "status": "published",
        "capacity": "20",
        "registration_open": "on",
        "target_audience": "Locataires aînés",
        "organizing_committee": "",
        "public_contact": "418 555-0199",
        "description": "Venez jaser.",
        **formset(
            "stops",
            {
                "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
                "place": "Salle commune",
                "address": "25, rue Saint-Louis",
            },
            minimum=1,
        ),
    }
    data.update(changes)
    return data


def test_it_creates_a_local_event_with_its_stop(login, world, personas):
    client = login(personas["organizer_a"])
    response = client.post(
        reverse("events:event-create"), _form_data(**{"stops-0-municipality": world["levis"].pk})
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.scope, event.status, event.capacity) == (Scope.LOCAL, "published", 20)
    assert event.created_by == personas["organizer_a"]
    assert event.published_at is not None
    stop = event.stops.get()
    assert event.starts_at == stop.starts_at and event.ends_at == stop.ends_at
    assert AuditEntry.objects.filter(action="events.event.create").count() == 1
    assert client.get(reverse("events:public-detail", args=[event.public_id])).status_code == 200


def test_it_keeps_organizers_to_local_events_in_their_territories(login, world, personas):
    client = login(personas["organizer_a"])
    data = _form_data(scope="regional", **{"stops-0-municipality": world["st_georges"].pk})
    response = client.post(reverse("events:event-create"), data)
    assert response.status_code == 400
    assert "Choisissez une municipalité de vos territoires." in unescape(response.content.decode())
    data["stops-0-municipality"] = world["st_anselme"].pk
    assert client.post(reverse("events:event-create"), data).status_code == 302
    assert Event.objects.get().scope == Scope.LOCAL  # the scope field is not theirs to set


def test_it_lets_the_coordination_create_a_regional_tour(login, world, personas):
    client = login(personas["coordination"])
    base = timezone.localtime(soon(40))
    data = _form_data(title="Tournée", kind="tour", scope="regional", **{"stops-TOTAL_FORMS": "2"})
    for i, (muni, days) in enumerate(((world["levis"], 0), (world["st_georges"], 1))):
        start = base + dt.timedelta(days=days)
        data.update(
            {
                f"stops-{i}-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
                f"stops-{i}-ends_at": (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
                f"stops-{i}-place": "Salle",
                f"stops-{i}-municipality": muni.pk,
            }
        )
    assert client.post(reverse("events:event-create"), data).status_code == 302
    event = Event.objects.get()
    assert event.scope == Scope.REGIONAL and event.stops.count() == 2
    assert event.ends_at - event.starts_at == dt.timedelta(days=1, hours=3)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"stops-0-ends_at": "2020-01-01T10:00"}, "La fin doit suivre le début."),
        ({"stops-0-starts_at": "demain"}, "Saisissez une date et une heure valides."),
        ({"capacity": "0"}, "Le nombre de places est d'au moins 1"),
        ({"capacity": "-5"}, "Le nombre de places est d'au moins 1"),
        ({"title": ""}, "Ce champ est obligatoire."),
        (
            {"stops-0-place": "", "stops-0-starts_at": "", "stops-0-ends_at": ""},
            "Ce champ est obligatoire.",
        ),
    ],
)
def test_it_refuses_a_bad_event_with_a_clear_french_message(
    login, world, personas, changes, message
):
    data = _form_data(**{"stops-0-municipality": world["levis"].pk})
    data.update(changes)
    response = login(personas["coordination"]).post(reverse("events:event-create"), data)
    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert not Event.objects.exists()


def test_it_edits_an_event_adds_a_stop_and_refuses_to_remove_a_stop_with_registrations(
    login, world, personas, local_a
):
    client = login(personas["organizer_a"])
    stop = local_a.stops.get()
    start = timezone.localtime(stop.starts_at)
    existing = {
        "stops-TOTAL_FORMS": "2",
        "stops-INITIAL_FORMS": "1",
        "stops-0-id": stop.pk,
        "stops-0-event": local_a.pk,
        "stops-0-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "stops-0-ends_at": timezone.localtime(stop.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "stops-0-place": stop.place,
        "stops-0-address": stop.address,
        "stops-0-municipality": world["levis"].pk,
    }
    new_start = start + dt.timedelta(days=7)
    data = _form_data(title="Atelier de Lévis (2 séances)", capacity="2", **existing)
    data.update(
        {
            "stops-1-starts_at": new_start.strftime("%Y-%m-%dT%H:%M"),
            "stops-1-ends_at": (new_start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "stops-1-place": "Salle B",
            "stops-1-municipality": world["st_anselme"].pk,
        }
    )
    url = reverse("events:event-edit", args=[local_a.public_id])
    assert client.post(url, data).status_code == 302
    local_a.refresh_from_db()
    assert local_a.stops.count() == 2 and local_a.title == "Atelier de Lévis (2 séances)"
    assert local_a.ends_at == new_start + dt.timedelta(hours=1)
    # The first stop has a registration: it cannot be removed.
    second = local_a.stops.exclude(pk=stop.pk).get()
    data.update({"stops-0-DELETE": "on", "stops-INITIAL_FORMS": "2", "stops-1-id": second.pk})
    response = client.post(url, data)
    assert response.status_code == 400
    assert "a des inscriptions : elle ne peut pas être retirée" in unescape(
        response.content.decode()
    )
    assert local_a.stops.count() == 2


# --------------------------------------------------------------------------- registrations


def test_it_lists_registrations_privately(login, personas, local_a):
    response = login(personas["organizer_a"]).get(
        reverse("events:registration-list", args=[local_a.public_id])
    )
    html = response.content.decode()
    assert "Rita Gagnon" in html and "rita@example.org" in html and "LSQ" in html
    assert "no-store" in response["Cache-Control"]


def test_it_lets_the_staff_register_someone_by_phone_and_cancel(login, personas, local_a):
    client = login(personas["organizer_a"])
    url = reverse("events:registration-create", args=[local_a.public_id])
    data = {"name": "Léo Roy", "phone": "418 555-0142", "email": ""}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {"name": "Zoé Roy", "phone": "418 555-0143"}).status_code == 302
    statuses = dict(Registration.objects.values_list("name", "status"))
    assert statuses == {"Rita Gagnon": "confirmed", "Léo Roy": "confirmed", "Zoé Roy": "waitlisted"}
    # Registering Léo again keeps the registration (the staff may be told: no disclosure issue).
    response = client.post(url, data, follow=True)
    assert "était déjà inscrit·e" in unescape(response.content.decode())
    rita = Registration.objects.get(name="Rita Gagnon")
    client.post(reverse("events:registration-cancel", args=[rita.public_id]))
    statuses = dict(Registration.objects.values_list("name", "status"))
    assert statuses == {"Rita Gagnon": "cancelled", "Léo Roy": "confirmed", "Zoé Roy": "confirmed"}


def test_it_lets_the_staff_correct_a_registration_and_link_a_provider(
    login, world, personas, local_a
):
    client = login(personas["organizer_a"])
    rita = local_a.registrations.get()
    url = reverse("events:registration-edit", args=[rita.public_id])
    data = {
        "name": "Rita Gagnon",
        "organization": "OMH de Lévis",
        "email": "rita@example.org",
        "phone": "",
        "stop": local_a.stops.get().pk,
        "accessibility_needs": "LSQ",
        "provider": world["omh_a"].pk,
    }
    assert client.post(url, data).status_code == 302
    rita.refresh_from_db()
    assert rita.provider == world["omh_a"]
    register(local_a, name="Autre", email="autre@example.org")
    response = client.post(url, {**data, "email": "AUTRE@example.org"})
    assert "utilise déjà ce courriel ou ce téléphone" in unescape(response.content.decode())


# --------------------------------------------------------------------------- at the door


def test_it_checks_people_in_by_tapping_with_htmx(login, personas, local_a):
    client = login(personas["organizer_a"])
    rita = local_a.registrations.get()
    url = reverse("events:registration-check-in", args=[rita.public_id])
    response = client.post(url, {"present": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert html.lstrip().startswith(f'<li id="r-{rita.public_id}"')
    assert "✓ Présent·e" in html
    assert 'hx-swap-oob="true"' in html and "<strong>1</strong> personnes présentes" in html
    rita.refresh_from_db()
    assert rita.checked_in_at is not None and rita.checked_in_by == personas["organizer_a"]
    # Undo, without JavaScript this time: back to the list.
    page = reverse("events:check-in", args=[local_a.public_id]) + "?q=rita"
    response = client.post(url, {"present": "0", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    rita.refresh_from_db()
    assert rita.checked_in_at is None
    # An outside "next" is ignored.
    response = client.post(url, {"present": "1", "next": "https://evil.example/"})
    assert response["Location"] == reverse("events:check-in", args=[local_a.public_id])


def test_it_shows_the_door_list_with_search_and_walk_ins(
    login, personas, local_a, django_assert_max_num_queries
):
    client = login(personas["organizer_a"])
    url = reverse("events:check-in", args=[local_a.public_id])
    for i in range(5):
        register(local_a, name=f"Personne {i}", email=f"p{i}@example.org")
    with django_assert_max_num_queries(12):
        html = client.get(url).content.decode()
    assert html.count('name="present"') == 6
    assert "Rita Gagnon" not in client.get(url, {"q": "personne 3"}).content.decode()
    stop = local_a.stops.get()
    response = client.post(
        reverse("events:walk-in", args=[stop.public_id]), {"name": "Jos Bleau", "is_tenant": "on"}
    )
    assert response.status_code == 302
    walk_in = Registration.objects.get(name="Jos Bleau")
    assert walk_in.source == "walk_in" and walk_in.checked_in_at is not None
    assert walk_in.status == RegistrationStatus.CONFIRMED
    response = client.post(
        reverse("events:walk-in", args=[stop.public_id]), {"name": ""}, follow=True
    )
    assert "Ce champ est obligatoire." in response.content.decode()


def test_it_prints_a_sign_in_sheet_per_stop(login, personas, tour):
    stops = list(tour.stops.order_by("starts_at"))
    register(tour, name="À Lévis", email="a@example.org", stop=stops[0])
    register(tour, name="À Saint-Georges", email="b@example.org", stop=stops[2])
    client = login(personas["coordination"])
    url = reverse("events:sign-in-sheet", args=[tour.public_id])
    html = client.get(url, {"etape": str(stops[2].public_id)}).content.decode()
    assert "À Saint-Georges" in html and "À Lévis" not in html
    assert html.count("☐") >= 10  # blank lines for people who did not register


def test_it_refuses_to_check_in_a_cancelled_registration(login, personas, local_a):
    rita = local_a.registrations.get()
    services.registration_cancel(registration=rita)
    client = login(personas["organizer_a"])
    response = client.post(
        reverse("events:registration-check-in", args=[rita.public_id]),
        {"present": "1"},
        follow=True,
    )
    assert "Cette inscription est annulée." in response.content.decode()
    rita.refresh_from_db()
    assert rita.checked_in_at is None


def test_it_shows_an_event_page_with_stops_and_counts(login, personas, world):
    event = make_event(
        title="Rassemblement régional",
        kind="forum",
        scope=Scope.REGIONAL,
        status=EventStatus.HELD,
        stops=[(world["levis"], at(dt.date(2010, 5, 1), 9), 7)],
    )
    html = (
        login(personas["organizer_b"])
        .get(reverse("events:event-detail", args=[event.public_id]))
        .content.decode()
    )
    assert "1er mai 2010, 9 h 30 à 16 h 30" in html
    assert EventStop.objects.count() == 1
