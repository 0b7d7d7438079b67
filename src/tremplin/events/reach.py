"""What counts as reach — the one place these rules are written (pages, exports and indicators
call these functions).

- People at a stop: the counts entered after the fact for that stop (``StopAttendance``) when
  there are any, otherwise the people checked in there (registrations not cancelled). Counts
  replace check-ins rather than add to them: they are the fuller record of the room.
- Housing providers at a stop: those named in its counts, and those of the people checked in.
- An event reaches the sum of its stops' people and each provider once, however many of its
  stops the provider came to (a tour meeting the same office twice reached one office).
- A period: the stops that began in it, of published or held events (a cancelled event reached
  nobody). Providers are counted once in the period; people are attendances summed (people are
  not identified across events, so someone at two events counts twice).
"""

from collections import defaultdict

from django.db.models import Count, F, Sum

from .models import COUNTED_STATUSES, EventStop, Registration, RegistrationStatus, StopAttendance

ProviderLink = StopAttendance.providers.through
_PEOPLE = F("tenants") + F("provider_staff") + F("partners") + F("others")


def counted_stops(stops):
    """Restrict a queryset of stops to those of events that count (published or held)."""
    return stops.filter(event__status__in=COUNTED_STATUSES)


def _checked_in(stops):
    return (
        Registration.objects.filter(stop__in=stops, checked_in_at__isnull=False)
        .exclude(status=RegistrationStatus.CANCELLED)
        .order_by()
    )


def people_reached(stops) -> int:
    """People at these stops: counts where entered, check-ins elsewhere."""
    counted = StopAttendance.objects.filter(stop__in=stops).aggregate(n=Sum(_PEOPLE))["n"] or 0
    checked = _checked_in(stops).filter(stop__attendance__isnull=True).count()
    return counted + checked


def _provider_ids(stops):
    named = (
        ProviderLink.objects.filter(stopattendance__stop__in=stops)
        .order_by()
        .values_list("housingprovider_id", flat=True)
    )
    of_people = (
        _checked_in(stops).filter(provider__isnull=False).values_list("provider_id", flat=True)
    )
    return named.union(of_people)  # UNION: each provider once


def providers_reached(stops) -> int:
    """Distinct housing providers at these stops."""
    return _provider_ids(stops).count()


def provider_ids_reached(stops) -> set[int]:
    return set(_provider_ids(stops))


def by_stop(stop_ids: list[int]) -> tuple[dict[int, dict], set[int]]:
    """For each stop id: ``people``, ``providers`` (count at that stop), ``counted`` (True when
    the figures come from counts entered after the fact) and ``checked_in``; and the ids of the
    providers reached at any of these stops (each once)."""
    result = {
        pk: {"people": 0, "providers": 0, "counted": False, "checked_in": 0} for pk in stop_ids
    }
    for attendance in StopAttendance.objects.filter(stop_id__in=stop_ids):
        result[attendance.stop_id].update(people=attendance.people, counted=True)
    pairs: dict[int, set[int]] = defaultdict(set)
    for stop_id, provider_id in ProviderLink.objects.filter(
        stopattendance__stop_id__in=stop_ids
    ).values_list("stopattendance__stop_id", "housingprovider_id"):
        pairs[stop_id].add(provider_id)
    for stop_id, provider_id, n in (
        _checked_in(EventStop.objects.filter(pk__in=stop_ids))
        .values_list("stop_id", "provider_id")
        .annotate(n=Count("id"))
    ):
        result[stop_id]["checked_in"] += n
        if provider_id is not None:
            pairs[stop_id].add(provider_id)
    for stop_id, row in result.items():
        if not row["counted"]:
            row["people"] = row["checked_in"]
        row["providers"] = len(pairs[stop_id])
    return result, set().union(*pairs.values())


def by_event(stops) -> dict[int, dict]:
    """For each event id among these stops: ``people`` and ``providers`` (each provider once
    per event), from these stops only (a period may hold part of a tour)."""
    result: dict[int, dict] = defaultdict(lambda: {"people": 0, "providers": 0})
    for row in (
        StopAttendance.objects.filter(stop__in=stops)
        .values("stop__event_id")
        .annotate(n=Sum(_PEOPLE))
        .order_by()
    ):
        result[row["stop__event_id"]]["people"] += row["n"] or 0
    for row in (
        _checked_in(stops)
        .filter(stop__attendance__isnull=True)
        .values("event_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        result[row["event_id"]]["people"] += row["n"]
    providers: dict[int, set[int]] = defaultdict(set)
    named = (
        ProviderLink.objects.filter(stopattendance__stop__in=stops)
        .values_list("stopattendance__stop__event_id", "housingprovider_id")
        .distinct()
    )
    of_people = (
        _checked_in(stops)
        .filter(provider__isnull=False)
        .values_list("event_id", "provider_id")
        .distinct()
    )
    for event_id, provider_id in [*named, *of_people]:
        providers[event_id].add(provider_id)
    for event_id, ids in providers.items():
        result[event_id]["providers"] = len(ids)
    return dict(result)
