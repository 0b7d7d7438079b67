"""Counting rules shared by pages, reports and indicators.

- A project counts in a period if it ran (under way or completed) on at least one day of it:
  start on or before the period's end, and no end or an end on or after the period's start.
- A housing provider is accompanied in a period if at least one accompaniment of it overlaps
  the period; it counts once however many accompaniments it had.
- Participation is the sum of activities' participants within the period.
"""

import datetime as dt

from django.db.models import Q, Sum

from .models import RUNNING_STATUSES, Accompaniment, Project, ProjectActivity


def overlapping(start_field: str, end_field: str, start: dt.date, end: dt.date) -> Q:
    return Q(**{f"{start_field}__lte": end}) & (
        Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": start})
    )


def projects_under_way(start: dt.date, end: dt.date, queryset=None):
    qs = Project.objects.all() if queryset is None else queryset
    return qs.filter(status__in=RUNNING_STATUSES).filter(
        overlapping("start_date", "end_date", start, end)
    )


def providers_accompanied(start: dt.date, end: dt.date, queryset=None):
    """Distinct provider ids accompanied in the period."""
    qs = Accompaniment.objects.all() if queryset is None else queryset
    return set(
        qs.filter(overlapping("start_date", "end_date", start, end)).values_list(
            "provider_id", flat=True
        )
    )


def participation(start: dt.date, end: dt.date, queryset=None) -> dict:
    qs = ProjectActivity.objects.all() if queryset is None else queryset
    totals = qs.filter(date__gte=start, date__lte=end).aggregate(
        participants=Sum("participants"), tenants=Sum("tenants")
    )
    return {k: v or 0 for k, v in totals.items()}
