"""What every bench suite shares: percentiles, the JSON line of a measure, a query counter, the
bench's coordination user, and the marker table that records what a bench database holds."""

from __future__ import annotations

import json
import math

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


def sign_in_verified(client, user):
    from tremplin.accounts.two_factor import sign_in_verified as sign_in

    return sign_in(client, user)


def bench_user():
    from django.contrib.auth import get_user_model

    from tremplin.accounts.services import membership_set

    user, _created = get_user_model().objects.get_or_create(
        username="bench-coordination", defaults={"email": "bench@example.org"}
    )
    membership_set(user=user, role="coordination", audit=False)
    return user


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
