"""Times of events, the Québec way: ``18 h 30`` in French, ``6:30 p.m.`` in English."""

from django import template
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tremplin.core.formatting import date_long

register = template.Library()


def _french() -> bool:
    return (get_language() or "fr").startswith("fr")


def time_short(value) -> str:
    if value is None:
        return ""
    value = timezone.localtime(value)
    if _french():
        return f"{value.hour} h" if value.minute == 0 else f"{value.hour} h {value.minute:02d}"
    return formats.date_format(value, "P")


def when(starts_at, ends_at) -> str:
    """``10 décembre 2026, 18 h 30 à 20 h 30`` (or across two days with an arrow)."""
    if starts_at is None:
        return ""
    start = timezone.localtime(starts_at)
    if ends_at is None:
        return f"{date_long(start.date())}, {time_short(start)}"
    end = timezone.localtime(ends_at)
    if end.date() == start.date():
        return _("%(day)s, %(start)s à %(end)s") % {
            "day": date_long(start.date()),
            "start": time_short(start),
            "end": time_short(end),
        }
    return f"{date_long(start.date())}, {time_short(start)} → {date_long(end.date())}, {time_short(end)}"


@register.filter(name="time_short")
def time_short_filter(value):
    return time_short(value)


@register.filter
def stop_when(stop):
    return when(stop.starts_at, stop.ends_at)


@register.filter
def event_when(event):
    return when(event.starts_at, event.ends_at)


@register.filter
def local_date(value):
    """The calendar day of an aware datetime in Québec (for date_long / date_iso)."""
    return timezone.localtime(value).date() if value else None
