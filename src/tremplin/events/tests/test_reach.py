"""Reach: people and housing providers reached, per stop, per event and per period, counted from
attendance — a provider met at several stops (or events) counts once.

The figures expected below are worked out by hand from the attendance each test records.
"""

import datetime as dt
import zlib

import pytest
from django.urls import reverse

from tremplin.conftest import make_provider
from tremplin.events import reach, selectors, services
from tremplin.events.models import EventStatus, EventStop, RegistrationSource, Scope, StopAttendance
from tremplin.housing.models import ProviderKind

from .conftest import at, make_event

FY2008 = ("2008-04-01", "2009-03-31")


def _counts(stop, providers=(), **numbers):
    attendance = StopAttendance(stop=stop, **numbers)
    return services.attendance_save(user=None, attendance=attendance, providers=providers)


def _present(event, stop, name, provider=None, *, cancel_after=False):
    registration, _ = services.registration_submit(
        event=event,
        stop=stop,
        name=name,
        # A stable number per name (str hashes change with each process: two names could
        # share a number, and the second registration would be taken for the first).
        phone="418 555 0" + str(zlib.crc32(name.encode()) % 900 + 100),
        source=RegistrationSource.STAFF,
    )
    if provider is not None:
        registration.provider = provider
        services.registration_update(user=None, registration=registration)
    services.registration_check_in(user=None, registration=registration, present=True)
    if cancel_after:
        services.registration_cancel(registration=registration)
    return registration


@pytest.fixture
def fall_tour(world, personas):
    """The tour of fall 2008: Lévis (counted), Saint-Anselme (names), Saint-Georges (both)."""
    omh_a, omh_b = world["omh_a"], world["omh_b"]
    coop = make_provider("Coopérative des Érables", world["levis"], ProviderKind.COOP)
    omh_c = make_provider("Office municipal d'habitation de Saint-Anselme", world["st_anselme"])
    tour = make_event(
        title="Tournée régionale d'information",
        kind="tour",
        scope=Scope.REGIONAL,
        status=EventStatus.HELD,
        stops=[
            (world["levis"], at(dt.date(2008, 10, 1), 13)),
            (world["st_anselme"], at(dt.date(2008, 10, 2), 13)),
            (world["st_georges"], at(dt.date(2008, 10, 3), 13)),
        ],
    )
    levis, anselme, georges = tour.stops.order_by("starts_at")
    # Lévis: counted after the fact, 12 + 5 + 3 + 1 = 21 people; OMH A and the co-op.
    _counts(levis, [omh_a, coop], tenants=12, provider_staff=5, partners=3, others=1)
    # Saint-Anselme: names at the door. 3 present (OMH A again, OMH C, nobody's), one
    # registered who did not come, one checked in then cancelled (does not count).
    _present(tour, anselme, "Rita Gagnon", omh_a)
    _present(tour, anselme, "Paul Roy", omh_c)
    _present(tour, anselme, "Lise Côté")
    services.registration_submit(
        event=tour, stop=anselme, name="Absent", phone="418 555 0999", source="staff"
    )
    _present(tour, anselme, "Erreur Saisie", omh_b, cancel_after=True)
    # Saint-Georges: 2 checked in (one from OMH C), then counts of 7 + 2 = 9 entered: the
    # counts replace the check-ins for people; OMH C still counts as represented.
    _present(tour, georges, "Jean Poulin", omh_c)
    _present(tour, georges, "Anne Roy")
    _counts(georges, [omh_b, omh_a], tenants=7, provider_staff=2)
    return {"tour": tour, "stops": (levis, anselme, georges), "coop": coop, "omh_c": omh_c}


def test_it_counts_reach_per_stop(fall_tour):
    levis, anselme, georges = fall_tour["stops"]
    figures, providers = reach.by_stop([levis.pk, anselme.pk, georges.pk])
    assert len(providers) == 4  # the same as providers_reached: OMH A, co-op, OMH C, OMH B
    assert figures[levis.pk] == {"people": 21, "providers": 2, "counted": True, "checked_in": 0}
    assert figures[anselme.pk] == {"people": 3, "providers": 2, "counted": False, "checked_in": 3}
    assert figures[georges.pk] == {"people": 9, "providers": 3, "counted": True, "checked_in": 2}


def test_it_counts_a_provider_once_however_many_stops_it_came_to(fall_tour):
    stops = EventStop.objects.filter(event=fall_tour["tour"])
    # Provider links over the stops: 2 + 2 + 3 = 7; distinct: OMH A, co-op, OMH C, OMH B = 4.
    assert reach.providers_reached(stops) == 4
    assert reach.people_reached(stops) == 21 + 3 + 9
    assert reach.by_event(stops) == {fall_tour["tour"].pk: {"people": 33, "providers": 4}}


def test_it_counts_a_period_from_the_stops_that_began_in_it(world, personas, fall_tour):
    user = personas["coordination"]
    workshop = make_event(
        status=EventStatus.HELD, stops=[(world["levis"], at(dt.date(2009, 2, 10)))]
    )
    _counts(workshop.stops.get(), [world["omh_a"]], tenants=10)
    # Neither a cancelled event nor a draft reached anybody; nor does the next fiscal year.
    for status, day in (
        (EventStatus.CANCELLED, dt.date(2008, 11, 1)),
        (EventStatus.DRAFT, dt.date(2008, 11, 2)),
        (EventStatus.HELD, dt.date(2009, 4, 1)),
    ):
        other = make_event(status=status, stops=[(world["st_georges"], at(day))])
        _counts(other.stops.get(), [fall_tour["coop"], world["omh_b"]], tenants=50)

    year = selectors.period_reach(user, dt.date(2008, 4, 1), dt.date(2009, 3, 31))
    assert (year.people, year.providers, year.events, year.stops) == (33 + 10, 4, 2, 4)
    # Half the tour: Lévis and Saint-Anselme only → 21 + 3 people; OMH A, co-op, OMH C.
    early = selectors.period_reach(user, dt.date(2008, 10, 1), dt.date(2008, 10, 2))
    assert (early.people, early.providers, early.events) == (24, 3, 1)
    beauce = selectors.period_reach(
        user, dt.date(2008, 4, 1), dt.date(2009, 3, 31), territory=world["tb"]
    )
    assert (beauce.people, beauce.providers) == (9, 3)


def test_it_shows_reach_for_a_period_in_a_constant_number_of_queries(
    login, world, personas, fall_tour, django_assert_max_num_queries
):
    client = login(personas["coordination"])
    url = reverse("events:reach")
    params = {"start": FY2008[0], "end": FY2008[1]}

    def load():
        response = client.get(url, params)
        assert response.status_code == 200
        return response.content.decode()

    with django_assert_max_num_queries(17):
        html = load()
    assert "<strong>33</strong>" in html and "<strong>4</strong>" in html
    for i in range(6):
        event = make_event(
            title=f"Atelier {i}",
            status=EventStatus.HELD,
            stops=[(world["levis"], at(dt.date(2008, 12, 1 + i)))],
        )
        _counts(event.stops.get(), [world["omh_b"]], tenants=2, others=1)
    with django_assert_max_num_queries(17):
        html = load()
    assert "<strong>51</strong>" in html  # 33 + 6 × 3


def test_it_limits_an_organizers_reach_to_their_scope(world, personas, fall_tour):
    local_a = make_event(status=EventStatus.HELD, stops=[(world["levis"], at(dt.date(2008, 9, 9)))])
    _counts(local_a.stops.get(), [world["omh_a"]], tenants=100)
    start, end = dt.date(2008, 4, 1), dt.date(2009, 3, 31)
    assert selectors.period_reach(personas["organizer_a"], start, end).people == 133
    # Organizer B sees the regional tour, not territory A's local workshop.
    assert selectors.period_reach(personas["organizer_b"], start, end).people == 33


def test_it_refuses_a_period_that_ends_before_it_starts(login, personas):
    client = login(personas["coordination"])
    response = client.get(reverse("events:reach"), {"start": "2009-03-31", "end": "2008-04-01"})
    assert response.status_code == 400
    assert "La fin de la période précède son début." in response.content.decode()
    response = client.get(reverse("events:reach"), {"start": "pas-une-date", "end": "2008-04-01"})
    assert response.status_code == 400


def test_it_shows_the_reach_of_an_event_on_its_page(login, personas, fall_tour):
    html = login(personas["coordination"]).get(
        reverse("events:event-detail", args=[fall_tour["tour"].public_id])
    )
    text = html.content.decode()
    assert "<strong>33</strong> personnes rejointes" in text
    assert "<strong>4</strong> organismes d'habitation rejoints" in text


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("tenants", "-3", "Un nombre de personnes ne peut pas être négatif."),
        ("partners", "-1", "Un nombre de personnes ne peut pas être négatif."),
        ("others", "douze", "Entrez un nombre entier."),
    ],
)
def test_it_refuses_negative_or_unreadable_counts(login, personas, world, field, value, message):
    event = make_event(status=EventStatus.HELD, stops=[(world["levis"], at(dt.date(2008, 9, 9)))])
    stop = event.stops.get()
    data = {"tenants": "4", "provider_staff": "0", "partners": "0", "others": "0", field: value}
    response = login(personas["coordination"]).post(
        reverse("events:attendance-edit", args=[stop.public_id]), data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not StopAttendance.objects.exists()


def test_it_saves_counts_and_can_return_to_check_ins(login, personas, world):
    event = make_event(status=EventStatus.HELD, stops=[(world["levis"], at(dt.date(2008, 9, 9)))])
    stop = event.stops.get()
    _present(event, stop, "Rita Gagnon", world["omh_a"])
    client = login(personas["coordination"])
    url = reverse("events:attendance-edit", args=[stop.public_id])
    data = {"tenants": "8", "provider_staff": "2", "partners": "1", "others": "0"}
    response = client.post(url, {**data, "providers": [world["omh_b"].pk]})
    assert response.status_code == 302
    stops = EventStop.objects.filter(pk=stop.pk)
    assert (reach.people_reached(stops), reach.providers_reached(stops)) == (11, 2)
    client.post(url, {"clear": "1"})
    assert (reach.people_reached(stops), reach.providers_reached(stops)) == (1, 1)
