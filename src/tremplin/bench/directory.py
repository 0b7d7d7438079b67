"""`tremplin bench directory` and `tremplin bench projects`: the Répertoire's list pages and CSV
export, and the project list, on the synthetic province."""

from __future__ import annotations

import csv
import io
import time

from django.core.management.base import CommandError

from tremplin.bench.measure import (
    QueryCounter,
    bench_user,
    measure_line,
    sign_in_verified,
)


class DirectorySuite:
    """The Répertoire: list pages (search, filters, sort, deep page) and the CSV export."""

    name = "directory"
    list_measures = ("directory_search", "directory_deep_page", "directory_clientele_territory")
    max_queries = 15
    max_ratio = 2.0
    export_limit_s = 3.0
    export_repeat = 5

    def run(self, *, scale: str, repeat: int, emit) -> None:
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from tremplin.housing.models import Building, HousingProvider
        from tremplin.territories.models import Territory

        client = Client()
        sign_in_verified(client, bench_user())
        providers = HousingProvider.objects.count()
        territory = (
            Territory.objects.filter(region__code="12").order_by("slug").first()
            or Territory.objects.order_by("slug").first()
        )
        pages = [
            ("directory_search", {"q": "saint", "kind": "coop", "sort": "-units"}),
            # The last full page (100 rows at both scales, so that the ratio measures the
            # offset, not a shorter last page).
            (
                "directory_deep_page",
                {"sort": "name", "per_page": "100", "page": str(max(1, providers // 100))},
            ),
            (
                "directory_clientele_territory",
                {"clientele": "aines", "territory": territory.slug if territory else ""},
            ),
        ]

        def timed_get(path, params):
            # CaptureQueriesContext keeps the SQL of the last 9,000 queries only: count them
            # with an execute wrapper too, so that an N+1 in an export shows its true size.
            counter = QueryCounter()
            with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(counter):
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(path, params)
                if hasattr(response, "streaming_content"):
                    body = b"".join(response.streaming_content)
                else:
                    body = response.content
                elapsed = time.perf_counter() - started
                cpu = time.process_time() - cpu_started
            if response.status_code != 200:
                raise CommandError(f"GET {path} {params} → HTTP {response.status_code}")
            return elapsed, cpu, max(counter.count, len(ctx.captured_queries)), body

        for measure, params in pages:
            timed_get("/repertoire/", params)  # warm-up: templates, translations, connection
            times, cpus, queries = [], [], 0
            for _ in range(repeat):
                elapsed, cpu, n_queries, body = timed_get("/repertoire/", params)
                times.append(elapsed)
                cpus.append(cpu)
                queries = max(queries, n_queries)
            rows = max(body.count(b"<tr") - 1, 0)  # minus the header row
            emit(measure_line(measure, scale, times, queries, cpus, params=params, rows=rows))

        buildings = Building.objects.count()
        times, cpus, queries, rows = [], [], 0, -1
        for _ in range(min(self.export_repeat, repeat)):
            elapsed, cpu, n_queries, body = timed_get("/repertoire/export.csv", {})
            times.append(elapsed)
            cpus.append(cpu)
            queries = max(queries, n_queries)
            text = body.decode("utf-8-sig")
            rows = sum(1 for _row in csv.reader(io.StringIO(text), delimiter=";")) - 1
        emit(
            measure_line(
                "directory_export_csv",
                scale,
                times,
                queries,
                cpus,
                rows=rows,
                buildings=buildings,
                rows_match=rows == buildings,
                bytes=len(body),
            )
        )

    def targets(self, results: list[dict]) -> dict:
        """Whether each target holds (None when its measures are missing)."""
        by_key = {(r["measure"], r.get("scale")): r for r in results if "p50_ms" in r}
        pages = [r for r in by_key.values() if r["measure"] in self.list_measures]
        ratios = [
            by_key[(m, "province")]["p50_ms"] / max(by_key[(m, "region")]["p50_ms"], 0.001)
            for m in self.list_measures
            if (m, "province") in by_key and (m, "region") in by_key
        ]
        exports = [r for r in by_key.values() if r["measure"] == "directory_export_csv"]
        province_export = by_key.get(("directory_export_csv", "province"))
        out = {
            "measure": "targets",
            "suite": self.name,
            "pages_at_most_15_queries": all(r["queries"] <= self.max_queries for r in pages)
            if pages
            else None,
            "same_queries_region_and_province": len(
                {
                    tuple(by_key[(m, s)]["queries"] for m in self.list_measures if (m, s) in by_key)
                    for s in ("region", "province")
                }
            )
            == 1
            if ratios
            else None,
            "province_p50_at_most_2x_region": all(r <= self.max_ratio for r in ratios)
            if len(ratios) == len(self.list_measures)
            else None,
            "export_under_3s": province_export["p50_ms"] < self.export_limit_s * 1000
            if province_export
            else None,
            "export_rows_match": all(r["rows_match"] for r in exports) if exports else None,
        }
        checks = [v for k, v in out.items() if k not in ("measure", "suite")]
        out["all"] = all(v is not False for v in checks)
        # Informative (not in "all"): the same ratio on CPU time, steadier on a busy machine.
        cpu_ratios = [
            by_key[(m, "province")]["cpu_p50_ms"] / max(by_key[(m, "region")]["cpu_p50_ms"], 0.001)
            for m in self.list_measures
            if "cpu_p50_ms" in by_key.get((m, "province"), {})
            and "cpu_p50_ms" in by_key.get((m, "region"), {})
        ]
        if len(cpu_ratios) == len(self.list_measures):
            out["province_cpu_p50_at_most_2x_region"] = all(r <= self.max_ratio for r in cpu_ratios)
        return out

    def ratio_lines(self, results: list[dict]) -> list[dict]:
        by_key = {(r["measure"], r.get("scale")): r for r in results if "p50_ms" in r}
        lines = []
        for m in (*self.list_measures, "directory_export_csv"):
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


class ProjectsSuite(DirectorySuite):
    """The project list ``/projets/``: search + filter + sort, a deep page, the year filter.

    Its data (``synthetic_projects.generate_projects``) is added to the directory's.
    """

    name = "projects"
    list_measures = ("projects_search", "projects_deep_page", "projects_year")

    def generate(self, scale: str, seed: int) -> dict:
        from tremplin.bench.synthetic.projects import generate_projects

        return generate_projects(scale, seed=seed)

    def run(self, *, scale: str, repeat: int, emit) -> None:
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from tremplin.projects.models import Project

        client = Client()
        sign_in_verified(client, bench_user())
        projects = Project.objects.count()
        pages = [
            ("projects_search", {"q": "cuisine", "status": "completed", "sort": "-participants"}),
            # The last full page of 100 rows (same row count at both scales).
            (
                "projects_deep_page",
                {"sort": "title", "per_page": "100", "page": str(max(1, projects // 100))},
            ),
            ("projects_year", {"year": "2020"}),
        ]
        for measure, params in pages:
            times, cpus, queries, body = [], [], 0, b""
            for i in range(repeat + 1):  # the first request is a warm-up
                counter = QueryCounter()
                with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(counter):
                    started, cpu_started = time.perf_counter(), time.process_time()
                    response = client.get("/projets/", params)
                    body = response.content
                    elapsed = time.perf_counter() - started
                    cpu = time.process_time() - cpu_started
                if response.status_code != 200:
                    raise CommandError(f"GET /projets/ {params} → HTTP {response.status_code}")
                if i:
                    times.append(elapsed)
                    cpus.append(cpu)
                    queries = max(queries, counter.count, len(ctx.captured_queries))
            rows = max(body.count(b"<tr") - 1, 0)
            emit(
                measure_line(
                    measure,
                    scale,
                    times,
                    queries,
                    cpus,
                    params=params,
                    rows=rows,
                    projects=projects,
                )
            )

    def targets(self, results: list[dict]) -> dict:
        out = super().targets(results)
        out.pop("export_under_3s", None)
        out.pop("export_rows_match", None)
        checks = [
            v for k, v in out.items() if k not in ("measure", "suite", "all") and "cpu" not in k
        ]
        out["all"] = all(v is not False for v in checks)
        return out
