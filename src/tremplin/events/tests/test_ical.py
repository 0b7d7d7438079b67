"""iCalendar output (RFC 5545), parsed back with the icalendar library."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tremplin.events import services
from tremplin.events.models import EventStatus

from .conftest import make_event, soon


def _parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    lines = body.split(b"\r\n")
    assert body.endswith(b"\r\n")  # CRLF line endings
    assert all(len(line) <= 75 for line in lines)  # folded at 75 octets
    return Calendar.from_ical(body)


def _events(cal):
    return [c for c in cal.walk("VEVENT")]


def test_it_exports_one_vevent_per_stop_of_a_tour(client, tour):
    response = client.get(reverse("events:event-ics", args=[tour.public_id]))
    assert "attachment" in response["Content-Disposition"]
    cal = _parse(response)
    assert str(cal["VERSION"]) == "2.0"
    assert "Tremplin" in str(cal["PRODID"])
    vevents = _events(cal)
    stops = list(tour.stops.order_by("starts_at").select_related("municipality"))
    assert len(vevents) == 3
    assert len({str(v["UID"]) for v in vevents}) == 3
    for vevent, stop in zip(vevents, stops, strict=True):
        start = vevent.decoded("DTSTART")
        assert start == stop.starts_at
        assert start.tzinfo is not None and str(start.tzinfo) == "America/Toronto"
        assert vevent.decoded("DTEND") == stop.ends_at
        assert (
            str(vevent["SUMMARY"]) == f"Tournée régionale d'information – {stop.municipality.name}"
        )
        assert (
            str(vevent["LOCATION"])
            == f"Salle communautaire, 25, rue Saint-Louis, {stop.municipality.name}"
        )
        assert str(vevent["STATUS"]) == "CONFIRMED"
        assert str(vevent["URL"]).endswith(reverse("events:public-detail", args=[tour.public_id]))
        assert vevent.decoded("DTSTAMP").tzinfo is not None
    # The time zone is described in the file itself.
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["America/Toronto"]


def test_it_keeps_uids_and_raises_the_sequence_when_the_event_changes(client, workshop):
    url = reverse("events:event-ics", args=[workshop.public_id])
    [before] = _events(_parse(client.get(url)))
    workshop.title = "Atelier : bien vivre en HLM (nouvelle salle)"
    services.event_save(user=None, event=workshop)
    [after] = _events(_parse(client.get(url)))
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert str(after["SUMMARY"]) == "Atelier : bien vivre en HLM (nouvelle salle)"


def test_it_feeds_public_events_and_marks_cancelled_ones(client, world, workshop):
    cancelled = make_event(title="Fête des voisins", stops=[(world["st_georges"], soon(40))])
    cancelled.status = EventStatus.CANCELLED
    services.event_save(user=None, event=cancelled)
    make_event(title="Brouillon secret", status=EventStatus.DRAFT, stops=[(world["levis"], soon())])
    make_event(
        title="Forum d'il y a deux ans",
        stops=[(world["levis"], timezone.now() - dt.timedelta(days=800))],
    )
    response = client.get(reverse("events:feed"))
    assert "inline" in response["Content-Disposition"]
    vevents = _events(_parse(response))
    by_summary = {str(v["SUMMARY"]): v for v in vevents}
    assert set(by_summary) == {"Atelier : bien vivre en HLM", "[Annulé] Fête des voisins"}
    assert str(by_summary["[Annulé] Fête des voisins"]["STATUS"]) == "CANCELLED"


def test_it_writes_times_in_quebec_time_whatever_the_server_zone(client, world):
    start = dt.datetime(2030, 7, 1, 9, 30, tzinfo=ZoneInfo("America/Toronto"))
    event = make_event(stops=[(world["levis"], start)])
    body = client.get(reverse("events:event-ics", args=[event.public_id])).content.decode()
    assert "DTSTART;TZID=America/Toronto:20300701T093000" in body
    assert "DTEND;TZID=America/Toronto:20300701T113000" in body
