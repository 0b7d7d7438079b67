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

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tremplin.bench.api import ApiSuite
from tremplin.bench.casework import CaseworkSuite
from tremplin.bench.databases import bench_database, describe, drop_database
from tremplin.bench.directory import DirectorySuite, ProjectsSuite
from tremplin.bench.evaluation import EvaluationSuite
from tremplin.bench.events import EventsSuite
from tremplin.bench.imports import ImportsSuite
from tremplin.bench.measure import read_marker, write_marker
from tremplin.bench.search import SearchSuite
from tremplin.bench.surveys import SurveysSuite

DEFAULT_SCALES = ("region", "province")

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
        ApiSuite(),
    )
}


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
        from tremplin.bench.synthetic.province import SCALES

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

        from tremplin.bench.synthetic.province import NotEmptyError, generate_province

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
