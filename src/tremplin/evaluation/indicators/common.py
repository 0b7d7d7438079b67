"""Helpers shared by the indicator modules: period bounds, choice labels, record tables."""

import datetime as dt

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
