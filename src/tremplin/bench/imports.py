"""`tremplin bench imports`: a 50,000-row directory spreadsheet checked and imported by the
command line, in a process of its own, on the synthetic data of a scale.

Targets: the import (check and commit of every row) under 60 s of CPU on SQLite (wall time
is printed too), at a peak memory
(resident set of the ``tremplin import`` process) under 300 MB. Also measured: the dry run
alone, and the undo. Registered in ``bench/management/commands/bench.py``'s ``SUITES``; its data
lives in a database of its own (``database``), since the import adds 50,000 buildings.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

ROWS = 50_000
LIMIT_S = 60.0
LIMIT_MB = 300.0


def _spreadsheet(path: str, rows: int) -> int:
    """A CSV like the region's (its own headers, to be mapped), one bad row in a hundred."""
    from tremplin.housing.models import HousingProvider

    providers = list(
        HousingProvider.objects.filter(municipality__mrc__region__code="12")
        .select_related("municipality")
        .order_by("pk")[:200]
    ) or list(HousingProvider.objects.select_related("municipality").order_by("pk")[:200])
    bad = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["Nom", "Rue", "Ville", "CP", "3½", "4½", "Clientèles", "Ascenseur"])
        for n in range(rows):
            p = providers[n % len(providers)]
            town = p.municipality.name if n % 100 else "Atlantis"
            bad += not n % 100
            writer.writerow(
                [
                    p.name,
                    f"{n + 1}, rue du Banc-d'essai",
                    town,
                    "G6V 6P5",
                    n % 30,
                    2,
                    "Aînés",
                    "oui",
                ]
            )
    return rows - bad


def _run(args: list[str]) -> tuple[float, float, float, str]:
    """Wall time, CPU time (user + system: it hardly moves with the machine's load) and peak
    resident memory (MB) of one ``tremplin import`` process."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tremplin", "import", *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    elapsed = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    # ru_maxrss is the largest child so far (kB on Linux): each run is measured in a fresh
    # process and the runs grow, so the peak is this run's unless an earlier one was larger.
    return elapsed, cpu, max(usage.ru_maxrss, before) / 1024, done.stdout


class ImportsSuite:
    name = "imports"
    database = "imports"

    def run(self, *, scale: str, repeat: int, emit) -> None:
        from django.db import connection

        from tremplin.imports import services
        from tremplin.imports.models import ImportRecord

        mapping = ["--map", "Nom=provider", "--map", "Rue=address"]
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "immeubles.csv")
            accepted = _spreadsheet(path, ROWS)
            size = os.path.getsize(path)
            for measure, extra in (("import_dry_run", ["--dry-run"]), ("import_commit", [])):
                elapsed, cpu, peak_mb, _out = _run(["directory", path, *mapping, *extra])
                line = {
                    "measure": measure,
                    "scale": scale,
                    "vendor": connection.vendor,
                    "rows": ROWS,
                    "bytes": size,
                    "seconds": round(elapsed, 1),
                    "cpu_seconds": round(cpu, 1),
                    "peak_rss_mb": round(peak_mb, 1),
                }
                if measure == "import_commit":
                    record = ImportRecord.objects.order_by("-committed_at").first()
                    line["created"] = record.counts.get("created") if record else None
                    line["created_expected"] = accepted
                emit(line)
            record = ImportRecord.objects.order_by("-committed_at").first()
            started = time.perf_counter()
            reasons = services.import_undo(user=None, record=record)
            emit(
                {
                    "measure": "import_undo",
                    "scale": scale,
                    "vendor": connection.vendor,
                    "seconds": round(time.perf_counter() - started, 1),
                    "undone": not reasons,
                }
            )

    def ratio_lines(self, results: list[dict]) -> list[dict]:
        return []

    def targets(self, results: list[dict]) -> dict:
        commits = [r for r in results if r.get("measure") == "import_commit"]
        # CPU time is judged: on a machine shared with other work, wall time measures the load.
        ok = [
            r["cpu_seconds"] < LIMIT_S
            and r["peak_rss_mb"] < LIMIT_MB
            and r.get("created") == r.get("created_expected")
            for r in commits
        ]
        return {
            "measure": "targets",
            "suite": self.name,
            "import_50000_rows_under_60s_and_300mb": all(ok) if ok else None,
            "all": all(ok) if ok else False,
            "detail": json.dumps(
                [(r["scale"], r["seconds"], r["cpu_seconds"], r["peak_rss_mb"]) for r in commits]
            ),
        }
