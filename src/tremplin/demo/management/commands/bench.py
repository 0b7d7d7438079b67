"""`tremplin bench <suite>`: time pages on synthetic data at one region's and the province's scale.

The parent process prepares one database per scale (SQLite under ``var/bench/``, or
``tremplin_bench_<scale>`` on the PostgreSQL server of ``--database-url``), then re-executes
this command as a worker (``--worker``) with ``DATABASE_URL`` pointing at it: the worker
migrates, generates the data unless the database already holds it, and measures. Every result
is one JSON line on stdout; the parent adds the province/region ratios and the targets.

A suite is a class in ``SUITES``: later suites (projects, casework, events, evaluation) are
added there and become choices of the positional argument.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tremplin.casework.bench import CaseworkSuite
from tremplin.evaluation.bench import EvaluationSuite
from tremplin.events.bench import EventsSuite
from tremplin.imports.bench import ImportsSuite
from tremplin.search.bench import SearchSuite
from tremplin.surveys.bench import SurveysSuite

DEFAULT_SCALES = ("region", "province")
MARKER_TABLE = "tremplin_bench_marker"

# ----------------------------------------------------------------------------- statistics


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p50 of 30 values is the 15th smallest, p95 the 29th)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def measure_line(
    measure: str, scale: str, times_s: list[float], queries: int, cpu_s=(), **extra
) -> dict:
    """Wall-clock percentiles, plus the median CPU time of this process when given: on a
    shared machine, CPU time hardly moves with the load while wall-clock time does."""
    line = {
        "measure": measure,
        "scale": scale,
        "p50_ms": round(percentile(times_s, 50) * 1000, 1),
        "p95_ms": round(percentile(times_s, 95) * 1000, 1),
        "queries": queries,
        "n": len(times_s),
    }
    if cpu_s:
        line["cpu_p50_ms"] = round(percentile(list(cpu_s), 50) * 1000, 1)
    return line | extra


# ----------------------------------------------------------------------------- suites


class QueryCounter:
    """A ``connection.execute_wrapper`` that counts the queries run through it."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


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
        from tremplin.demo.synthetic_projects import generate_projects

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


SUITES = {
    suite.name: suite
    for suite in (
        DirectorySuite(),
        ProjectsSuite(),
        CaseworkSuite(),
        EventsSuite(),
        SurveysSuite(),
        EvaluationSuite(),
        SearchSuite(),
        ImportsSuite(),
    )
}


def sign_in_verified(client, user):
    from tremplin.accounts.two_factor import sign_in_verified as sign_in

    return sign_in(client, user)


def bench_user():
    from django.contrib.auth import get_user_model

    from tremplin.accounts.services import membership_set

    user, _created = get_user_model().objects.get_or_create(
        username="bench-coordination", defaults={"email": "bench@example.org"}
    )
    membership_set(user=user, role="coordination")
    return user


# ----------------------------------------------------------------------------- marker


def read_marker(scale: str):
    """The generation summary recorded in this database for ``scale``, if any."""
    from django.db import connection

    from tremplin.demo.synthetic import GENERATOR_VERSION

    if MARKER_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT summary FROM {MARKER_TABLE} WHERE scale = %s", [scale])  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        return None
    summary = json.loads(row[0])
    return summary if summary.get("version") == GENERATOR_VERSION else None


def write_marker(scale: str, summary: dict) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (scale varchar(20) PRIMARY KEY, summary text)"
        )
        cursor.execute(f"DELETE FROM {MARKER_TABLE} WHERE scale = %s", [scale])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (scale, summary) VALUES (%s, %s)",  # noqa: S608
            [scale, json.dumps(summary)],
        )


# ----------------------------------------------------------------------------- databases


def _pg_url(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + dbname))


def _pg_admin(url: str):
    import psycopg

    parts = urlsplit(url)
    conninfo = urlunsplit(parts._replace(scheme="postgresql"))
    return psycopg.connect(conninfo, autocommit=True)


def bench_database(database_url: str | None, scale: str, *, fresh: bool) -> str:
    """The DATABASE_URL of this scale's bench database, created (empty) if missing."""
    if not database_url:
        path = Path(settings.VAR_DIR) / "bench" / f"bench-{scale}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        if fresh:
            drop_database(None, scale)
        return f"sqlite:///{path}"
    scheme = urlsplit(database_url).scheme
    if scheme not in ("postgres", "postgresql", "pgsql"):
        raise CommandError("--database-url must be a PostgreSQL URL (postgres://…)")
    dbname = f"tremplin_bench_{scale}".replace("-", "_")
    with _pg_admin(database_url) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{dbname}"')
    return _pg_url(database_url, dbname)


def drop_database(database_url: str | None, scale: str) -> None:
    if not database_url:
        path = Path(settings.VAR_DIR) / "bench" / f"bench-{scale}.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    with _pg_admin(database_url) as conn:
        dbname = f"tremplin_bench_{scale}".replace("-", "_")
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def describe(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        return "SQLite /" + parts.path.lstrip("/")
    host = parts.hostname or "localhost"
    return f"PostgreSQL {host}:{parts.port or 5432}{parts.path}"


# ----------------------------------------------------------------------------- command


class Command(BaseCommand):
    help = (
        "Benchmark a part of Tremplin on synthetic data at one region's and the province's scale. "
        "Prints one JSON line per measure, the province/region ratios and the targets."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("suite", choices=sorted(SUITES), help="What to measure.")
        parser.add_argument(
            "--database-url",
            default=None,
            help="A PostgreSQL server (postgres://user@host:port/db) on which to create "
            "tremplin_bench_<scale> databases. Default: SQLite files under var/bench/.",
        )
        parser.add_argument(
            "--repeat", type=int, default=30, help="Requests per measure (default 30)."
        )
        parser.add_argument(
            "--keep", action="store_true", help="Keep the bench databases (reused by the next run)."
        )
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="Regenerate the data even if a kept database holds it.",
        )
        parser.add_argument(
            "--scales",
            default=",".join(DEFAULT_SCALES),
            help="Comma-separated scales (default: region,province; also tiny, small).",
        )
        parser.add_argument("--seed", type=int, default=12)
        parser.add_argument(
            "--check", action="store_true", help="Exit with status 1 when a target is missed."
        )
        # Internal: measure in the configured database (what the parent runs per scale).
        parser.add_argument("--worker", action="store_true", help=argparse_suppress())
        parser.add_argument("--scale", default="region", help=argparse_suppress())
        parser.add_argument("--migrate", action="store_true", help=argparse_suppress())

    def emit(self, line: dict) -> None:
        self.stdout.write(json.dumps(line, ensure_ascii=False))
        self.stdout.flush()

    def handle(self, *args, **options):
        from tremplin.demo.synthetic import SCALES

        if options["repeat"] < 1:
            raise CommandError("--repeat must be at least 1")
        scales = [s.strip() for s in options["scales"].split(",") if s.strip()]
        unknown = [s for s in scales if s not in SCALES]
        if unknown or not scales:
            raise CommandError(f"unknown scale(s) {unknown}; choices: {', '.join(SCALES)}")
        suite = SUITES[options["suite"]]
        if options["worker"]:
            if options["scale"] not in SCALES:
                raise CommandError(f"unknown scale {options['scale']!r}")
            self.work(suite, options)
            return
        results = self.orchestrate(suite, scales, options)
        for line in suite.ratio_lines(results):
            self.emit(line)
        targets = suite.targets(results)
        self.emit(targets)
        if options["check"] and not targets["all"]:
            raise CommandError("a performance target is missed (see the targets line)")

    # -- parent: one subprocess per scale, each against its own database
    def orchestrate(self, suite, scales, options) -> list[dict]:
        results = []
        database_url = options["database_url"]
        for scale in scales:
            # A suite may keep its data in its own database (``database``: the evaluation's
            # takes long to build and must not be dropped by another suite's run).
            name = f"{suite.database}-{scale}" if getattr(suite, "database", None) else scale
            url = bench_database(database_url, name, fresh=options["fresh"])
            self.stderr.write(f"bench {suite.name} [{scale}] on {describe(url)}…")
            argv = [
                sys.executable, "-m", "tremplin", "bench", suite.name, "--worker", "--migrate",
                "--scale", scale, "--repeat", str(options["repeat"]), "--seed", str(options["seed"]),
            ]  # fmt: skip
            env = dict(
                os.environ,
                DATABASE_URL=url,
                TREMPLIN_HTTPS="0",
                ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
                DJANGO_SETTINGS_MODULE="tremplin.settings",
            )
            try:
                with subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, text=True) as proc:
                    for raw in proc.stdout:
                        raw = raw.strip()
                        if not raw:
                            continue
                        try:
                            line = json.loads(raw)
                        except ValueError:
                            self.stderr.write(raw)
                            continue
                        results.append(line)
                        self.emit(line)
                if proc.returncode:
                    raise CommandError(f"the {scale} worker failed (exit status {proc.returncode})")
            finally:
                if not options["keep"]:
                    drop_database(database_url, name)
        if not options["keep"] and not database_url:
            bench_dir = Path(settings.VAR_DIR) / "bench"
            if bench_dir.is_dir() and not any(bench_dir.iterdir()):
                shutil.rmtree(bench_dir, ignore_errors=True)
        return results

    # -- worker: migrate, generate (unless already there), measure
    def work(self, suite, options) -> None:
        import warnings

        from django.test.utils import override_settings

        from tremplin.demo.synthetic import NotEmptyError, generate_province

        scale, seed = options["scale"], options["seed"]
        if options["migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        self.emit(environment(scale))
        summary = read_marker(scale)
        if summary is not None and summary.get("seed") == seed:
            reused = True
        else:
            try:
                summary = generate_province(scale, seed=seed)
            except NotEmptyError as exc:
                raise CommandError(f"{exc}; rerun with --fresh") from exc
            write_marker(scale, summary)
            reused = False
        extra = getattr(suite, "generate", None)
        if extra is not None:  # the suite's own data, added to the directory's
            if suite.name in summary:
                extra_summary, extra_reused = summary[suite.name], True
            else:
                extra_summary, extra_reused = extra(scale, seed), False
                summary[suite.name] = extra_summary
                write_marker(scale, summary)
            self.emit(
                {"measure": f"generate_{suite.name}", **extra_summary, "reused": extra_reused}
            )
        self.emit(
            {
                "measure": "generate",
                "scale": scale,
                "seconds": summary["seconds"],
                "providers": summary["providers"],
                "buildings": summary["buildings"],
                "units": summary["units"],
                "municipalities": summary["municipalities"],
                "reused": reused,
            }
        )
        # Measure the application, not deployment details: no static manifest needed,
        # plain HTTP from the test client.
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        warnings.filterwarnings("ignore", message="No directory at")
        warnings.filterwarnings("ignore", message="Limit for query logging exceeded")
        with override_settings(STORAGES=storages, ALLOWED_HOSTS=hosts, SECURE_SSL_REDIRECT=False):
            suite.run(scale=scale, repeat=options["repeat"], emit=self.emit)


def environment(scale: str) -> dict:
    """Where the figures come from: database, versions, CPUs and load when the run started."""
    import platform

    import django
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
        else:
            version = connection.vendor
    return {
        "measure": "environment",
        "scale": scale,
        "database": version,
        "python": platform.python_version(),
        "django": django.get_version(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def argparse_suppress():
    import argparse

    return argparse.SUPPRESS
