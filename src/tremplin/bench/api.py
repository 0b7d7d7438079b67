"""`tremplin bench api`: the REST API's list operations (``/api/v1/…``) on the directory's and the
projects' synthetic data, at one region's and the province's scale, with a personal access
token of the bench's coordination user.

Targets (issue #15): each list's p50 at province ≤ 2 × at region, ≤ 10 queries per page (the
same at both scales), and a full sync of every building by cursor (``limit=500``, following
``next_cursor`` to the end, as ``docs/api.md``'s Python loop does) under 5 s at province scale.

Registered in ``bench/management/commands/bench.py``'s ``SUITES``; shaped like its suites
(``name``, ``generate``, ``run``, ``ratio_lines``, ``targets``).
"""

from __future__ import annotations

import time
from functools import partial

from tremplin.bench import measure

SCOPES = ("territories:read", "directory:read", "projects:read")
PAGE = 100  # rows per measured page (the API's default)
SYNC_LIMIT = 500  # rows per page of the full sync (the API's maximum)


class ApiSuite:
    name = "api"
    # A first page and a deep page (reached by a real cursor) of each list, and a page of an
    # incremental sync (``updated_since``): 100 rows at both scales, so that the ratio
    # measures the size of the tables, not a shorter page.
    list_measures = (
        "api_buildings",
        "api_buildings_deep",
        "api_buildings_updated_since",
        "api_providers",
        "api_providers_deep",
        "api_municipalities",
        "api_projects",
        "api_projects_deep",
    )
    max_queries = 10
    max_ratio = 2.0
    sync_limit_s = 5.0
    sync_repeat = 3

    def generate(self, scale: str, seed: int) -> dict:
        """The projects (their lists have rows only then); skipped when a kept database
        already holds them (the projects suite's run)."""
        from tremplin.bench.synthetic.projects import generate_projects
        from tremplin.projects.models import Project, ProjectActivity

        if Project.objects.exists():
            return {
                "scale": scale,
                "projects": Project.objects.count(),
                "activities": ProjectActivity.objects.count(),
                "seconds": 0.0,
            }
        return generate_projects(scale, seed=seed)

    # -- requests

    def _client(self):
        from django.test import Client

        from tremplin.api.models import AccessToken
        from tremplin.api.services import token_create

        user = measure.bench_user()
        AccessToken.objects.filter(user=user, name="bench").delete()
        _token, raw = token_create(user=user, name="bench", scopes=list(SCOPES))
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    @staticmethod
    def _get(client, path, params):
        """One request: (seconds, CPU seconds, queries, JSON body)."""
        return measure.timed_get(
            client, path, params, read=lambda response: response.json(), capture=False
        )

    def _sync(self, client, path):
        """Every row of ``path``, page after page: (seconds, CPU seconds, the largest query
        count of a page, (rows, pages))."""
        params = {"limit": SYNC_LIMIT}
        rows = pages = max_queries = 0
        started, cpu_started = time.perf_counter(), time.process_time()
        while True:
            _elapsed, _cpu, queries, body = self._get(client, path, params)
            rows += len(body["items"])
            pages += 1
            max_queries = max(max_queries, queries)
            if not body["next_cursor"]:
                break
            params = {"limit": SYNC_LIMIT, "cursor": body["next_cursor"]}
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        return elapsed, cpu, max_queries, (rows, pages)

    @staticmethod
    def _deep_cursor(model, path) -> str | None:
        """The cursor of the list's last full page of ``PAGE`` rows (the coordination sees
        every row), signed as the API signs its ``next_cursor``; None when that is the first."""
        from types import SimpleNamespace

        from django.core import signing

        from tremplin.api.pagination import _salt

        offset = (model.objects.count() // PAGE - 1) * PAGE
        if offset <= 0:
            return None
        after = model.objects.order_by("pk").values_list("pk", flat=True)[offset - 1]
        return signing.dumps(after, salt=_salt(SimpleNamespace(path=path)))

    def run(self, *, scale: str, repeat: int, emit) -> None:
        from django.test.utils import override_settings

        with override_settings(TREMPLIN_API_RATE_PER_MINUTE=10**9):
            self._run(scale=scale, repeat=repeat, emit=emit)

    def _run(self, *, scale: str, repeat: int, emit) -> None:
        from tremplin.housing.models import Building, HousingProvider
        from tremplin.projects.models import Project

        client = self._client()
        buildings = Building.objects.count()

        sync = measure.repeated(
            partial(self._sync, client, "/api/v1/directory/buildings"),
            min(self.sync_repeat, repeat),
            warm_up=False,
        )
        rows, pages = sync.body
        emit(
            sync.line(
                "api_buildings_sync",
                scale,
                rows=rows,
                pages=pages,
                buildings=buildings,
                rows_match=rows == buildings,
            )
        )
        deep = {
            "/api/v1/directory/buildings": self._deep_cursor(
                Building, "/api/v1/directory/buildings"
            ),
            "/api/v1/directory/providers": self._deep_cursor(
                HousingProvider, "/api/v1/directory/providers"
            ),
            "/api/v1/projects": self._deep_cursor(Project, "/api/v1/projects"),
        }

        since = "2000-01-01T00:00:00+00:00"
        measures = [
            ("api_buildings", "/api/v1/directory/buildings", {}),
            ("api_buildings_deep", "/api/v1/directory/buildings", {"cursor": "deep"}),
            (
                "api_buildings_updated_since",
                "/api/v1/directory/buildings",
                {"updated_since": since},
            ),
            ("api_providers", "/api/v1/directory/providers", {}),
            ("api_providers_deep", "/api/v1/directory/providers", {"cursor": "deep"}),
            ("api_municipalities", "/api/v1/territories/municipalities", {}),
            ("api_projects", "/api/v1/projects", {}),
            ("api_projects_deep", "/api/v1/projects", {"cursor": "deep"}),
        ]
        projects = Project.objects.count()
        for name, path, extra in measures:
            params = {"limit": PAGE, **extra}
            if extra.get("cursor") == "deep":
                params.pop("cursor")
                if deep[path]:  # else the last full page is the first
                    params["cursor"] = deep[path]
            timing = measure.repeated(partial(self._get, client, path, params), repeat)
            emit(
                timing.line(
                    name,
                    scale,
                    path=path,
                    by_cursor="cursor" in params,
                    rows=len(timing.body["items"]),
                    buildings=buildings,
                    projects=projects,
                )
            )

    # -- judging

    def targets(self, results: list[dict]) -> dict:
        """Whether each target holds (None when its measures are missing)."""
        measured = measure.by_key(results)
        pages = [r for r in measured.values() if r["measure"] in self.list_measures]
        both = measure.both_scales(measured, self.list_measures)
        syncs = [r for r in measured.values() if r["measure"] == "api_buildings_sync"]
        province_sync = measured.get(("api_buildings_sync", "province"))
        out = {
            "measure": "targets",
            "suite": self.name,
            "pages_at_most_10_queries": measure.at_most_queries(pages + syncs, self.max_queries)
            if pages
            else None,
            "same_queries_region_and_province": measure.same_queries(measured, both),
            "province_p50_at_most_2x_region": measure.at_most_ratio(
                measured, self.list_measures, self.max_ratio
            ),
            "buildings_sync_under_5s_at_province": province_sync["p50_ms"]
            < self.sync_limit_s * 1000
            if province_sync
            else None,
            "sync_rows_match": all(r["rows_match"] for r in syncs) if syncs else None,
        }
        measure.judged(out)
        # Informative (not in "all"): the same ratio on CPU time, steadier on a busy machine.
        cpu = measure.at_most_ratio(measured, both, self.max_ratio, "cpu_p50_ms")
        if cpu is not None:
            out["province_cpu_p50_at_most_2x_region"] = cpu
        return out

    def ratio_lines(self, results: list[dict]) -> list[dict]:
        return measure.ratio_lines(results, (*self.list_measures, "api_buildings_sync"))
