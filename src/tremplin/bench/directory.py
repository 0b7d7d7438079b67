"""`tremplin bench directory` and `tremplin bench projects`: the Répertoire's list pages and CSV
export, and the project list, on the synthetic province."""

from __future__ import annotations

import csv
import io
from functools import partial

from tremplin.bench import measure


class DirectorySuite:
    """The Répertoire: list pages (search, filters, sort, deep page) and the CSV export."""

    name = "directory"
    list_measures = ("directory_search", "directory_deep_page", "directory_clientele_territory")
    max_queries = 15
    max_ratio = 2.0
    export_limit_s = 3.0
    export_repeat = 5

    def run(self, *, scale: str, repeat: int, emit) -> None:
        from tremplin.housing.models import Building, HousingProvider
        from tremplin.territories.models import Territory

        client = measure.verified_client(measure.bench_user())
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

        for name, params in pages:
            timing = measure.repeated_get(client, "/repertoire/", params, repeat)
            rows = max(timing.body.count(b"<tr") - 1, 0)  # minus the header row
            emit(timing.line(name, scale, params=params, rows=rows))

        buildings = Building.objects.count()
        timing = measure.repeated(
            partial(measure.timed_get, client, "/repertoire/export.csv", {}),
            min(self.export_repeat, repeat),
            warm_up=False,
        )
        text = timing.body.decode("utf-8-sig")
        rows = sum(1 for _row in csv.reader(io.StringIO(text), delimiter=";")) - 1
        emit(
            timing.line(
                "directory_export_csv",
                scale,
                rows=rows,
                buildings=buildings,
                rows_match=rows == buildings,
                bytes=len(timing.body),
            )
        )

    def targets(self, results: list[dict]) -> dict:
        """Whether each target holds (None when its measures are missing)."""
        measured = measure.by_key(results)
        pages = [r for r in measured.values() if r["measure"] in self.list_measures]
        exports = [r for r in measured.values() if r["measure"] == "directory_export_csv"]
        province_export = measured.get(("directory_export_csv", "province"))
        out = {
            "measure": "targets",
            "suite": self.name,
            "pages_at_most_15_queries": measure.at_most_queries(pages, self.max_queries),
            "same_queries_region_and_province": measure.same_queries(measured, self.list_measures),
            "province_p50_at_most_2x_region": measure.at_most_ratio(
                measured, self.list_measures, self.max_ratio
            ),
            "export_under_3s": province_export["p50_ms"] < self.export_limit_s * 1000
            if province_export
            else None,
            "export_rows_match": all(r["rows_match"] for r in exports) if exports else None,
        }
        measure.judged(out)
        # Informative (not in "all"): the same ratio on CPU time, steadier on a busy machine.
        cpu = measure.at_most_ratio(measured, self.list_measures, self.max_ratio, "cpu_p50_ms")
        if cpu is not None:
            out["province_cpu_p50_at_most_2x_region"] = cpu
        return out

    def ratio_lines(self, results: list[dict]) -> list[dict]:
        return measure.ratio_lines(results, (*self.list_measures, "directory_export_csv"))


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
        from tremplin.projects.models import Project

        client = measure.verified_client(measure.bench_user())
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
        for name, params in pages:
            timing = measure.repeated_get(client, "/projets/", params, repeat)
            rows = max(timing.body.count(b"<tr") - 1, 0)
            emit(
                timing.line(
                    name,
                    scale,
                    params=params,
                    rows=rows,
                    projects=projects,
                )
            )

    def targets(self, results: list[dict]) -> dict:
        out = super().targets(results)
        out.pop("export_under_3s", None)
        out.pop("export_rows_match", None)
        return measure.judged(out)
