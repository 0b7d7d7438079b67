"""The database side of a backup, engine by engine: reaching a database without Django's ORM,
the row count and checksum of every table, whether it holds data, and the dump and restore
(PostgreSQL: ``pg_dump`` on an exported snapshot, ``pg_restore`` into ``psql
--single-transaction``; SQLite: the online backup API, both ways)."""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.db import connections

DB_MEMBER = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
# Tables whose rows mean "this database is in use" (a migrated, empty database has none).
IN_USE_TABLES = {"auth_user": "comptes", "audit_auditentry": "entrées du journal"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the person running it."""


@dataclass
class Database:
    """A database described by a Django ``DATABASES`` entry, reached without Django's ORM."""

    settings: dict
    alias: str | None = None  # the Django connection, when it is one of the project's

    @classmethod
    def from_alias(cls, alias: str = "default") -> Database:
        return cls(dict(connections[alias].settings_dict), alias=alias)

    @property
    def vendor(self) -> str:
        engine = self.settings["ENGINE"]
        if "sqlite" in engine:
            return "sqlite"
        if "postgresql" in engine:
            return "postgresql"
        raise BackupError(f"Moteur de base de données non pris en charge : {engine}.")

    @property
    def is_memory(self) -> bool:
        return self.vendor == "sqlite" and (
            str(self.settings["NAME"]) == ":memory:" or "mode=memory" in str(self.settings["NAME"])
        )

    # PostgreSQL ---------------------------------------------------------------------------

    def pg_env(self) -> dict:
        s, options = self.settings, self.settings.get("OPTIONS") or {}
        env = dict(os.environ)
        for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
            if s.get(key):
                env[name] = str(s[key])
        if s.get("PASSWORD"):
            env["PGPASSWORD"] = str(s["PASSWORD"])
        if options.get("sslmode"):
            env["PGSSLMODE"] = options["sslmode"]
        env["PGDATABASE"] = str(s["NAME"])
        return env

    def pg_connect(self, **kwargs):
        import psycopg

        s, options = self.settings, self.settings.get("OPTIONS") or {}
        params = {
            "dbname": s["NAME"],
            "user": s.get("USER") or None,
            "password": s.get("PASSWORD") or None,
            "host": s.get("HOST") or None,
            "port": s.get("PORT") or None,
        }
        if options.get("sslmode"):
            params["sslmode"] = options["sslmode"]
        # One time zone for every text form of a row (the checksums), whatever the server's.
        params["options"] = "-c TimeZone=UTC"
        return psycopg.connect(**{k: v for k, v in params.items() if v}, **kwargs)

    # SQLite -------------------------------------------------------------------------------

    def sqlite_connect(self) -> sqlite3.Connection:
        """A connection of its own to a file database; the project's connection for an
        in-memory one (the tests), which no other connection can open."""
        if self.is_memory:
            if self.alias is None:
                raise BackupError("Une base SQLite en mémoire ne se restaure pas.")
            connections[self.alias].ensure_connection()
            return connections[self.alias].connection
        return sqlite3.connect(str(self.settings["NAME"]), timeout=30)


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(cursor, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return sorted(row[0] for row in cursor.fetchall())


def table_summary(cursor, vendor: str) -> dict[str, dict]:
    """For each table: its row count and a SHA-256 of its rows, whatever their order (the
    sorted digests of the rows, hashed: PostgreSQL's text form of a row, SQLite's values)."""
    summary = {}
    for table in _tables(cursor, vendor):
        if vendor == "postgresql":
            cursor.execute(f"SELECT t::text FROM {quote(table)} AS t")  # noqa: S608
        else:
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
        digests = []
        while rows := cursor.fetchmany(5000):
            digests.extend(hashlib.sha256(repr(row).encode()).digest() for row in rows)
        digests.sort()
        summary[table] = {
            "rows": len(digests),
            "sha256": hashlib.sha256(b"".join(digests)).hexdigest(),
        }
    return summary


def migrations(cursor) -> list[list[str]]:
    try:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    except Exception as exc:  # noqa: BLE001 - no migration table: not a Tremplin database
        raise BackupError("La base de données n'a pas de table de migrations.") from exc
    return [[app, name] for app, name in cursor.fetchall()]


def in_use(database: Database) -> dict[str, int]:
    """Rows in the tables that say the database holds data (empty dict: it may be replaced).

    Read through the project's connection when the database is one of its own (what the
    application sees), through a connection of its own otherwise."""
    if database.alias is not None:
        with connections[database.alias].cursor() as cursor:
            return _in_use(cursor, database.vendor)
    if database.vendor == "sqlite":
        if not Path(str(database.settings["NAME"])).exists():
            return {}
        conn = database.sqlite_connect()
        try:
            return _in_use(conn.cursor(), "sqlite")
        finally:
            conn.close()
    with database.pg_connect() as conn, conn.cursor() as cursor:
        return _in_use(cursor, "postgresql")


def _in_use(cursor, vendor: str) -> dict[str, int]:
    found = {}
    tables = set(_tables(cursor, vendor))
    for table in IN_USE_TABLES:
        if table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
            count = cursor.fetchone()[0]
            if count:
                found[table] = count
    return found


def write_error(exc: OSError, directory: Path) -> BackupError:
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        reason = "le disque est plein"
    elif exc.errno == errno.EROFS:
        reason = "le disque est en lecture seule"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        reason = "l'écriture y est refusée"
    else:
        reason = exc.strerror or str(exc)
    return BackupError(
        f"Impossible d'écrire la sauvegarde dans {directory} : {reason}. "
        "Aucun fichier n'a été écrit ni remplacé."
    )


def dump_sqlite(database: Database, work: Path) -> tuple[Path, dict, list]:
    copy = work / DB_MEMBER["sqlite"]
    source = database.sqlite_connect()
    target = sqlite3.connect(str(copy))
    try:
        if database.is_memory and source.in_transaction:
            # The tests' shared in-memory database, with a transaction open on the connection
            # we must read it through: the backup API would wait for that transaction forever
            # (SQLITE_LOCKED, retried without end). Its image, as this connection sees it, is
            # copied instead.
            image = sqlite3.connect(":memory:")
            image.deserialize(source.serialize())
            image.backup(target)
            image.close()
        else:
            source.backup(target)  # one step: a consistent snapshot, even in WAL mode
        cursor = target.cursor()
        summary = table_summary(cursor, "sqlite")
        migration_list = migrations(cursor)
    finally:
        target.close()
        if not database.is_memory:
            source.close()
    return copy, summary, migration_list


def dump_postgresql(database: Database, work: Path) -> tuple[Path, dict, list]:
    dump = work / DB_MEMBER["postgresql"]
    with database.pg_connect(autocommit=True) as conn:
        with conn.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            # pg_dump reads the snapshot this transaction holds: the dump and the counts below
            # see the same rows, however busy the application is meanwhile.
            result = subprocess.run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={dump}",
                ],
                env=database.pg_env(),
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                if "No space left" in result.stderr:
                    raise write_error(OSError(errno.ENOSPC, "No space left"), work)
                raise BackupError(f"pg_dump a échoué : {result.stderr.strip()[:500]}")
            summary = table_summary(cursor, "postgresql")
            migration_list = migrations(cursor)
            cursor.execute("COMMIT")
    return dump, summary, migration_list


def restore_sqlite(database_file: Path, database: Database) -> dict:
    """Replace the database's content by the copy's; the tables' summary after."""
    source = sqlite3.connect(str(database_file))
    target = database.sqlite_connect()
    try:
        source.backup(target)  # replaces the target's content in one transaction
        return table_summary(target.cursor(), "sqlite")
    finally:
        source.close()
        if not database.is_memory:
            target.close()


def restore_postgresql(database_file: Path, database: Database, work: Path) -> dict:
    """Replace the database's content by the dump's, in one transaction; the tables' summary
    after."""
    script = work / "restore.sql"
    with open(script, "w") as out:
        # Everything the database holds goes, then the dump comes back, in one transaction:
        # an error anywhere leaves the database as it was.
        out.write("DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n")
        out.flush()
        result = subprocess.run(
            ["pg_restore", "--no-owner", "--no-privileges", "--file=-", str(database_file)],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise BackupError(f"pg_restore a échoué : {result.stderr.strip()[:500]}")
    result = subprocess.run(
        [
            "psql",
            "--quiet",
            "--no-psqlrc",
            "--single-transaction",
            "-v",
            "ON_ERROR_STOP=1",
            "-f",
            str(script),
        ],
        env=database.pg_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(
            "La restauration a échoué et a été annulée (la base est restée telle quelle) : "
            + result.stderr.strip()[:500]
        )
    with database.pg_connect() as conn, conn.cursor() as cursor:
        return table_summary(cursor, "postgresql")
