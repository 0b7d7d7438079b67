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

from django.core.management.base import CommandError

from tremplin.bench import measure

MAX_QUERIES = 25
P95_LIMIT_MS = 300


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
        from django.urls import reverse

        from tremplin.casework.models import FollowUp, Intervention

        worker, supervisor, person, person_interventions, open_load = bench_people()
        as_worker = measure.verified_client(worker)
        as_supervisor = measure.verified_client(supervisor)
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
        for name, client, path, params in pages:
            timing = measure.repeated_get(client, path, params, repeat)
            extra = {"rows": max(timing.body.count(b"<tr") - 1, 0)}
            if name == "casework_person_file":
                extra = {"person_interventions": person_interventions}
            elif name == "casework_caseload":
                extra["open_follow_ups_of_worker"] = open_load
            emit(timing.line(name, scale, **extra, **context))

    def targets(self, results: list[dict]) -> dict:
        measured = measure.by_key(results)
        pages = [r for r in measured.values() if r["measure"] in self.list_measures]
        out = {
            "measure": "targets",
            "suite": self.name,
            "pages_at_most_25_queries": measure.at_most_queries(pages, MAX_QUERIES),
            "p95_under_300_ms": all(r["p95_ms"] < P95_LIMIT_MS for r in pages) if pages else None,
            "same_queries_region_and_province": measure.same_queries(measured, self.list_measures),
        }
        return measure.judged(out)

    def ratio_lines(self, results: list[dict]) -> list[dict]:
        return measure.ratio_lines(results, self.list_measures)
