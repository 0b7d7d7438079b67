"""`tremplin bench events`: event pages on synthetic data at one region's and the province's
scale (about 260,000 events and 4 million attendance rows at the province's).

Target: a published event's public page loads in under 100 ms at the 95th percentile at
province scale, with a constant number of queries. Also measured (informative): the staff page
of a tour with its reach per stop, its iCalendar file, and the staff list of events.

Registered in ``bench/management/commands/bench.py``'s ``SUITES``; shaped like its suites
(``name``, ``generate``, ``run``, ``ratio_lines``, ``targets``). Helpers of the command are
imported when used, so that the command may import this module at load time.
"""

from __future__ import annotations

from tremplin.bench import measure

REGION = "12"


class EventsSuite:
    name = "events"
    measures = (
        "event_public_page",
        "event_staff_page",
        "event_ics",
        "events_list",
        "events_search",
    )
    # Pages whose work is one event's: their time must not grow with the number of events.
    # The staff list counts and searches every event in scope (like the project list): its
    # province/region ratio is reported, not judged.
    per_event_measures = ("event_public_page", "event_staff_page", "event_ics")
    target_measure = "event_public_page"
    p95_limit_ms = 100.0
    max_queries = 15
    max_ratio = 2.0

    def generate(self, scale: str, seed: int) -> dict:
        from tremplin.bench.synthetic.events import generate_events

        return generate_events(scale, seed=seed)

    # -- what to measure

    def _pick(self):
        """The upcoming published event of region 12 with the most registrations, and the held
        tour of region 12 with the most stops (the same ones at both scales' region 12)."""
        from django.db.models import Count
        from django.utils import timezone

        from tremplin.events.models import Event, EventKind, EventStatus

        in_region = Event.objects.filter(stops__municipality__mrc__region__code=REGION)
        public = (
            in_region.filter(status=EventStatus.PUBLISHED, starts_at__gt=timezone.now())
            .annotate(n=Count("registrations", distinct=True))
            .order_by("-n", "public_id")
            .first()
        )
        tour = (
            in_region.filter(status=EventStatus.HELD, kind=EventKind.TOUR)
            .annotate(n=Count("stops", distinct=True))
            .order_by("-n", "public_id")
            .first()
        )
        return public, tour

    def run(self, *, scale: str, repeat: int, emit) -> None:
        from django.core.management.base import CommandError
        from django.test import Client
        from django.urls import reverse

        from tremplin.events.models import Event, Registration

        public, tour = self._pick()
        if public is None or tour is None:
            raise CommandError("no published upcoming event or held tour in region 12")
        staff = measure.verified_client(measure.bench_user())
        anonymous = Client()
        events = Event.objects.count()
        registrations = Registration.objects.count()
        pages = [
            ("event_public_page", anonymous, reverse("events:public-detail", args=[public.public_id]), {}),
            ("event_staff_page", staff, reverse("events:event-detail", args=[tour.public_id]), {}),
            ("event_ics", anonymous, reverse("events:event-ics", args=[tour.public_id]), {}),
            ("events_list", staff, reverse("events:event-list"), {"page": "3"}),
            ("events_search", staff, reverse("events:event-list"), {"q": "atelier", "page": "3"}),
        ]  # fmt: skip
        for name, client, path, params in pages:
            timing = measure.repeated_get(client, path, params, repeat)
            emit(
                timing.line(
                    name,
                    scale,
                    path=path,
                    params=params,
                    events=events,
                    registrations=registrations,
                    event_registrations=getattr(public if "public" in name else tour, "n", 0),
                )
            )

    # -- what the figures mean

    def ratio_lines(self, results: list[dict]) -> list[dict]:
        return measure.ratio_lines(results, self.measures)

    def targets(self, results: list[dict]) -> dict:
        """Whether each target holds (None when its measures are missing)."""
        measured = measure.by_key(results)
        pages = [r for r in measured.values() if r["measure"] in self.measures]
        target = measured.get((self.target_measure, "province"))
        out = {
            "measure": "targets",
            "suite": self.name,
            "public_page_p95_under_100ms_at_province": target["p95_ms"] < self.p95_limit_ms
            if target
            else None,
            "pages_at_most_15_queries": measure.at_most_queries(pages, self.max_queries),
            "same_queries_region_and_province": measure.same_queries(measured, self.measures)
            if measure.both_scales(measured, self.per_event_measures)
            else None,
            "event_pages_province_p50_at_most_2x_region": measure.at_most_ratio(
                measured, self.per_event_measures, self.max_ratio
            ),
        }
        return measure.judged(out)
