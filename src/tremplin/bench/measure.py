"""What every bench suite shares: percentiles, the JSON line of a measure, a query counter, a
timed request repeated after a warm-up, the bench's coordination user, the province/region
ratios and the checks every suite's targets make, and the marker table that records what a
bench database holds."""

from __future__ import annotations

import json
import math
import time
from typing import NamedTuple

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


class QueryCounter:
    """A ``connection.execute_wrapper`` that counts the queries run through it."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


# ----------------------------------------------------------------------------- requests


def timed_get(client, path, params, *, read=None, capture=True):
    """One GET: (seconds, CPU seconds, queries, body), the body read by ``read(response)``
    (default: its content, streamed or not) inside the timing. Anything but HTTP 200 stops
    the bench. ``CaptureQueriesContext`` keeps the SQL of the last 9,000 queries only: the
    queries are counted with an execute wrapper too, so that an N+1 in an export shows its
    true size."""
    from contextlib import nullcontext

    from django.core.management.base import CommandError
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counter = QueryCounter()
    captured = CaptureQueriesContext(connection) if capture else nullcontext()
    with captured as ctx, connection.execute_wrapper(counter):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(path, params)
        body = (read or _content)(response) if response.status_code == 200 else None
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
    if response.status_code != 200:
        location = f" {response['Location']}" if response.has_header("Location") else ""
        raise CommandError(f"GET {path} {params} → HTTP {response.status_code}{location}")
    queries = max(counter.count, len(ctx.captured_queries)) if capture else counter.count
    return elapsed, cpu, queries, body


def _content(response) -> bytes:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


class Timing(NamedTuple):
    """Repeated calls: their wall-clock and CPU times, the most queries of one, the last body."""

    times: list[float]
    cpus: list[float]
    queries: int
    body: object

    def line(self, measure: str, scale: str, **extra) -> dict:
        """The measure's JSON line (``measure_line``)."""
        return measure_line(measure, scale, self.times, self.queries, self.cpus, **extra)


def repeated(measure_once, repeat: int, *, warm_up: bool = True) -> Timing:
    """``measure_once()`` (returning seconds, CPU seconds, queries and a body) ``repeat``
    times, after one warm-up call by default (templates, translations, connection)."""
    if warm_up:
        measure_once()
    times, cpus, queries, body = [], [], 0, None
    for _ in range(repeat):
        elapsed, cpu, n_queries, body = measure_once()
        times.append(elapsed)
        cpus.append(cpu)
        queries = max(queries, n_queries)
    return Timing(times, cpus, queries, body)


def repeated_get(client, path, params, repeat: int, **kwargs) -> Timing:
    """``timed_get`` repeated after a warm-up."""
    return repeated(lambda: timed_get(client, path, params, **kwargs), repeat)


def sign_in_verified(client, user):
    from tremplin.accounts.two_factor import sign_in_verified as sign_in

    return sign_in(client, user)


def verified_client(user):
    """A test client signed in as ``user``, past the second factor when the role needs one."""
    from django.test import Client

    return sign_in_verified(Client(), user)


def bench_user():
    from django.contrib.auth import get_user_model

    from tremplin.accounts.services import membership_set

    user, _created = get_user_model().objects.get_or_create(
        username="bench-coordination", defaults={"email": "bench@example.org"}
    )
    membership_set(user=user, role="coordination", audit=False)
    return user


# ----------------------------------------------------------------------------- judging

SCALES_COMPARED = ("region", "province")


def by_key(results: list[dict]) -> dict:
    """The measured lines by (measure, scale)."""
    return {(r["measure"], r.get("scale")): r for r in results if "p50_ms" in r}


def both_scales(measured: dict, measures) -> list[str]:
    """The measures of ``measures`` measured at region and at province scale."""
    return [m for m in measures if all((m, s) in measured for s in SCALES_COMPARED)]


def ratio(top: float, bottom: float) -> float:
    return top / max(bottom, 0.001)


def ratios(measured: dict, measures, field: str = "p50_ms") -> list[float]:
    """Province over region of ``field`` for each measure measured at both scales (and
    holding ``field`` at both)."""
    return [
        ratio(measured[(m, "province")][field], measured[(m, "region")][field])
        for m in both_scales(measured, measures)
        if field in measured[(m, "province")] and field in measured[(m, "region")]
    ]


def at_most_ratio(measured: dict, measures, limit: float, field: str = "p50_ms"):
    """Whether province over region of ``field`` is at most ``limit`` for every measure (None
    unless each of ``measures`` has ``field`` at both scales)."""
    found = ratios(measured, measures, field)
    if not measures or len(found) != len(measures):
        return None
    return all(r <= limit for r in found)


def ratio_lines(results: list[dict], measures) -> list[dict]:
    """One line a measure measured at both scales: province p50 over region p50, and the same
    on CPU time when both lines hold it."""
    measured = by_key(results)
    lines = []
    for m in both_scales(measured, measures):
        province, region = measured[(m, "province")], measured[(m, "region")]
        line = {
            "measure": m,
            "ratio_province_over_region": round(ratio(province["p50_ms"], region["p50_ms"]), 2),
        }
        if "cpu_p50_ms" in province and "cpu_p50_ms" in region:
            line["cpu_ratio_province_over_region"] = round(
                ratio(province["cpu_p50_ms"], region["cpu_p50_ms"]), 2
            )
        lines.append(line)
    return lines


def same_queries(measured: dict, measures):
    """Whether each page runs as many queries at province scale as at region scale (None
    unless one of ``measures`` was measured at both)."""
    if not both_scales(measured, measures):
        return None
    per_scale = {
        s: tuple(measured[(m, s)]["queries"] for m in measures if (m, s) in measured)
        for s in SCALES_COMPARED
    }
    return per_scale["region"] == per_scale["province"]


def at_most_queries(pages: list[dict], limit: int):
    """Whether every page runs at most ``limit`` queries (None without pages)."""
    return all(r["queries"] <= limit for r in pages) if pages else None


def judged(out: dict) -> dict:
    """``out`` with its ``all``: no check missed (a None check is not measured), leaving out
    the informative CPU checks."""
    checks = [v for k, v in out.items() if k not in ("measure", "suite", "all") and "cpu" not in k]
    out["all"] = all(v is not False for v in checks)
    return out


# ----------------------------------------------------------------------------- marker


def read_marker(scale: str):
    """The generation summary recorded in this database for ``scale``, if any."""
    from django.db import connection

    from tremplin.bench.synthetic.province import GENERATOR_VERSION

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
