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

import time

REGION = "12"


def _signed_in_client(user):
    """A test client signed in as ``user``, past the second factor when the role needs one."""
    from django.test import Client

    from tremplin.accounts.two_factor import sign_in_verified

    return sign_in_verified(Client(), user)


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
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        from tremplin.bench.measure import QueryCounter, bench_user, measure_line
        from tremplin.events.models import Event, Registration

        public, tour = self._pick()
        if public is None or tour is None:
            raise CommandError("no published upcoming event or held tour in region 12")
        staff = _signed_in_client(bench_user())
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
        for measure, client, path, params in pages:
            times, cpus, queries = [], [], 0
            for i in range(repeat + 1):  # the first request is a warm-up
                counter = QueryCounter()
                with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(counter):
                    started, cpu_started = time.perf_counter(), time.process_time()
                    response = client.get(path, params)
                    elapsed = time.perf_counter() - started
                    cpu = time.process_time() - cpu_started
                if response.status_code != 200:
                    raise CommandError(f"GET {path} {params} → HTTP {response.status_code}")
                if i:
                    times.append(elapsed)
                    cpus.append(cpu)
                    queries = max(queries, counter.count, len(ctx.captured_queries))
            emit(
                measure_line(
                    measure,
                    scale,
                    times,
                    queries,
                    cpus,
                    path=path,
                    params=params,
                    events=events,
                    registrations=registrations,
                    event_registrations=getattr(public if "public" in measure else tour, "n", 0),
                )
            )

    # -- what the figures mean

    def _by_key(self, results):
        return {(r["measure"], r.get("scale")): r for r in results if "p50_ms" in r}

    def ratio_lines(self, results: list[dict]) -> list[dict]:
        by_key = self._by_key(results)
        lines = []
        for m in self.measures:
            if (m, "province") in by_key and (m, "region") in by_key:
                province, region = by_key[(m, "province")], by_key[(m, "region")]
                line = {
                    "measure": m,
                    "ratio_province_over_region": round(
                        province["p50_ms"] / max(region["p50_ms"], 0.001), 2
                    ),
                }
                if "cpu_p50_ms" in province and "cpu_p50_ms" in region:
                    line["cpu_ratio_province_over_region"] = round(
                        province["cpu_p50_ms"] / max(region["cpu_p50_ms"], 0.001), 2
                    )
                lines.append(line)
        return lines

    def targets(self, results: list[dict]) -> dict:
        """Whether each target holds (None when its measures are missing)."""
        by_key = self._by_key(results)
        pages = [r for r in by_key.values() if r["measure"] in self.measures]
        target = by_key.get((self.target_measure, "province"))
        ratios = [
            by_key[(m, "province")]["p50_ms"] / max(by_key[(m, "region")]["p50_ms"], 0.001)
            for m in self.per_event_measures
            if (m, "province") in by_key and (m, "region") in by_key
        ]
        per_scale = {
            s: tuple(by_key[(m, s)]["queries"] for m in self.measures if (m, s) in by_key)
            for s in ("region", "province")
        }
        out = {
            "measure": "targets",
            "suite": self.name,
            "public_page_p95_under_100ms_at_province": target["p95_ms"] < self.p95_limit_ms
            if target
            else None,
            "pages_at_most_15_queries": all(r["queries"] <= self.max_queries for r in pages)
            if pages
            else None,
            "same_queries_region_and_province": per_scale["region"] == per_scale["province"]
            if ratios
            else None,
            "event_pages_province_p50_at_most_2x_region": all(r <= self.max_ratio for r in ratios)
            if len(ratios) == len(self.per_event_measures)
            else None,
        }
        checks = [v for k, v in out.items() if k not in ("measure", "suite")]
        out["all"] = all(v is not False for v in checks)
        return out
