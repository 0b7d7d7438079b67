"""What ``GET /sante/`` checks: the database, the cache, the task queue and the var directory.

Each probe is cheap (one query, one cache round trip, one ``statvfs``) and reports numbers only:
no record, no name, no address. Versions of components are for the coordination only.
"""

from __future__ import annotations

import os
import platform
import shutil
import time
import uuid
from importlib import metadata

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone

# Below this share of free space on the var directory, the disk is "low" (status degraded).
LOW_DISK_SHARE = 0.05


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


def check_database() -> dict:
    start = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        # The class of the error only: its text may name the host or the user.
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "ms": _ms(start)}


def check_cache() -> dict:
    start = time.perf_counter()
    key = f"tremplin:health:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=10)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception as exc:  # noqa: BLE001 - any cache backend's failure is "not ok"
        return {"ok": False, "error": exc.__class__.__name__}
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return {"ok": ok, "ms": _ms(start), "backend": backend}


def check_tasks() -> dict:
    """Tasks ready to run and how long the oldest has waited (its lag, in seconds)."""
    from django.db.models import Count, Min, Q
    from django_tasks_db.models import DBTaskResult, get_date_max

    try:
        ready = DBTaskResult.objects.ready()
        # Deferred tasks (a retry with backoff) wait from their run_after, others from queueing.
        counts = ready.aggregate(
            count=Count("id"),
            queued=Min("enqueued_at", filter=Q(run_after=get_date_max())),
            deferred=Min("run_after", filter=~Q(run_after=get_date_max())),
        )
        failed = DBTaskResult.objects.failed().count()
    except DatabaseError as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    starts = [t for t in (counts["queued"], counts["deferred"]) if t is not None]
    lag = max(0.0, (timezone.now() - min(starts)).total_seconds()) if starts else 0.0
    return {"ok": True, "ready": counts["count"], "lag_seconds": round(lag, 1), "failed": failed}


def check_disk() -> dict:
    usage = shutil.disk_usage(settings.VAR_DIR)
    free_share = usage.free / usage.total if usage.total else 0.0
    return {
        "ok": free_share >= LOW_DISK_SHARE,
        "free_bytes": usage.free,
        "total_bytes": usage.total,
        "free_percent": round(100 * free_share, 1),
    }


def tremplin_version() -> str:
    try:
        return metadata.version("tremplin")
    except metadata.PackageNotFoundError:
        return "inconnue"


def versions() -> dict:
    import django

    if connection.vendor == "sqlite":
        database = f"SQLite {connection.Database.sqlite_version}"
    else:
        database = f"PostgreSQL {connection.pg_version}"
    return {
        "tremplin": tremplin_version(),
        "django": django.get_version(),
        "python": platform.python_version(),
        "database": database,
        "pid": os.getpid(),
    }


def report() -> tuple[dict, int]:
    """The health document and its HTTP status: 503 when the database is unreachable (nothing
    works without it), 200 otherwise, with ``status`` "degraded" when another check fails."""
    database = check_database()
    body = {"status": "ok", "database": database}
    if not database["ok"]:
        body["status"] = "error"
        body["cache"] = check_cache()
        body["disk"] = check_disk()
        return body, 503
    body["cache"] = check_cache()
    body["tasks"] = check_tasks()
    body["disk"] = check_disk()
    if not all(body[k]["ok"] for k in ("cache", "tasks", "disk")):
        body["status"] = "degraded"
    return body, 200
