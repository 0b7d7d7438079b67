"""Helpers shared by the indicator modules: period bounds, choice labels, record tables."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tremplin.territories.models import Territory

from ..catalogue import RecordTable
from ..periods import ALL, REGION, TERRITORY, Area, Period

RECORD_LIMIT = 500  # a drill-down lists this many records at most, and says so


def day_bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """Aware datetimes [start 00:00, day after end 00:00) in the local time zone."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(period.start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def choice_labels(choices) -> callable:
    """A Breakdown.labels function for a TextChoices class."""
    return lambda: {value: str(label) for value, label in choices.choices}


def area_filter(area: Area, territory_path: str, region_path: str | None = None) -> dict:
    """Queryset filter keeping the records of an area (the whole program: no filter)."""
    if area.kind == ALL:
        return {}
    if area.kind == TERRITORY:
        return {territory_path: area.pk}
    if area.kind == REGION:
        return {region_path or f"{territory_path}__region": area.pk}
    raise ValueError(area)


def territories_of(area: Area) -> list[int] | None:
    """Territory ids of an area (None: all)."""
    if area.kind == ALL:
        return None
    if area.kind == TERRITORY:
        return [area.pk]
    return list(Territory.objects.filter(region_id=area.pk).values_list("id", flat=True))


def table(columns, queryset, cells, url=None, note="") -> RecordTable:
    """A RecordTable of at most RECORD_LIMIT records: ``cells(obj)`` gives a row's cells and
    ``url(obj)`` its link."""
    total = queryset.count()
    rows = [(cells(obj), url(obj) if url else None) for obj in queryset[:RECORD_LIMIT]]
    return RecordTable(columns=[str(c) for c in columns], rows=rows, total=total, note=str(note))


def link(name: str, obj) -> str:
    return reverse(name, args=[obj.public_id])


def facts_rows(facts_of) -> callable:
    """An indicator's rows, period by period, from its ``Facts`` (the rule written once for
    both the set-based refresh and the computation from scratch). Date fields only (not
    datetimes). Unkeyed records are counted (summed) in SQL by territory, region and item."""
    from django.db.models import CharField, F, IntegerField, Sum, Value

    from ..catalogue import Facts

    def in_period(facts: Facts, period: Period) -> dict | Q:
        if facts.until:
            found = Q(**{f"{facts.on}__lte": period.end}) & (
                Q(**{f"{facts.until}__isnull": True}) | Q(**{f"{facts.until}__gte": period.start})
            )
            if facts.by_end:
                found &= Q(**{f"{facts.by_end}__lte": period.end})
            return found
        return Q(**{f"{facts.on}__gte": period.start, f"{facts.on}__lte": period.end})

    def rows(period, breakdown):
        for facts in facts_of(breakdown):
            records = facts.queryset.filter(in_period(facts, period)).order_by()
            paths = [facts.territory, facts.region, facts.item if breakdown else None]
            if breakdown:
                records = records.filter(**{f"{facts.item}__isnull": False})
            fields = {
                name: F(path) if path else Value(None, output_field=kind())
                for name, path, kind in zip(
                    ("ev_t", "ev_r", "ev_item"),
                    paths,
                    (IntegerField, IntegerField, CharField),
                    strict=True,
                )
            }
            weight = F(facts.weight) if isinstance(facts.weight, str) else facts.weight
            weight = Value(1) if weight is None else weight
            if facts.key is None:
                summed = records.values(**fields).annotate(ev_w=Sum(weight))
                for t, r, item, n in summed.values_list("ev_t", "ev_r", "ev_item", "ev_w"):
                    yield t, r, _text(item, facts), None, n or 0
            else:
                keyed = records.values(**fields, ev_key=F(facts.key), ev_w=weight)
                for t, r, item, key, w in keyed.values_list(
                    "ev_t", "ev_r", "ev_item", "ev_key", "ev_w"
                ).distinct():
                    yield t, r, _text(item, facts), key, w or 0

    return rows


def _text(item, _facts) -> str:
    return "" if item is None else str(item)
