"""iCalendar (RFC 5545) for events: one VEVENT per stop, times in America/Toronto with its
VTIMEZONE, a stable UID per stop and a SEQUENCE that grows with every change of the event, so
calendar programs update (or cancel) the copy they imported."""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from .models import EventStatus

PRODID = "-//Tremplin//Evenements//FR"


def _uid(stop) -> str:
    return f"{stop.public_id}@tremplin"


def _location(stop) -> str:
    return ", ".join(p for p in (stop.place, stop.address, stop.municipality.name) if p)


def build_calendar(stops, *, base_url: str, name: str) -> bytes:
    """``stops`` with ``event`` and ``municipality`` loaded; returns the .ics bytes."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    tz = timezone.get_default_timezone()
    several = {}
    for stop in stops:
        several[stop.event_id] = several.get(stop.event_id, 0) + 1
    for stop in stops:
        event = stop.event
        url = base_url + reverse("events:public-detail", args=[event.public_id])
        summary = event.title
        if several[event.id] > 1 or event.kind == "tour":
            summary = f"{event.title} – {stop.municipality.name}"
        if event.status == EventStatus.CANCELLED:
            # Many calendar programs ignore STATUS: say it in the title too.
            summary = _("[Annulé] %(title)s") % {"title": summary}
        vevent = VEvent()
        vevent.add("uid", _uid(stop))
        vevent.add("dtstamp", stamp)
        vevent.add("dtstart", stop.starts_at.astimezone(tz).replace(microsecond=0))
        vevent.add("dtend", stop.ends_at.astimezone(tz).replace(microsecond=0))
        vevent.add("summary", summary)
        vevent.add("location", _location(stop))
        description = event.description.strip()
        vevent.add("description", f"{description}\n\n{url}" if description else url)
        vevent.add("url", url)
        vevent.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
        vevent.add("sequence", event.revision)
        vevent.add("last-modified", event.updated_at.astimezone(dt.UTC).replace(microsecond=0))
        vevent.add("categories", [str(event.get_kind_display())])
        cal.add_component(vevent)
    cal.add_missing_timezones()
    return cal.to_ical()
