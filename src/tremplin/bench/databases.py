"""One bench database per scale: a SQLite file under ``var/bench/`` or ``tremplin_bench_<scale>``
on the PostgreSQL server of ``--database-url``."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import CommandError

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
