"""Synthetic events for `tremplin bench events` (tiny scale), and the bench suite itself."""

from django.db.models import Count, Q

from tremplin.bench.events import EventsSuite
from tremplin.bench.synthetic.events import EVENT_SCALES, generate_events
from tremplin.bench.synthetic.province import generate_province
from tremplin.bench.tests.fixtures import tiny_data
from tremplin.events.models import (
    Event,
    EventKind,
    EventStatus,
    EventStop,
    Registration,
    StopAttendance,
)

tiny = tiny_data(EventsSuite())


def test_it_generates_events_consistent_with_their_rows(tiny):
    shape = EVENT_SCALES["tiny"]
    assert tiny["events"] == Event.objects.count() == shape.events
    assert tiny["registrations"] == Registration.objects.count() == shape.registrations
    assert tiny["stops"] == EventStop.objects.count()
    assert tiny["counted_stops"] == StopAttendance.objects.count()
    for event in Event.objects.annotate(n=Count("stops")).prefetch_related("stops"):
        assert event.is_demo and event.search_key
        stops = sorted(event.stops.all(), key=lambda s: s.starts_at)
        assert (event.starts_at, event.ends_at) == (stops[0].starts_at, stops[-1].ends_at)
        assert event.n == 1 or event.kind == EventKind.TOUR
        assert (event.published_at is None) == (event.status == EventStatus.DRAFT)
        for stop in stops:
            stop.full_clean()
    # No registration for drafts; check-ins only at held events; seats never over capacity.
    assert not Registration.objects.filter(event__status=EventStatus.DRAFT).exists()
    assert not Registration.objects.filter(
        ~Q(event__status=EventStatus.HELD), checked_in_at__isnull=False
    ).exists()
    for event in Event.objects.filter(capacity__isnull=False).annotate(
        seats=Count("registrations", filter=Q(registrations__status="confirmed"))
    ):
        assert event.seats <= event.capacity
    for registration in Registration.objects.select_related("stop")[:50]:
        assert registration.stop.event_id == registration.event_id
        registration.full_clean()


def test_it_is_deterministic(db):
    generate_province("tiny")
    generate_events("tiny")
    first = list(Event.objects.order_by("public_id").values_list("public_id", "title"))
    Registration.objects.all().delete()
    Event.objects.all().delete()
    generate_events("tiny")
    assert list(Event.objects.order_by("public_id").values_list("public_id", "title")) == first


def test_it_runs_the_bench_suite_and_judges_its_targets(tiny):
    lines = []
    suite = EventsSuite()
    suite.run(scale="tiny", repeat=2, emit=lines.append)
    measured = {line["measure"]: line for line in lines}
    assert set(measured) == set(suite.measures)
    assert all(line["queries"] <= suite.max_queries for line in lines), [
        (line["measure"], line["queries"]) for line in lines
    ]
    as_region = [dict(line, scale="region") for line in lines]
    as_province = [dict(line, scale="province") for line in lines]
    targets = suite.targets(as_region + as_province)
    assert targets["same_queries_region_and_province"] is True
    assert targets["event_pages_province_p50_at_most_2x_region"] is True
    slow = dict(measured["event_public_page"], scale="province", p95_ms=250.0)
    assert suite.targets([slow])["public_page_p95_under_100ms_at_province"] is False
    assert suite.targets([slow])["all"] is False
    assert {line["measure"] for line in suite.ratio_lines(as_region + as_province)} == set(
        suite.measures
    )
