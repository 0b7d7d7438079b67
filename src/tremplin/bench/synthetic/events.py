"""Synthetic events at the scale of Québec, for the benchmarks (``tremplin bench events``).

``generate_events("province")`` adds, to a database filled by ``synthetic.generate_province``
at the same scale, about 260,000 events (2008 → six months from today: forums, tours with 3 to 6
stops, workshops, conferences…) and 4 million attendance rows (registrations, most of them
checked in for the events already held), plus counts entered after the fact on about one held
stop in seven, with the housing providers represented. Everything is invented and flagged
``is_demo``.

As for the directory, totals are split evenly between the regions of the scale's
``split_over``, and each region is planned by its own generator seeded by ``(seed, region
code)`` from rows read in a stable order, so the ``"region"`` scale is region 12 of the
``"province"`` scale. Dates are drawn relative to the day of generation (upcoming events must
be upcoming when measured): the same day and seed give the same data.

Derived fields that ``events.services.event_refresh`` maintains (``starts_at``, ``ends_at``,
``search_key``) are computed in Python and written with the rows. Registrations — the bulk —
go in with raw ``executemany`` batches.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from tremplin.bench.synthetic.province import BATCH_SIZE, shapes
from tremplin.core.text import fold
from tremplin.events.models import (
    Event,
    EventKind,
    EventStatus,
    EventStop,
    Registration,
    Scope,
    StopAttendance,
)
from tremplin.housing.models import HousingProvider
from tremplin.territories.models import Municipality

FIRST_DAY = dt.date(2008, 4, 1)
AHEAD_DAYS = 180
ROW_BATCH = 10_000


@dataclass(frozen=True)
class EventShape:
    events: int  # in total, split over the scale's ``split_over`` regions
    registrations: int


EVENT_SCALES: dict[str, EventShape] = {
    "province": EventShape(260_000, 4_000_000),
    "region": EventShape(260_000, 4_000_000),
    "tiny": EventShape(40, 600),
    "small": EventShape(150, 2_400),
}

# (kind, title, weight of the draw, relative size, capacity or None)
KINDS = [
    (EventKind.WORKSHOP, "Atelier", 40, 1, 25),
    (EventKind.CONFERENCE, "Conférence", 15, 2, 80),
    (EventKind.TRAINING, "Formation", 12, 1, 20),
    (EventKind.CELEBRATION, "Fête des voisins", 10, 2, None),
    (EventKind.FORUM, "Forum régional", 6, 8, 250),
    (EventKind.TOUR, "Tournée d'information", 5, 4, None),
    (EventKind.OTHER, "Rencontre d'information", 12, 1, None),
]
THEMES = [
    "bien vivre ensemble",
    "sécurité alimentaire",
    "prévention des chutes",
    "budget et consommation",
    "ressources du quartier",
    "participation des locataires",
    "saines habitudes de vie",
    "employabilité",
    "numérique pour tous",
]
FIRST_NAMES = (
    "Marie Jean Louise Pierre Lise Claude Diane Michel Nicole Yvon Sylvie Gaétan Johanne Réjean "
    "Manon Denis Francine André Chantal Normand"
).split()
LAST_NAMES = (
    "Tremblay Gagnon Roy Côté Bouchard Gauthier Morin Lavoie Fortin Gagné Ouellet Pelletier "
    "Bélanger Lévesque Bergeron Leblanc Paquette Girard Simard Boucher"
).split()
PLACES = ["Salle communautaire", "Salle municipale", "Centre communautaire", "Salle commune"]
DESCRIPTION = "Donnée fictive générée pour les mesures de performance."
HOURS = [(9, 0, 3), (13, 30, 2), (18, 30, 2)]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _sizes(rng: random.Random, weights: list[int], total: int) -> list[int]:
    """Split ``total`` registrations over events in proportion to ``weights`` (exact sum)."""
    if not weights:
        return []
    raw = [w * rng.uniform(0.5, 1.5) for w in weights]
    if not sum(raw):
        return [0] * len(weights)
    scale = total / sum(raw)
    sizes = [int(r * scale) for r in raw]
    takers = [i for i, w in enumerate(weights) if w]
    for i in range(total - sum(sizes)):
        sizes[takers[i % len(takers)]] += 1
    return sizes


def _insert_registrations(rows: list[tuple]) -> None:
    columns = (
        "public_id, created_at, updated_at, event_id, stop_id, name, organization, email, "
        "phone, contact_key, accessibility_needs, is_tenant, status, source, provider_id, "
        "language, checked_in_at, is_demo"
    )
    marks = ", ".join(["%s"] * 18)
    sql = f"INSERT INTO {Registration._meta.db_table} ({columns}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def generate_events(scale: str, seed: int = 12) -> dict:
    """Bulk-create the synthetic events of ``scale``; returns a summary of counts."""
    shape, eshape = shapes(scale, EVENT_SCALES)
    started = time.perf_counter()
    today = timezone.localdate()
    now = timezone.now()
    last_day = today + dt.timedelta(days=AHEAD_DAYS)
    days = (last_day - FIRST_DAY).days
    tz = timezone.get_default_timezone()
    ops = connection.ops
    uuid_field = Registration._meta.get_field("public_id")
    totals = {"events": 0, "stops": 0, "registrations": 0, "counted_stops": 0, "provider_links": 0}
    kind_weights = [k[2] for k in KINDS]
    with transaction.atomic():
        for code in shape.regions_held():
            n_events = shape.share(eshape.events, code)
            n_registrations = shape.share(eshape.registrations, code)
            rng = random.Random(f"{seed}:events:{code}")
            towns = list(
                Municipality.objects.filter(mrc__region__code=code)
                .order_by("code")
                .values_list("pk", "name")
            )
            providers = list(
                HousingProvider.objects.filter(municipality__mrc__region__code=code)
                .order_by("public_id")
                .values_list("pk", flat=True)
            )
            if not towns:
                continue
            events, stop_specs, weights, counted_events = [], [], [], set()
            for k in range(n_events):
                spec = rng.choices(KINDS, weights=kind_weights)[0]
                day = FIRST_DAY + dt.timedelta(days=rng.randrange(days))
                # Every region has an upcoming forum and a tour already held (what the bench
                # measures), whatever the scale.
                if k == 0:
                    spec = next(k for k in KINDS if k[0] == EventKind.FORUM)
                    day = today + dt.timedelta(days=rng.randint(20, 90))
                elif k == 1:
                    spec = next(k for k in KINDS if k[0] == EventKind.TOUR)
                    day = FIRST_DAY + dt.timedelta(days=rng.randrange(days - AHEAD_DAYS - 30))
                kind, label, _w, size, capacity = spec
                hour, minute, length = rng.choice(HOURS)
                n_stops = rng.randint(3, 6) if kind == EventKind.TOUR else 1
                stops = []
                for s in range(n_stops):
                    muni = rng.choice(towns)
                    start = dt.datetime.combine(
                        day + dt.timedelta(days=2 * s), dt.time(hour, minute), tzinfo=tz
                    )
                    stops.append((muni, start, start + dt.timedelta(hours=length)))
                roll = rng.random()
                if stops[-1][2] < now:
                    status = EventStatus.CANCELLED if roll < 0.03 and k else EventStatus.HELD
                else:
                    status = EventStatus.DRAFT if roll < 0.15 and k else EventStatus.PUBLISHED
                regional = kind in (EventKind.FORUM, EventKind.TOUR)
                title = f"{label} : {rng.choice(THEMES)} – {stops[0][0][1]}"
                places = [f"{PLACES[0]} {m[1]}" for m, _s, _e in stops]
                event = Event(
                    public_id=_uuid(rng),
                    title=title,
                    kind=kind,
                    scope=Scope.REGIONAL if regional else Scope.LOCAL,
                    status=status,
                    description=DESCRIPTION,
                    target_audience="Locataires et partenaires",
                    capacity=capacity,
                    registration_open=True,
                    starts_at=stops[0][1],
                    ends_at=stops[-1][2],
                    published_at=None
                    if status == EventStatus.DRAFT
                    else stops[0][1] - dt.timedelta(days=30),
                    search_key=" | ".join(fold(p) for p in [title, *places]),
                    revision=1,
                    is_demo=True,
                )
                events.append(event)
                stop_specs.append(stops)
                # One held event in seven: names were not taken, counts were entered afterwards.
                counted_only = (
                    k > 1 and status == EventStatus.HELD and providers and rng.random() < 1 / 7
                )
                if counted_only:
                    counted_events.add(len(events) - 1)
                no_rows = status == EventStatus.DRAFT or counted_only
                weights.append(0 if no_rows else size * n_stops)
            Event.objects.bulk_create(events, batch_size=BATCH_SIZE)
            stop_rows = []
            for event, stops in zip(events, stop_specs, strict=True):
                for (muni, start, end), place in zip(stops, PLACES * 2, strict=False):
                    stop_rows.append(
                        EventStop(
                            public_id=_uuid(rng),
                            event_id=event.pk,
                            municipality_id=muni[0],
                            starts_at=start,
                            ends_at=end,
                            place=place,
                        )
                    )
            EventStop.objects.bulk_create(stop_rows, batch_size=BATCH_SIZE)
            by_event: dict[int, list[EventStop]] = {}
            for stop in stop_rows:
                by_event.setdefault(stop.event_id, []).append(stop)
            sizes = _sizes(rng, weights, n_registrations)
            rows, counted, links = [], [], []
            registrations = 0
            for i, (event, size) in enumerate(zip(events, sizes, strict=True)):
                stops = by_event[event.pk]
                held = event.status == EventStatus.HELD
                if i in counted_events:
                    for stop in stops:
                        counted.append(
                            StopAttendance(
                                stop_id=stop.pk,
                                tenants=rng.randint(5, 60),
                                provider_staff=rng.randint(1, 12),
                                partners=rng.randint(0, 10),
                                others=rng.randint(0, 5),
                            )
                        )
                    continue
                confirmed = 0
                for j in range(size):
                    stop = stops[j % len(stops)]
                    cancelled = rng.random() < 0.05
                    seat = event.capacity is None or confirmed < event.capacity
                    if cancelled:
                        status = "cancelled"
                    elif seat:
                        status, confirmed = "confirmed", confirmed + 1
                    else:
                        status = "waitlisted"
                    present = held and status == "confirmed" and rng.random() < 0.8
                    created = stop.starts_at - dt.timedelta(days=rng.randint(1, 40), minutes=j)
                    email = f"personne{j}@bench.example"
                    rows.append(
                        (
                            uuid_field.get_db_prep_value(_uuid(rng), connection),
                            ops.adapt_datetimefield_value(created),
                            ops.adapt_datetimefield_value(created),
                            event.pk,
                            stop.pk,
                            f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                            "",
                            email,
                            "",
                            email,
                            "",
                            rng.random() < 0.6,
                            status,
                            "online",
                            rng.choice(providers) if providers and rng.random() < 0.3 else None,
                            "fr",
                            ops.adapt_datetimefield_value(
                                stop.starts_at + dt.timedelta(minutes=j % 50)
                            )
                            if present
                            else None,
                            True,
                        )
                    )
                    registrations += 1
                    if len(rows) >= ROW_BATCH:
                        _insert_registrations(rows)
                        rows = []
            if rows:
                _insert_registrations(rows)
            StopAttendance.objects.bulk_create(counted, batch_size=BATCH_SIZE)
            through = StopAttendance.providers.through
            for attendance in counted:
                for provider_id in rng.sample(providers, min(len(providers), rng.randint(1, 4))):
                    links.append(
                        through(stopattendance_id=attendance.pk, housingprovider_id=provider_id)
                    )
            through.objects.bulk_create(links, batch_size=BATCH_SIZE * 5)
            totals["events"] += len(events)
            totals["stops"] += len(stop_rows)
            totals["registrations"] += registrations
            totals["counted_stops"] += len(counted)
            totals["provider_links"] += len(links)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if connection.in_atomic_block:  # under a test's transaction: statistics only
                cursor.execute("ANALYZE")
            else:
                # As autovacuum would soon after a bulk load: statistics, and the visibility
                # map that lets COUNT(*) use an index-only scan.
                for model in (Event, EventStop, Registration, StopAttendance):
                    cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return {
        "scale": scale,
        "seed": seed,
        "day": today.isoformat(),
        **totals,
        "seconds": round(time.perf_counter() - started, 3),
    }
