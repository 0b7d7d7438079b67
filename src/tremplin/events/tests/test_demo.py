"""The demo events: the seeds' facts (the fall-2008 tour: 62 offices, more than 200 people; the
2009-06-06 meeting; six gatherings with tenants by 2016, more than ten since 2008), upcoming
events open to registration, all marked fictitious, loaded idempotently."""

import datetime as dt
from collections import Counter

from django.urls import reverse
from django.utils import timezone

from tremplin.demo.events_loader import TOUR_TITLE, load_events
from tremplin.events import reach
from tremplin.events.models import (
    Event,
    EventKind,
    EventStatus,
    EventStop,
    Registration,
    StopAttendance,
)
from tremplin.testing.demo import demo_reloaded

_demo_reloaded, loaded = demo_reloaded(load_events)


def test_it_reproduces_the_fall_2008_tour(loaded):
    tour = Event.objects.get(title=TOUR_TITLE)
    stops = EventStop.objects.filter(event=tour)
    assert tour.kind == EventKind.TOUR and tour.status == EventStatus.HELD
    assert stops.count() == 10
    assert {s.municipality.mrc.territory.slug for s in stops} == {
        "grand-littoral",
        "beauce",
        "etchemins",
        "region-de-thetford",
        "montmagny-lislet",
    }
    assert all(s.starts_at.year == 2008 and s.starts_at.month in (9, 10, 11) for s in stops)
    # 62 offices although some came to two stops: each counts once.
    links = StopAttendance.providers.through.objects.filter(stopattendance__stop__event=tour)
    assert links.count() > 62
    assert reach.providers_reached(stops) == 62
    assert reach.people_reached(stops) > 200
    assert loaded["tour_2008"]["providers"] == 62


def test_it_has_the_2009_meeting_and_more_than_ten_gatherings(loaded):
    meeting = Event.objects.get(title__startswith="Mon OMH et le soutien communautaire")
    assert timezone.localtime(meeting.starts_at).date() == dt.date(2009, 6, 6)
    gatherings = Event.objects.filter(kind=EventKind.FORUM, status=EventStatus.HELD)
    with_tenants = gatherings.filter(
        title__contains="Rassemblement régional des locataires",
        starts_at__year__gte=2008,
        starts_at__year__lte=2016,
    )
    assert with_tenants.count() == 6
    assert gatherings.filter(starts_at__year__gte=2008).count() > 10


def test_it_has_upcoming_events_open_to_registration(client, loaded):
    upcoming = Event.objects.filter(status=EventStatus.PUBLISHED, starts_at__gt=timezone.now())
    assert upcoming.count() >= 2
    workshop = Event.objects.get(title="Atelier : bien vivre ensemble en HLM")
    statuses = Counter(workshop.registrations.values_list("status", flat=True))
    assert statuses == {"confirmed": 12, "waitlisted": 2}
    response = client.get(reverse("events:public-detail", args=[workshop.public_id]))
    html = response.content.decode()
    assert 'name="email"' in html and "donnée fictive" in html


def test_it_marks_every_demo_event_fictitious_and_loads_idempotently(loaded):
    assert not Event.objects.filter(is_demo=False).exists()
    assert not Registration.objects.filter(is_demo=False).exists()
    counts = (Event.objects.count(), EventStop.objects.count(), Registration.objects.count())
    created = Counter()
    again = load_events(created)
    assert sum(created.values()) == 0
    assert counts == (
        Event.objects.count(),
        EventStop.objects.count(),
        Registration.objects.count(),
    )
    assert again == loaded


def test_it_links_the_committees_forums_to_the_demo_committees(loaded):
    from tremplin.concertation.models import CommitteeKind

    # Every linked event began while its committee was active, and the committee is the one
    # its organizer's name says (the management committee of 2008-2011, then since 2016 the
    # partners' committee).
    linked = Event.objects.filter(committee__isnull=False).select_related("committee")
    for event in linked:
        day = timezone.localtime(event.starts_at).date()
        assert event.committee.is_active_on(day), event.title
    tour = Event.objects.get(title=TOUR_TITLE)
    assert tour.committee.kind == CommitteeKind.AGREEMENT
    forum = Event.objects.get(title="Forum régional des locataires 2027")
    assert forum.committee.kind == CommitteeKind.PARTNERS
    assert (
        Event.objects.filter(
            kind=EventKind.FORUM, committee__kind=CommitteeKind.PARTNERS, starts_at__year__gte=2016
        ).count()
        == Event.objects.filter(
            kind=EventKind.FORUM, organizing_committee__startswith="Comité des partenaires"
        ).count()
    )
    # The gatherings of the 2011-2016 agreement: its committee is not in the demo.
    later = Event.objects.get(title="4e Rassemblement régional des locataires")
    assert later.committee is None
    # Workshops of organizers belong to no committee.
    assert Event.objects.get(title="Atelier : bien vivre ensemble en HLM").committee is None
