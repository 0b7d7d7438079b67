"""`tremplin bench casework`: a worker's caseload and a person's file on synthetic data.

Registered in ``bench/management/commands/bench.py``'s ``SUITES``. Its data
(``bench.synthetic.casework.generate_casework``) is added to the directory's: about 400,000
follow-ups and 5 million interventions at province scale, 1/17 of that at region scale.

Measures (a worker and a supervisor of region 12, the same at both scales):

* ``casework_caseload``: the worker's open follow-ups, overdue first;
* ``casework_caseload_search``: the worker's caseload searched by name, all statuses;
* ``casework_supervisor_caseload``: the supervisor's team (about ten workers);
* ``casework_person_file``: the file with the most interventions in the worker's load.

Targets: at most 25 queries per page, the same number at both scales, p95 under 300 ms.
"""

from __future__ import annotations

import time

from django.core.management.base import CommandError

MAX_QUERIES = 25
P95_LIMIT_MS = 300


def verified_client(user):
    """A test client signed in as ``user``, past the second factor when the role needs one."""
    from django.test import Client

    from tremplin.accounts.two_factor import sign_in_verified

    return sign_in_verified(Client(), user)


def bench_people(region_code: str = "12"):
    """(worker, supervisor, person): the worker of the region with the median open load,
    their supervisor, and the person of their load with the most interventions."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q, Sum

    from tremplin.casework.models import FollowUp

    workers = list(
        get_user_model()
        .objects.filter(username__startswith=f"bench-int-{region_code}-")
        .annotate(open=Count("casework_follow_ups", filter=Q(casework_follow_ups__status="open")))
        .order_by("open", "username")
    )
    if not workers:
        raise CommandError(f"no synthetic worker in region {region_code}")
    worker = workers[len(workers) // 2]
    supervisor = worker.membership.supervisor
    top = (
        FollowUp.objects.filter(workers=worker)
        .values("person_id")
        .annotate(n=Sum("intervention_count"))
        .order_by("-n", "person_id")
        .first()
    )
    from tremplin.casework.models import Person

    person = Person.objects.get(pk=top["person_id"])
    return worker, supervisor, person, top["n"], workers[len(workers) // 2].open


class CaseworkSuite:
    """Shaped like ``ProjectsSuite``; standalone (no import of the command at module level, so
    that the command may import this module at its top)."""

    name = "casework"
    list_measures = (
        "casework_caseload",
        "casework_caseload_search",
        "casework_supervisor_caseload",
        "casework_person_file",
    )
    max_queries = MAX_QUERIES

    def generate(self, scale: str, seed: int) -> dict:
        from tremplin.bench.synthetic.casework import generate_casework

        return generate_casework(scale, seed=seed)

    def run(self, *, scale: str, repeat: int, emit) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        from tremplin.bench.measure import QueryCounter, measure_line
        from tremplin.casework.models import FollowUp, Intervention

        worker, supervisor, person, person_interventions, open_load = bench_people()
        as_worker, as_supervisor = verified_client(worker), verified_client(supervisor)
        caseload = reverse("casework:caseload")
        search = person.last_name.split("-")[0][:5]
        pages = [
            ("casework_caseload", as_worker, caseload, {}),
            ("casework_caseload_search", as_worker, caseload, {"q": search, "status": "all"}),
            ("casework_supervisor_caseload", as_supervisor, caseload, {}),
            (
                "casework_person_file",
                as_worker,
                reverse("casework:person-detail", args=[person.public_id]),
                {},
            ),
        ]
        context = {
            "follow_ups": FollowUp.objects.count(),
            "interventions": Intervention.objects.count(),
        }
        for measure, client, path, params in pages:
            times, cpus, queries, body = [], [], 0, b""
            for i in range(repeat + 1):  # the first request is a warm-up
                counter = QueryCounter()
                with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(counter):
                    started, cpu_started = time.perf_counter(), time.process_time()
                    response = client.get(path, params)
                    body = response.content
                    elapsed = time.perf_counter() - started
                    cpu = time.process_time() - cpu_started
                if response.status_code != 200:
                    raise CommandError(f"GET {path} {params} → HTTP {response.status_code}")
                if i:
                    times.append(elapsed)
                    cpus.append(cpu)
                    queries = max(queries, counter.count, len(ctx.captured_queries))
            extra = {"rows": max(body.count(b"<tr") - 1, 0)}
            if measure == "casework_person_file":
                extra = {"person_interventions": person_interventions}
            elif measure == "casework_caseload":
                extra["open_follow_ups_of_worker"] = open_load
            emit(measure_line(measure, scale, times, queries, cpus, **extra, **context))

    def targets(self, results: list[dict]) -> dict:
        by_key = {(r["measure"], r.get("scale")): r for r in results if "p50_ms" in r}
        pages = [r for r in by_key.values() if r["measure"] in self.list_measures]
        scales = {r["scale"] for r in pages}
        out = {
            "measure": "targets",
            "suite": self.name,
            "pages_at_most_25_queries": all(r["queries"] <= MAX_QUERIES for r in pages)
            if pages
            else None,
            "p95_under_300_ms": all(r["p95_ms"] < P95_LIMIT_MS for r in pages) if pages else None,
            "same_queries_region_and_province": len(
                {
                    tuple(by_key[(m, s)]["queries"] for m in self.list_measures if (m, s) in by_key)
                    for s in ("region", "province")
                }
            )
            == 1
            if {"region", "province"} <= scales
            else None,
        }
        checks = [v for k, v in out.items() if k not in ("measure", "suite")]
        out["all"] = all(v is not False for v in checks)
        return out

    def ratio_lines(self, results: list[dict]) -> list[dict]:
        by_key = {(r["measure"], r.get("scale")): r for r in results if "p50_ms" in r}
        lines = []
        for m in self.list_measures:
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
