"""`tremplin bench search`: the global search and each list's search on the full-text index,
at a region's and the province's scale (the directory's and the projects' synthetic data:
about 2,600 providers, 13,000 buildings and 50,000 projects at the province's).

Measured (each a JSON line, p50/p95 ms, queries): the global search page and its suggestions
as the coordination (every group it reads), the directory's search, the projects list's
search (the projects suite's ``cuisine`` request) and a project searched by a place's name.
Targets: province p50 ≤ 2 × region p50 for every measure, every page ≤ 25 queries and the
same count at both scales, the global search's p95 under 300 ms at province scale.

Registered in ``bench/management/commands/bench.py``'s ``SUITES``; shaped like its suites.
Helpers of the command are imported when used (the command imports this module at load).
"""

from __future__ import annotations

from tremplin.bench import measure

REGION = "12"


class SearchSuite:
    name = "search"
    database = "search"  # its own bench databases: the projects suite's data, added once
    measures = (
        "search_global",
        "search_suggestions",
        "search_directory",
        "search_projects",
        "search_projects_place",
    )
    max_queries = 25
    max_ratio = 2.0
    global_p95_limit_ms = 300.0

    def generate(self, scale: str, seed: int) -> dict:
        from tremplin.bench.synthetic.projects import generate_projects

        return generate_projects(scale, seed=seed)

    def _terms(self) -> tuple[str, str]:
        """A municipality of region 12 with providers (the same at both scales: the region
        scale is region 12 of the province) and the start of its name."""
        from django.db.models import Count

        from tremplin.territories.models import Municipality

        town = (
            Municipality.objects.filter(mrc__region__code=REGION)
            .annotate(n=Count("housing_providers"))
            .filter(n__gt=0)
            .order_by("code")
            .first()
        )
        name = town.name if town else "saint"
        return name, name.split("-")[-1][:4]

    def run(self, *, scale: str, repeat: int, emit) -> None:
        from django.db import connection

        if connection.vendor == "sqlite":
            # Planner statistics, as the generator gathers them on PostgreSQL: without them
            # SQLite takes ``status = ?`` for selective and scans that index for the
            # projects' search instead of reading the index's few thousand matches.
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
                if cursor.fetchone() is None:
                    cursor.execute("ANALYZE")
        client = measure.verified_client(measure.bench_user())
        town, prefix = self._terms()
        requests = [
            ("search_global", "/recherche/", {"q": town}),
            ("search_suggestions", "/recherche/suggestions/", {"q": prefix}),
            ("search_directory", "/repertoire/", {"q": town, "sort": "-units"}),
            (
                "search_projects",
                "/projets/",
                {"q": "cuisine", "status": "completed", "sort": "-participants"},
            ),
            ("search_projects_place", "/projets/", {"q": town}),
        ]
        for name, path, params in requests:
            timing = measure.repeated_get(client, path, params, repeat)
            body = timing.body
            hits = body.count(b"<mark>") if "recherche" in path else max(body.count(b"<tr") - 1, 0)
            emit(timing.line(name, scale, params=params, rows=hits))

    # -- what the figures mean

    def ratio_lines(self, results: list[dict]) -> list[dict]:
        return measure.ratio_lines(results, self.measures)

    def targets(self, results: list[dict]) -> dict:
        measured = measure.by_key(results)
        pages = [r for r in measured.values() if r["measure"] in self.measures]
        global_province = measured.get(("search_global", "province"))
        out = {
            "measure": "targets",
            "suite": self.name,
            "pages_at_most_25_queries": measure.at_most_queries(pages, self.max_queries),
            "same_queries_region_and_province": measure.same_queries(measured, self.measures),
            "province_p50_at_most_2x_region": measure.at_most_ratio(
                measured, self.measures, self.max_ratio
            ),
            "global_search_p95_under_300ms_at_province": (
                global_province["p95_ms"] < self.global_p95_limit_ms if global_province else None
            ),
        }
        return measure.judged(out)
