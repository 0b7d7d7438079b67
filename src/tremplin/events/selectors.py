"""Reads of events, always given the user: the object, or ``Http404`` outside their scope.

Staff pages: ``permissions.visible_events``. Public pages: any event that was published
(``Event.is_public``), for anyone, signed in or not.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tremplin.search import query as search

from . import permissions, reach
from .models import (
    ACTIVE_STATUSES,
    Event,
    EventKind,
    EventStatus,
    EventStop,
    Registration,
    RegistrationStatus,
)
from .tokens import read_cancel_token

PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED, EventStatus.HELD)
STOPS = Prefetch(
    "stops", queryset=EventStop.objects.select_related("municipality__mrc").order_by("starts_at")
)


def _require(user):
    if not permissions.can_read(user):
        raise Http404


def _get(queryset, public_id):
    try:
        return queryset.get(public_id=public_id)
    except (queryset.model.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


# --------------------------------------------------------------------------- staff


def events_for_user(user):
    _require(user)
    return permissions.visible_events(user)


def get_event_for_user(user, public_id) -> Event:
    _require(user)
    return _get(
        permissions.visible_events(user)
        .select_related("created_by", "committee")
        .prefetch_related(STOPS),
        public_id,
    )


def get_event_for_edit(user, public_id) -> Event:
    event = get_event_for_user(user, public_id)
    if not permissions.can_edit(user, event):
        raise Http404
    return event


def get_event_for_attendance(user, public_id) -> Event:
    """Registrations, check-in and counts: personal information, for those who run the event."""
    event = get_event_for_user(user, public_id)
    if not permissions.can_run_attendance(user, event):
        raise Http404
    return event


def get_stop_for_attendance(user, public_id) -> EventStop:
    _require(user)
    stop = _get(EventStop.objects.select_related("event", "municipality"), public_id)
    get_event_for_attendance(user, stop.event.public_id)
    return stop


def get_registration_for_attendance(user, public_id) -> Registration:
    _require(user)
    registration = _get(
        Registration.objects.select_related("event", "stop__municipality", "provider"), public_id
    )
    registration.event = get_event_for_attendance(user, registration.event.public_id)
    return registration


def event_list(user, params) -> tuple:
    """Events in scope filtered by ``q`` (title, places), ``status``, ``kind``, ``year``, and
    ``when`` (``upcoming`` / ``past``); returns (queryset, cleaned filters)."""
    events = events_for_user(user)
    filters = {}
    q = params.get("q", "")[:100]
    if q.strip():
        # Full-text index (tremplin.search): every word starts a word of the title, the
        # description or a stop's place and town.
        events = search.filter(events, q)
        filters["q"] = q
    status = params.get("status", "")
    if status in EventStatus.values:
        events = events.filter(status=status)
        filters["status"] = status
    kind = params.get("kind", "")
    if kind in EventKind.values:
        events = events.filter(kind=kind)
        filters["kind"] = kind
    year = params.get("year", "")
    if year.isdigit() and 1990 <= int(year) <= 2100:
        start, end = _day_bounds(dt.date(int(year), 1, 1), dt.date(int(year), 12, 31))
        events = events.filter(starts_at__gte=start, starts_at__lt=end)
        filters["year"] = year
    when = params.get("when", "")
    now = timezone.now()
    if when == "upcoming":
        events = events.filter(ends_at__gte=now).order_by("starts_at", "id")
        filters["when"] = when
    elif when == "past":
        events = events.filter(ends_at__lt=now).order_by("-starts_at", "-id")
        filters["when"] = when
    else:
        events = events.order_by("-starts_at", "-id")
    return events, filters


@dataclass
class CommitteeEvent:
    event: Event
    day: dt.date | None  # first day (local time), None before the event has a stop
    last_day: dt.date | None
    url: str
    staff_page: bool  # the link opens the staff page (else the public page)


def committee_events(user, committee) -> list[CommitteeEvent]:
    """The events of ``committee`` that ``user`` may see, latest first, in one query: those in
    their staff scope (``permissions.visible_events``) link to the staff page; the other
    published ones to their public page; a draft outside their scope is left out."""
    in_scope = permissions.visible_events(user).filter(pk=OuterRef("pk"))
    events = (
        Event.objects.filter(committee=committee)
        .annotate(staff_page=Exists(in_scope))
        .filter(Q(staff_page=True) | Q(published_at__isnull=False, status__in=PUBLIC_STATUSES))
        .order_by(F("starts_at").desc(nulls_first=True), "-id")
    )
    rows = []
    for event in events:
        name = "events:event-detail" if event.staff_page else "events:public-detail"
        rows.append(
            CommitteeEvent(
                event=event,
                day=timezone.localtime(event.starts_at).date() if event.starts_at else None,
                last_day=timezone.localtime(event.ends_at).date() if event.ends_at else None,
                url=reverse(name, args=[event.public_id]),
                staff_page=event.staff_page,
            )
        )
    return rows


def registration_counts(event_ids) -> dict[int, dict]:
    """Confirmed, wait-listed and checked-in registrations per event, in one query."""
    rows = (
        Registration.objects.filter(event_id__in=event_ids)
        .values("event_id")
        .annotate(
            confirmed=Count("id", filter=Q(status=RegistrationStatus.CONFIRMED)),
            waitlisted=Count("id", filter=Q(status=RegistrationStatus.WAITLISTED)),
            present=Count(
                "id",
                filter=Q(checked_in_at__isnull=False) & ~Q(status=RegistrationStatus.CANCELLED),
            ),
        )
        .order_by()
    )
    counts = {pk: {"confirmed": 0, "waitlisted": 0, "present": 0} for pk in event_ids}
    for row in rows:
        counts[row["event_id"]] = row
    return counts


def registration_status_counts(event) -> dict[str, int]:
    """An event's registrations per status (every status present), in one query on the
    (event, status, created_at) index."""
    counts = dict.fromkeys(RegistrationStatus.values, 0)
    rows = event.registrations.order_by().values_list("status").annotate(n=Count("id"))
    counts.update(dict(rows))
    return counts


def active_registrations(event, stop=None, q=""):
    registrations = event.registrations.filter(status__in=ACTIVE_STATUSES).select_related(
        "stop__municipality", "provider"
    )
    if stop is not None:
        registrations = registrations.filter(stop=stop)
    if q:
        registrations = registrations.filter(Q(name__icontains=q) | Q(organization__icontains=q))
    return registrations.order_by("name", "id")


# --------------------------------------------------------------------------- public


def public_events(user):
    """Events anyone may see (published once; still shown when cancelled or held)."""
    return Event.objects.filter(published_at__isnull=False, status__in=PUBLIC_STATUSES)


def upcoming_public_events(user):
    return (
        public_events(user)
        .filter(status=EventStatus.PUBLISHED, ends_at__gte=timezone.now())
        .order_by("starts_at", "id")
    )


def get_public_event(user, public_id) -> Event:
    return _get(public_events(user).prefetch_related(STOPS), public_id)


def seats_taken(event) -> int:
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def get_registration_by_token(user, token) -> Registration:
    public_id = read_cancel_token(token)
    if public_id is None:
        raise Http404
    return _get(Registration.objects.select_related("event", "stop__municipality"), public_id)


def feed_stops(user, *, since_days: int = 365, limit: int = 2000):
    """Stops of public events, from a year ago on (the calendar feed)."""
    since = timezone.now() - dt.timedelta(days=since_days)
    return (
        EventStop.objects.filter(
            event__published_at__isnull=False,
            event__status__in=PUBLIC_STATUSES,
            starts_at__gte=since,
        )
        .select_related("event", "municipality")
        .order_by("starts_at", "id")[:limit]
    )


# --------------------------------------------------------------------------- reach


def _day_bounds(start: dt.date, end: dt.date):
    """Aware datetimes [start 00:00, day after end 00:00) in the local time zone."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


@dataclass
class PeriodReach:
    start: dt.date
    end: dt.date
    events: int
    stops: int
    people: int
    providers: int


def period_stops(user, start: dt.date, end: dt.date, territory=None):
    """Stops in scope that began in [start, end], of events that count."""
    begin, stop_before = _day_bounds(start, end)
    stops = reach.counted_stops(
        EventStop.objects.filter(
            starts_at__gte=begin,
            starts_at__lt=stop_before,
            event__in=events_for_user(user).values("pk"),
        )
    )
    if territory is not None:
        stops = stops.filter(municipality__mrc__territory=territory)
    return stops


def period_reach(user, start: dt.date, end: dt.date, territory=None) -> PeriodReach:
    stops = period_stops(user, start, end, territory)
    totals = stops.aggregate(n=Count("id"), events=Count("event", distinct=True))
    return PeriodReach(
        start=start,
        end=end,
        events=totals["events"],
        stops=totals["n"],
        people=reach.people_reached(stops),
        providers=reach.providers_reached(stops),
    )


def period_events(user, start: dt.date, end: dt.date, territory=None):
    """The events with stops in the period (for a paginated table of reach per event)."""
    stops = period_stops(user, start, end, territory)
    return Event.objects.filter(Exists(stops.filter(event=OuterRef("pk")))).order_by(
        "starts_at", "id"
    )
