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

# The fall-2008 tour: one stop in the main town of each MRC that has housing offices.
# (MRC code, municipality code, date, place) — dates and places are invented.
TOUR_STOPS = [
    ("25", "25213", "2008-09-23", "Salle communautaire de l'OMH"),
    ("19", "19050", "2008-09-25", "Salle municipale"),
    ("33", "33090", "2008-09-30", "Centre communautaire"),
    ("26", "26030", "2008-10-02", "Salle du conseil de la MRC"),
    ("27", "27028", "2008-10-07", "Hôtel de ville, salle du conseil"),
    ("29", "29073", "2008-10-09", "Centre sportif, salle polyvalente"),
    ("28", "28053", "2008-10-16", "Salle des Chevaliers"),
    ("31", "31084", "2008-10-21", "Maison de la culture"),
    ("18", "18050", "2008-10-28", "Salle communautaire"),
    ("17", "17025", "2008-11-04", "Centre socioculturel"),
]
TOUR_TITLE = "Tournée régionale d'information sur l'Entente spécifique"
# Offices left out of the tour (62 of the 67 demo offices came) and two offices that came to
# a second stop (a provider at two stops counts once in reach).
TOUR_ABSENT = 5
TOUR_TWICE = [("25213", "19050"), ("26030", "27028")]  # (office's town, second stop's town)

# (title, date, town, counts, providers (every n-th provider of the demo directory), kinds)
GATHERINGS = [
    (
        "Mon OMH et le soutien communautaire – rencontre régionale des OMH",
        "2009-06-06",
        "26030",
        {"provider_staff": 76, "partners": 14, "tenants": 9, "others": 4},
        45,
        "offices",
    ),
    ("1er Rassemblement régional des locataires d'HLM", "2009-11-14", "25213",
     {"tenants": 96, "provider_staff": 22, "partners": 15, "others": 6}, 28, "offices"),
    ("2e Rassemblement régional des locataires d'HLM", "2010-10-23", "29073",
     {"tenants": 118, "provider_staff": 25, "partners": 17, "others": 5}, 31, "offices"),
    ("3e Rassemblement régional des locataires d'HLM", "2011-10-15", "31084",
     {"tenants": 104, "provider_staff": 21, "partners": 16, "others": 7}, 27, "offices"),
    ("4e Rassemblement régional des locataires", "2012-10-20", "18050",
     {"tenants": 127, "provider_staff": 24, "partners": 19, "others": 4}, 33, "offices"),
    ("5e Rassemblement régional des locataires", "2014-05-24", "26030",
     {"tenants": 141, "provider_staff": 26, "partners": 21, "others": 8}, 35, "offices"),
    ("6e Rassemblement régional des locataires", "2016-05-28", "25213",
     {"tenants": 152, "provider_staff": 27, "partners": 23, "others": 6}, 36, "offices"),
    ("Forum régional du soutien communautaire en logement social et communautaire", "2018-11-08",
     "25213", {"tenants": 88, "provider_staff": 41, "partners": 37, "others": 9}, 40, "all"),
    ("Forum régional : la parole aux locataires", "2019-10-26", "29073",
     {"tenants": 131, "provider_staff": 33, "partners": 29, "others": 5}, 38, "all"),
    ("Forum régional : lancement des Équipes locales élargies", "2023-11-16", "26030",
     {"tenants": 74, "provider_staff": 45, "partners": 52, "others": 11}, 42, "all"),
    ("Forum régional : le logement, un tremplin", "2025-05-29", "31084",
     {"tenants": 109, "provider_staff": 39, "partners": 44, "others": 7}, 44, "all"),
]  # fmt: skip

# People who register to the upcoming events (fictitious).
PEOPLE = [
    ("Ginette Lachance", "Habitations du Plateau", True),
    ("Roger Bilodeau", "OMH de Montmagny", True),
    ("Lise Carrier", "Coopérative des Érables", True),
    ("Normand Lemieux", "", True),
    ("Jeannine Morin", "Association des locataires de l'OMH de Montmagny", True),
    ("Claude Poulin", "OMH de Saint-Georges", False),
    ("Diane Vachon", "Villa des Cèdres", True),
    ("Gaétan Roy", "", True),
    ("Suzanne Fortin", "CISSS de Chaudière-Appalaches", False),
    ("Réjean Boutin", "OMH de Lévis", False),
    ("Micheline Giguère", "Place du Plateau", True),
    ("André Labbé", "", True),
    ("Francine Pelletier", "Coopérative du Vieux-Moulin", True),
    ("Yvon Dumas", "OH de Lotbinière", False),
    ("Louise Tardif", "", True),
    ("Denis Paquet", "Centre d'action bénévole", False),
]

UPCOMING = [
    {
        "title": "Atelier : bien vivre ensemble en HLM",
        "kind": EventKind.WORKSHOP,
        "scope": Scope.LOCAL,
        "days": 20,
        "hours": (18, 30, 2),
        "stops": [("18050", "Salle communautaire des Habitations du Bassin")],
        "capacity": 12,
        "people": 14,  # 12 seats and 2 on the waiting list
        "staff": ["organisateur"],
        "audience": "Locataires des HLM de Montmagny et de L'Islet",
        "description": (
            "Un atelier pour échanger sur le bon voisinage, la gestion des conflits et les "
            "ressources du milieu. Collation offerte.\n\n" + FICTITIOUS
        ),
    },
    {
        "title": "Forum régional des locataires 2027",
        "kind": EventKind.FORUM,
        "scope": Scope.REGIONAL,
        "days": 75,
        "hours": (9, 0, 7),
        "stops": [("26030", "Centre des congrès (lieu fictif)")],
        "capacity": 150,
        "people": 9,
        "staff": ["coordination", "organisateur", "organisatrice-beauce"],
        "audience": "Locataires, directions d'OMH, coopératives et OSBL d'habitation, partenaires",
        "committee": COMMITTEE_2016,
        "description": (
            "Une journée pour faire le point sur les projets par et pour les locataires dans la "
            "région, avec des ateliers animés par les Équipes locales élargies.\n\n"
            "Transport et repas offerts aux locataires.\n\n" + FICTITIOUS
        ),
    },
    {
        "title": "Tournée d'information sur les Équipes locales élargies",
        "kind": EventKind.TOUR,
        "scope": Scope.LOCAL,
        "days": 30,
        "hours": (13, 30, 2),
        "stops": [
            ("29073", "Salle polyvalente"),
            ("28053", "Salle municipale"),
            ("31084", "Maison de la culture"),
        ],
        "capacity": None,
        "people": 6,
        "staff": ["organisatrice-beauce"],
        "audience": "Locataires, directions d'habitation et organismes du milieu",
        "description": "Trois rencontres d'information dans le sud de la région.\n\n" + FICTITIOUS,
    },
]

PAST_WORKSHOP = {
    "title": "Atelier : mieux connaître les ressources du quartier",
    "date": "2025-10-15",
    "town": "25213",
    "place": "Salle commune de la Villa des Bouleaux",
    "people": 12,
    "present": 10,
}


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
    for spec in GATHERINGS:
        _load_gathering(spec, towns, offices, providers, users, created)
    for spec in UPCOMING:
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
    for spec in UPCOMING:
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
    came = offices[: len(offices) - TOUR_ABSENT] if len(offices) > TOUR_ABSENT else offices
    by_mrc: dict[str, list] = defaultdict(list)
    for office in came:
        by_mrc[office.municipality.mrc.code].append(office)
    stops_wanted = [
        (code, _at(day, 13, 30), _at(day, 16, 0), place)
        for _mrc, code, day, place in TOUR_STOPS
        if code in towns
    ]
    event = _event(
        TOUR_TITLE,
        {
            "kind": EventKind.TOUR,
            "scope": Scope.REGIONAL,
            "status": EventStatus.HELD,
            "organizing_committee": COMMITTEE_2008,
            "committee": _committee(COMMITTEE_2008, TOUR_STOPS[0][2]),
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
    twice = {office_town: second for office_town, second in TOUR_TWICE}
    for (mrc, code, _day, _place), stop in zip(
        [s for s in TOUR_STOPS if s[1] in towns], stops, strict=True
    ):
        present = list(by_mrc.get(mrc, []))
        present += [o for o in came if twice.get(o.municipality.code) == code and o not in present]
        n = len(present)
        numbers = {"provider_staff": 2 * n, "tenants": n // 2 + 1, "partners": 4, "others": 1}
        _counts(stop, numbers, present, created)
    event_refresh(event)


# --- gatherings and forums -------------------------------------------------------------------


def _load_gathering(spec, towns, offices, providers, users, created) -> None:
    title, day, town, numbers, how_many, pool_name = spec
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
    """The first ``people`` of PEOPLE registered, in order, spread over the stops; seats first,
    then the waiting list. The first ``checked_in`` are marked present."""
    existing = {r.name: r for r in event.registrations.filter(is_demo=True)}
    wanted = PEOPLE[:people]
    confirmed = 0
    start = min(s.starts_at for s in stops)
    for i, (name, organization, is_tenant) in enumerate(wanted):
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
    spec = PAST_WORKSHOP
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
