"""Load the demo events: the gatherings and tours of the seeds, and a few upcoming events with
registrations.

From the seeds: the regional information tour of fall 2008 that reached 62 housing offices and
more than 200 people (seed 000, Year 1, item 3); the regional meeting of housing offices on
2009-06-06, « Mon OMH et le soutien communautaire » (seed 000); six regional gatherings with
tenants between 2008 and 2016 and, in all, more than ten gatherings and forums since 2008
(seed 003). Everything else — stops, places, times, which office came where, the counts per
category, titles of the later forums, people registered — is invented, and every record says so
(``is_demo``; « donnée fictive » on screen).

``load_events`` is idempotent: an event is found again by its title among demo events, a stop
by (event, municipality), a registration by (event, name); a second run creates nothing, and
upcoming events move with today's date so that their registration stays open. Events that are
not demo events (``is_demo=False``) are never modified. Like the rest of the demo loader it
bypasses the audited services (loading the demo is nobody's action) and derives each event's
dates and search text with ``events.services.event_refresh``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.contrib.auth import get_user_model
from django.utils import timezone

from tremplin.concertation.models import Committee
from tremplin.core.text import fold
from tremplin.events.models import (
    Event,
    EventKind,
    EventStatus,
    EventStop,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    Scope,
    StopAttendance,
    contact_key,
)
from tremplin.events.reach import people_reached, providers_reached
from tremplin.events.services import event_refresh
from tremplin.housing.models import HousingProvider, ProviderKind
from tremplin.territories.models import Municipality

from . import concertation_loader
from .data import read_json

CREATED_KEYS = ("events", "event_stops", "event_registrations", "event_attendance_counts")
REGION = "12"
FICTITIOUS = (
    "Donnée fictive de démonstration : lieux, heures, nombres par catégorie et personnes "
    "inscrites sont inventés."
)
COMMITTEE_2008 = "Comité de gestion de l'Entente spécifique"
COMMITTEE_2016 = "Comité des partenaires régionaux du SCLSC"

# The committee of the demo concertation (``concertation_loader``) behind each organizer's name
# above: an event is linked to it when the committee was active on the event's first day (the
# 2011-2016 agreement's committee is not in the demo: its gatherings stay unlinked).
_MANAGEMENT, _PARTNERS_COMMITTEE = concertation_loader.concertation_data()["committees"]
COMMITTEE_NAMES = {
    COMMITTEE_2008: _MANAGEMENT["name"],
    COMMITTEE_2016: _PARTNERS_COMMITTEE["name"],
}

# The records (``data/events.json``): the fall-2008 tour (one stop in the main town of each MRC
# that has housing offices; ``absent`` offices left out, 62 of the 67 demo offices came; two
# offices came to a ``twice`` second stop, counted once in reach), the gatherings and forums
# (``providers``: that many of the ``pool``, every n-th of the demo directory), the people who
# register to the upcoming events, the upcoming events (``days`` from today, ``hours``: [hour,
# minute, length]) and a past workshop. Dates, places, counts and people are invented.
DATA = read_json("events.json")
TOUR_TITLE = DATA["tour"]["title"]


def _tz():
    return timezone.get_default_timezone()


def _at(day: str | dt.date, hour: int, minute: int = 0) -> dt.datetime:
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=_tz())


def load_events(created: Counter | None = None) -> dict:
    """Create or reset the demo events; returns a summary of counts.

    Call it inside a transaction, after the housing directory and the demo accounts.
    """
    created = created if created is not None else Counter()
    towns = {m.code: m for m in Municipality.objects.filter(mrc__region__code=REGION)}
    if not towns:
        return summary()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=_usernames())}
    providers = list(
        HousingProvider.objects.filter(is_demo=True, municipality__mrc__region__code=REGION)
        .select_related("municipality__mrc")
        .order_by("name_key", "pk")
    )
    offices = [p for p in providers if p.kind in (ProviderKind.OMH, ProviderKind.OH)]
    _load_tour(towns, offices, users, created)
    for spec in DATA["gatherings"]:
        _load_gathering(spec, towns, offices, providers, users, created)
    for spec in DATA["upcoming"]:
        _load_upcoming(spec, towns, users, created)
    _load_past_workshop(towns, offices, users, created)
    return summary()


def summary() -> dict:
    events = Event.objects.filter(is_demo=True)
    tour = events.filter(title=TOUR_TITLE).first()
    stops = EventStop.objects.filter(event=tour) if tour else EventStop.objects.none()
    return {
        "events": events.count(),
        "event_stops": EventStop.objects.filter(event__in=events).count(),
        "event_registrations": Registration.objects.filter(event__in=events).count(),
        "tour_2008": {"people": people_reached(stops), "providers": providers_reached(stops)},
    }


def _usernames():
    names = {"coordination"}
    for spec in DATA["upcoming"]:
        names.update(spec["staff"])
    return names | {"organisateur", "organisatrice-beauce"}


# --- events and stops ----------------------------------------------------------------------


def _committee(organizer: str, day: str | dt.date) -> Committee | None:
    """The demo committee named ``organizer`` (see COMMITTEE_NAMES) if active on ``day``."""
    name = COMMITTEE_NAMES.get(organizer)
    committee = Committee.objects.filter(name=name, is_demo=True).first() if name else None
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    if committee is None or not committee.is_active_on(day):
        return None
    return committee


def _event(title: str, values: dict, staff, created: Counter) -> Event | None:
    event = Event.objects.filter(title=title).order_by("pk").first()
    if event is not None and not event.is_demo:
        return None  # a real event with that title: leave it alone
    if event is None:
        event = Event(title=title)
        created["events"] += 1
    for field, value in values.items():
        setattr(event, field, value)
    event.is_demo = True
    if event.status != EventStatus.DRAFT and event.published_at is None:
        event.published_at = values.get("published_at") or timezone.now()
    event.save()
    event.staff.set([u for u in staff if u is not None])
    return event


def _stops(event: Event, wanted: list[tuple], towns: dict, created: Counter) -> list[EventStop]:
    """``wanted``: (town code, starts_at, ends_at, place); returns the stops in that order."""
    existing = {s.municipality_id: s for s in event.stops.all()}
    result, keep = [], set()
    for code, starts_at, ends_at, place in wanted:
        town = towns[code]
        stop = existing.get(town.pk)
        if stop is None:
            stop = EventStop(event=event, municipality=town)
            created["event_stops"] += 1
        stop.starts_at, stop.ends_at, stop.place = starts_at, ends_at, place
        stop.address = ""
        stop.save()
        keep.add(stop.pk)
        result.append(stop)
    extra = [s for s in existing.values() if s.pk not in keep]
    for stop in extra:
        stop.registrations.filter(is_demo=True).delete()
        if not stop.registrations.exists():
            stop.delete()
    return result


def _counts(stop: EventStop, numbers: dict, providers, created: Counter) -> None:
    attendance = StopAttendance.objects.filter(stop=stop).first()
    if attendance is None:
        attendance = StopAttendance(stop=stop)
        created["event_attendance_counts"] += 1
    for name in StopAttendance.CATEGORIES:
        setattr(attendance, name, numbers.get(name, 0))
    attendance.note = "Donnée fictive"
    attendance.save()
    attendance.providers.set(providers)


# --- the fall-2008 tour ----------------------------------------------------------------------


def _load_tour(towns, offices, users, created) -> None:
    tour = DATA["tour"]
    absent = tour["absent"]
    tour_stops = [(s["mrc"], s["town"], s["date"], s["place"]) for s in tour["stops"]]
    came = offices[: len(offices) - absent] if len(offices) > absent else offices
    by_mrc: dict[str, list] = defaultdict(list)
    for office in came:
        by_mrc[office.municipality.mrc.code].append(office)
    stops_wanted = [
        (code, _at(day, 13, 30), _at(day, 16, 0), place)
        for _mrc, code, day, place in tour_stops
        if code in towns
    ]
    event = _event(
        TOUR_TITLE,
        {
            "kind": EventKind.TOUR,
            "scope": Scope.REGIONAL,
            "status": EventStatus.HELD,
            "organizing_committee": COMMITTEE_2008,
            "committee": _committee(COMMITTEE_2008, tour_stops[0][2]),
            "target_audience": (
                "Directions et conseils d'administration des OMH, intervenants des CSSS"
            ),
            "description": (
                "Tournée régionale d'information de l'automne 2008 : mise en lien des offices "
                "municipaux d'habitation avec les intervenants des CSSS dédiés au projet. "
                "Elle a rejoint 62 OMH et plus de 200 personnes (Faits saillants, An 1).\n\n"
                + FICTITIOUS
            ),
            "capacity": None,
            "registration_open": False,
            "published_at": _at("2008-09-02", 9),
        },
        [users.get("coordination"), users.get("organisateur"), users.get("organisatrice-beauce")],
        created,
    )
    if event is None:
        return
    stops = _stops(event, stops_wanted, towns, created)
    twice = {t["office_town"]: t["second_stop_town"] for t in tour["twice"]}
    for (mrc, code, _day, _place), stop in zip(
        [s for s in tour_stops if s[1] in towns], stops, strict=True
    ):
        present = list(by_mrc.get(mrc, []))
        present += [o for o in came if twice.get(o.municipality.code) == code and o not in present]
        n = len(present)
        numbers = {"provider_staff": 2 * n, "tenants": n // 2 + 1, "partners": 4, "others": 1}
        _counts(stop, numbers, present, created)
    event_refresh(event)


# --- gatherings and forums -------------------------------------------------------------------


def _load_gathering(spec, towns, offices, providers, users, created) -> None:
    title, day, town, numbers = spec["title"], spec["date"], spec["town"], spec["counts"]
    how_many, pool_name = spec["providers"], spec["pool"]
    if town not in towns:
        return
    pool = offices if pool_name == "offices" else providers
    step = max(len(pool) // max(how_many, 1), 1)
    present = pool[::step][:how_many]
    committee = COMMITTEE_2008 if day < "2016-04-01" else COMMITTEE_2016
    event = _event(
        title,
        {
            "kind": EventKind.FORUM,
            "scope": Scope.REGIONAL,
            "status": EventStatus.HELD,
            "organizing_committee": committee,
            "committee": _committee(committee, day),
            "target_audience": "Locataires, directions d'habitation et partenaires de la région",
            "description": (
                "Rassemblement régional ayant comme pierre angulaire la participation des "
                "locataires.\n\n" + FICTITIOUS
            ),
            "capacity": None,
            "registration_open": False,
            "published_at": _at(day, 9) - dt.timedelta(days=45),
        },
        [users.get("coordination")],
        created,
    )
    if event is None:
        return
    place = "Salle de réception (lieu fictif)"
    [stop] = _stops(event, [(town, _at(day, 9), _at(day, 16), place)], towns, created)
    _counts(stop, numbers, present, created)
    event_refresh(event)


# --- upcoming events with registrations --------------------------------------------------------


def _registrations(event, stops, people: int, created, *, checked_in: int = 0, providers=()):
    """The first ``people`` of DATA["people"] registered, in order, spread over the stops; seats first,
    then the waiting list. The first ``checked_in`` are marked present."""
    existing = {r.name: r for r in event.registrations.filter(is_demo=True)}
    wanted = DATA["people"][:people]
    confirmed = 0
    start = min(s.starts_at for s in stops)
    for i, person in enumerate(wanted):
        name, organization, is_tenant = person["name"], person["organization"], person["is_tenant"]
        registration = existing.pop(name, None)
        if registration is None:
            registration = Registration(event=event, name=name, is_demo=True)
            created["event_registrations"] += 1
        email = f"{fold(name).replace(' ', '.')}@courriel.example"
        seat = event.capacity is None or confirmed < event.capacity
        confirmed += seat
        registration.stop = stops[i % len(stops)]
        registration.organization = organization
        registration.email = email
        registration.phone = ""
        registration.contact_key = contact_key(email, "")
        registration.is_tenant = is_tenant
        registration.accessibility_needs = "Accès sans marches" if i % 5 == 2 else ""
        registration.source = RegistrationSource.ONLINE if i % 4 else RegistrationSource.STAFF
        registration.status = (
            RegistrationStatus.CONFIRMED if seat else RegistrationStatus.WAITLISTED
        )
        registration.checked_in_at = start + dt.timedelta(minutes=5 + i) if i < checked_in else None
        registration.provider = providers[i % len(providers)] if providers and i % 3 == 0 else None
        registration.save()
        # Keep the list in order of arrival (the waiting list is first come, first served).
        Registration.objects.filter(pk=registration.pk).update(
            created_at=start - dt.timedelta(days=40 - i)
        )
    for leftover in existing.values():
        leftover.delete()


def _load_upcoming(spec, towns, users, created) -> None:
    hour, minute, length = spec["hours"]
    first = timezone.localdate() + dt.timedelta(days=spec["days"])
    wanted = []
    for i, (code, place) in enumerate(spec["stops"]):
        if code not in towns:
            return
        starts = _at(first + dt.timedelta(days=i), hour, minute)
        wanted.append((code, starts, starts + dt.timedelta(hours=length), place))
    event = _event(
        spec["title"],
        {
            "kind": spec["kind"],
            "scope": spec["scope"],
            "status": EventStatus.PUBLISHED,
            "organizing_committee": spec.get("committee", ""),
            "committee": _committee(spec.get("committee", ""), first),
            "target_audience": spec["audience"],
            "description": spec["description"],
            "capacity": spec["capacity"],
            "registration_open": True,
            "public_contact": "418 555-0150",
        },
        [users.get(name) for name in spec["staff"]],
        created,
    )
    if event is None:
        return
    stops = _stops(event, wanted, towns, created)
    _registrations(event, stops, spec["people"], created)
    event_refresh(event)


def _load_past_workshop(towns, offices, users, created) -> None:
    spec = DATA["past_workshop"]
    if spec["town"] not in towns:
        return
    event = _event(
        spec["title"],
        {
            "kind": EventKind.WORKSHOP,
            "scope": Scope.LOCAL,
            "status": EventStatus.HELD,
            "target_audience": "Locataires des HLM de Lévis",
            "description": "Présentation des ressources du quartier.\n\n" + FICTITIOUS,
            "capacity": 20,
            "registration_open": False,
            "published_at": _at(spec["date"], 9) - dt.timedelta(days=30),
        },
        [users.get("organisateur")],
        created,
    )
    if event is None:
        return
    day = spec["date"]
    stops = _stops(event, [(spec["town"], _at(day, 13, 30), _at(day, 15, 30), spec["place"])],
                   towns, created)  # fmt: skip
    levis_offices = [o for o in offices if o.municipality.code == spec["town"]]
    _registrations(
        event, stops, spec["people"], created, checked_in=spec["present"], providers=levis_offices
    )
    event_refresh(event)
