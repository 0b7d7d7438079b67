"""Reach: housing providers, people and tenants reached by events and tours.

The counting rules are the events app's (``events/reach.py``): a period holds the stops that
began in it, of published or held events; people at a stop are the counts entered after the
fact when there are any, otherwise the people checked in; a provider counts once in the
period however many stops it came to. People count in the territory where the stop was held;
a provider counts in its own territory (which providers of my territory did we reach?).
"""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from tremplin.events.models import (
    COUNTED_STATUSES,
    EventKind,
    EventStop,
    Registration,
    RegistrationStatus,
    StopAttendance,
)
from tremplin.events.reach import counted_stops
from tremplin.events.selectors import events_for_user
from tremplin.housing.models import ProviderKind
from tremplin.housing.selectors import directory_filter

from ..catalogue import COUNT, Breakdown, Facts, Indicator, group, register
from .common import area_filter, choice_labels, day_bounds, link, table

group(
    "reach",
    _("Rejoindre"),
    (
        "events.Event",
        "events.EventStop",
        "events.Registration",
        "events.StopAttendance",
        "housing.HousingProvider",
    ),
)

EVENT_KIND = Breakdown("event_kind", _("Type d'événement"), choice_labels(EventKind))
PROVIDER_KIND = Breakdown("provider_kind", _("Type d'organisme"), choice_labels(ProviderKind))
TERRITORY = "municipality__mrc__territory_id"


def _stops(period):
    begin, before = day_bounds(period)
    return counted_stops(EventStop.objects.filter(starts_at__gte=begin, starts_at__lt=before))


def _checked_in(stops):
    return Registration.objects.filter(stop__in=stops, checked_in_at__isnull=False).exclude(
        status=RegistrationStatus.CANCELLED
    )


def _provider_rows(period, breakdown):
    stops = _stops(period)
    item = {"provider_kind": "kind", "event_kind": "event_kind"}.get(breakdown)
    named = StopAttendance.providers.through.objects.filter(stopattendance__stop__in=stops)
    named = named.values_list(
        "housingprovider__municipality__mrc__territory_id",
        "housingprovider_id",
        *(
            ["housingprovider__kind"]
            if item == "kind"
            else ["stopattendance__stop__event__kind"]
            if item
            else []
        ),
    ).distinct()
    of_people = _checked_in(stops).filter(provider__isnull=False)
    of_people = of_people.values_list(
        "provider__municipality__mrc__territory_id",
        "provider_id",
        *(["provider__kind"] if item == "kind" else ["event__kind"] if item else []),
    ).distinct()
    for rows in (named, of_people):
        for territory_id, provider_id, *rest in rows:
            yield territory_id, None, rest[0] if rest else "", provider_id, 1


def _people_rows(period, breakdown, tenants_only=False):
    stops = _stops(period)
    by_kind = breakdown == "event_kind"
    people = (
        F("tenants")
        if tenants_only
        else (F("tenants") + F("provider_staff") + F("partners") + F("others"))
    )
    counted = StopAttendance.objects.filter(stop__in=stops).annotate(n=people)
    for territory_id, kind, n in counted.values_list(
        f"stop__{TERRITORY}", "stop__event__kind", "n"
    ):
        yield territory_id, None, kind if by_kind else "", None, n
    checked = _checked_in(stops).filter(stop__attendance__isnull=True)
    if tenants_only:
        checked = checked.filter(is_tenant=True)
    for territory_id, kind in checked.values_list(f"stop__{TERRITORY}", "event__kind"):
        yield territory_id, None, kind if by_kind else "", None, 1


# --- every period at once (setbased.py): the same records, dated by their stop -------------


def _provider_facts(breakdown):
    """A provider named in a stop's attendance or by a person checked in, once per area."""
    named = StopAttendance.providers.through.objects.filter(
        stopattendance__stop__event__status__in=COUNTED_STATUSES
    )
    item = {"provider_kind": "kind", "event_kind": "event_kind"}.get(breakdown)
    return [
        Facts(
            named,
            on="stopattendance__stop__starts_at",
            territory=f"housingprovider__{TERRITORY}",
            key="housingprovider_id",
            item={
                "kind": "housingprovider__kind",
                "event_kind": "stopattendance__stop__event__kind",
            }.get(item),
        ),
        Facts(
            _checked_in_at_counted_stops().filter(provider__isnull=False),
            on="stop__starts_at",
            territory=f"provider__{TERRITORY}",
            key="provider_id",
            item={"kind": "provider__kind", "event_kind": "event__kind"}.get(item),
        ),
    ]


def _checked_in_at_counted_stops():
    return _checked_in(EventStop.objects.filter(event__status__in=COUNTED_STATUSES))


def _people_facts(tenants_only=False):
    def facts(breakdown):
        by_kind = breakdown == "event_kind"
        people = F("tenants")
        if not tenants_only:
            people = people + F("provider_staff") + F("partners") + F("others")
        counted = StopAttendance.objects.filter(stop__event__status__in=COUNTED_STATUSES)
        checked = _checked_in_at_counted_stops().filter(stop__attendance__isnull=True)
        if tenants_only:
            checked = checked.filter(is_tenant=True)
        return [
            Facts(
                counted,
                on="stop__starts_at",
                territory=f"stop__{TERRITORY}",
                item="stop__event__kind" if by_kind else None,
                weight=people,
            ),
            Facts(
                checked,
                on="stop__starts_at",
                territory=f"stop__{TERRITORY}",
                item="event__kind" if by_kind else None,
            ),
        ]

    return facts


def _provider_records(user, period, area, breakdown, item):
    ids = {
        key for _t, _r, it, key, _w in _provider_rows(period, breakdown) if not item or it == item
    }
    providers = directory_filter(user, {}).qs.filter(
        pk__in=ids, **area_filter(area, TERRITORY, "municipality__mrc__region_id")
    )
    return table(
        [_("Organisme"), _("Type"), _("Municipalité")],
        providers.order_by("name_key"),
        lambda p: [p.name, p.get_kind_display(), p.municipality.name],
        lambda p: link("housing:provider-detail", p),
    )


def _stop_records(user, period, area, breakdown, item):
    stops = _stops(period).filter(event__in=events_for_user(user).values("pk"))
    stops = stops.filter(**area_filter(area, TERRITORY, "municipality__mrc__region_id"))
    if breakdown == "event_kind" and item:
        stops = stops.filter(event__kind=item)
    return table(
        [_("Événement"), _("Étape"), _("Date")],
        stops.select_related("event", "municipality").order_by("starts_at", "id"),
        lambda s: [s.event.title, str(s), s.starts_at.date().isoformat()],
        lambda s: link("events:event-detail", s.event),
        note=_("Les étapes des événements que votre rôle vous permet d'ouvrir."),
    )


register(
    Indicator(
        id="reach.providers",
        group="reach",
        label=_("Organismes d'habitation rejoints"),
        definition=_(
            "Organismes d'habitation venus à au moins une étape d'un événement ou d'une tournée "
            "tenue dans la période (nommés dans les présences ou par une personne inscrite "
            "présente). Chacun compte une fois, dans son propre territoire."
        ),
        unit=COUNT,
        source=_("Présences aux étapes des événements publiés ou tenus"),
        rows=_provider_rows,
        facts=_provider_facts,
        breakdowns=(PROVIDER_KIND, EVENT_KIND),
        records=_provider_records,
    )
)

register(
    Indicator(
        id="reach.people",
        group="reach",
        label=_("Personnes rejointes"),
        definition=_(
            "Personnes présentes aux étapes d'événements et de tournées tenues dans la période : "
            "le décompte saisi après l'étape, sinon les personnes inscrites dont la présence a été "
            "notée. Une personne venue à deux événements compte deux fois."
        ),
        unit=COUNT,
        source=_("Présences aux étapes des événements publiés ou tenus"),
        rows=_people_rows,
        facts=_people_facts(),
        breakdowns=(EVENT_KIND,),
        records=_stop_records,
    )
)

register(
    Indicator(
        id="reach.tenants",
        group="reach",
        label=_("Locataires rejoints"),
        definition=_(
            "Parmi les personnes rejointes, les locataires : le nombre de locataires du décompte "
            "saisi après l'étape, sinon les personnes inscrites comme locataires et présentes."
        ),
        unit=COUNT,
        source=_("Présences aux étapes des événements publiés ou tenus"),
        rows=lambda period, breakdown: _people_rows(period, breakdown, tenants_only=True),
        facts=_people_facts(tenants_only=True),
        breakdowns=(EVENT_KIND,),
        records=_stop_records,
    )
)
